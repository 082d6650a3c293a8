"""End to end: the fixture site built with `python build.py`, checked as a reader would.

The fixture (tests/fixtures/site) is built once per module at the tests' frozen NOW,
2026-11-23 12:00 KST. Published then, newest first:

    D visiting-center-expansion  2026-10-15  ko + en (machine), raw HTML to sanitize
    E senior-lunch-service       2026-09-10  ko only
    C youth-club-stage           2026-09-01 01:00 KST (written as 2026-08-31T16:00Z), ko + en
    B library-reading-festival   2026-06-02 10:00, ko + en, in the Korean-only program
    A support-team-agreement     2026-05-12  ko + en, contacts, corrections, attachment

Not published: F kimjang-sharing (embargoed until 12:01, attaches its own PDF) and
G reading-festival-report (draft).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import FIXTURE_SITE, NOW, SAMPLE_SITE, Page, run_build

NOW_ARG = NOW.isoformat()
ONE_MINUTE_LATER = "2026-11-23T12:01:00+09:00"
BASE = "https://example.go.kr"

A, B, C, D, E = ("2026/05/support-team-agreement", "2026/06/library-reading-festival",
                 "2026/09/youth-club-stage", "2026/10/visiting-center-expansion",
                 "2026/09/senior-lunch-service")
EMBARGOED = "2026/11/kimjang-sharing"
DRAFT = "2026/11/reading-festival-report"
EMBARGOED_FILE = "static/attachments/2026/kimjang-volunteers.pdf"


# -- helpers -------------------------------------------------------------------------

class Doc(Page):
    """What a reader (and a crawler) gets from one HTML page."""

    @property
    def links(self) -> list[dict]:
        return [link.attrs for link in self.find("link")]

    @property
    def anchors(self) -> list[dict]:
        """Each link's attributes, and in _nav the class of the nav around it."""
        found = []
        for a in self.find("a"):
            nav = a.closest("nav")
            found.append(dict(a.attrs, _nav=nav.attrs.get("class", "") if nav else ""))
        return found

    def refs(self) -> list[str]:
        return [e.attrs[name] for e in self.elements for name in ("href", "src") if name in e.attrs]

    def canonical(self) -> str | None:
        found = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        return found[0] if len(found) == 1 else None

    def hreflangs(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links
                if link.get("rel") == "alternate" and "hreflang" in link}

    def feed_links(self) -> list[str]:
        return [link["href"] for link in self.links
                if link.get("rel") == "alternate" and link.get("type") == "application/rss+xml"]

    def language_switch(self) -> dict[str, str]:
        return {a["hreflang"]: a["href"] for a in self.anchors
                if "language-switch" in a["_nav"] and "hreflang" in a}


class Built:
    def __init__(self, out: Path, result):
        self.out, self.result = out, result

    def path(self, url: str) -> Path:
        """The file that serves a root-relative URL."""
        relative = unquote(urlsplit(url).path).lstrip("/")
        target = self.out / relative
        return target / "index.html" if url.endswith("/") or not relative else target

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    def doc(self, url: str) -> Doc:
        return Doc(self.path(url).read_text(encoding="utf-8"))

    def raw(self, url: str) -> str:
        return self.path(url).read_text(encoding="utf-8")

    def html_pages(self) -> list[Path]:
        return sorted(self.out.rglob("*.html"))

    def files(self) -> list[Path]:
        return sorted(p for p in self.out.rglob("*") if p.is_file())

    def url_of(self, page: Path) -> str:
        relative = page.relative_to(self.out).as_posix()
        return "/" + (relative[: -len("index.html")] if relative.endswith("/index.html")
                      else relative)


def build(out: Path, *args: str, content: Path = FIXTURE_SITE, now: str = NOW_ARG) -> Built:
    result = run_build("--content", str(content), "--output", str(out), "--now", now, *args)
    assert result.returncode == 0, result.stderr
    return Built(out, result)


def broken_internal_links(built: Built) -> list[str]:
    """Every href/src starting with '/' on every page that is not a file of the output."""
    broken = []
    for page in built.html_pages():
        for ref in Doc(page.read_text(encoding="utf-8")).refs():
            if ref.startswith("/") and not ref.startswith("//") and not built.exists(ref):
                broken.append(f"{built.url_of(page)} -> {ref}")
    return broken


