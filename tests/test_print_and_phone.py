"""Phones, print and page weight, in a real browser and on the built files.

- Phones: no page scrolls sideways at 320 or 375 px; links meant to be tapped (menus,
  pager, language switch, buttons) are at least 44 x 44 px.
- Print: a notice prints like the paper press release: no navigation, the 보도자료 mark
  and the header block (department, dates, contacts) first, then the headline and text.
- Weight: the stylesheet is under 30 KB, a notice page with its CSS under 100 KB before
  images, and no page but search loads a script.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, SAMPLE_SITE
from official_site import official_content
from served_site import build_site, chromium, serve

PAGES = [
    ("sample", "/index.html"), ("sample", "/404.html"),
    ("sample", "/ko/"), ("sample", "/en/"),
    ("sample", "/ko/notices/"), ("sample", "/en/notices/"),
    ("sample", "/ko/notices/2016/07/eunpyeong-visiting-centers/"),
    ("sample", "/en/notices/2016/07/eunpyeong-visiting-centers/"),
    ("sample", "/ko/notices/2016/05/hongeun-support-team/"),
    ("sample", "/en/notices/2016/05/hongeun-support-team/"),
    ("sample", "/en/notices/2021/01/daejeon-social-service-briefing/"),
    ("sample", "/ko/departments/"), ("sample", "/en/departments/"),
    ("sample", "/ko/departments/welfare-policy/"), ("sample", "/en/departments/welfare-policy/"),
    ("sample", "/ko/programs/"), ("sample", "/en/programs/"),
    ("sample", "/ko/programs/visiting-community-center/"),
    ("sample", "/en/programs/visiting-community-center/"),
    ("fixture", "/ko/notices/page/2/"), ("fixture", "/en/notices/page/2/"),
    ("fixture", "/ko/notices/2026/05/support-team-agreement/"),
    ("fixture", "/en/notices/2026/05/support-team-agreement/"),
    ("fixture", "/en/notices/2026/10/visiting-center-expansion/"),
    ("fixture", "/ko/notices/2026/11/reading-festival-report/"),
    ("fixture", "/ko/programs/small-libraries/"), ("fixture", "/en/programs/"),
    ("official", "/ko/notices/2026/05/support-team-agreement/"),
    ("official", "/en/notices/2026/05/support-team-agreement/"), ("official", "/404.html"),
]
# What is meant to be tapped; links inside running text are exempt (WCAG 2.5.5/2.5.8).
TAP_TARGETS = (".skip-link, .site-title, .main-nav a, .language-switch a, .pager a, .choice, "
               "a.more, .feed-link, .attachments a, .chips a, .site-footer a, .license a")
NAVIGATION = "nav, .skip-link, .site-footer, .pager, .feed-link, .notice-actions"
CSS_LIMIT, NOTICE_LIMIT = 30 * 1024, 100 * 1024


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("phone")
    return {"sample": build_site(root / "sample", SAMPLE_SITE),
            "fixture": build_site(root / "fixture", FIXTURE_SITE, "--drafts"),
            "official": build_site(root / "official", official_content(root / "official-content"))}


@pytest.fixture(scope="module")
def sites(built):
    with serve(built["sample"]) as sample, serve(built["fixture"]) as fixture, \
            serve(built["official"]) as official:
        yield {"sample": sample, "fixture": fixture, "official": official}


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


# -- phones ----------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [320, 375])
def test_no_page_scrolls_sideways_on_a_phone(browser, sites, width):
    page = browser.new_page(viewport={"width": width, "height": 740})
    too_wide = []
    for site, path in PAGES:
        page.goto(sites[site] + path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide.append(f"{site}:{path} is {scroll_width} px wide")
    page.close()
    assert not too_wide


@pytest.mark.parametrize("width", [320, 360])
def test_a_program_table_fits_the_phone_without_scrolling(browser, sites, width):
    """The sample program's 3-column timeline (Korean keeps words whole) shows every
    column: its box does not scroll sideways."""
    page = browser.new_page(viewport={"width": width, "height": 740})
    clipped = []
    for lang in ("ko", "en"):
        page.goto(sites["sample"] + f"/{lang}/programs/visiting-community-center/")
        boxes = page.evaluate("[...document.querySelectorAll('.table-scroll')]"
                              ".map(b => [b.scrollWidth, b.clientWidth])")
        assert boxes
        clipped += [f"{lang}: {inner} px in {box} px" for inner, box in boxes if inner > box]
    page.close()
    assert not clipped


@pytest.mark.parametrize("width", [320, 1280])
def test_tap_targets_are_at_least_44_px(browser, sites, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    small, counted = [], 0
    for site, path in PAGES:
        page.goto(sites[site] + path)
        for target in page.evaluate("""selector => [...document.querySelectorAll(selector)]
            .map(e => { const r = e.getBoundingClientRect();
                        return {text: e.textContent.trim().slice(0, 30), w: r.width, h: r.height}; })
            .filter(t => t.w > 0)""", TAP_TARGETS):
            counted += 1
            if target["w"] < 44 or target["h"] < 44:
                small.append(f"{site}:{path} {target['text']!r} "
                             f"{target['w']:.0f}x{target['h']:.0f}")
    page.close()
    assert counted > 200
    assert not small


def test_pager_and_language_links_are_tappable_on_page_two(browser, sites):
    page = browser.new_page(viewport={"width": 320, "height": 700})
    page.goto(sites["fixture"] + "/en/notices/page/2/")
    for selector in (".pager a[rel=prev]", ".pager a[rel=next]", ".language-switch a",
                     ".main-nav a[aria-current]"):
        box = page.locator(selector).bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44, selector
    page.close()


# -- print -----------------------------------------------------------------------------------

def _without_navigation(page) -> None:
    page.add_style_tag(content=f"{NAVIGATION} {{ visibility: hidden !important; }}")


@pytest.mark.parametrize("site, path", [("fixture", "/ko/notices/2026/05/support-team-agreement/"),
                                        ("sample", "/en/notices/2016/07/eunpyeong-visiting-centers/")])
def test_printed_notice_has_no_navigation_and_starts_with_the_press_header(browser, sites,
                                                                           site, path):
    page = browser.new_page(viewport={"width": 800, "height": 1100})
    page.goto(sites[site] + path)
    # On screen the navigation shows: hiding it changes the picture.
    shown = page.screenshot(full_page=True)
    _without_navigation(page)
    assert page.screenshot(full_page=True) != shown
    page.reload()

    page.emulate_media(media="print")
    rendered = page.evaluate("""selector => [...document.querySelectorAll(selector)]
        .filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 60))""",
                             NAVIGATION)
    assert rendered == []
    # The printed picture is the same with every navigation element hidden by force.
    printed = page.screenshot(full_page=True)
    _without_navigation(page)
    assert page.screenshot(full_page=True) == printed

    top = {name: page.locator(selector).first.bounding_box()["y"] for name, selector in
           {"mark": ".notice-header .kicker", "press header": ".notice > .press-header",
            "headline": ".notice h1", "text": ".notice-body"}.items()}
    assert top["mark"] < top["press header"] < top["headline"] < top["text"], top
    # Nothing of the page but the site's name stands above the 보도자료 mark.
    above = page.evaluate("""mark => [...document.body.querySelectorAll('*')]
        .filter(e => e.getClientRects().length && !e.children.length && e.textContent.trim()
                     && e.getBoundingClientRect().bottom <= mark)
        .map(e => e.textContent.trim())""", top["mark"])
    assert len(above) <= 1, above
    # The header block prints its department, dates and contacts.
    header = page.locator(".notice > .press-header").inner_text()
    assert re.search(r"\d", header)
    page.close()


def test_on_screen_the_headline_comes_before_the_press_header(browser, sites):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(sites["fixture"] + "/en/notices/2026/05/support-team-agreement/")
    headline = page.locator(".notice h1").bounding_box()["y"]
    assert headline < page.locator(".notice > .press-header").bounding_box()["y"]
    page.close()


# -- weight ----------------------------------------------------------------------------------

def _assets(out: Path, html_text: str) -> list[Path]:
    """Stylesheets and scripts a page loads (not images), as files of the output."""
    refs = re.findall(r'<link rel="stylesheet" href="/([^"]+)"', html_text)
    refs += re.findall(r'<script[^>]*\ssrc="/([^"]+)"', html_text)
    return [out / ref for ref in refs]


def test_stylesheet_is_under_30_kb(built):
    for out in built.values():
        css = out / "assets" / "site.css"
        assert css.stat().st_size < CSS_LIMIT, f"{css.stat().st_size} bytes"


def test_every_notice_page_with_its_css_is_under_100_kb(built):
    checked = 0
    for out in built.values():
        for page in out.glob("*/notices/*/*/*/index.html"):
            text = page.read_text(encoding="utf-8")
            assets = _assets(out, text)
            assert any(a.suffix == ".css" for a in assets)
            weight = page.stat().st_size + sum(a.stat().st_size for a in assets)
            assert weight < NOTICE_LIMIT, f"{page}: {weight} bytes"
            checked += 1
    assert checked >= 18


def test_no_page_but_search_loads_a_script(built):
    for out in built.values():
        for page in out.rglob("*.html"):
            if "search" in page.relative_to(out).parts:
                continue
            text = page.read_text(encoding="utf-8")
            scripts = re.findall(r"<script\b[^>]*>", text, re.I)
            assert all('type="application/ld+json"' in s for s in scripts), page
