"""Screenshots of the sample site for the README: python scripts/screenshots.py

Builds content/ into a temporary directory, serves it on 127.0.0.1 and photographs
the Korean and English pages on a phone (375 px) and a desktop (1280 px) with
Debian's Chromium, into docs/screenshots/.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PAGES = {
    "ko-home": "/ko/",
    "en-home": "/en/",
    "ko-notice": "/ko/notices/2016/05/hongeun-support-team/",
    "en-notice": "/en/notices/2016/05/hongeun-support-team/",
}
SIZES = {"phone": (375, 812), "desktop": (1280, 900)}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--output", str(out),
                        "--now", "2026-11-23T12:00:00+09:00"], cwd=ROOT, check=True)
        handler = functools.partial(_QuietHandler, directory=str(out))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for size_name, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                for name, path in PAGES.items():
                    page.goto(base + path)
                    target = SHOTS / f"{name}-{size_name}.png"
                    page.screenshot(path=str(target), full_page=False)
                    print(target.relative_to(ROOT))
                page.close()
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