def entry_block(page_html: str, href: str) -> str:
    """The list item (<li class="entry">) that links to href."""
    for block in re.findall(r'<li class="entry">.*?</li>', page_html, re.S):
        if f'href="{href}"' in block:
            return block
    raise AssertionError(f"no list entry links to {href}")


# -- builds (each once per module) ------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Built:
    return build(tmp_path_factory.mktemp("now") / "output")


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Built:
    return build(tmp_path_factory.mktemp("released") / "output", now=ONE_MINUTE_LATER)


@pytest.fixture(scope="module")
def with_drafts(tmp_path_factory) -> Built:
    return build(tmp_path_factory.mktemp("drafts") / "output", "--drafts")


@pytest.fixture(scope="module")
def hidden(tmp_path_factory) -> Built:
    """The fixture with `untranslated: hide`."""
    root = tmp_path_factory.mktemp("hide")
    content = root / "content"
    shutil.copytree(FIXTURE_SITE, content)
    settings = content / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "untranslated: show" in text
    settings.write_text(text.replace("untranslated: show", "untranslated: hide"), encoding="utf-8")
    return build(root / "output", content=content)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Built:
    return build(tmp_path_factory.mktemp("sample") / "output", content=SAMPLE_SITE)


# -- the build and its report ----------------------------------------------------------

def test_build_reports_embargoed_count_and_next_release(site):
    out = site.result.stdout
    assert re.search(r"\b1 embargoed\b", out), out
    assert "2026-11-23T12:01+09:00" in out, out
    assert "1 draft not published" in out, out


def test_build_after_the_embargo_reports_none(released):
    assert "embargoed" not in released.result.stdout


# -- URLs of the contract --------------------------------------------------------------

def test_every_url_of_the_contract_exists(site):
    urls = ["/index.html", "/sitemap.xml", "/robots.txt", "/404.html"]
    for lang in ("ko", "en"):
        urls += [f"/{lang}/", f"/{lang}/notices/", f"/{lang}/notices/page/2/",
                 f"/{lang}/notices/page/3/", f"/{lang}/departments/",
                 f"/{lang}/departments/welfare-policy/", f"/{lang}/departments/culture-sports/",
                 f"/{lang}/programs/", f"/{lang}/programs/visiting-community-center/",
                 f"/{lang}/feed.xml", f"/{lang}/atom.xml",
                 f"/{lang}/departments/welfare-policy/feed.xml",
                 f"/{lang}/departments/culture-sports/feed.xml",
                 f"/{lang}/programs/visiting-community-center/feed.xml"]
        urls += [f"/{lang}/notices/{n}/" for n in (A, B, C, D)]
    urls += [f"/ko/notices/{E}/", "/ko/programs/small-libraries/",
             "/ko/programs/small-libraries/feed.xml"]
    missing = [url for url in urls if not site.exists(url)]
    assert not missing


def test_notice_pages_are_exactly_the_published_ones(site):
    def notice_pages(lang):
        return sorted(p.parent.relative_to(site.out / lang / "notices").as_posix()
                      for p in (site.out / lang / "notices").glob("*/*/*/index.html"))
    assert notice_pages("ko") == sorted([A, B, C, D, E])
    assert notice_pages("en") == sorted([A, B, C, D])


def test_pagination_stops_at_the_last_page(site):
    # 5 notices at 2 a page: 3 pages in Korean, and 3 in English with the Korean-only one shown.
    for lang in ("ko", "en"):
        assert site.exists(f"/{lang}/notices/page/3/")
        assert not site.exists(f"/{lang}/notices/page/4/")
        assert not site.exists(f"/{lang}/notices/page/1/")


def test_release_written_in_utc_lands_in_the_month_of_the_site_timezone(site):
    # release: 2026-08-31T16:00:00+00:00 is 2026-09-01 01:00 in Seoul.
    assert site.exists(f"/ko/notices/{C}/")
    assert not site.exists("/ko/notices/2026/08/youth-club-stage/")
    assert "2026년 9월 1일(화) 01:00 KST" in site.doc(f"/ko/notices/{C}/").text
    assert "Tue, Sep 1, 2026 01:00 KST" in site.doc(f"/en/notices/{C}/").text


def test_no_english_page_or_feed_for_korean_only_content(site):
    assert not site.exists(f"/en/notices/{E}/")
    assert not site.exists("/en/programs/small-libraries/")
    assert not site.exists("/en/programs/small-libraries/feed.xml")


