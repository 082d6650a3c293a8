"""Search in a real browser: Pagefind's index of the published notices, per language."""

from __future__ import annotations

import shutil

import pytest

from conftest import NOW, SAMPLE_SITE, write_files
from served_site import chromium, serve
from site_builder import graph
from site_builder.engine import build

EXTRA = {
    # The case: 복지관 must find a notice that says 복지관에서.
    "notices/2020/welfare-hall-class.ko.md":
        "---\ntitle: 동네 복지관 한글 교실 개강\ndepartment: welfare-policy\n"
        "release: 2020-03-02\nprograms: [visiting-community-center]\n---\n"
        "어르신들은 가까운 복지관에서 한글을 배울 수 있다.\n",
    # Neither of these may ever be found.
    "notices/2026/embargoed-hall.ko.md":
        "---\ntitle: 아직 공개 전인 복지관 소식\ndepartment: welfare-policy\n"
        "release: 2026-12-01T09:00:00+09:00\n---\n새 복지관에서 열리는 행사.\n",
    "notices/2020/draft-hall.ko.md":
        "---\ntitle: 초안 복지관 소식\ndepartment: welfare-policy\nrelease: 2020-01-01\n"
        "draft: true\n---\n초안 복지관에서 쓴 글.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    content = root / "content"
    shutil.copytree(SAMPLE_SITE, content)
    write_files(content, EXTRA)
    out = root / "out"
    # Parts of two notices, so that every search merges several parts of the index
    # (a real archive has at least 500 notices a part).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(graph, "SHARD_PAGES", 2)
        build(content, out, NOW)
    assert len(list((out / "pagefind").glob("ko-*"))) >= 2
    with serve(out) as base, chromium() as browser:
        yield base, browser


def _search(page, words: str) -> list[str]:
    page.fill("#search-query", "")
    page.wait_for_function("document.getElementById('search-status').textContent === ''")
    page.fill("#search-query", words)
    page.wait_for_function("document.getElementById('search-status').textContent !== ''")
    return page.locator("#search-results .entry-title").all_inner_texts()


def test_a_korean_word_finds_it_followed_by_a_particle(site):
    base, browser = site
    page = browser.new_page()
    page.goto(base + "/ko/search/")
    titles = _search(page, "복지관")
    assert "동네 복지관 한글 교실 개강" in titles
    assert not any("공개 전" in t or "초안" in t for t in titles)
    first = page.locator("#search-results .entry", has_text="동네 복지관 한글 교실 개강").first
    assert "2020년 3월 2일(월)" in first.locator(".meta").inner_text()
    assert "서대문구 복지정책과" in first.locator(".meta").inner_text()
    assert first.locator("mark").count() >= 1
    # The real sample: 종합사회복지관 finds 종합사회복지관은/과의 in the Seodaemun release.
    assert any("추진지원단" in t for t in _search(page, "종합사회복지관"))
    page.close()


def test_filters_by_department_program_and_year(site):
    base, browser = site
    page = browser.new_page()
    page.goto(base + "/ko/search/")
    found = _search(page, "복지")
    assert len(found) >= 3
    # The index is in parts by year: one search finds notices of several years.
    assert "동네 복지관 한글 교실 개강" in found and any("추진지원단" in t for t in found)
    titles = _filter(page, "year", "2016")
    assert titles and "동네 복지관 한글 교실 개강" not in titles
    _filter(page, "year", "")
    titles = _filter(page, "department_url", "/ko/departments/mapo-gu-office/")
    assert titles and all("마포" in t for t in titles)
    _filter(page, "department_url", "")
    titles = _filter(page, "program_urls", "/ko/programs/silppuri-welfare/")
    assert titles and all("실뿌리" in t for t in titles)
    page.close()


def _filter(page, key: str, value: str) -> list[str]:
    """Choose one filter's value; the titles shown then."""
    page.select_option(f"[data-filter={key}]", value)
    page.wait_for_timeout(300)
    return page.locator("#search-results .entry-title").all_inner_texts()


def test_english_search_finds_english_notices_only(site):
    base, browser = site
    page = browser.new_page()
    page.goto(base + "/en/search/")
    titles = _search(page, "welfare")
    assert titles and not any("\uac00" <= ch <= "\ud7a3" for t in titles for ch in t)
    page.close()


def test_the_search_page_without_javascript_says_what_to_do(site):
    base, browser = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/ko/search/")
    text = page.inner_text("main")
    assert "자바스크립트" in text and "보도자료" in text
    assert not page.locator("#search").is_visible()
    assert page.locator("main a[href='/ko/notices/']").count() == 1
    context.close()


def test_an_excerpt_keeps_labels_apart_from_their_values(site):
    """The press header's labels are indexed with a ': ' after them: the excerpt reads
    'Department: Eunpyeong-gu Office', not 'DepartmentEunpyeong-gu Office'."""
    base, browser = site
    page = browser.new_page()
    page.goto(base + "/en/search/")
    _search(page, "Department")
    excerpts = page.locator("#search-results .entry .summary").all_inner_texts()
    assert any("Department: Eunpyeong-gu Office. Release: Wed" in e for e in excerpts), excerpts
    assert not any("DepartmentEunpyeong" in e or "ReleaseWed" in e for e in excerpts)
    page.goto(base + "/ko/search/")
    _search(page, "담당부서")
    excerpts = page.locator("#search-results .entry .summary").all_inner_texts()
    assert any("담당부서: 서대문구 복지정책과" in e for e in excerpts), excerpts
    page.close()
