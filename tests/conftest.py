"""Shared helpers: the fixture site, a fixed build time, running the command line, and
snapshots of a folder to compare before and after."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_SITE = FIXTURES / "site"
SAMPLE_SITE = ROOT / "content"
KST = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=KST)
"""The frozen build time of the tests: never the wall clock."""
MINIMAL_NOTICE = ("---\n"
                  "title: 추진지원단 운영 협약 체결\n"
                  "department: welfare-policy\n"
                  "release: 2016-05-03\n"
                  "---\n"
                  "서대문구가 협약을 맺었다.\n")
"""The smallest valid press release: title, department and release."""


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python build.py ARGS` as a user runs it; output captured as text."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture site's content directory."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, target)
    return target


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} under root; returns root."""
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


_READ = {"bytes": lambda p: p.read_bytes(),
         "digest": lambda p: hashlib.sha256(p.read_bytes()).hexdigest(),
         "stat": lambda p: (p.stat().st_size, p.stat().st_mtime_ns),
         "inode": lambda p: p.stat().st_ino}


def snapshot(root: Path, what: str = "bytes", folders: bool = False) -> dict[str, object]:
    """Every file under root by relative path, to compare before and after: its bytes,
    "digest" (SHA-256), "stat" (size, mtime) or "inode". With folders, every folder too,
    as "path/": its (size, mtime) for "stat" (a file added and removed shows), else None."""
    read = _READ[what]
    found: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file():
            found[relative] = read(path)
        elif folders and path.is_dir():
            found[relative + "/"] = read(path) if what == "stat" else None
    return found


def inodes(root: Path) -> dict[str, int]:
    """Which files are the same files (hard links) as before."""
    return snapshot(root, "inode")
