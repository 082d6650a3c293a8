"""Helpers of the browser and validator tests: build a site, serve it, find the tools.

A site is built once per test module with `python build.py` at the tests' frozen NOW and
served from a ThreadingHTTPServer on 127.0.0.1. The tools come from the machine
(Debian's Chromium, Java) and from node_modules/ (axe-core, vnu-jar), which
`bash scripts/setup.sh --dev` installs. Without them a test is skipped on a developer's
machine but fails under CI (CI=true), so a missing install step cannot pass unnoticed.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from conftest import NOW, ROOT, run_build

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(present: bool, what: str) -> None:
    """Skip without a tool, except under CI, where its absence is a failure."""
    if present:
        return
    message = f"{what} is missing: bash scripts/setup.sh --dev installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def build_site(out: Path, content: Path, *args: str) -> Path:
    result = run_build("--content", str(content), "--output", str(out), "--now",
                       NOW.isoformat(), *args)
    assert result.returncode == 0, result.stderr
    return out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """The directory on http://127.0.0.1:PORT (the base URL, without a trailing slash)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator:
    """One headless Chromium (Debian's), closed afterwards."""
    require(CHROMIUM.exists(), "Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def java() -> str | None:
    return shutil.which("java")