# -- languages ---------------------------------------------------------------------------

def test_html_lang_is_right_on_every_page(site):
    pages = site.html_pages()
    assert len(pages) > 25
    for page in pages:
        url = site.url_of(page)
        expected = url.split("/")[1] if url.startswith(("/ko/", "/en/")) else "ko"
        assert site.doc(url).lang == expected, url


def test_canonical_link_on_every_language_page(site):
    for page in site.html_pages():
        url = site.url_of(page)
        if url.startswith(("/ko/", "/en/")):
            assert site.doc(url).canonical() == BASE + url, url


def test_hreflang_alternates_name_every_existing_translation(site):
    for page in site.html_pages():
        url = site.url_of(page)
        if not url.startswith(("/ko/", "/en/")):
            continue
        alternates = site.doc(url).hreflangs()
        lang = url.split("/")[1]
        assert alternates.get(lang) == BASE + url, url
        for code, href in alternates.items():
            assert href.startswith(BASE + "/"), (url, href)
            assert site.exists(href[len(BASE):]), (url, code, href)
    assert site.doc(f"/ko/notices/{A}/").hreflangs() == {
        "ko": f"{BASE}/ko/notices/{A}/", "en": f"{BASE}/en/notices/{A}/",
        "x-default": f"{BASE}/ko/notices/{A}/"}
    assert set(site.doc(f"/en/notices/{A}/").hreflangs()) == {"ko", "en", "x-default"}
    # A page with no translation names only itself.
    assert site.doc(f"/ko/notices/{E}/").hreflangs() == {
        "ko": f"{BASE}/ko/notices/{E}/", "x-default": f"{BASE}/ko/notices/{E}/"}
    assert set(site.doc("/ko/programs/small-libraries/").hreflangs()) == {"ko", "x-default"}


def test_language_switch_goes_to_the_translation_or_the_other_home(site):
    expected = {
        f"/ko/notices/{A}/": {"en": f"/en/notices/{A}/"},
        f"/en/notices/{A}/": {"ko": f"/ko/notices/{A}/"},
        f"/en/notices/{D}/": {"ko": f"/ko/notices/{D}/"},
        f"/ko/notices/{E}/": {"en": "/en/"},
        "/ko/programs/small-libraries/": {"en": "/en/"},
        "/ko/programs/visiting-community-center/": {"en": "/en/programs/visiting-community-center/"},
        "/ko/notices/page/2/": {"en": "/en/notices/page/2/"},
        "/en/departments/culture-sports/": {"ko": "/ko/departments/culture-sports/"},
        "/ko/": {"en": "/en/"},
    }
    for url, switch in expected.items():
        assert site.doc(url).language_switch() == switch, url


def test_english_lists_show_korean_only_notice_marked_and_linking_to_korean(site):
    korean_url = f"/ko/notices/{E}/"
    pages = ["/en/", "/en/notices/", "/en/departments/welfare-policy/"]
    for url in pages:
        block = entry_block(site.raw(url), korean_url)
        assert "어르신 경로식당 무료 점심 지원 확대" in block, url
        assert "Korean only" in block, url
        assert 'hreflang="ko"' in block, url
    # Translated notices are listed in English and not marked.
    block = entry_block(site.raw("/en/notices/"), f"/en/notices/{D}/")
    assert "Visiting Community Service Centers expand to every dong" in block
    assert "Korean only" not in block
    timeline = site.raw("/en/programs/visiting-community-center/")
    assert f'href="{korean_url}"' in timeline and "Korean only" in timeline


def test_untranslated_hide_leaves_korean_only_notice_out_of_english(hidden):
    korean_url = f"/ko/notices/{E}/"
    for page in hidden.html_pages():
        url = hidden.url_of(page)
        if url.startswith("/en/"):
            text = page.read_text(encoding="utf-8")
            assert korean_url not in text and "어르신 경로식당" not in text, url
    # 4 English notices at 2 a page: 2 pages; Korean keeps its 5 on 3 pages.
    assert hidden.exists("/en/notices/page/2/")
    assert not hidden.exists("/en/notices/page/3/")
    assert hidden.exists("/ko/notices/page/3/")
    assert f'href="{korean_url}"' in hidden.raw("/ko/notices/")


