"""Accessibility in a real browser: axe-core on every page type, in both languages.

KWCAG 2.2 follows WCAG 2.1 AA, so every page must have zero axe violations for the tags
wcag2a, wcag2aa and wcag21aa, in the light and the dark colour scheme. A few axe
best-practice rules that the national standard asks for in its own words (one main
landmark, one h1, content inside landmarks, a working skip link) are run with them.
Keyboard use is checked by pressing Tab as a resident would.

The sample site (content/) and the fixture site (tests/fixtures/site, two notices a page,
built with --drafts so a draft banner is checked too) are built and served once.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURE_SITE, SAMPLE_SITE
from official_site import official_content
from served_site import AXE, build_site, chromium, require, serve

TAGS = ["wcag2a", "wcag2aa", "wcag21aa"]
STRUCTURE_RULES = ["landmark-one-main", "page-has-heading-one", "region", "landmark-unique",
                   "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo",
                   "landmark-no-duplicate-main", "heading-order", "skip-link", "bypass"]

# (site, path, what the page is there for)
PAGES = [
    ("sample", "/ko/search/", "search"),
    ("sample", "/en/search/", "search"),
    ("sample", "/index.html", "language chooser"),
    ("sample", "/404.html", "not found, in every language"),
    ("sample", "/ko/", "home"),
    ("sample", "/en/", "home"),
    ("sample", "/ko/notices/", "notice list"),
    ("sample", "/en/notices/", "notice list"),
    ("sample", "/ko/notices/2016/07/eunpyeong-visiting-centers/", "notice with a table"),
    ("sample", "/en/notices/2016/07/eunpyeong-visiting-centers/", "notice with a table"),
    ("sample", "/ko/notices/2016/05/hongeun-support-team/", "notice with an attachment"),
    ("sample", "/en/notices/2016/05/hongeun-support-team/", "notice with an attachment"),
    ("sample", "/en/notices/2021/01/daejeon-social-service-briefing/", "machine translation"),
    ("sample", "/ko/departments/", "department index"),
    ("sample", "/en/departments/", "department index"),
    ("sample", "/ko/departments/welfare-policy/", "department"),
    ("sample", "/en/departments/welfare-policy/", "department"),
    ("sample", "/ko/programs/", "program index"),
    ("sample", "/en/programs/", "program index"),
    ("sample", "/ko/programs/visiting-community-center/", "program"),
    ("sample", "/en/programs/visiting-community-center/", "program"),
    ("fixture", "/index.html", "language chooser"),
    ("fixture", "/404.html", "not found"),
    ("fixture", "/ko/notices/", "notice list, page 1 with a pager"),
    ("fixture", "/ko/notices/page/2/", "notice list, page 2"),
    ("fixture", "/en/notices/page/2/", "notice list, page 2"),
    ("fixture", "/en/notices/page/3/", "notice list, last page, untranslated entries"),
    ("fixture", "/ko/notices/2026/05/support-team-agreement/",
     "notice with corrections, attachment, image, e-mail"),
    ("fixture", "/en/notices/2026/05/support-team-agreement/",
     "notice with corrections, attachment, image, e-mail"),
    ("fixture", "/ko/notices/2026/10/visiting-center-expansion/", "notice with a table"),
    ("fixture", "/en/notices/2026/10/visiting-center-expansion/",
     "machine translation with a table"),
    ("fixture", "/ko/notices/2026/11/reading-festival-report/", "draft with its banner"),
    ("fixture", "/en/departments/culture-sports/", "department with untranslated entries"),
    ("fixture", "/ko/programs/small-libraries/", "Korean-only program"),
    ("fixture", "/en/programs/", "program index with a Korean-only program"),
    ("official", "/index.html", "language chooser with the official masthead"),
    ("official", "/404.html", "not found, with the header"),
    ("official", "/ko/", "home with masthead, emblem, legal footer"),
    ("official", "/ko/notices/2026/05/support-team-agreement/", "notice with 공공누리"),
    ("official", "/en/notices/2026/05/support-team-agreement/",
     "notice with romanized contacts and English tags"),
    ("official", "/en/notices/2026/06/library-reading-festival/",
     "notice with its own 공공누리 type and Korean tags"),
]
DARK = [("sample", "/ko/"), ("sample", "/en/notices/2016/07/eunpyeong-visiting-centers/"),
        ("sample", "/ko/programs/visiting-community-center/"), ("sample", "/index.html"),
        ("fixture", "/en/notices/2026/10/visiting-center-expansion/"),
        ("fixture", "/ko/notices/2026/05/support-team-agreement/"),
        ("fixture", "/ko/notices/page/2/"), ("fixture", "/ko/notices/2026/11/reading-festival-report/"),
        ("official", "/ko/notices/2026/05/support-team-agreement/"), ("official", "/404.html")]

RUN_AXE = """async ([tags, rules]) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    rules: Object.fromEntries(rules.map(id => [id, {enabled: true}])),
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary),
  }));
}"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("a11y")
    sample = build_site(root / "sample", SAMPLE_SITE)
    fixture = build_site(root / "fixture", FIXTURE_SITE, "--drafts")
    official = build_site(root / "official", official_content(root / "official-content"))
    with serve(sample) as sample_url, serve(fixture) as fixture_url, \
            serve(official) as official_url:
        yield {"sample": sample_url, "fixture": fixture_url, "official": official_url}


