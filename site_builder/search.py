"""The search index, built with Pagefind over the finished site.

Stage: write (runs on the staging directory just before it is swapped in, so the
index always matches the pages beside it). May import: stdlib, errors, urls, write,
pagefind_bin.

Only notice pages carry `data-pagefind-body`, so only published notices are
indexed: embargoed notices and drafts are not in the site, hence not in the index.
There is one index (a "shard") per language and year of release.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, TypeVar

from .errors import BuildError, say
from .urls import search_shard_pages
from .write import BUNDLE, FileRecord, Made, alive

_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
           "pagefind-modular-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css")
"""Pagefind's ready-made interfaces; the site has its own, so these are not published."""


@dataclass(frozen=True)
class IndexRecord:
    """What a build knows of one part of the search index it wrote: the pages it was
    built from, and its entry file as it was left."""

    fingerprint: str
    """`pages_fingerprint` of the pages it was built from."""
    size: int
    mtime_ns: int
    ino: int


def pages_fingerprint(records: Mapping[str, FileRecord], shard: str) -> str:
    """What a shard's index depends on: the path of each of its pages and what Pagefind
    reads from it (`indexed_digest`, recorded with the page)."""
    return _fingerprint((path, record.read_by_index)
                        for path, record in _pages_of(records, [shard]).get(shard, ()))


def _pages_of(records: Mapping[str, FileRecord], shards: Iterable[str]
              ) -> dict[str, list[tuple[str, FileRecord]]]:
    """Shard -> the pages (.html files) in its folders, in one pass over the records."""
    shard_of = _folders_of(shards)
    found: dict[str, list[tuple[str, FileRecord]]] = {}
    for path, record in records.items():
        shard = _page_part(path, shard_of)
        if shard is not None:
            found.setdefault(shard, []).append((path, record))
    return found


def _folders_of(shards: Iterable[str]) -> dict[str, str]:
    """Each folder of the parts' pages (`lang/notices/year/`) -> its part."""
    return {prefix: shard for shard in shards for prefix in search_shard_pages(shard)}


def _page_part(path: str, shard_of: Mapping[str, str]) -> str | None:
    """The part whose fingerprint reads this file (an .html file in its folders)."""
    if not path.endswith(".html"):
        return None
    return shard_of.get(path[:_nth(path, "/", 3) + 1])


def _fingerprint(pages: Iterable[tuple[str, str]]) -> str:
    """`pages_fingerprint` of (path, what Pagefind reads from it) pairs."""
    h = hashlib.sha256()
    for path, read in sorted(pages):
        h.update(f"{path}\0{read}\n".encode())
    return h.hexdigest()


_HTML_TAG = re.compile(rb"<html\b[^>]*>", re.I)
_READ_ANYWHERE = re.compile(rb"<[^>]*data-pagefind[^>]*>|<h1\b.*?</h1\s*>|<img\b[^>]*>|"
                            rb"<title\b.*?</title\s*>", re.I | re.S)


def indexed_digest(html: bytes) -> str:
    """A digest of every part of a page that Pagefind reads, and more to be safe: the
    `<html>` tag (its language), the whole `data-pagefind-body` element, and anywhere
    on the page every tag with a `data-pagefind-*` attribute, every `<h1>`, `<img>`
    and `<title>`. '' for a page that is not indexed. A change outside these (a footer,
    a menu) then leaves the search index as it is."""
    start = html.find(b"data-pagefind-body")
    if start < 0:
        return ""
    body = _element_at(html, html.rfind(b"<", 0, start))
    parts = [m.group() for m in _HTML_TAG.finditer(html)] + [b"\0", body or html, b"\0"]
    parts += [m.group() for m in _READ_ANYWHERE.finditer(html)]
    return hashlib.sha256(b"\n".join(parts)).hexdigest()


def _element_at(html: bytes, start: int) -> bytes | None:
    """The element whose start tag begins at `start`, with its content; None if unsure."""
    name = re.match(rb"<([a-zA-Z][a-zA-Z0-9-]*)", html[start:start + 64])
    if start < 0 or name is None:
        return None
    depth = 0
    for tag in re.finditer(rb"<(/?)" + re.escape(name.group(1)) + rb"\b[^>]*>", html[start:],
                           re.I):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[start:start + tag.end()]
    return None


_Item = TypeVar("_Item", bound=tuple)