def test_english_program_index_lists_korean_only_program(site):
    block = entry_block(site.raw("/en/programs/"), "/ko/programs/small-libraries/")
    assert "우리 동네 작은도서관" in block
    assert "Korean only" in block and 'hreflang="ko"' in block
    block = entry_block(site.raw("/en/programs/"), "/en/programs/visiting-community-center/")
    assert "Visiting Community Service Centers" in block and "Korean only" not in block


def test_english_notice_links_korean_only_program_in_korean(site):
    doc = site.doc(f"/en/notices/{B}/")
    links = [a for a in doc.anchors if a["href"] == "/ko/programs/small-libraries/"]
    assert links and links[0].get("hreflang") == "ko"


# -- what a notice page carries ----------------------------------------------------------

def test_machine_translation_disclaimer_is_visible(site):
    doc = site.doc(f"/en/notices/{D}/")
    assert "This text was translated by machine" in doc.text
    assert any(a["href"] == f"/ko/notices/{D}/" for a in doc.anchors)
    assert "translated by machine" not in site.doc(f"/en/notices/{A}/").text
    assert "기계 번역" not in site.doc(f"/ko/notices/{D}/").text


def test_contacts_with_role_labels_and_tel_links(site):
    ko = site.doc(f"/ko/notices/{A}/")
    for line in ("과장 박정숙 02-330-1280", "팀장 정지현 02-330-8632",
                 "담당자 신윤경 02-330-1629 welfare@example.go.kr"):
        assert line in ko.text
    hrefs = {a["href"] for a in ko.anchors}
    assert {"tel:02-330-1280", "tel:02-330-8632", "tel:02-330-1629",
            "mailto:welfare@example.go.kr"} <= hrefs
    en = site.doc(f"/en/notices/{A}/")
    # Romanized on the English page, the name as written beside it.
    for line in ("Director Park Jeong-suk (박정숙) 02-330-1280",
                 "Team leader Jeong Ji-hyeon (정지현) 02-330-8632",
                 "Officer in charge Shin Yun-gyeong (신윤경) 02-330-1629"):
        assert line in en.text
    assert "tel:02-330-1280" in {a["href"] for a in en.anchors}
    # A label of the writer's own is shown as written.
    assert "주무관 이하늘 02-330-1845" in site.doc(f"/ko/notices/{B}/").text


def test_corrections_are_shown_newest_first(site):
    ko = site.doc(f"/ko/notices/{A}/").text
    newer, older = "2026년 5월 20일(수): 협약 기관명 오기 수정", "2026년 5월 13일(수): 담당자 연락처 정정"
    assert newer in ko and older in ko
    assert ko.index(newer) < ko.index(older)
    en = site.doc(f"/en/notices/{A}/").text
    assert en.index("Wed, May 20, 2026:") < en.index("Wed, May 13, 2026:")


def test_attachment_is_linked_with_its_size_and_type(site):
    for lang in ("ko", "en"):
        doc = site.doc(f"/{lang}/notices/{A}/")
        url = "/static/attachments/2026/support-team-agreement.pdf"
        links = [a for a in doc.anchors if a["href"] == url]
        assert links and links[0].get("type") == "application/pdf"
        assert "협약서 요약 (PDF, 1.5 KB)" in doc.text
    copied = site.path("/static/attachments/2026/support-team-agreement.pdf")
    source = FIXTURE_SITE / "static/attachments/2026/support-team-agreement.pdf"
    assert copied.read_bytes() == source.read_bytes()


def test_dates_in_each_locale(site):
    # Read without CSS, as the search index reads it: each label ends in ': '.
    ko = site.doc(f"/ko/notices/{A}/").text
    assert "보도일자: 2026년 5월 12일(화)" in ko
    assert "제공일자: 2026년 5월 11일(월)" in ko
    en = site.doc(f"/en/notices/{A}/").text
    assert "Release: Tue, May 12, 2026" in en
    assert "Provided: Mon, May 11, 2026" in en
    # Lists use the same formats.
    assert "2026년 5월 12일(화)" in site.doc("/ko/notices/page/3/").text
    assert "Tue, May 12, 2026" in site.doc("/en/notices/page/3/").text


