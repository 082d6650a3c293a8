"""A persistent cache of work whose inputs did not change.

Stage: shared by pipeline and serve (the cache is read at the start of a build and
written at its end, like the content and the output). May import: stdlib.

Three kinds of entries, each keyed by a SHA-256 of everything its value depends on:
- fronts: a front matter's YAML text -> its parsed value with line marks (as JSON),
  so an unchanged file's front matter is not parsed again;
- bodies: a Markdown text (with the generator version and base path) -> its
  sanitized HTML and plain summary, so an unchanged notice is never parsed again;
- pages: an output path -> a stamp of the bytes written there (and of the file as
  it was left), so a file that would come out the same is hard-linked from the old
  site instead of written again, and an unchanged site is not indexed again.
Every row also stores a checksum of itself: a row that was edited or damaged does
not match and is recomputed, never trusted. A file that is not our database, or a
database of another generator version, is thrown away and rebuilt. The output
with the cache is therefore the output without it, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Iterable

from . import __version__

SCHEMA = 2


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class Cache:
    """The cache in one SQLite file; `Cache(None)` remembers nothing."""

    def __init__(self, path: Path | None):
        self.db: sqlite3.Connection | None = None
        if path is not None:
            self.db = self._open(path)

    def _open(self, path: Path) -> sqlite3.Connection | None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = self._connect(path)
            if db is None:  # not ours, damaged, or another version: start again
                path.unlink(missing_ok=True)
                db = self._connect(path)
            return db
        except (OSError, sqlite3.Error):
            return None  # a cache we cannot use is no cache

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
            db.execute("CREATE TABLE IF NOT EXISTS pages (site TEXT, path TEXT, stamp TEXT, "
                       "checksum TEXT, PRIMARY KEY (site, path))")
            db.execute("CREATE TABLE IF NOT EXISTS builds (site TEXT PRIMARY KEY, record TEXT, "
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
                if key in wanted and checksum == digest(key, html, summary):
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
                    [(k, h, s, digest(k, h, s)) for k, (h, s) in entries.items()])
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
                    if checksum == digest(key, value)}
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
                                    [(k, v, digest(k, v)) for k, v in entries.items()
                                     if known.get(k) != v])
                self.db.executemany("DELETE FROM fronts WHERE key = ?",
                                    [(k,) for (k,) in self.db.execute("SELECT key FROM fronts")
                                     if k not in entries])
        except sqlite3.Error:
            pass

    # -- pages --------------------------------------------------------------------
    def pages(self, site: str) -> dict[str, str]:
        """Path -> the stamp `write_site` recorded in the last build of the output `site`."""
        if self.db is None:
            return {}
        try:
            return {path: stamp for path, stamp, checksum in self.db.execute(
                        "SELECT path, stamp, checksum FROM pages WHERE site = ?", (site,))
                    if checksum == digest(site, path, stamp)}
        except sqlite3.Error:
            return {}

    # -- builds -------------------------------------------------------------------
    def last_build(self, site: str) -> dict | None:
        """What the last build of the output `site` recorded about itself."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT record, checksum FROM builds WHERE site = ?",
                                  (site,)).fetchone()
            if row is None or row[1] != digest(site, row[0]):
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

    def store_build(self, site: str, pages: dict[str, str], record: dict) -> None:
        """The files of the build of `site` just written and what it recorded about
        itself, replacing the previous build's, in one transaction: the two are only
        ever trusted together."""
        if self.db is None:
            return
        text = json.dumps(record, sort_keys=True)
        try:
            with self.db:
                self.db.execute("BEGIN")
                self.db.execute("DELETE FROM pages WHERE site = ?", (site,))
                self.db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?)",
                                    [(site, p, s, digest(site, p, s))
                                     for p, s in pages.items()])
                self.db.execute("INSERT OR REPLACE INTO builds VALUES (?, ?, ?)",
                                (site, text, digest(site, text)))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
