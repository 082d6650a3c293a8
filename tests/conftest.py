"""Shared helpers: the fixture site, a fixed build time, running the command line, snapshots
of a folder to compare before and after, and HTML read into a list of its elements."""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
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


# -- HTML as a reader gets it ----------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
BLOCKS = {"address", "article", "br", "dd", "div", "dl", "dt", "footer", "h1", "h2", "h3",
          "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p", "section", "table", "td",
          "th", "title", "tr", "ul"}
"""Elements that separate words in the text a reader sees."""


@dataclass(eq=False)
class Element:
    """One start tag of a Page: its attributes, its line, what is open around it, and
    the text inside it."""

    tag: str
    pairs: list[tuple[str, str | None]]
    """The attributes as written: repeated ones and ones without a value kept."""
    line: int
    ancestors: tuple[Element, ...]
    """The elements open around it, outermost first."""
    parts: list[str] = field(default_factory=list)

    @property
    def attrs(self) -> dict[str, str]:
        return {name: value or "" for name, value in self.pairs}

    @property
    def text(self) -> str:
        """The text inside it, as written (scripts' too)."""
        return "".join(self.parts)

    def closest(self, tag: str) -> Element | None:
        return next((e for e in reversed(self.ancestors) if e.tag == tag), None)


class Page(HTMLParser):
    """One HTML page or fragment as a list of its elements (stdlib html.parser: no tree is
    repaired; an end tag closes the last open element of its name, a void one none)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self._text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs, void=False):
        element = Element(tag, attrs, self.getpos()[0], tuple(self._open))
        self.elements.append(element)
        if not void and tag not in VOID:
            self._open.append(element)
        if tag in BLOCKS:
            self._text.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, void=True)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index]
                break
        if tag in BLOCKS:
            self._text.append(" ")

    def handle_data(self, data):
        self._text.append(data)
        for element in self._open:
            element.parts.append(data)

    @property
    def text(self) -> str:
        """All its text, words apart where blocks are, spaces collapsed."""
        return re.sub(r"\s+", " ", "".join(self._text))

    @property
    def lang(self) -> str | None:
        return next((e.attrs.get("lang") for e in self.find("html")), None)

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]