@pytest.fixture(scope="module")
def browser():
    require(AXE.exists(), "node_modules/axe-core")
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def tab(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


@pytest.fixture(scope="module")
def dark_tab(browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, color_scheme="dark")
    yield page
    page.close()


def axe_violations(page, url: str) -> list[dict]:
    response = page.goto(url)
    assert response is not None and (response.ok or url.endswith("/404.html")), url
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, [TAGS, STRUCTURE_RULES])


def report(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
                     for v in violations)


@pytest.mark.parametrize("site, path, purpose", PAGES,
                         ids=[f"{s}:{p}" for s, p, _ in PAGES])
def test_no_axe_violations(tab, sites, site, path, purpose):
    violations = axe_violations(tab, sites[site] + path)
    assert not violations, f"{purpose}\n{report(violations)}"


@pytest.mark.parametrize("site, path", DARK, ids=[f"{s}:{p}" for s, p in DARK])
def test_no_axe_violations_in_the_dark_scheme_on_a_phone(dark_tab, sites, site, path):
    violations = axe_violations(dark_tab, sites[site] + path)
    assert not violations, report(violations)


def test_every_page_type_in_both_languages_is_checked():
    covered = {path.split("/")[1] for _, path, _ in PAGES}
    assert {"ko", "en", "index.html", "404.html"} <= covered
    for lang in ("ko", "en"):
        paths = [path for _, path, _ in PAGES if path.startswith(f"/{lang}/")]
        assert f"/{lang}/" in paths
        assert any("/notices/page/2/" in p for p in paths)
        for part in ("/notices/20", "/departments/", "/programs/"):
            assert sum(part in p for p in paths) >= 2, (lang, part)


def test_skip_link_is_the_first_tab_stop_shows_and_moves_to_the_text(tab, sites):
    tab.goto(sites["fixture"] + "/ko/notices/2026/05/support-team-agreement/")
    skip = tab.locator("a.skip-link")
    assert skip.evaluate("e => e.getBoundingClientRect().bottom") <= 0  # hidden until used
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["height"] >= 44
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"
    tab.keyboard.press("Tab")  # the next stop is inside the text, past the menus
    assert tab.evaluate("!!document.activeElement.closest('main')")


def test_focus_is_visible_on_every_tab_stop(tab, sites):
    tab.goto(sites["fixture"] + "/en/notices/2026/10/visiting-center-expansion/")
    seen, invisible = 0, []
    for _ in range(40):
        tab.keyboard.press("Tab")
        info = tab.evaluate("""() => {
            const e = document.activeElement;
            if (e === document.body) return null;
            const s = getComputedStyle(e);
            return {what: e.outerHTML.slice(0, 80), style: s.outlineStyle,
                    width: parseFloat(s.outlineWidth)};
        }""")
        if info is None:
            break
        seen += 1
        if info["style"] == "none" or info["width"] < 2:
            invisible.append(info["what"])
    assert seen >= 10
    assert not invisible


def test_language_switch_names_its_language(tab, sites):
    for lang, other in (("ko", "en"), ("en", "ko")):
        tab.goto(sites["sample"] + f"/{lang}/notices/2016/05/hongeun-support-team/")
        links = tab.locator("nav.language-switch a")
        assert links.count() == 1
        assert links.first.get_attribute("lang") == other
        assert links.first.get_attribute("hreflang") == other
        assert tab.locator("nav.language-switch").get_attribute("aria-label")


def test_no_page_load_asks_for_a_file_that_is_not_there(tab, sites):
    """Nothing a page loads (the emblem, the 공공누리 marks, the style sheet) ends in a
    404. (Headless Chromium asks for no icon; test_identity checks that every page names
    an icon that exists, so that a browser does not ask for a missing /favicon.ico.)"""
    missing, asked = [], []

    def seen(response):
        asked.append(response.url)
        if response.status >= 400:
            missing.append(response.url)

    tab.on("response", seen)
    try:
        for site, path, _ in PAGES:
            if not path.endswith("/404.html") and "search" not in path:
                tab.goto(sites[site] + path, wait_until="networkidle")
    finally:
        tab.remove_listener("response", seen)
    assert missing == []
    assert any(url.endswith((".svg", ".png")) for url in asked)


def test_tables_have_header_cells_and_attachments_state_type_and_size(tab, sites):
    tab.goto(sites["fixture"] + "/ko/notices/2026/05/support-team-agreement/")
    label = tab.locator(".attachments a").first.inner_text()
    assert "PDF" in label and "KB" in label
    tab.goto(sites["sample"] + "/en/notices/2016/07/eunpyeong-visiting-centers/")
    for table in tab.locator(".notice-body table").all():
        assert table.locator("th").count() >= 2
