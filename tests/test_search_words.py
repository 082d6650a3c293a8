"""Korean search finds words inside compound nouns, in a real browser (Chromium).

Each case is a district word that the notice it must find writes only inside longer nouns
(복지관 in 홍은종합사회복지관에서, 주민센터 in 동주민센터): the sample site and the test
fixtures, with a few notices of tests/fixtures/compound_notices/. The search page is
asked as a resident asks it, and judged by what it shows.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import quote

import pytest

from conftest import FIXTURE_SITE, FIXTURES, NOW, SAMPLE_SITE
from served_site import chromium, serve
from site_builder.engine import build

CASES = [
    # the sample site (content/)
    ("사회복지관", "hongeun-support-team"), ("복지관", "hongeun-support-team"),
    ("지원단", "hongeun-support-team"), ("복지기관", "hongeun-support-team"),
    ("지원금", "eunpyeong-visiting-centers"), ("양육지원금", "eunpyeong-visiting-centers"),
    ("사각지대", "eunpyeong-visiting-centers"), ("노령연금", "eunpyeong-visiting-centers"),
    ("복지직", "eunpyeong-visiting-centers"), ("상담전문관", "eunpyeong-visiting-centers"),
    ("전달체계", "eunpyeong-visiting-centers"), ("복지팀", "eunpyeong-visiting-centers"),
    ("마을복지센터", "seongbuk-welfare-award"), ("복지센터", "seongbuk-welfare-award"),
    ("복지부", "seongbuk-welfare-award"), ("돌봄", "daejeon-social-service-briefing"),
    ("사회서비스원", "daejeon-social-service-briefing"),
    ("통합돌봄", "daejeon-social-service-briefing"),
    ("복지재단", "daejeon-social-service-briefing"),
    ("복지서비스", "mapo-silppuri-welfare-centers"),
    # the fixture site (tests/fixtures/site/)
    ("도서관", "library-reading-festival"), ("주민센터", "visiting-center-expansion"),
    ("주민센터", "senior-lunch-service"), ("플래너", "senior-lunch-service"),
    ("식당", "senior-lunch-service"), ("사회복지관", "support-team-agreement"),
    ("지원단", "support-team-agreement"), ("광장", "youth-club-stage"),
    # tests/fixtures/compound_notices/
    ("쉼터", "heat-shelters"), ("지원금", "heat-shelters"), ("보건소", "health-night-clinic"),
    ("안심센터", "health-night-clinic"), ("체육센터", "pool-reopening"),
    ("수영장", "pool-reopening"),
]
WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("compounds")
    content = root / "content"
    shutil.copytree(SAMPLE_SITE, content)
    shutil.copytree(FIXTURE_SITE / "notices", content / "notices", dirs_exist_ok=True)
    shutil.copytree(FIXTURE_SITE / "static", content / "static", dirs_exist_ok=True)
    shutil.copy(FIXTURE_SITE / "programs" / "small-libraries.ko.md", content / "programs")
    with (content / "departments.yaml").open("a", encoding="utf-8") as departments:
        departments.write("culture-sports:\n  name: {ko: 문화체육과, en: Culture and Sports "
                          "Division}\n")
    shutil.copytree(FIXTURES / "compound_notices" / "notices", content / "notices",
                    dirs_exist_ok=True)
    out = root / "out"
    build(content, out, NOW)
    with serve(out) as base, chromium() as browser:
        page = browser.new_page()
        texts, indexed = {}, {}
        for path in sorted(out.glob("ko/notices/*/*/*/index.html")):
            url = "/" + path.parent.relative_to(out).as_posix() + "/"
            page.goto(base + url)
            texts[url] = page.inner_text("article.notice")
            # What of it the index reads: all but the footer (programs and tags).
            indexed[url] = page.eval_on_selector(
                "article.notice", "a => [...a.children].filter(e => !e.hidden && "
                "e.tagName !== 'FOOTER').map(e => e.innerText).join(' ')")
        page.close()
        yield base, browser, texts, indexed


def _search(page, words: str) -> list[tuple[str, str]]:
    """(address, excerpt) of each result shown, in order."""
    page.fill("#search-query", "")
    page.wait_for_function("document.getElementById('search-status').textContent === ''")
    page.fill("#search-query", words)
    page.wait_for_function("document.getElementById('search-status').textContent !== ''")
    return [tuple(r) for r in page.eval_on_selector_all(
        "#search-results .entry",
        "items => items.map(e => [e.querySelector('a').getAttribute('href'), "
        "e.querySelector('.summary').innerText])")]


@pytest.fixture(scope="module")
def searched(site):
    base, browser = site[:2]
    page = browser.new_page()
    page.goto(base + "/ko/search/")
    page.wait_for_selector("#search:not([hidden])")
    found = {query: _search(page, query) for query in dict.fromkeys(q for q, _ in CASES)}
    page.close()
    return found


def _url(texts, slug: str) -> str:
    return next(url for url in texts if url.endswith(f"/{slug}/"))


def test_every_case_is_a_word_inside_longer_words(site):
    """The cases test what they claim: the word is in the notice, never at a word's start."""
    texts = site[2]
    wrong = [(query, slug) for query, slug in CASES
             if query not in texts[_url(texts, slug)] or
             any(word.startswith(query) for word in WORD.findall(texts[_url(texts, slug)]))]
    assert not wrong