def test_notice_page_shows_titles_department_programs_and_tags(site):
    doc = site.doc(f"/ko/notices/{A}/")
    assert "찾아가는 동주민센터 추진지원단 운영 협약 체결" in doc.text
    assert "관내 3개 종합사회복지관 컨소시엄 체결" in doc.text
    assert "민관 협력으로 복지 사각지대 해소에 나서" in doc.text
    hrefs = {a["href"] for a in doc.anchors}
    assert "/ko/departments/welfare-policy/" in hrefs
    assert "/ko/programs/visiting-community-center/" in hrefs
    assert "민관협력" in doc.text


def test_department_and_program_pages_list_their_notices(site):
    welfare = site.raw("/ko/departments/welfare-policy/")
    assert all(f'href="/ko/notices/{n}/"' in welfare for n in (A, D, E))
    assert f'href="/ko/notices/{B}/"' not in welfare
    assert "tel:02-330-1280" in welfare
    timeline = site.raw("/ko/programs/visiting-community-center/")
    positions = [timeline.index(f'href="/ko/notices/{n}/"') for n in (A, E, D)]
    assert positions == sorted(positions), "a program's timeline runs oldest to newest"


# -- embargo and drafts ---------------------------------------------------------------------

def test_embargoed_notice_appears_nowhere_one_minute_before(site):
    assert not site.exists(f"/ko/notices/{EMBARGOED}/")
    assert not site.exists(f"/en/notices/{EMBARGOED}/")
    assert not site.path("/" + EMBARGOED_FILE).exists()
    for path in site.files():
        data = path.read_bytes()
        for needle in ("kimjang", "김장", "Kimchi-making", "kimjang-volunteers"):
            assert needle.encode() not in data, (path, needle)


def test_embargoed_notice_appears_at_its_release_time(released):
    for lang in ("ko", "en"):
        url = f"/{lang}/notices/{EMBARGOED}/"
        assert released.exists(url)
        assert f'href="{url}"' in released.raw(f"/{lang}/notices/")
        assert f'href="{url}"' in released.raw(f"/{lang}/departments/welfare-policy/")
        assert BASE + url in released.raw(f"/{lang}/feed.xml")
        assert BASE + url in released.raw(f"/{lang}/atom.xml")
        assert BASE + url in released.raw("/sitemap.xml")
    assert released.path("/" + EMBARGOED_FILE).read_bytes() == \
        (FIXTURE_SITE / EMBARGOED_FILE).read_bytes()
    assert "사랑의 김장 나눔 행사 개최" in released.doc(f"/ko/notices/{EMBARGOED}/").text


def test_now_without_offset_is_in_the_site_timezone(tmp_path):
    # 12:00:30 in Seoul is before the 12:01 release; read as UTC it would be 21:00:30 in Seoul.
    before = build(tmp_path / "before", now="2026-11-23T12:00:30")
    assert not before.exists(f"/ko/notices/{EMBARGOED}/")
    assert "1 embargoed" in before.result.stdout
    # The same instant as the release, written in UTC.
    at = build(tmp_path / "at", now="2026-11-23T03:01:00+00:00")
    assert at.exists(f"/ko/notices/{EMBARGOED}/")


def test_drafts_never_appear(site, released):
    for built in (site, released):
        assert not built.exists(f"/ko/notices/{DRAFT}/")
        for path in built.files():
            data = path.read_bytes()
            assert b"reading-festival-report" not in data, path
            assert "독서 축제 결과 보고".encode() not in data, path


def test_drafts_appear_with_the_drafts_option(with_drafts):
    url = f"/ko/notices/{DRAFT}/"
    assert with_drafts.exists(url)
    assert "초안입니다" in with_drafts.doc(url).text
    assert f'href="{url}"' in with_drafts.raw("/ko/notices/")
    assert f'href="{url}"' in with_drafts.raw("/ko/programs/small-libraries/")
    # --drafts does not lift the embargo.
    assert not with_drafts.exists(f"/ko/notices/{EMBARGOED}/")


# -- sanitization ----------------------------------------------------------------------------

def _unsafe_markup(fragment: str) -> list[str]:
    """Script elements, event handlers and javascript: URLs in an HTML fragment."""
    found = []
    for element in Page(fragment).elements:
        tag, attributes = element.tag, element.attrs
        if tag in ("script", "style", "iframe"):
            found.append(f"<{tag}>")
        for name, value in attributes.items():
            cleaned = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name.startswith("on") or cleaned.startswith(("javascript:", "vbscript:")):
                found.append(f"<{tag} {name}={value!r}>")
    return found


