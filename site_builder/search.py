"""The search index, built with Pagefind over the finished site.

Stage: write (runs on the staging directory just before it is swapped in, so the
index always matches the pages beside it). May import: stdlib, errors.

Only notice pages carry `data-pagefind-body`, so only published notices are
indexed: embargoed notices and drafts are not in the site, hence not in the index.
Pagefind keeps one index per `<html lang>`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .errors import BuildError, say

BUNDLE = "pagefind"
"""The folder of the index and its JavaScript, under the site root."""
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
           "pagefind-modular-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css")
"""Pagefind's ready-made interfaces; the site has its own, so these are not published."""


def index_site(root: Path) -> None:
    """Write root/pagefind/ for the HTML pages under root."""
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


def _sort_entry(path: Path) -> None:
    """Pagefind lists languages in hash order; sorted, the same site gives the same bytes."""
    entry = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(entry, sort_keys=True, ensure_ascii=False,
                               separators=(",", ":")), encoding="utf-8")