class EarlyIndex:
    """Parts of the search index started while the rest of the site is still being
    written: a part's Pagefind run starts as soon as the last of its pages is in the
    staging folder (a language's notices are written one part after the other, newest
    first), so that indexing runs beside the rendering instead of after it.

    Only parts that the build cannot reuse (no record of an earlier index of them) start
    early; `index_site` decides the others when every file is written. `watch` passes
    the files on to the writer unchanged and counts the notice pages it has written."""

    def __init__(self, root: Path, shards: Iterable[str], pages: Iterable[str],
                 reusable: Iterable[str] = (), workers: int = 2):
        self.root, self.workers = root, max(1, workers)
        reusable = set(reusable)
        self._shard_of = {prefix: shard for shard in shards if shard not in reusable
                          for prefix in search_shard_pages(shard)}
        self._left: dict[str, int] = {}
        for path in pages:
            shard = self._shard(path)
            if shard is not None:
                self._left[shard] = self._left.get(shard, 0) + 1
        self._ready: list[str] = []
        self.started: dict[str, subprocess.Popen] = {}
        """Each part started, in the order started."""

    @property
    def parts(self) -> int:
        """How many parts it starts early (those the build cannot reuse)."""
        return len(self._left)

    def _shard(self, path: str) -> str | None:
        prefix = path[:_nth(path, "/", 3) + 1]
        if path.endswith("/index.html") and path.count("/", len(prefix)) == 2:
            return self._shard_of.get(prefix)
        return None

    def watch(self, files: Iterable[_Item]) -> Iterator[_Item]:
        for item in files:
            yield item
            # Asked for the next file: the writer has written this one.
            shard = self._shard(item[0])
            if shard is not None and shard in self._left:
                self._left[shard] -= 1
                if self._left[shard] == 0:
                    self._ready.append(shard)
            if self._ready:
                self._start_ready()

    def _start_ready(self) -> None:
        running = sum(1 for process in self.started.values() if process.poll() is None)
        while self._ready and running < self.workers:
            shard = self._ready.pop(0)
            self.started[shard] = _start(self.root, shard, self._folder(shard))
            running += 1

    def _folder(self, shard: str) -> str:
        """Where a part is made, under pagefind/."""
        return shard

    def made_from(self, shard: str) -> str | None:
        """The fingerprint of the pages a part was started on, if known."""
        return None

    def drop_guesses(self) -> None:
        """Stop the parts started on guessed pages that were not taken (before
        `index_site` makes those parts itself)."""

    def stop(self) -> None:
        """Stop every part still running (the build failed)."""
        for process in self.started.values():
            if process.poll() is None:
                process.kill()
            process.wait()


class ChangedIndex(EarlyIndex):
    """The `EarlyIndex` of a spare being brought up to date (the next build after an
    edit): a part starts as soon as the last of its pages is written, beside the spare's
    old part, if what Pagefind reads of its pages (their fingerprint, worked out from
    the files as they pass: a kept file's from its record in `known`) is neither what
    the spare's part nor the output's was made from (`have`). A part losing a page is
    left to `index_site`: the page is in the spare until every file is written."""

    def __init__(self, root: Path, shards: Iterable[str], pages: Iterable[str],
                 known: Mapping[str, FileRecord], have: Mapping[str, set[str]],
                 gone: Iterable[str], workers: int = 1,
                 guesses: Mapping[str, "Guess"] | None = None):
        super().__init__(root, (), (), workers=workers)
        self._guesses = dict(guesses or {})
        """Parts started before the plan on the pages an edit was guessed to give
        (`guess_part`): taken if their pages are those, else stopped."""
        self._shard_of = _folders_of(shards)
        self._known, self._have = known, have
        self._read: dict[str, list[tuple[str, str]]] = {}
        self._fingerprints: dict[str, str] = {}
        for path in pages:
            shard = _page_part(path, self._shard_of)
            if shard is not None:
                self._left[shard] = self._left.get(shard, 0) + 1
                self._read[shard] = []
        for path in gone:
            self._left.pop(_page_part(path, self._shard_of) or "", None)

    def watch(self, files: Iterable[_Item]) -> Iterator[_Item]:
        for item in files:
            yield item
            shard = _page_part(item[0], self._shard_of)
            if shard is None or shard not in self._left:
                continue
            read = self._read_by_index(item[0], item[1])
            if read is None:  # cannot tell: left to index_site
                del self._left[shard]
                continue
            self._read[shard].append((item[0], read))
            self._left[shard] -= 1
            if self._left[shard] == 0:
                fingerprint = _fingerprint(self._read.pop(shard))
                guess = self._guesses.pop(shard, None)
                if guess is not None and guess.fingerprint == fingerprint:
                    self.started[shard] = guess.process
                    self._fingerprints[shard] = fingerprint
                    continue
                if guess is not None:
                    guess.drop()
                if fingerprint not in self._have.get(shard, ()):
                    self._fingerprints[shard] = fingerprint
                    self._ready.append(shard)
            if self._ready:
                self._start_ready()

    def _read_by_index(self, path: str, data) -> str | None:
        """`FileRecord.read_by_index` of the file about to be recorded."""
        if isinstance(data, Made) and data.data is None:
            record = self._known.get(path)
            return record.read_by_index if record is not None and \
                record.recipe == data.recipe else None
        if isinstance(data, Made):
            return data.search or hashlib.sha256(data.data).hexdigest()
        return hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else None

    def _folder(self, shard: str) -> str:
        shutil.rmtree(self.root / BUNDLE / _building(shard, True), ignore_errors=True)
        return _building(shard, True)

    def drop_guesses(self) -> None:
        for guess in self._guesses.values():
            guess.drop()
        self._guesses = {}

    def stop(self) -> None:
        self.drop_guesses()
        super().stop()

    def made_from(self, shard: str) -> str | None:
        return self._fingerprints.get(shard)


