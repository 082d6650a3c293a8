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
from urllib.parse import quote

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
SEARCH = ("ko-search-compound", "/ko/search/?q=" + quote("사회복지관"), (900, 640))
"""A search for 사회복지관 that finds it inside 홍은종합사회복지관 (the README's search)."""


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
            name, path, (width, height) = SEARCH
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(base + path)
            page.wait_for_selector("#search-results .entry")
            page.locator("#search").scroll_into_view_if_needed()
            target = SHOTS / f"{name}.png"
            page.screenshot(path=str(target), full_page=False)
            print(target.relative_to(ROOT))
            page.close()
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
