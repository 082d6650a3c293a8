"""The feeds of the fixture site, read back the way a feed reader reads them (feedparser)."""

from __future__ import annotations

import html
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from conftest import FIXTURE_SITE, NOW, Page, run_build

BASE = "https://example.go.kr"
A, B, C, D, E = ("2026/05/support-team-agreement", "2026/06/library-reading-festival",
                 "2026/09/youth-club-stage", "2026/10/visiting-center-expansion",
                 "2026/09/senior-lunch-service")

FEEDS = {
    # feed -> its items, newest first
    "ko/feed.xml": ("ko", [D, E, C, B, A]),
    "ko/atom.xml": ("ko", [D, E, C, B, A]),
    "en/feed.xml": ("en", [D, C, B, A]),
    "en/atom.xml": ("en", [D, C, B, A]),
    "ko/departments/welfare-policy/feed.xml": ("ko", [D, E, A]),
    "ko/departments/culture-sports/feed.xml": ("ko", [C, B]),
    "en/departments/welfare-policy/feed.xml": ("en", [D, A]),
    "en/departments/culture-sports/feed.xml": ("en", [C, B]),
    "ko/programs/visiting-community-center/feed.xml": ("ko", [D, E, A]),
    "ko/programs/small-libraries/feed.xml": ("ko", [B]),
    "en/programs/visiting-community-center/feed.xml": ("en", [D, A]),
}

C_SUMMARY = {"ko": "만 19~34세 청년 동아리 <청춘 무대> 참가팀을 모집하며, 음악 & 연극 분야 팀당 "
                   "최대 300만 원을 지원한다.",
             "en": "Clubs of residents aged 19 to 34 (< 35) can apply for the <Youth Stage> & "
                   "receive up to 3 million won."}


def build(out: Path, content: Path = FIXTURE_SITE, now: str = NOW.isoformat()) -> Path:
    result = run_build("--content", str(content), "--output", str(out), "--now", now)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("feeds") / "output")


@pytest.fixture(scope="module")
def parsed(out) -> dict[str, feedparser.FeedParserDict]:
    return {name: feedparser.parse((out / name).read_bytes()) for name in FEEDS}


def tags_in(fragment: str) -> list[str]:
    return [element.tag for element in Page(fragment).elements]


def test_the_feeds_are_exactly_the_contract_feeds(out):
    feeds = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xml")
                   if p.name != "sitemap.xml")
    assert feeds == sorted(FEEDS)


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_feed_parses_without_bozo_with_the_right_items_newest_first(parsed, name):
    feed = parsed[name]
    lang, items = FEEDS[name]
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == ("atom10" if name.endswith("atom.xml") else "rss20")
    assert feed.feed.language == lang
    assert [e.link for e in feed.entries] == [f"{BASE}/{lang}/notices/{n}/" for n in items]
    published = [e.published_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)


def test_english_feeds_carry_only_notices_written_in_english(parsed):
    for name, feed in parsed.items():
        if name.startswith("en/"):
            for entry in feed.entries:
                assert entry.link.startswith(f"{BASE}/en/notices/"), (name, entry.link)
                assert not re.search(r"[\uac00-\ud7af]", entry.title), (name, entry.title)


def test_guid_is_the_permalink_of_a_page_that_exists(out, parsed):
    for name, feed in parsed.items():
        for entry in feed.entries:
            assert entry.id == entry.link, name
            page = out / entry.link[len(BASE) + 1:] / "index.html"
            assert page.is_file(), entry.link
    for name in FEEDS:
        if name.endswith("feed.xml"):
            for guid in ET.parse(out / name).getroot().iter("guid"):
                assert guid.get("isPermaLink") == "true", name


def test_dates_carry_the_seoul_offset_in_the_raw_xml(out):
    for name in FEEDS:
        raw = (out / name).read_text(encoding="utf-8")
        if name.endswith("atom.xml"):
            dates = re.findall(r"<(?:updated|published)>([^<]+)<", raw)
            assert dates and all(d.endswith("+09:00") for d in dates), (name, dates)
        else:
            dates = re.findall(r"<(?:pubDate|lastBuildDate)>([^<]+)<", raw)
            assert dates and all(d.endswith(" +0900") for d in dates), (name, dates)
    # The release written in UTC is given in Seoul time.
    assert "<pubDate>Tue, 01 Sep 2026 01:00:00 +0900</pubDate>" in (out / "ko/feed.xml").read_text()
    assert "<published>2026-09-01T01:00:00+09:00</published>" in (out / "en/atom.xml").read_text()


def test_feed_date_is_its_newest_item_date(parsed):
    for name, feed in parsed.items():
        if name.endswith("atom.xml"):
            assert feed.feed.updated_parsed == max(e.updated_parsed for e in feed.entries), name
        else:
            assert feed.feed.updated == feed.entries[0].published, name
    assert parsed["ko/feed.xml"].feed.updated == "Thu, 15 Oct 2026 00:00:00 +0900"
    assert parsed["en/atom.xml"].feed.updated == "2026-10-15T00:00:00+09:00"
    assert parsed["ko/departments/culture-sports/feed.xml"].feed.updated == \
        "Tue, 01 Sep 2026 01:00:00 +0900"
    assert parsed["ko/programs/small-libraries/feed.xml"].feed.updated == \
        "Tue, 02 Jun 2026 10:00:00 +0900"


def test_atom_entry_updated_follows_the_notice(parsed):
    entries = {e.link: e for e in parsed["ko/atom.xml"].entries}
    agreement = entries[f"{BASE}/ko/notices/{A}/"]
    assert agreement.updated == "2026-05-20T09:30:00+09:00"
    assert agreement.published == "2026-05-12T00:00:00+09:00"


