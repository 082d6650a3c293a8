"""The search index, built with Pagefind over the finished site.

Stage: write (runs on the staging directory just before it is swapped in, so the
index always matches the pages beside it). May import: stdlib, errors.

Only notice pages carry `data-pagefind-body`, so only published notices are
indexed: embargoed notices and drafts are not in the site, hence not in the index.
Pagefind keeps one index per `<html lang>`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import BuildError, say

BUNDLE = "pagefind"
"""The folder of the index and its JavaScript, under the site root."""
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
           "pagefind-modular-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css")
"""Pagefind's ready-made interfaces; the site has its own, so these are not published."""


def pages_fingerprint(stamps: dict[str, str]) -> str:
    """What the index depends on: every HTML page's path and bytes."""
    h = hashlib.sha256()
    for path in sorted(p for p in stamps if p.endswith(".html")):
        h.update(f"{path}\0{stamps[path].split('|')[0]}\n".encode())
    return h.hexdigest()


def index_site(root: Path, old_root: Path | None = None, fingerprint: str = "",
               previous: str | None = None) -> str:
    """Write root/pagefind/ for the HTML pages under root; returns the index's stamp.

    When the pages are those the old site's index was built from (same `fingerprint`)
    and that index is still the one recorded then (`previous`, the stamp returned by
    the build that made it), it is hard-linked instead of built again."""
    old = old_root / BUNDLE if old_root is not None else None
    if previous and old is not None and previous == _stamp(fingerprint, old):
        try:
            shutil.copytree(old, root / BUNDLE, copy_function=os.link)
            return previous
        except OSError:
            shutil.rmtree(root / BUNDLE, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(root), "--output-subdir",
               BUNDLE, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(say("the search index could not be built: {reason}",
                             reason=str(exc))) from exc
    if result.returncode != 0:
        raise BuildError(say("the search index could not be built: {reason}",
                             reason=(result.stderr or result.stdout).strip()[-500:]))
    bundle = root / BUNDLE
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)
    _sort_entry(bundle / "pagefind-entry.json")
    return _stamp(fingerprint, bundle)


def _stamp(fingerprint: str, bundle: Path) -> str:
    """The pages an index was built from, and which index file it was (size, time)."""
    try:
        info = (bundle / "pagefind-entry.json").stat()
    except OSError:
        return ""
    return f"{fingerprint}|{info.st_size}|{info.st_mtime_ns}|{info.st_ino}"


def _sort_entry(path: Path) -> None:
    """Pagefind lists languages in hash order; sorted, the same site gives the same bytes."""
    entry = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(entry, sort_keys=True, ensure_ascii=False,
                               separators=(",", ":")), encoding="utf-8")
