"""A persistent cache of work whose inputs did not change.

Stage: write (the cache is read at the start of a build and written at its end, like
the content and the output; it keeps the writer's records). May import: stdlib, errors,
write, search.

Several kinds of entries, each keyed by a SHA-256 of everything its value depends on:
- fronts: a front matter's YAML text -> its parsed value with line marks (as JSON),
  so an unchanged file's front matter is not parsed again;
- bodies: a Markdown text (with the generator version and base path) -> its
  sanitized HTML and plain summary, so an unchanged notice is never parsed again;
- checked: a notice's files (name, size, time, inode) -> what checking them gave
  (validate's `NoticeCheck`, pickled), for one context (the generator, the content
  folder, site.yaml), so that an unchanged notice is not read again (`pipeline._Reuse`);
- words (keyed by the analyzer's version and dictionary instead): the morpheme
  boundaries of each Korean word of the site (`words.py`), so that no word is split twice;
- files and index parts: the writer's records of the last build of an output (what
  each file holds and was made from, and the file as it was left; the search index's
  parts likewise), so a file that would come out the same is hard-linked from the
  old site instead of written again, and an unchanged site is not indexed again.
Every row also stores a checksum of itself, keyed with a secret kept beside the
database (`key`, readable by its owner only): a row that was edited or damaged does
not match and is recomputed, never trusted, even if whoever edited it recomputed a
plain hash (a `checked` value is unpickled only after its checksum matched). A damaged cache, or one of another generator version, is thrown away and
rebuilt; a file that is not a cache of ours is refused, never replaced. The output
with the cache is therefore the output without it, byte for byte. (Whoever can
write the cache folder, key included, can change what is published: a shared
`.cache` is trusted input, like the templates.)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from pathlib import Path
from typing import Iterable, Mapping

from . import __version__
from .errors import UsageError, say
from .search import IndexRecord
from .write import FileRecord

SCHEMA = 5
DATABASE = "build.sqlite"
TAG = "CACHEDIR.TAG"
"""Marks a folder as a cache of ours (the Cache Directory Tagging standard's file, which
backup tools also honour)."""
_TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
             "# A cache made by build.py (site_builder); it may be deleted at any time.\n")
KEY = "key"
"""The secret the rows' checksums are keyed with, beside the database."""


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def open_cache(folder: Path | None) -> "Cache":
    """The cache kept in `folder` (None: no cache)."""
    return Cache(None if folder is None else folder / DATABASE)


def _ours(path: Path) -> bool:
    """Whether an existing database file is a cache of ours: empty, in a folder we
    tagged, or (a cache from before the tag) a database with our stamp."""
    try:
        if path.stat().st_size == 0 or (path.parent / TAG).read_text("utf-8") == _TAG_TEXT:
            return True
    except OSError:
        pass
    try:
        db = sqlite3.connect(path)
        try:
            row = db.execute("SELECT value FROM meta WHERE key='stamp'").fetchone()
        finally:
            db.close()
        return row is not None and str(row[0]).split(":")[0].isdigit()
    except (sqlite3.Error, ValueError, OSError):
        return False


def _key(folder: Path) -> bytes:
    """The folder's secret, made on first use (readable by its owner only)."""
    path = folder / KEY
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
        path.unlink()
    except FileNotFoundError:
        pass
    fresh = folder / f".{KEY}.{os.getpid()}"
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, secrets.token_bytes(32))
    finally:
        os.close(fd)
    try:
        os.link(fresh, path)  # whole or not at all, and the first of two racing builds wins
    except FileExistsError:
        pass
    finally:
        fresh.unlink(missing_ok=True)
    return _key(folder)


