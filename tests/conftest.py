"""Shared helpers: the fixture site, a fixed build time, and running the command line."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
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
WORDS = tempfile.mkdtemp(prefix="site-builder-words-")
"""Where every build of the tests keeps the Korean words it split (words.STORE): the
tests build the same few sites hundreds of times, mostly without a cache, and would
otherwise start the word analyzer at each build. tests/test_words.py builds without it."""
os.environ["SITE_BUILDER_WORDS"] = WORDS
atexit.register(shutil.rmtree, WORDS, True)


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