OWN_SCRIPTS = re.compile(r'<script src="/assets/search\.js" defer></script>|'
                         r'<script type="application/ld\+json">[^<]*</script>')
"""The generator's own scripts: the search page's, and JSON-LD data (no '<' inside)."""


def test_no_script_event_handler_or_javascript_url_in_any_output_file(site):
    checked = 0
    for path in site.files():
        if path.suffix not in (".html", ".xml"):
            continue
        raw = OWN_SCRIPTS.sub("", path.read_text(encoding="utf-8"))
        text = html.unescape(raw)  # feeds carry HTML escaped once more (Atom) or in CDATA
        assert "<script" not in text.lower(), path
        assert "onerror" not in text.lower(), path
        assert not _unsafe_markup(raw), path
        assert not _unsafe_markup(text), path
        checked += 1
    assert checked > 30


def test_the_text_javascript_colon_appears_in_no_output_file(site):
    offenders = [str(p.relative_to(site.out)) for p in site.files()
                 if b"javascript:" in p.read_bytes().lower()]
    assert not offenders


def test_table_and_korean_bold_survive_sanitization(site):
    page = site.raw(f"/ko/notices/{D}/")
    assert "<strong>'찾아가는 동주민센터'</strong>를" in page
    assert "<table>" in page and '<td style="text-align:right">14개 동</td>' in page
    assert "<th" in page
    feed = html.unescape(site.raw("/ko/feed.xml"))
    assert "<strong>'찾아가는 동주민센터'</strong>를" in feed
    assert "<table>" in feed
    # The text around the removed markup stays.
    assert "자세한 안내는" in page and "동주민센터 안내" in page


# -- determinism --------------------------------------------------------------------------------

def test_two_builds_are_byte_identical(site, tmp_path):
    again = build(tmp_path / "again")
    first = {p.relative_to(site.out).as_posix(): p.read_bytes() for p in site.files()}
    second = {p.relative_to(again.out).as_posix(): p.read_bytes() for p in again.files()}
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert not different


# -- links -----------------------------------------------------------------------------------------

def test_every_internal_link_resolves(site):
    assert not broken_internal_links(site)


def test_every_internal_link_resolves_after_embargo_and_with_drafts(released, with_drafts):
    assert not broken_internal_links(released)
    assert not broken_internal_links(with_drafts)


def test_every_internal_link_resolves_with_untranslated_hide(hidden):
    assert not broken_internal_links(hidden)


def test_language_pages_link_their_feeds_own_language_first(site):
    for page in site.html_pages():
        url = site.url_of(page)
        if not url.startswith(("/ko/", "/en/")):
            continue
        lang = url.split("/")[1]
        feeds = site.doc(url).feed_links()
        site_feeds = [f for f in feeds if f in ("/ko/feed.xml", "/en/feed.xml")]
        assert site_feeds[0] == f"/{lang}/feed.xml", url
        assert all(site.exists(f) for f in feeds), url
    feeds = site.doc(f"/ko/notices/{A}/").feed_links()
    assert "/ko/departments/welfare-policy/feed.xml" in feeds
    assert "/ko/programs/visiting-community-center/feed.xml" in feeds


def test_chooser_and_not_found_pages_link_the_feeds(site):
    for url in ("/index.html", "/404.html"):
        assert site.doc(url).feed_links()[:1] == ["/ko/feed.xml"], url


def test_chooser_offers_both_homes(site):
    doc = site.doc("/index.html")
    hrefs = [a["href"] for a in doc.anchors]
    assert "/ko/" in hrefs and "/en/" in hrefs


# -- the sample site ------------------------------------------------------------------------------------

def test_sample_site_builds(sample):
    assert sample.result.returncode == 0
    assert sample.exists("/ko/notices/2016/05/hongeun-support-team/")
    assert len(list((sample.out / "ko" / "notices").glob("*/*/*/index.html"))) == 5


def test_every_internal_link_of_the_sample_site_resolves(sample):
    assert not broken_internal_links(sample)


# -- static files shown only by unpublished notices ---------------------------------------

SITE_PLAN = "/static/images/2027-new-city-hall-site.jpg"
RESULTS_CHART = "/static/images/2026/festival-results.png"
SHARED_PHOTO = "/static/images/2026/agreement-ceremony.png"


