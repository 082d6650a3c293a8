"""The site graph: what is published at `now`, pagination, pairing of translations, feeds."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import timedelta
from urllib.parse import quote

import pytest

from conftest import FIXTURE_SITE, KST, NOW
from site_builder.graph import build_graph, is_published, paginate
from site_builder.model import frozen_map
from site_builder.pipeline import load_site

A, B, C, D, E = ("2026/05/support-team-agreement", "2026/06/library-reading-festival",
                 "2026/09/youth-club-stage", "2026/10/visiting-center-expansion",
                 "2026/09/senior-lunch-service")
EMBARGOED, DRAFT = "2026/11/kimjang-sharing", "2026/11/reading-festival-report"
EMBARGOED_FILE = "attachments/2026/kimjang-volunteers.pdf"


@pytest.fixture(scope="module")
def site():
    site, _strings, warnings = load_site(FIXTURE_SITE)
    assert not warnings
    return site


@pytest.fixture(scope="module")
def graph(site):
    return build_graph(site, NOW)


def with_settings(site, **changes):
    return dataclasses.replace(site, config=dataclasses.replace(site.config, **changes))


def pages_of(graph, kind, lang=None):
    return [p for p in graph.pages if p.kind == kind and (lang is None or p.lang == lang)]


def page(graph, url):
    found = [p for p in graph.pages if p.url == url]
    assert len(found) == 1, url
    return found[0]


def notice_urls(graph, lang):
    return {p.url for p in pages_of(graph, "notice", lang)}


def the_notice(site, slug):
    return next(n for n in site.notices if n.slug == slug)


# -- pagination ------------------------------------------------------------------------------

@pytest.mark.parametrize("count, sizes", [
    (0, [0]), (1, [1]), (2, [2]), (3, [2, 1]), (4, [2, 2]), (5, [2, 2, 1]), (6, [2, 2, 2]),
])
def test_paginate_two_a_page(count, sizes):
    chunks = paginate(list(range(count)), 2)
    assert [len(c) for c in chunks] == sizes
    assert [x for c in chunks for x in c] == list(range(count))


def test_five_notices_make_three_pages_and_four_make_two(site):
    shown = build_graph(site, NOW)  # untranslated: show -> 5 entries in English too
    assert [p.url for p in pages_of(shown, "notices", "ko")] == \
        ["/ko/notices/", "/ko/notices/page/2/", "/ko/notices/page/3/"]
    assert len(pages_of(shown, "notices", "en")) == 3
    hidden = build_graph(with_settings(site, untranslated="hide"), NOW)
    assert [p.url for p in pages_of(hidden, "notices", "en")] == \
        ["/en/notices/", "/en/notices/page/2/"]
    assert len(pages_of(hidden, "notices", "ko")) == 3


def test_pager_links_at_the_boundaries(graph):
    first, second, last = pages_of(graph, "notices", "ko")
    assert first.context["pager"] == {"number": 1, "total": 3, "prev": None,
                                      "next": "/ko/notices/page/2/"}
    assert second.context["pager"]["prev"] == "/ko/notices/"
    assert second.context["pager"]["next"] == "/ko/notices/page/3/"
    assert last.context["pager"]["next"] is None
    assert [len(p.context["entries"]) for p in (first, second, last)] == [2, 2, 1]


def test_a_list_with_no_notices_has_one_empty_page(site):
    before_all = build_graph(site, NOW.replace(year=2020))
    lists = pages_of(before_all, "notices", "ko")
    assert [p.url for p in lists] == ["/ko/notices/"]
    assert list(lists[0].context["entries"]) == []
    assert not pages_of(before_all, "notice")


# -- what is published -------------------------------------------------------------------------

def test_published_notices_at_now(graph):
    assert notice_urls(graph, "ko") == {f"/ko/notices/{n}/" for n in (A, B, C, D, E)}
    assert notice_urls(graph, "en") == {f"/en/notices/{n}/" for n in (A, B, C, D)}
    assert [n.slug for n in graph.embargoed] == ["kimjang-sharing"]
    assert graph.drafts == 1


def test_embargo_boundary(site):
    release = the_notice(site, "kimjang-sharing").release
    before = build_graph(site, release - timedelta(minutes=1))
    at = build_graph(site, release)
    after = build_graph(site, release + timedelta(minutes=1))
    assert f"/ko/notices/{EMBARGOED}/" not in notice_urls(before, "ko")
    assert EMBARGOED_FILE not in before.static_files
    assert all(f"/ko/notices/{EMBARGOED}/" != e.url
               for p in before.pages for e in p.context.get("entries", ()))
    assert all(EMBARGOED not in i.url for f in before.feeds for i in f.items)
    for graph in (at, after):
        assert f"/ko/notices/{EMBARGOED}/" in notice_urls(graph, "ko")
        assert f"/en/notices/{EMBARGOED}/" in notice_urls(graph, "en")
        assert EMBARGOED_FILE in graph.static_files
        assert graph.embargoed == ()
        assert graph.feeds[0].items[0].url == f"/{graph.feeds[0].lang}/notices/{EMBARGOED}/"


def test_is_published(site):
    embargoed = the_notice(site, "kimjang-sharing")
    draft = the_notice(site, "reading-festival-report")
    assert not is_published(embargoed, embargoed.release - timedelta(seconds=1), False)
    assert is_published(embargoed, embargoed.release, False)
    assert not is_published(draft, NOW, False)
    assert is_published(draft, NOW, True)
    assert not is_published(draft, draft.release - timedelta(seconds=1), True)


def test_drafts_only_with_include_drafts(site, graph):
    assert f"/ko/notices/{DRAFT}/" not in notice_urls(graph, "ko")
    with_drafts = build_graph(site, NOW, include_drafts=True)
    assert f"/ko/notices/{DRAFT}/" in notice_urls(with_drafts, "ko")
    view = page(with_drafts, f"/ko/notices/{DRAFT}/").context["notice"]
    assert view.draft
    assert f"/ko/notices/{EMBARGOED}/" not in notice_urls(with_drafts, "ko")


def test_static_files_of_published_notices_and_unattached_files_are_published(graph):
    assert set(graph.static_files) == {"attachments/2026/support-team-agreement.pdf",
                                       "images/2026/agreement-ceremony.png"}


def with_bodies(site, static=(), **bodies):
    """The site with the given notices' (slug) bodies in each language replaced:
    {slug: {lang: body}}; `static` adds files under static/."""
    notices = []
    for notice in site.notices:
        texts = {lang: dataclasses.replace(text, body=bodies[notice.slug][lang])
                 if lang in bodies.get(notice.slug, {}) else text
                 for lang, text in notice.texts.items()}
        notices.append(dataclasses.replace(notice, texts=frozen_map(texts)))
    return dataclasses.replace(site, notices=tuple(notices),
                               static_files=tuple(sorted({*site.static_files, *static})))


SITE_PLAN = "images/2027-new-city-hall-site.jpg"
KOREAN_NAME = "images/신청사 부지.jpg"
PHOTO = "images/2026/agreement-ceremony.png"
"""Shown by the published support-team-agreement and visiting-center-expansion."""


@pytest.mark.parametrize("base_url", ["https://example.go.kr/", "https://example.go.kr/press/"])
@pytest.mark.parametrize("lang, written", [
    ("ko", "![신청사 부지](/static/images/2027-new-city-hall-site.jpg)"),
    ("en", '<img src="/static/images/2027-new-city-hall-site.jpg" alt="Site">'),
    ("ko", '<a href="/static/images/2027-new-city-hall-site.jpg?size=large#top">부지</a>'),
    ("ko", "[부지](https://EXAMPLE.go.kr{base}static/images/2027-new-city-hall-site.jpg)"),
    ("ko", "[부지](//example.go.kr{base}static/./images/../images/2027-new-city-hall-site.jpg)"),
    # From /ko/notices/2026/11/kimjang-sharing/, five folders up is the site's root.
    ("ko", "[부지](../../../../../static/images/2027-new-city-hall-site.jpg)"),
    ("en", "[plan](/st%61tic/images/2027-new-city-hall-site%2Ejpg)"),
    ("ko", "<img src='/static/images/2027-new-city-hall-site.jpg' alt='a > b &amp; \"c\"'>"),
])
def test_a_static_file_only_an_embargoed_body_shows_is_held_back(site, base_url, lang, written):
    base = base_url[len("https://example.go.kr"):]
    body = f"서대문구 신청사 부지.\n\n{written.format(base=base)}\n"
    changed = with_settings(with_bodies(site, [SITE_PLAN], **{"kimjang-sharing": {lang: body}}),
                            base_url=base_url)
    release = the_notice(site, "kimjang-sharing").release
    before = build_graph(changed, release - timedelta(minutes=1))
    assert SITE_PLAN not in before.static_files
    assert [(path, [n.slug for n in notices]) for path, notices in before.withheld] == [
        (EMBARGOED_FILE, ["kimjang-sharing"]), (SITE_PLAN, ["kimjang-sharing"])]
    assert SITE_PLAN in build_graph(changed, release).static_files


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_korean_file_name_percent_encoded_either_way_is_held_back(site, form):
    encoded = quote(unicodedata.normalize(form, KOREAN_NAME))
    changed = with_bodies(site, [KOREAN_NAME], **{"kimjang-sharing": {
        "ko": f"![부지](/static/{encoded})\n"}})
    assert KOREAN_NAME not in build_graph(changed, NOW).static_files
    assert KOREAN_NAME in build_graph(changed, NOW.replace(day=24)).static_files


def test_a_static_file_only_a_draft_shows_is_published_with_drafts_only(site):
    changed = with_bodies(site, [SITE_PLAN], **{"reading-festival-report": {
        "ko": "![부지](/static/images/2027-new-city-hall-site.jpg)\n"}})
    assert SITE_PLAN not in build_graph(changed, NOW).static_files
    assert SITE_PLAN in build_graph(changed, NOW, include_drafts=True).static_files


def test_the_preview_shows_the_files_of_drafts_and_embargoed_notices(site):
    changed = with_bodies(site, [SITE_PLAN, KOREAN_NAME], **{
        "reading-festival-report": {"ko": "![부지](/static/images/2027-new-city-hall-site.jpg)"},
        "kimjang-sharing": {"en": "![plan](</static/images/신청사 부지.jpg>)"}})
    assert not {SITE_PLAN, KOREAN_NAME} & set(build_graph(changed, NOW).static_files)
    preview = build_graph(changed, NOW, include_drafts=True, include_unreleased=True)
    assert {SITE_PLAN, KOREAN_NAME, EMBARGOED_FILE} <= set(preview.static_files)
    assert preview.withheld == ()


def test_a_file_an_embargoed_body_shares_with_a_published_one_stays(site):
    changed = with_bodies(site, [SITE_PLAN], **{"kimjang-sharing": {
        "ko": f"![협약식](/static/{PHOTO}) ![부지](/static/{SITE_PLAN})"},
        "support-team-agreement": {"ko": "협약식.", "en": "The ceremony."}})
    # Still shown by visiting-center-expansion (raw <img>).
    graph = build_graph(changed, NOW)
    assert PHOTO in graph.static_files
    assert SITE_PLAN not in graph.static_files


def test_a_file_an_embargoed_body_shares_with_a_program_page_stays(site):
    program = site.programs["small-libraries"]
    texts = {lang: dataclasses.replace(text, body=text.body + f"\n\n![지도](/static/{SITE_PLAN})\n")
             for lang, text in program.texts.items()}
    changed = with_bodies(site, [SITE_PLAN, KOREAN_NAME], **{"kimjang-sharing": {
        "ko": f"![지도](/static/{SITE_PLAN}) ![부지](</static/{KOREAN_NAME}>)"}})
    changed = dataclasses.replace(changed, programs=frozen_map({
        **changed.programs, "small-libraries": dataclasses.replace(program,
                                                                   texts=frozen_map(texts))}))
    graph = build_graph(changed, NOW)
    assert SITE_PLAN in graph.static_files
    assert KOREAN_NAME not in graph.static_files


def test_a_file_no_notice_uses_and_links_elsewhere_stay_published(site):
    changed = with_bodies(site, [SITE_PLAN, "images/logo.png"], **{"kimjang-sharing": {
        "ko": "[다른 사이트](https://other.example/static/images/logo.png) "
              "[공지](/ko/notices/) `<img src=\"/static/images/logo.png\">` "
              "src=\"/static/images/logo.png\" "
              f"![부지](/static/{SITE_PLAN})"}})
    graph = build_graph(changed, NOW)
    assert "images/logo.png" in graph.static_files
    assert [path for path, _ in graph.withheld] == [EMBARGOED_FILE, SITE_PLAN]


# -- translations --------------------------------------------------------------------------------

def test_a_translated_notice_pairs_with_its_translation(graph):
    ko = page(graph, f"/ko/notices/{A}/")
    en = page(graph, f"/en/notices/{A}/")
    assert dict(ko.alternates) == dict(en.alternates) == {
        "ko": f"/ko/notices/{A}/", "en": f"/en/notices/{A}/"}
    assert dict(ko.switch) == dict(en.switch) == dict(ko.alternates)


def test_a_korean_only_notice_switches_to_the_english_home(graph):
    ko = page(graph, f"/ko/notices/{E}/")
    assert dict(ko.alternates) == {"ko": f"/ko/notices/{E}/"}
    assert dict(ko.switch) == {"ko": f"/ko/notices/{E}/", "en": "/en/"}


def test_english_entries_mark_the_korean_only_notice(graph):
    entries = [e for p in pages_of(graph, "notices", "en") for e in p.context["entries"]]
    assert [e.url for e in entries] == [
        f"/en/notices/{D}/", f"/ko/notices/{E}/", f"/en/notices/{C}/", f"/en/notices/{B}/",
        f"/en/notices/{A}/"]
    korean_only = entries[1]
    assert korean_only.untranslated and korean_only.lang == "ko"
    assert korean_only.title == "어르신 경로식당 무료 점심 지원 확대"
    assert korean_only.department == "Welfare Policy Division"
    assert not any(e.untranslated for e in entries if e is not korean_only)


def test_korean_only_program_is_listed_in_english_without_a_page(graph):
    programs = page(graph, "/en/programs/").context["programs"]
    small = next(p for p in programs if p["id"] == "small-libraries")
    assert small["untranslated"] and small["url"] == "/ko/programs/small-libraries/"
    assert "/en/programs/small-libraries/" not in {p.url for p in graph.pages}
    assert "/en/programs/small-libraries/feed.xml" not in {f.url for f in graph.feeds}
    view = page(graph, f"/en/notices/{B}/").context["notice"]
    assert [(p.url, p.lang) for p in view.programs] == [("/ko/programs/small-libraries/", "ko")]


def test_language_neutral_fields_come_from_the_primary_file(graph):
    ko = page(graph, f"/ko/notices/{A}/").context["notice"]
    en = page(graph, f"/en/notices/{A}/").context["notice"]
    for field in ("release", "provided", "updated", "corrections", "tags", "attachments"):
        assert getattr(en, field) == getattr(ko, field), field
    # The same people and numbers; the English page spells the names in Latin letters.
    assert [(c.role, c.phone, c.email, c.original or c.name) for c in en.contacts] == \
        [(c.role, c.phone, c.email, c.name) for c in ko.contacts]
    assert en.department.title == "Welfare Policy Division"
    assert ko.department.title == "복지정책과"
    assert en.translation == "human"
    assert page(graph, f"/en/notices/{D}/").context["notice"].translation == "machine"


def test_notice_view_facts(graph):
    view = page(graph, f"/ko/notices/{A}/").context["notice"]
    assert view.permalink == f"https://example.go.kr/ko/notices/{A}/"
    assert [c.date.isoformat() for c in view.corrections] == ["2026-05-20", "2026-05-13"]
    [attachment] = view.attachments
    assert (attachment.url, attachment.size, attachment.media_type, attachment.extension) == \
        ("/static/attachments/2026/support-team-agreement.pdf", 1536, "application/pdf", "PDF")
    assert view.release.utcoffset() == timedelta(hours=9)
    # Released at 16:00 UTC: shown at 01:00 in Seoul.
    youth = page(graph, f"/ko/notices/{C}/").context["notice"]
    assert youth.release.isoformat() == "2026-09-01T01:00:00+09:00"
    # Without a summary line, the first paragraph.
    festival = page(graph, f"/ko/notices/{B}/").context["notice"]
    assert festival.summary.startswith("서대문구는 6월 13일부터 이틀간")


def test_program_pages_and_status(site, graph):
    program = page(graph, "/ko/programs/small-libraries/")
    assert program.context["status"] == "ongoing"
    assert [e.url for e in program.context["timeline"]] == [f"/ko/notices/{B}/"]
    later = build_graph(site, NOW.replace(year=2027))
    assert page(later, "/ko/programs/small-libraries/").context["status"] == "ended"
    earlier = build_graph(site, NOW.replace(year=2026, month=2))
    assert page(earlier, "/ko/programs/small-libraries/").context["status"] == "upcoming"


# -- feeds ---------------------------------------------------------------------------------------------

def test_feed_specs(graph):
    specs = {f.url: f for f in graph.feeds}
    assert [i.url for i in specs["/ko/feed.xml"].items] == \
        [f"/ko/notices/{n}/" for n in (D, E, C, B, A)]
    assert [i.url for i in specs["/en/feed.xml"].items] == \
        [f"/en/notices/{n}/" for n in (D, C, B, A)]
    assert specs["/en/atom.xml"].kind == "atom"
    assert specs["/ko/feed.xml"].updated.isoformat() == "2026-10-15T00:00:00+09:00"
    assert [i.url for i in specs["/en/departments/welfare-policy/feed.xml"].items] == \
        [f"/en/notices/{n}/" for n in (D, A)]


def test_feed_items_setting_limits_feeds(site):
    limited = build_graph(with_settings(site, feed_items=1), NOW)
    assert all(len(f.items) <= 1 for f in limited.feeds)
    assert [i.url for i in next(f for f in limited.feeds if f.url == "/ko/feed.xml").items] == \
        [f"/ko/notices/{D}/"]


def test_graph_is_deterministic(site, graph):
    again = build_graph(site, NOW)
    assert [p.url for p in again.pages] == [p.url for p in graph.pages]
    assert again.feeds == graph.feeds


# -- one notice per page -----------------------------------------------------------------------------

def test_each_notice_page_shows_its_own_notice(graph):
    for p in pages_of(graph, "notice"):
        assert p.context["notice"].url == p.url


def test_same_slug_in_another_seoul_month_keeps_its_own_page(site_copy):
    # 2026-08-10 KST: August. The fixture's youth-club-stage is 2026-08-31T16:00Z, September in
    # Seoul, so the contract allows the same slug, and gives two URLs.
    (site_copy / "notices" / "2025").mkdir()
    (site_copy / "notices" / "2025" / "youth-club-stage.ko.md").write_text(
        "---\ntitle: 청년 동아리 8월 정기 공연 안내\ndepartment: culture-sports\n"
        "release: 2026-08-10\n---\n8월 정기 공연을 연다.\n", encoding="utf-8")
    site, _strings, _warnings = load_site(site_copy)
    graph = build_graph(site, NOW)
    assert {"/ko/notices/2026/08/youth-club-stage/", f"/ko/notices/{C}/"} <= notice_urls(graph, "ko")
    for p in pages_of(graph, "notice"):
        assert p.context["notice"].url == p.url, p.url
    titles = [e.title for p in pages_of(graph, "notices", "ko") for e in p.context["entries"]]
    assert "청년 동아리 8월 정기 공연 안내" in titles
    assert "청년 문화예술 동아리 ‘청춘 무대’ 참가팀 모집" in titles
    assert len(titles) == len(set(titles)) == 6


def test_every_alternate_is_a_page_with_untranslated_hide(site):
    graph = build_graph(with_settings(site, untranslated="hide"), NOW)
    urls = {p.url for p in graph.pages}
    missing = sorted({(p.url, url) for p in graph.pages
                      for url in list(p.alternates.values()) + list(p.switch.values())
                      if url not in urls})
    assert not missing


def test_every_alternate_is_a_page_with_untranslated_show(graph):
    urls = {p.url for p in graph.pages}
    for p in graph.pages:
        for url in list(p.alternates.values()) + list(p.switch.values()):
            assert url in urls, (p.url, url)


def test_search_index_parts_group_old_years_and_only_the_newest_part_grows(site, monkeypatch):
    from site_builder import graph as graph_module
    years = sorted({n.release.astimezone(KST).year for n in site.notices
                    if n.release <= NOW and not n.draft})
    parts = build_graph(site, NOW).search_shards
    assert [p for p in parts if p.startswith("ko-")] == [f"ko-{years[0]}-{years[-1]}"
                                                         if len(years) > 1 else f"ko-{years[0]}"]
    monkeypatch.setattr(graph_module, "SHARD_PAGES", 1)
    parts = build_graph(site, NOW).search_shards
    assert [p for p in parts if p.startswith("ko-")] == [f"ko-{y}" for y in reversed(years)]