class Cache:
    """The cache in one SQLite file; `Cache(None)` remembers nothing."""

    def __init__(self, path: Path | None):
        self.path = path
        """The database file, or None for no cache."""
        self.db: sqlite3.Connection | None = None
        self.secret = b""
        self._stored: dict[str, dict[str, FileRecord]] = {}
        """Per site, the file records as `files` last read them from the database."""
        if path is not None:
            self.db = self._open(path)

    def _open(self, path: Path) -> sqlite3.Connection | None:
        if path.exists() and not _ours(path):
            raise UsageError(say(
                "{path} is not a cache made by build.py, so it will not be replaced. Choose "
                "another --cache folder, or move the file away.", path=path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tag = path.parent / TAG
            if not tag.exists():
                tag.write_text(_TAG_TEXT, encoding="utf-8")
            self.secret = _key(path.parent)
            db = self._connect(path)
            if db is None:  # damaged, or another version: start again
                path.unlink(missing_ok=True)
                db = self._connect(path)
            return db
        except (OSError, sqlite3.Error):
            return None  # a cache we cannot use is no cache

    def _sum(self, *parts: str) -> str:
        """A row's checksum: its parts, keyed with the folder's secret."""
        return self._sum_blob(*parts, blob=b"")

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection | None:
        try:
            # serve builds first in its main thread, then in its watcher thread (never both
            # at once), so the connection may move between threads.
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            stamp = f"{SCHEMA}:{__version__}"
            row = db.execute("SELECT value FROM meta WHERE key='stamp'").fetchone()
            if row is None:
                if db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                              "AND name != 'meta'").fetchone()[0]:
                    return None
                db.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))
            elif row[0] != stamp:
                db.close()
                return None
            db.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT, "
                       "summary TEXT, checksum TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS fronts (key TEXT PRIMARY KEY, value TEXT, "
                       "checksum TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS files (site TEXT, path TEXT, recipe TEXT, "
                       "data TEXT, search TEXT, size INTEGER, mtime_ns INTEGER, ino INTEGER, "
                       "PRIMARY KEY (site, path))")
            db.execute("CREATE TABLE IF NOT EXISTS sums (site TEXT PRIMARY KEY, checksum TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS parts (site TEXT, shard TEXT, "
                       "fingerprint TEXT, size INTEGER, mtime_ns INTEGER, ino INTEGER, "
                       "checksum TEXT, PRIMARY KEY (site, shard))")
            db.execute("CREATE TABLE IF NOT EXISTS builds (site TEXT PRIMARY KEY, record TEXT, "
                       "checksum TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS words (version TEXT PRIMARY KEY, cuts TEXT, "
                       "checksum TEXT)")
            db.execute("PRAGMA quick_check").fetchone()
            return db
        except sqlite3.Error:
            return None

    # -- bodies -------------------------------------------------------------------
    def bodies(self, keys: Iterable[str]) -> dict[str, tuple[str, str]]:
        """The cached (html, summary) for each key that has a sound entry."""
        found: dict[str, tuple[str, str]] = {}
        if self.db is None:
            return found
        wanted = set(keys)
        try:
            for key, html, summary, checksum in self.db.execute(
                    "SELECT key, html, summary, checksum FROM bodies"):
                if key in wanted and checksum == self._sum(key, html, summary):
                    found[key] = (html, summary)
        except sqlite3.Error:
            return {}
        return found

    def store_bodies(self, entries: dict[str, tuple[str, str]], keep: set[str]) -> None:
        """Add new entries and forget those no longer used (keys not in `keep`)."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("BEGIN")
                self.db.executemany(
                    "INSERT OR REPLACE INTO bodies VALUES (?, ?, ?, ?)",
                    [(k, h, s, self._sum(k, h, s)) for k, (h, s) in entries.items()])
                stale = [(k,) for (k,) in self.db.execute("SELECT key FROM bodies")
                         if k not in keep]
                self.db.executemany("DELETE FROM bodies WHERE key = ?", stale)
        except sqlite3.Error:
            pass

    # -- fronts -------------------------------------------------------------------
    def fronts(self) -> dict[str, str]:
        """Every sound parsed front matter: key -> JSON."""
        if self.db is None:
            return {}
        try:
            return {key: value for key, value, checksum in self.db.execute(
                        "SELECT key, value, checksum FROM fronts")
                    if checksum == self._sum(key, value)}
        except sqlite3.Error:
            return {}

    def store_fronts(self, entries: dict[str, str], known: dict[str, str]) -> None:
        """Keep exactly `entries`, given that the cache held `known`."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("BEGIN")
                self.db.executemany("INSERT OR REPLACE INTO fronts VALUES (?, ?, ?)",
                                    [(k, v, self._sum(k, v)) for k, v in entries.items()
                                     if known.get(k) != v])
                self.db.executemany("DELETE FROM fronts WHERE key = ?",
                                    [(k,) for (k,) in self.db.execute("SELECT key FROM fronts")
                                     if k not in entries])
        except sqlite3.Error:
            pass

    def front(self, key: str) -> str | None:
        """One sound parsed front matter (JSON), or None."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT value, checksum FROM fronts WHERE key = ?",
                                  (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row is not None and row[1] == self._sum(key, row[0]) else None

    def keep_fronts(self, entries: dict[str, str], keep: set[str]) -> None:
        """Add `entries` and forget every front matter not in them nor in `keep` (the
        keys of the files a build did not read, being unchanged)."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("BEGIN")
                self.db.executemany("INSERT OR REPLACE INTO fronts VALUES (?, ?, ?)",
                                    [(k, v, self._sum(k, v)) for k, v in entries.items()])
                self.db.executemany("DELETE FROM fronts WHERE key = ?",
                                    [(k,) for (k,) in self.db.execute("SELECT key FROM fronts")
                                     if k not in entries and k not in keep])
        except sqlite3.Error:
            pass

    # -- checked notices --------------------------------------------------------------
    # A notice's files as the last build found them (path, size, time, inode) and what
    # checking them gave (pickled), for one context (the generator, the settings and
    # departments they were checked against): unchanged files are not read again.
    def _checked_table(self) -> None:
        assert self.db is not None
        self.db.execute("CREATE TABLE IF NOT EXISTS checked (grp TEXT PRIMARY KEY, "
                        "context TEXT, files TEXT, value BLOB, checksum TEXT)")

    def _sum_blob(self, *parts: str, blob: bytes) -> str:
        """A row's checksum: its text parts and its value, keyed with the secret."""
        data = [len(p).to_bytes(8, "big") + p for p in (
            part.encode("utf-8", "surrogatepass") for part in parts)]
        return hmac.digest(self.secret, b"".join(data) + blob, "sha256").hex()

    def checked(self, context: str) -> dict[str, tuple[str, "Checked"]]:
        """Group -> (its files as recorded, its entry) of every entry of `context`. The
        value is read (and its checksum checked) only when asked, by `Checked.value`."""
        if self.db is None:
            return {}
        try:
            self._checked_table()
            return {group: (files, Checked(self, group, context, files, value, checksum))
                    for group, files, value, checksum in self.db.execute(
                        "SELECT grp, files, value, checksum FROM checked WHERE context = ?",
                        (context,))}
        except sqlite3.Error:
            return {}

    def store_checked(self, context: str, entries: dict[str, tuple[str, bytes]],
                      keep: set[str], scope: str = "") -> None:
        """Add `entries` (group -> (files, value)) and forget, among the groups whose
        key starts with `scope` (one content folder's), those of other contexts and
        those neither in `entries` nor in `keep`."""
        if self.db is None:
            return
        try:
            self._checked_table()
            with self.db:
                self.db.execute("BEGIN")
                self.db.executemany(
                    "INSERT OR REPLACE INTO checked VALUES (?, ?, ?, ?, ?)",
                    [(group, context, files, value,
                      self._sum_blob(group, context, files, blob=value))
                     for group, (files, value) in entries.items()])
                self.db.executemany("DELETE FROM checked WHERE grp = ?", [
                    (group,) for group, other in self.db.execute(
                        "SELECT grp, context FROM checked")
                    if group.startswith(scope) and (
                        other != context or group not in entries and group not in keep)])
        except sqlite3.Error:
            pass

    # -- words ------------------------------------------------------------------------
    def word_cuts(self, version: str) -> dict[str, tuple[int, ...]]:
        """The boundaries of every word the analyzer `version` (with its dictionary)
        split for the last builds: word -> offsets (see `words.suffixes`)."""
        if self.db is None:
            return {}
        try:
            row = self.db.execute("SELECT cuts, checksum FROM words WHERE version = ?",
                                  (version,)).fetchone()
            if row is None or row[1] != self._sum(version, row[0]):
                return {}
            return {word: tuple(cuts) for word, cuts in json.loads(row[0]).items()}
        except (sqlite3.Error, ValueError, TypeError, AttributeError):
            return {}

    def knows_words(self, analyzer: str) -> bool:
        """Whether words split by this analyzer (its versions, any dictionary) are kept."""
        if self.db is None:
            return False
        try:
            return self.db.execute("SELECT 1 FROM words WHERE substr(version, 1, ?) = ? "
                                   "LIMIT 1", (len(analyzer), analyzer)).fetchone() is not None
        except sqlite3.Error:
            return False

    def store_word_cuts(self, version: str, cuts: dict[str, tuple[int, ...]]) -> None:
        """Keep exactly `cuts` for `version` (one row, read whole in one go), and the
        rows of the few versions stored last (sites that share a cache)."""
        if self.db is None:
            return
        text = json.dumps({w: list(cuts[w]) for w in sorted(cuts)}, ensure_ascii=False,
                          separators=(",", ":"))
        try:
            with self.db:
                self.db.execute("BEGIN")
                self.db.execute("DELETE FROM words WHERE version = ?", (version,))
                self.db.execute("INSERT INTO words VALUES (?, ?, ?)",
                                (version, text, self._sum(version, text)))
                self.db.execute("DELETE FROM words WHERE rowid NOT IN (SELECT rowid FROM "
                                "words ORDER BY rowid DESC LIMIT 4)")
        except sqlite3.Error:
            pass

    # -- the last build's records ------------------------------------------------------
    def files(self, site: str) -> dict[str, FileRecord]:
        """Path -> the writer's record of it in the last build of the output `site`
        (none if any row was changed since it was stored)."""
        if self.db is None:
            return {}
        try:
            stored = self.db.execute("SELECT checksum FROM sums WHERE site = ?",
                                     (site,)).fetchone()
            rows = self.db.execute("SELECT path, recipe, data, search, size, mtime_ns, ino "
                                   "FROM files WHERE site = ? ORDER BY path", (site,)).fetchall()
            if stored is None or not hmac.compare_digest(stored[0], self._rows_sum(site, rows)):
                return {}
            records = {row[0]: FileRecord(*row[1:]) for row in rows}
        except (sqlite3.Error, TypeError):
            return {}
        self._stored[site] = records
        return dict(records)

    def _rows_sum(self, site: str, rows: list) -> str:
        """One checksum for all the rows of a site's records (one per row would cost
        more than reading them), keyed like a row's."""
        return self._sum(site, json.dumps(rows, ensure_ascii=False))

    def _store_files(self, site: str, files: Mapping[str, FileRecord]) -> None:
        """Within a transaction: the rows of `site` made those of `files`, writing only
        the rows that differ from what `files(site)` read (all when it read none)."""
        assert self.db is not None
        before = self._stored.pop(site, None)
        if before is None:
            self.db.execute("DELETE FROM files WHERE site = ?", (site,))
            before = {}
        else:
            self.db.executemany("DELETE FROM files WHERE site = ? AND path = ?",
                                [(site, path) for path in before.keys() - files.keys()])
        self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [(site, path, r.recipe, r.data, r.search, r.size, r.mtime_ns, r.ino)
                             for path, r in files.items() if before.get(path) != r])
        rows = [(path, r.recipe, r.data, r.search, r.size, r.mtime_ns, r.ino)
                for path, r in sorted(files.items())]
        self.db.execute("INSERT OR REPLACE INTO sums VALUES (?, ?)",
                        (site, self._rows_sum(site, rows)))

    def parts(self, site: str) -> dict[str, IndexRecord]:
        """Shard -> the record of its search index in the last build of `site`."""
        if self.db is None:
            return {}
        try:
            return {row[0]: IndexRecord(*row[1:-1]) for row in self.db.execute(
                        "SELECT shard, fingerprint, size, mtime_ns, ino, checksum "
                        "FROM parts WHERE site = ?", (site,))
                    if row[-1] == self._sum(site, *map(str, row[:-1]))}
        except (sqlite3.Error, TypeError):
            return {}

    # -- what the last build of a site leaves for the next one's early search index ----
    def sketch(self, site: str) -> bytes | None:
        """The sketch the last build of `site` stored (pickled), if sound."""
        if self.db is None:
            return None
        try:
            self.db.execute("CREATE TABLE IF NOT EXISTS sketches (site TEXT PRIMARY KEY, "
                            "value BLOB, checksum TEXT)")
            row = self.db.execute("SELECT value, checksum FROM sketches WHERE site = ?",
                                  (site,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or not isinstance(row[0], bytes) or not hmac.compare_digest(
                row[1] or "", self._sum_blob(site, blob=row[0])):
            return None
        return row[0]

    def store_sketch(self, site: str, value: bytes | None) -> None:
        """Replace (or with None, forget) the sketch of `site`."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("BEGIN")
                self.db.execute("CREATE TABLE IF NOT EXISTS sketches (site TEXT PRIMARY KEY, "
                                "value BLOB, checksum TEXT)")
                self.db.execute("DELETE FROM sketches WHERE site = ?", (site,))
                if value is not None:
                    self.db.execute("INSERT INTO sketches VALUES (?, ?, ?)",
                                    (site, value, self._sum_blob(site, blob=value)))
        except sqlite3.Error:
            pass

    # -- builds -------------------------------------------------------------------
    def last_build(self, site: str) -> dict | None:
        """What the last build of the output `site` recorded about itself."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT record, checksum FROM builds WHERE site = ?",
                                  (site,)).fetchone()
            if row is None or row[1] != self._sum(site, row[0]):
                return None
            return json.loads(row[0])
        except (sqlite3.Error, ValueError):
            return None

    def forget_build(self, site: str) -> None:
        """Drop the record of the last build of `site` before its output is replaced, so
        that a build killed between the swap and `store_build` is not taken for done."""
        if self.db is None:
            return
        try:
            self.db.execute("DELETE FROM builds WHERE site = ?", (site,))
        except sqlite3.Error:
            pass

    def store_build(self, site: str, files: Mapping[str, FileRecord],
                    parts: Mapping[str, IndexRecord], record: dict) -> None:
        """The records of the build of `site` just written and what it recorded about
        itself, replacing the previous build's, in one transaction: they are only ever
        trusted together."""
        if self.db is None:
            return
        text = json.dumps(record, sort_keys=True)
        try:
            with self.db:
                self.db.execute("BEGIN")
                self._replace_records(site, files, parts)
                self.db.execute("INSERT OR REPLACE INTO builds VALUES (?, ?, ?)",
                                (site, text, self._sum(site, text)))
        except sqlite3.Error:
            self._stored.pop(site, None)

    def store_records(self, site: str, files: Mapping[str, FileRecord],
                      parts: Mapping[str, IndexRecord]) -> None:
        """The records of what a folder holds that is not a build's output (the spare
        beside it), replacing earlier ones."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("BEGIN")
                self._replace_records(site, files, parts)
        except sqlite3.Error:
            self._stored.pop(site, None)

    def forget_records(self, site: str) -> None:
        """No records of `site` until the next `store_records`: before what they describe
        is changed. (The rows stay, to be rewritten only where they differ.)"""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("BEGIN")
                self.db.execute("DELETE FROM sums WHERE site = ?", (site,))
                self.db.execute("DELETE FROM parts WHERE site = ?", (site,))
        except sqlite3.Error:
            self._stored.pop(site, None)

    def _replace_records(self, site: str, files: Mapping[str, FileRecord],
                         parts: Mapping[str, IndexRecord]) -> None:
        assert self.db is not None
        self._store_files(site, files)
        self.db.execute("DELETE FROM parts WHERE site = ?", (site,))
        self.db.executemany("INSERT INTO parts VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(site, shard, r.fingerprint, r.size, r.mtime_ns, r.ino,
                              self._sum(site, shard, r.fingerprint, str(r.size),
                                        str(r.mtime_ns), str(r.ino)))
                             for shard, r in parts.items()])

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


class Checked:
    """One entry of the `checked` table, its value read when asked."""

    __slots__ = ("_cache", "_parts", "_value", "_checksum")

    def __init__(self, cache: Cache, group: str, context: str, files: str, value: bytes,
                 checksum: str):
        self._cache, self._parts = cache, (group, context, files)
        self._value, self._checksum = value, checksum

    def value(self) -> bytes | None:
        """The stored value, or None if its row was edited or damaged."""
        value = self._value
        if not isinstance(value, bytes) or not hmac.compare_digest(
                self._checksum or "", self._cache._sum_blob(*self._parts, blob=value)):
            return None
        return value