@dataclass
class Guess:
    """A part of the index started on the pages an edit is guessed to give."""

    fingerprint: str
    """`pages_fingerprint` of those pages."""
    process: subprocess.Popen
    folder: Path
    """Where it is made."""

    def drop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def guess_part(output: Path, tree: Path, spare: Path, shard: str,
               records: Mapping[str, FileRecord], pages: Mapping[str, tuple[bytes, str]],
               made_from: str | None = None) -> Guess | None:
    """The part `shard` started now over `output`'s pages as `records` say they are,
    with `pages` (path -> bytes and what the index reads of them) in place of or beside
    them, made where a build into `spare` makes it. The pages are gathered in `tree`
    (hard links; it must not exist), for the caller to remove when the part is done.
    None if a page of the output is not as recorded, or if those pages are the ones
    the output's part was made from (`made_from`, its fingerprint)."""
    read = {path: record.read_by_index
            for path, record in _pages_of(records, [shard]).get(shard, ())}
    read.update({path: search for path, (_, search) in pages.items()})
    fingerprint = _fingerprint(read.items())
    if fingerprint == made_from:
        return None
    root, source = str(tree), str(output)
    try:
        made: set[str] = set()
        for path in read:
            folder = path.rpartition("/")[0]
            if folder not in made:
                os.makedirs(f"{root}/{folder}")
                made.update(folder[:i] for i in range(len(folder) + 1)
                            if i == len(folder) or folder[i] == "/")
            if path in pages:
                with open(f"{root}/{path}", "xb") as file:
                    file.write(pages[path][0])
            elif records[path].left_as(os.lstat(f"{source}/{path}")):
                os.link(f"{source}/{path}", f"{root}/{path}")
            else:
                return None
    except OSError:
        return None
    folder = spare / BUNDLE / _building(shard, True)
    shutil.rmtree(folder, ignore_errors=True)
    try:
        process = subprocess.Popen(
            [*_pagefind(), "--site", str(tree), "--output-path", str(folder), "--glob",
             _glob(shard), "--silent"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError:
        return None
    return Guess(fingerprint, process, folder)


def _nth(text: str, char: str, n: int) -> int:
    """The index of the n-th `char` in text, or -1."""
    at = -1
    for _ in range(n):
        at = text.find(char, at + 1)
        if at < 0:
            return -1
    return at


def index_site(root: Path, shards: list[str], records: Mapping[str, FileRecord],
               old_root: Path | None = None, previous: Mapping[str, IndexRecord] | None = None,
               workers: int = 2, in_place: bool = False,
               present: Mapping[str, IndexRecord] | None = None, trash: Path | None = None,
               early: EarlyIndex | None = None, only: bool = False) -> dict[str, IndexRecord]:
    """Write root/pagefind/<shard>/ for every shard; returns each shard's record.

    The index is split by language and year so that an edit re-indexes one year, and
    so that Pagefind (which holds a whole index in memory: ~200 KB per Korean page)
    stays small; the search page merges the shards in the browser, which shares one
    copy of Pagefind's code among them. A shard whose pages are those its old index
    was built from (same fingerprint) and whose old index is still the one recorded
    (`previous`, the records returned by the build that made it) is hard-linked from
    the old site instead of built again.

    `in_place` (the preview): `old_root` is `root`; a part whose pages did not change is
    left as it is, another is built beside it and then put in its place, and parts the
    site no longer has are removed. `present` (a build's spare): the records of the
    parts `root` already holds; those are treated so too, and a part that the old
    site has as wanted is linked from there. The parts they replace go into `trash` if
    given (for the caller to remove when the build is done).

    `early`: the parts already started while the site was written (`root` is its root);
    they are finished and checked here like the others.

    `only`: `shards` are some of the parts, not all; the others are left as they are."""
    previous = previous or {}
    if early is not None:
        early.drop_guesses()
    started = dict(early.started) if early is not None else {}
    if in_place:
        old_root, present = None, previous
    if present is not None and not only:
        _remove_other_parts(root / BUNDLE, set(shards) | {_building(shard, True)
                                                          for shard in started})
    done: dict[str, IndexRecord] = {}
    todo: list[tuple[str, str]] = []
    running: list[tuple[str, str, subprocess.Popen]] = []
    pages_of = _pages_of(records, shards)
    for shard in shards:
        fingerprint = _fingerprint((path, record.read_by_index)
                                   for path, record in pages_of.get(shard, ()))
        if shard in started:
            process = started.pop(shard)
            if early.made_from(shard) in (None, fingerprint):
                running.append((shard, fingerprint, process))
                continue
            process.kill()  # started on pages that are not these after all
            process.wait()
            shutil.rmtree(root / BUNDLE / _building(shard, True), ignore_errors=True)
        here = root / BUNDLE / shard
        if present and present.get(shard) and present[shard] == _record(fingerprint, here):
            done[shard] = present[shard]
            continue
        old = old_root / BUNDLE / shard if old_root is not None else None
        if previous.get(shard) and old is not None and previous[shard] == _record(fingerprint, old):
            building = root / BUNDLE / _building(shard, present is not None)
            try:
                shutil.copytree(old, building, copy_function=os.link)
                if present is not None:
                    _put_in_place(building, here, trash)
                done[shard] = previous[shard]
                continue
            except OSError:
                shutil.rmtree(building, ignore_errors=True)
        todo.append((shard, fingerprint))
    try:
        while todo or running:
            while todo and len(running) < max(1, workers):
                shard, fingerprint = todo.pop(0)
                if present is not None:  # what a stopped run of ours left there
                    shutil.rmtree(root / BUNDLE / _building(shard, True), ignore_errors=True)
                running.append((shard, fingerprint,
                                _start(root, shard, _building(shard, present is not None))))
            shard, fingerprint, process = running.pop(0)
            pages = _indexed(pages_of.get(shard, ()))
            _finish(process, timeout=_timeout(pages))
            bundle = root / BUNDLE / _building(shard, present is not None)
            for name in _UNUSED:
                (bundle / name).unlink(missing_ok=True)
            counted = _sort_entry(bundle / "pagefind-entry.json")
            missing = _missing(bundle, records, shard) if counted != pages else []
            if missing:
                raise BuildError(say(
                    "the search index of {shard} is missing {missing} ({counted} pages "
                    "indexed, not the {pages} written): Pagefind could not read them. Nothing "
                    "was published. Build again; if it happens again, look at those pages.",
                    shard=shard, missing=", ".join(missing[:5]) + (" …" if len(missing) > 5
                                                                    else ""),
                    counted=counted, pages=pages))
            if counted != pages:
                raise BuildError(say(
                    "the search index of {shard} has {counted} pages, not the {pages} "
                    "written; nothing was published. Build again.",
                    shard=shard, counted=counted, pages=pages))
            if present is not None:
                bundle = _put_in_place(bundle, root / BUNDLE / shard, trash)
            done[shard] = _record(fingerprint, bundle)
    finally:
        for shard, _, process in running:
            process.kill()
            process.wait()
            if present is not None:
                shutil.rmtree(root / BUNDLE / _building(shard, True), ignore_errors=True)
    return done


def _missing(bundle: Path, records: Mapping[str, FileRecord], shard: str) -> list[str]:
    """The pages written for a part that its index does not hold (read from the index's
    fragments: one a page, each naming its page's address)."""
    found = set()
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        try:
            data = gzip.decompress(fragment.read_bytes())
            url = json.loads(data[data.index(b"{"):])["url"]
        except (OSError, ValueError, KeyError, TypeError, EOFError):
            return []  # cannot tell which
        found.add(url.lstrip("/") + ("index.html" if url.endswith("/") else ""))
    prefixes = tuple(search_shard_pages(shard))
    return sorted(path for path, record in records.items()
                  if path.startswith(prefixes) and path.endswith("/index.html") and
                  path.count("/", len(prefixes[0])) == 2 and record.indexed and
                  path not in found)


def _building(shard: str, beside: bool) -> str:
    """The folder a part is built in, under pagefind/: beside the one it replaces."""
    return f".{shard}.new-{os.getpid()}" if beside else shard


def _put_in_place(built: Path, bundle: Path, trash: Path | None = None) -> Path:
    """A part built beside the one it replaces, put in its place. The old one is
    removed, or moved into `trash` (a folder outside the site, removed after the build:
    a part's thousands of files take seconds to unlink)."""
    old = bundle.with_name(f".{bundle.name}.old-{os.getpid()}")
    if bundle.exists():
        if trash is not None:
            trash.mkdir(exist_ok=True)
            bundle.rename(trash / f"{bundle.name}-{len(os.listdir(trash))}")
        else:
            bundle.rename(old)
    built.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)
    return bundle


def _remove_other_parts(folder: Path, shards: set[str]) -> None:
    """Parts of the index the site no longer has, and leftovers of stopped builds (not
    a part that another running process is making beside its old one: the preview
    makes an edited notice's part while its refresh runs in a process of its own)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        making = _MAKING.fullmatch(name)
        if making and int(making.group(1)) != os.getpid() and alive(int(making.group(1))):
            continue
        if name not in shards and (folder / name).is_dir():
            shutil.rmtree(folder / name, ignore_errors=True)


_MAKING = re.compile(r"\..+\.new-([0-9]+)")


def _indexed(pages: Iterable[tuple[str, FileRecord]]) -> int:
    """How many of a shard's pages (`_pages_of`) are in its index: the notice pages
    (`<lang>/notices/<year>/<month>/<slug>/index.html`) with a search digest."""
    return sum(1 for path, record in pages if path.endswith("/index.html") and
               path.count("/") == 5 and record.indexed)


def _timeout(pages: int) -> float:
    """Seconds Pagefind may take for a shard: far more than it needs (a few ms a page
    on a slow machine), so that only a hang reaches it, however large the site."""
    return 120 + 0.1 * pages


def _pagefind() -> tuple[str, ...]:
    """Pagefind's binary, found as `python -m pagefind` finds it (PAGEFIND_BINARY_PATH,
    else the one the pagefind[bin] package installs) but run directly: a Python started
    for each part only to start the binary costs more than a small part's index."""
    path = os.environ.get("PAGEFIND_BINARY_PATH")
    if not path:
        try:
            from pagefind_bin import get_executable
            path = str(get_executable())
        except (ImportError, OSError):
            return (sys.executable, "-m", "pagefind")
    return (path,)