@pytest.fixture(scope="module")
def body_images(tmp_path_factory) -> Path:
    """The fixture with a picture only the embargoed notice shows (Korean Markdown, English
    raw HTML), one only the draft shows, and the embargoed notice also showing the photo
    the published support-team-agreement shows."""
    content = tmp_path_factory.mktemp("body-images") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    for path in (SITE_PLAN, RESULTS_CHART):
        (content / path[1:]).parent.mkdir(parents=True, exist_ok=True)
        (content / path[1:]).write_bytes(b"\x89PNG\r\n\x1a\n" + path.encode())
    notices = content / "notices/2026"
    with open(notices / "kimjang-sharing.ko.md", "a", encoding="utf-8") as f:
        f.write(f"\n![신청사 부지]({SITE_PLAN})\n\n![협약식 현장]({SHARED_PHOTO})\n")
    with open(notices / "kimjang-sharing.en.md", "a", encoding="utf-8") as f:
        f.write(f'\n<img src="{SITE_PLAN}" alt="The new city hall site">\n')
    with open(notices / "reading-festival-report.ko.md", "a", encoding="utf-8") as f:
        f.write(f"\n![참여 현황](https://example.go.kr{RESULTS_CHART})\n")
    return content


def test_a_picture_only_an_embargoed_notice_shows_waits_for_its_release(body_images, tmp_path):
    before = build(tmp_path / "before", content=body_images)
    assert not before.path(SITE_PLAN).exists()
    assert before.path(SHARED_PHOTO).is_file()
    after = build(tmp_path / "after", content=body_images, now=ONE_MINUTE_LATER)
    assert after.path(SITE_PLAN).read_bytes() == (body_images / SITE_PLAN[1:]).read_bytes()
    assert f'src="{SITE_PLAN}"' in after.raw(f"/ko/notices/{EMBARGOED}/")
    assert f'src="{SITE_PLAN}"' in after.raw(f"/en/notices/{EMBARGOED}/")
    assert not broken_internal_links(after)


def test_a_picture_only_a_draft_shows_is_published_with_drafts_only(body_images, tmp_path):
    without = build(tmp_path / "without", content=body_images, now=ONE_MINUTE_LATER)
    assert not without.path(RESULTS_CHART).exists()
    drafts = build(tmp_path / "drafts", "--drafts", content=body_images)
    assert drafts.path(RESULTS_CHART).is_file()
    assert not drafts.path(SITE_PLAN).exists()


# -- old addresses (aliases) and the feed guid ---------------------------------------------

MOVED = {
    # Released in April at first, then moved to May: its April address stays.
    "notices/2026/moved-notice.ko.md":
        "---\ntitle: 옮겨진 보도자료\ndepartment: welfare-policy\nrelease: 2026-05-04\n"
        "aliases:\n  - /ko/notices/2026/04/moved-notice/\n  - /en/notices/2026/04/moved-notice/\n"
        "---\n본문.\n",
    "notices/2026/moved-notice.en.md":
        "---\ntitle: A moved notice\n---\nText.\n",
    "notices/2026/renamed.ko.md":
        "---\ntitle: 이름이 바뀐 보도자료\ndepartment: welfare-policy\nrelease: 2026-05-05\n"
        "aliases: [/ko/notices/2026/05/old-name/]\nguid: tag:example.go.kr,2026:old-name\n"
        "---\n본문.\n",
}


@pytest.fixture(scope="module")
def moved(tmp_path_factory) -> Built:
    from conftest import write_files
    content = tmp_path_factory.mktemp("moved") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    write_files(content, MOVED)
    return build(tmp_path_factory.mktemp("moved-out") / "out", content=content)


def test_an_alias_is_a_redirect_page_to_the_moved_notice_in_its_language(moved):
    for lang in ("ko", "en"):
        page = moved.path(f"/{lang}/notices/2026/04/moved-notice/").read_text("utf-8")
        target = f"/{lang}/notices/2026/05/moved-notice/"
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in page
        assert f'<link rel="canonical" href="https://example.go.kr{target}">' in page
        assert f'<a href="{target}">' in page
        assert '<meta name="robots" content="noindex">' in page
        assert "data-pagefind" not in page
        assert f'<html lang="{lang}">' in page
    sitemap = (moved.out / "sitemap.xml").read_text("utf-8")
    assert "/2026/05/moved-notice/" in sitemap and "/04/moved-notice/" not in sitemap
    assert "old-name" not in sitemap and (moved.out / "ko/notices/2026/05/old-name/index.html").is_file()


