"""The built sample site in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import run_build

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
PAGES = ["/index.html", "/ko/", "/en/", "/ko/notices/", "/en/notices/",
         "/ko/notices/2016/05/hongeun-support-team/",
         "/en/notices/2021/01/daejeon-social-service-briefing/",
         "/ko/notices/2016/07/eunpyeong-visiting-centers/",
         "/ko/departments/", "/en/departments/welfare-policy/",
         "/ko/programs/", "/en/programs/visiting-community-center/", "/404.html"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "site"
    result = run_build("--output", str(out), "--now", "2026-11-23T12:00:00+09:00")
    assert result.returncode == 0, result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (bash scripts/setup.sh --dev installs it)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("width", [320, 375])
def test_no_horizontal_scrolling_on_phones(browser, base_url, width):
    page = browser.new_page(viewport={"width": width, "height": 700})
    too_wide = []
    for path in PAGES:
        page.goto(base_url + path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide.append((path, scroll_width))
    page.close()
    assert too_wide == []


def test_language_switch_goes_to_the_translation(browser, base_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/ko/notices/2016/05/hongeun-support-team/")
    assert page.evaluate("document.documentElement.lang") == "ko"
    page.click("nav.language-switch a[hreflang=en]")
    page.wait_for_load_state()
    assert page.url == base_url + "/en/notices/2016/05/hongeun-support-team/"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("nav.language-switch a[hreflang=ko]")
    page.wait_for_load_state()
    assert page.url == base_url + "/ko/notices/2016/05/hongeun-support-team/"
    page.close()


def test_korean_emphasis_is_bold_and_pages_load_their_stylesheet(browser, base_url):
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base_url + "/ko/notices/2016/05/hongeun-support-team/")
    strong = page.locator(".notice-body strong").first
    assert strong.inner_text().startswith("‘추진지원단")
    assert int(strong.evaluate("e => getComputedStyle(e).fontWeight")) >= 600
    skip = page.locator("a.skip-link")
    assert skip.evaluate("e => e.getBoundingClientRect().bottom") <= 0 or \
        skip.evaluate("e => getComputedStyle(e).position") in ("absolute", "fixed")
    assert errors == []
    page.close()
