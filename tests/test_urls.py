"""The addresses of the contract, and the files that serve them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from conftest import KST
from site_builder.model import Notice, NoticeText, SiteConfig, frozen_map
from site_builder.urls import Urls


def config(base_url: str = "https://example.go.kr/") -> SiteConfig:
    return SiteConfig(title=frozen_map({"ko": "보도자료", "en": "Press releases"}),
                      base_url=base_url, languages=("ko", "en"), timezone="Asia/Seoul",
                      per_page=2, feed_items=50, untranslated="show", press_office=None,
                      description=frozen_map({}))


def notice(slug: str, release: datetime) -> Notice:
    text = NoticeText("ko", "notices/x.ko.md", "제목", (), None, "본문")
    return Notice(slug=slug, department="welfare-policy", release=release, provided=None,
                  updated=None, contacts=(), corrections=(), programs=(), tags=(),
                  attachments=(), draft=False, texts=frozen_map({"ko": text}))


@pytest.fixture
def urls() -> Urls:
    return Urls(config())


def test_the_contract_urls(urls):
    assert urls.chooser() == "/index.html"
    assert urls.home("ko") == "/ko/"
    assert urls.notices("en") == "/en/notices/"
    assert urls.notices("en", 1) == "/en/notices/"
    assert urls.notices("ko", 2) == "/ko/notices/page/2/"
    assert urls.departments("ko") == "/ko/departments/"
    assert urls.department("en", "welfare-policy") == "/en/departments/welfare-policy/"
    assert urls.programs("ko") == "/ko/programs/"
    assert urls.program("ko", "small-libraries") == "/ko/programs/small-libraries/"
    assert urls.search("en") == "/en/search/"
    assert urls.rss("ko") == "/ko/feed.xml"
    assert urls.atom("en") == "/en/atom.xml"
    assert urls.rss("ko", "departments/welfare-policy/") == "/ko/departments/welfare-policy/feed.xml"
    assert urls.rss("en", "programs/small-libraries/") == "/en/programs/small-libraries/feed.xml"
    assert urls.static("attachments/2026/a.pdf") == "/static/attachments/2026/a.pdf"
    assert urls.root_file("sitemap.xml") == "/sitemap.xml"
    assert urls.absolute("/ko/") == "https://example.go.kr/ko/"


def test_notice_url_uses_year_and_month_of_release(urls):
    assert urls.notice("ko", notice("support-team", datetime(2026, 5, 12, tzinfo=KST))) == \
        "/ko/notices/2026/05/support-team/"


@pytest.mark.parametrize("release, expected", [
    # 16:00 UTC on 31 August is 01:00 on 1 September in Seoul.
    (datetime(2026, 8, 31, 16, 0, tzinfo=timezone.utc), "/en/notices/2026/09/x/"),
    (datetime(2026, 8, 31, 14, 59, tzinfo=timezone.utc), "/en/notices/2026/08/x/"),
    # New Year's Eve in UTC is already January in Seoul.
    (datetime(2026, 12, 31, 15, 0, tzinfo=timezone.utc), "/en/notices/2027/01/x/"),
    (datetime(2027, 1, 1, 0, 0, tzinfo=KST), "/en/notices/2027/01/x/"),
])
def test_notice_url_month_is_that_of_the_site_timezone(urls, release, expected):
    assert urls.notice("en", notice("x", release)) == expected


@pytest.mark.parametrize("url, path", [
    ("/", "index.html"),
    ("/index.html", "index.html"),
    ("/ko/", "ko/index.html"),
    ("/ko/notices/page/2/", "ko/notices/page/2/index.html"),
    ("/en/notices/2026/05/support-team/", "en/notices/2026/05/support-team/index.html"),
    ("/ko/feed.xml", "ko/feed.xml"),
    ("/en/departments/welfare-policy/feed.xml", "en/departments/welfare-policy/feed.xml"),
    ("/sitemap.xml", "sitemap.xml"),
    ("/static/attachments/2026/a.pdf", "static/attachments/2026/a.pdf"),
])
def test_output_path_of_each_url(urls, url, path):
    assert urls.output_path(url) == path


def test_a_base_path_prefixes_every_url():
    urls = Urls(config("https://example.go.kr/press/"))
    assert urls.home("ko") == "/press/ko/"
    assert urls.chooser() == "/press/index.html"
    assert urls.notices("en", 3) == "/press/en/notices/page/3/"
    assert urls.static("a.pdf") == "/press/static/a.pdf"
    assert urls.rss("ko") == "/press/ko/feed.xml"
    assert urls.absolute(urls.home("en")) == "https://example.go.kr/press/en/"
    # ... and the files stay at the top of the output directory.
    assert urls.output_path("/press/ko/") == "ko/index.html"
    assert urls.output_path("/press/ko/feed.xml") == "ko/feed.xml"
    assert urls.output_path(urls.chooser()) == "index.html"


def test_base_url_without_trailing_slash_and_with_a_port():
    urls = Urls(config("http://localhost:8000/press"))
    assert urls.home("ko") == "/press/ko/"
    assert urls.absolute("/press/ko/") == "http://localhost:8000/press/ko/"


def test_a_search_index_part_names_the_year_folders_it_covers():
    from site_builder.urls import search_shard, search_shard_pages
    assert search_shard("ko", 2016, 2016) == "ko-2016"
    assert search_shard_pages("ko-2016") == ["ko/notices/2016/"]
    assert search_shard_pages(search_shard("en", 2016, 2018)) == [
        "en/notices/2016/", "en/notices/2017/", "en/notices/2018/"]