def test_a_moved_notice_keeps_its_feed_guid(moved):
    rss = (moved.out / "ko/feed.xml").read_text("utf-8")
    assert ('<guid isPermaLink="false">https://example.go.kr/ko/notices/2026/04/moved-notice/'
            '</guid>') in rss
    assert "<link>https://example.go.kr/ko/notices/2026/05/moved-notice/</link>" in rss
    atom = (moved.out / "en/atom.xml").read_text("utf-8")
    assert "<id>https://example.go.kr/en/notices/2026/04/moved-notice/</id>" in atom
    assert '<guid isPermaLink="false">tag:example.go.kr,2026:old-name</guid>' in rss
    # A notice that never moved keeps its permalink as its guid.
    assert ('<guid isPermaLink="true">https://example.go.kr/ko/notices/2026/05/'
            'support-team-agreement/</guid>') in rss


def test_wrong_aliases_are_errors_naming_file_and_line(site_copy, tmp_path):
    from conftest import write_files
    content = site_copy
    write_files(content, {
        # Each alias checked alone (the notice is then left out, so not compared).
        "notices/2026/a.ko.md":
            "---\ntitle: 가\ndepartment: welfare-policy\nrelease: 2026-05-04\naliases:\n"
            "  - ko/notices/2026/04/a/\n"                     # line 6: not from '/'
            "  - /ko/notices/2026/../04/a/\n"                 # 7: '..'
            "  - /ko/programs/small-libraries/\n"             # 8: not a notice address
            "guid: not a url\n"                               # 9
            "---\n본문.\n",
        # Aliases compared with every notice's address and every other alias.
        "notices/2026/c.ko.md":
            "---\ntitle: 다\ndepartment: welfare-policy\nrelease: 2026-05-04\naliases:\n"
            "  - /ko/notices/2026/05/c/\n"                    # 6: its own address
            "  - /ko/notices/2026/05/support-team-agreement/\n"  # 7: another notice's
            "  - /ko/notices/2026/03/shared/\n"               # 8: also in b.ko.md
            "---\n본문.\n",
        "notices/2026/b.ko.md":
            "---\ntitle: 나\ndepartment: welfare-policy\nrelease: 2026-05-05\n"
            "aliases: [/ko/notices/2026/03/shared/]\n---\n본문.\n"})
    result = run_build("--content", str(content), "--output", str(tmp_path / "out"),
                       "--now", NOW_ARG, "--lang", "en")
    assert result.returncode == 1 and not (tmp_path / "out").exists()
    for name, line, words in (
            ("a", 6, "starting with '/'"), ("a", 7, "'..'"),
            ("a", 8, "not the address of a press release"), ("a", 9, "'guid: not a url'"),
            ("c", 6, "current address of this press release"),
            ("c", 7, "address of another press release"), ("c", 8, "also given in")):
        assert re.search(rf"notices/2026/{name}\.ko\.md:{line}: .*{re.escape(words)}",
                         result.stderr), (name, line, result.stderr)


def test_a_build_warns_of_a_phone_number_it_publishes_as_written(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    notice = content / "notices/2026/kimjang-sharing.ko.md"
    notice.write_text(notice.read_text("utf-8").replace("phone: 02-330-8632",
                                                        "phone: 02)330-8632"), "utf-8")
    line = notice.read_text("utf-8").splitlines().index(
        "  - {role: team_lead, name: 정지현, phone: 02)330-8632}") + 1
    args = ("--content", str(content), "--now", NOW.isoformat())
    for cached in (False, True):  # a second build, from the cache, warns the same
        result = run_build(*args, "--output", str(tmp_path / "out"),
                           "--cache", str(tmp_path / "cache"), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stderr.splitlines() == [
            f"warning: content/notices/2026/kimjang-sharing.ko.md:{line}: the phone number "
            "'02)330-8632' does not look like a Korean phone number; write it like "
            "02-330-1280 (Seoul), 031-123-4567, 010-1234-5678 or 1588-1234."], cached
        assert "; 1 warning (above)." in result.stdout
    check = run_build("check", *args, cwd=tmp_path)
    assert check.stdout.count("02)330-8632") == 1