def test_compound_nouns_are_found_with_recall_and_precision(site, searched):
    texts = site[2]
    found = sum(_url(texts, slug) in [url for url, _ in searched[query]] for query, slug in CASES)
    recall = found / len(CASES)
    shown = [(query, url) for query in searched for url, _ in searched[query][:5]]
    precision = sum(query in texts.get(url, "") for query, url in shown) / len(shown)
    print(f"\ncompound-noun search: {len(CASES)} cases, recall {recall:.3f} "
          f"({found}/{len(CASES)}), precision of the first 5 {precision:.3f} "
          f"({len(shown)} results)")
    missed = [(q, s) for q, s in CASES if _url(texts, s) not in [u for u, _ in searched[q]]]
    assert recall >= 0.9, missed
    assert precision >= 0.9


def test_every_excerpt_is_a_span_of_the_notice_text(site, searched):
    """Never a helper word: what a result shows is the notice's own visible text (the
    index reads ': ' after each label of the header and '.' after a block, which the
    page does not show: those are left out of the comparison)."""
    indexed = site[3]

    def plain(text: str) -> str:
        return re.sub(r"[\s.:]", "", text)

    for query, results in searched.items():
        for url, excerpt in results:
            assert excerpt, (query, url)
            assert plain(excerpt) in plain(indexed[url]), (query, url, excerpt)


def test_the_match_inside_a_compound_is_marked(site):
    base, browser = site[:2]
    page = browser.new_page()
    page.goto(base + "/ko/search/")
    page.wait_for_selector("#search:not([hidden])")
    _search(page, "보건소")
    first = page.locator("#search-results .entry").first
    assert first.locator(".entry-title").inner_text() == "서대문구보건소 평일 야간 진료 시작"
    assert "보건소" in first.locator("mark").all_inner_texts()
    page.close()


def test_a_title_match_ranks_above_a_body_match(searched, site):
    """보건소 is in one notice's title and three times in another's body."""
    urls = [url for url, _ in searched["보건소"]]
    texts = site[2]
    assert urls.index(_url(texts, "health-night-clinic")) < urls.index(_url(texts, "autumn-walk"))


def test_the_address_holds_the_search(site):
    base, browser, texts, _ = site
    page = browser.new_page()
    page.goto(base + "/ko/search/?q=" + quote("쉼터"))
    page.wait_for_function("document.getElementById('search-status').textContent !== ''")
    assert page.input_value("#search-query") == "쉼터"
    assert page.locator("#search-results .entry-title").first.inner_text() == \
        "폭염 대비 무더위쉼터 120곳 운영"
    # Typing updates the address, in one history entry however many letters are typed.
    page.fill("#search-query", "보건")
    page.type("#search-query", "소")
    page.wait_for_function("location.search === '?q=' + encodeURIComponent('보건소')")
    page.wait_for_function("document.querySelector('#search-results .entry-title') && "
                           "document.querySelector('#search-results .entry-title')"
                           ".textContent.includes('보건소')")
    # A result followed, then Back: the search as it was.
    page.locator("#search-results .entry-title a").first.click()
    page.wait_for_url("**/health-night-clinic/")
    page.go_back()
    page.wait_for_function("document.getElementById('search-status').textContent !== ''")
    assert page.input_value("#search-query") == "보건소"
    # Back again: the search the page was opened with.
    page.go_back()
    page.wait_for_function("location.search === '?q=' + encodeURIComponent('쉼터')")
    page.wait_for_function("document.getElementById('search-query').value === '쉼터'")
    page.wait_for_function("document.querySelector('#search-results .entry-title') && "
                           "document.querySelector('#search-results .entry-title')"
                           ".textContent.includes('쉼터')")
    # Filters are in the address too.
    page.goto(base + "/ko/search/?q=" + quote("복지") + "&year=2016")
    page.wait_for_function("document.getElementById('search-status').textContent !== ''")
    assert page.input_value("[data-filter=year]") == "2016"
    hrefs = page.eval_on_selector_all("#search-results .entry-title a",
                                      "links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all("/2016/" in href for href in hrefs)
    page.select_option("[data-filter=year]", "")
    page.wait_for_function("!location.search.includes('year=')")
    page.close()


def test_the_helper_words_are_neither_seen_nor_read_out(site):
    base, browser = site[:2]
    page = browser.new_page()
    page.goto(base + "/ko/notices/2016/05/hongeun-support-team/")
    helpers = page.locator(".search-words")
    hidden = helpers.text_content().split()
    assert helpers.count() == 1 and "종합사회복지관" in hidden and "복지관" in hidden
    assert not helpers.is_visible()
    tree = page.locator("body").aria_snapshot()
    assert "홍은종합사회복지관" in tree and " ".join(hidden[:3]) not in tree
    page.close()