def test_feeds_do_not_depend_on_the_build_time(out, tmp_path):
    """An hour earlier nothing is published or lifted, so every feed is the same bytes."""
    earlier = build(tmp_path / "earlier", now="2026-11-23T11:00:00+09:00")
    for name in FEEDS:
        assert (earlier / name).read_bytes() == (out / name).read_bytes(), name


def test_links_inside_content_are_absolute(parsed):
    for name, feed in parsed.items():
        for entry in feed.entries:
            content = entry.content[0].value
            assert not re.search(r'(?:href|src)="/(?!/)', content), (name, entry.link)
    entry = next(e for e in parsed["ko/feed.xml"].entries if e.link.endswith(f"{A}/"))
    content = entry.content[0].value
    assert f'href="{BASE}/static/images/2026/agreement-ceremony.png"' in content
    assert f'src="{BASE}/static/images/2026/agreement-ceremony.png"' in content


def test_content_is_full_html(parsed):
    entry = next(e for e in parsed["ko/feed.xml"].entries if e.link.endswith(f"{D}/"))
    content = entry.content[0].value
    assert "<strong>'찾아가는 동주민센터'</strong>를" in content
    assert "<table>" in content
    entry = next(e for e in parsed["en/atom.xml"].entries if e.link.endswith(f"{D}/"))
    assert entry.content[0].type == "text/html"
    assert "<table>" in entry.content[0].value


def test_rss_description_is_escaped_plain_text(out, parsed):
    for lang in ("ko", "en"):
        name = f"{lang}/feed.xml"
        entry = next(e for e in parsed[name].entries if e.link.endswith(f"{C}/"))
        # A reader treats description as HTML: it must hold no markup and show the text.
        assert tags_in(entry.summary) == [], entry.summary
        assert html.unescape(entry.summary) == C_SUMMARY[lang]
        item = next(i for i in ET.parse(out / name).getroot().iter("item")
                    if i.findtext("link").endswith(f"{C}/"))
        assert item.findtext("description") == html.escape(C_SUMMARY[lang], quote=False)


def test_atom_summary_is_plain_text(parsed):
    entry = next(e for e in parsed["en/atom.xml"].entries if e.link.endswith(f"{C}/"))
    assert entry.summary_detail.type == "text/plain"
    assert entry.summary == C_SUMMARY["en"]


def test_summary_defaults_to_the_first_paragraph(parsed):
    entry = next(e for e in parsed["ko/feed.xml"].entries if e.link.endswith(f"{B}/"))
    assert html.unescape(entry.summary) == \
        "서대문구는 6월 13일부터 이틀간 관내 작은도서관 24곳에서 ‘서대문 독서 축제’를 연다고 밝혔다."


def test_feed_links_point_at_the_site(parsed):
    rss = parsed["en/departments/culture-sports/feed.xml"].feed
    assert rss.link == f"{BASE}/en/departments/culture-sports/"
    atom = parsed["ko/atom.xml"].feed
    assert atom.id == f"{BASE}/ko/atom.xml"
    assert {link.rel: link.href for link in atom.links} == {
        "self": f"{BASE}/ko/atom.xml", "alternate": f"{BASE}/ko/"}


def test_feed_items_limit(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    settings = content / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "feed_items: 50", "feed_items: 2"), encoding="utf-8")
    limited = build(tmp_path / "output", content=content)
    for name, (lang, items) in FEEDS.items():
        feed = feedparser.parse((limited / name).read_bytes())
        assert not feed.bozo
        assert [e.link for e in feed.entries] == \
            [f"{BASE}/{lang}/notices/{n}/" for n in items[:2]], name
    # Lists are not limited by feed_items.
    assert (limited / "ko/notices/page/3/index.html").is_file()


def _item_content(feed: feedparser.FeedParserDict, path: str) -> str:
    entry = next(e for e in feed.entries if e.link == f"{BASE}/{feed.feed.language}/notices/{path}/")
    return entry.content[0].value


@pytest.mark.parametrize("name", ["en/feed.xml", "en/atom.xml"])
def test_a_machine_translated_item_starts_with_the_notice_its_page_shows(parsed, name):
    content = _item_content(parsed[name], D)
    assert content.startswith("<p><em>This text was translated by machine. The Korean "
                              "original is authoritative.</em>")
    assert f'<a href="{BASE}/ko/notices/{D}/">Read the Korean original</a>' in content
    assert "translated by machine" not in _item_content(parsed[name], A)


@pytest.mark.parametrize("name", ["ko/feed.xml", "ko/atom.xml", "en/feed.xml"])
def test_a_corrected_item_starts_with_its_corrections_newest_first(parsed, name):
    content = _item_content(parsed[name], A)
    heading = "정정 내역" if name.startswith("ko") else "Corrections"
    assert content.startswith(f"<p><strong>{heading}</strong></p>")
    newest, older = content.index("2026-05-20: 협약 기관명 오기 수정"), \
        content.index("2026-05-13: 담당자 연락처 정정")
    assert newest < older < content.index("서대문구" if name.startswith("ko") else "Seodaemun")
    assert "<strong>" not in _item_content(parsed[name], B).split("</p>")[0]


def test_every_channel_describes_itself_with_the_site_description(parsed):
    described = {"ko": "자동 시험에 쓰는 서대문구 보도자료 예시입니다.",
                 "en": "Sample Seodaemun-gu press releases used by the automated tests."}
    for name, (lang, _) in FEEDS.items():
        feed = parsed[name].feed
        assert (feed.get("subtitle") or feed.get("description")) == described[lang], name