def _glob(shard: str) -> str:
    """Pagefind's --glob for a part's pages."""
    folders = search_shard_pages(shard)
    pattern = folders[0] if len(folders) == 1 else "{" + ",".join(folders) + "}"
    return f"{pattern}*/*/index.html"


def _start(root: Path, shard: str, subdir: str) -> subprocess.Popen:
    command = [*_pagefind(), "--site", str(root), "--output-subdir",
               f"{BUNDLE}/{subdir}", "--glob", _glob(shard), "--silent"]
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    except OSError as exc:
        raise BuildError(say("the search index could not be built: {reason}",
                             reason=str(exc))) from exc


def _finish(process: subprocess.Popen, timeout: float) -> None:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.wait()
        raise BuildError(say("the search index could not be built: {reason}",
                             reason=str(exc))) from exc
    if process.returncode != 0:
        raise BuildError(say("the search index could not be built: {reason}",
                             reason=(err or out).strip()[-500:]))


def _record(fingerprint: str, bundle: Path) -> IndexRecord | None:
    """The pages an index was built from, and which index file it was (size, time)."""
    try:
        info = (bundle / "pagefind-entry.json").stat()
    except OSError:
        return None
    return IndexRecord(fingerprint, info.st_size, info.st_mtime_ns, info.st_ino)


def _sort_entry(path: Path) -> int:
    """Pagefind lists languages in hash order; sorted, the same site gives the same bytes.
    Returns the number of pages the index holds."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        pages = sum(int(language.get("page_count", 0))
                    for language in entry.get("languages", {}).values())
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise BuildError(say("the search index could not be built: {reason}",
                             reason=f"{path.name}: {exc}")) from exc
    path.write_text(json.dumps(entry, sort_keys=True, ensure_ascii=False,
                               separators=(",", ":")), encoding="utf-8")
    return pages
