"""Sharing metadata: a description, Open Graph tags and, on notices, schema.org NewsArticle
JSON-LD with the department as author and the district as publisher (both
GovernmentOrganization), escaped so that no title can end its <script> block.

Pages are read with Python's HTML parser, which ends a <script> where a browser does.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, SAMPLE_SITE, Page
from served_site import build_site

LOCALES = {"ko": "ko_KR", "en": "en_US"}
BREAKOUT = "</script><script>alert(1)</script>"


class Head(Page):
    """The metadata of one page: meta tags, links, scripts, the h1 and the lang."""

    def __init__(self, text: str):
        super().__init__(text)
        self.meta: dict[str, list[str]] = {}
        for a in (meta.attrs for meta in self.find("meta")):
            if "name" in a or "property" in a:
                self.meta.setdefault(a.get("property") or a["name"], []).append(
                    a.get("content", ""))
        self.links = [link.attrs for link in self.find("link")]
        self.scripts = [{"type": s.attrs.get("type", ""), "text": s.text}
                        for s in self.find("script")]
        self.h1 = [h1.text for h1 in self.find("h1")]

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def canonical(self) -> str:
        return next(link["href"] for link in self.links if link.get("rel") == "canonical")

    def hreflangs(self) -> set[str]:
        return {link["hreflang"] for link in self.links
                if link.get("rel") == "alternate" and link.get("hreflang", "x-default")
                != "x-default"}

    def json_ld(self) -> list[dict]:
        return [json.loads(s["text"]) for s in self.scripts if s["type"] == "application/ld+json"]


def read(path: Path) -> Head:
    return Head(path.read_text(encoding="utf-8"))


def url_of(out: Path, page: Path) -> str:
    relative = page.relative_to(out).as_posix()
    return "/" + (relative[: -len("index.html")] if relative.endswith("/index.html")
                  else relative)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("meta")
    return {"https://news.example.go.kr": build_site(root / "sample", SAMPLE_SITE),
            "https://example.go.kr": build_site(root / "fixture", FIXTURE_SITE)}


def pages(sites, kind: str = ""):
    """(origin, output dir, URL, file) of every page; kind 'notice' for notices only."""
    for origin, out in sites.items():
        for page in sorted(out.rglob("*.html")):
            url = url_of(out, page)
            if kind == "notice" and not re.fullmatch(r"/(ko|en)/notices/\d{4}/\d\d/[^/]+/", url):
                continue
            yield origin, out, url, page


def test_every_page_has_a_description(sites):
    for _, _, url, page in pages(sites):
        description = read(page).one("description")
        assert len(description.strip()) >= 10, url


def test_every_language_page_has_open_graph_tags(sites):
    checked = 0
    for origin, _, url, page in pages(sites):
        if url == "/404.html":
            continue
        head = read(page)
        assert head.one("og:url") == head.canonical(), url
        assert head.one("og:url").startswith(origin + "/"), url
        if url != "/index.html":
            assert head.canonical() == origin + url
        assert head.one("og:type") == ("article" if "/notices/20" in url else "website"), url
        assert head.one("og:title").strip(), url
        assert head.one("og:description").strip() == head.one("description").strip(), url
        assert head.one("og:site_name").strip(), url
        assert head.one("og:locale") == LOCALES[head.lang], url
        others = {LOCALES[code] for code in head.hreflangs() if code != head.lang}
        assert set(head.meta.get("og:locale:alternate", [])) == others, url
        checked += 1
    assert checked > 60


def test_a_translated_notice_names_the_other_locale(sites):
    head = read(sites["https://example.go.kr"] / "ko/notices/2026/05/support-team-agreement/index.html")
    assert head.one("og:locale") == "ko_KR"
    assert head.meta["og:locale:alternate"] == ["en_US"]
    korean_only = read(sites["https://example.go.kr"] / "ko/notices/2026/09/senior-lunch-service/index.html")
    assert "og:locale:alternate" not in korean_only.meta


def test_every_notice_has_news_article_json_ld(sites):
    checked = 0
    for origin, out, url, page in pages(sites, "notice"):
        head = read(page)
        [article] = head.json_ld()
        assert article["@context"] == "https://schema.org"
        assert article["@type"] == "NewsArticle"
        assert article["headline"] == head.h1[0].strip() == head.one("og:title")
        assert article["description"] == head.one("description")
        assert article["inLanguage"] == head.lang
        assert article["url"] == article["mainEntityOfPage"] == origin + url
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", article["datePublished"])
        assert article["datePublished"] == head.one("article:published_time")
        assert article["dateModified"] >= article["datePublished"]
        publisher = article["publisher"]
        assert publisher["@type"] == "GovernmentOrganization"
        assert publisher["name"] == head.one("og:site_name")
        assert publisher["url"] == f"{origin}/{head.lang}/"
        assert article["author"]["@type"] == "GovernmentOrganization"
        assert article["author"]["name"] == head.one("article:section")
        assert article["author"]["url"].startswith(f"{origin}/{head.lang}/departments/")
        checked += 1
    assert checked >= 18


def test_only_notices_carry_json_ld(sites):
    for _, _, url, page in pages(sites):
        if "/notices/20" not in url:
            assert not read(page).json_ld(), url


def test_json_ld_of_a_notice_in_detail(sites):
    out = sites["https://example.go.kr"]
    [article] = read(out / "ko/notices/2026/05/support-team-agreement/index.html").json_ld()
    assert article["headline"] == "찾아가는 동주민센터 추진지원단 운영 협약 체결"
    assert article["datePublished"] == "2026-05-12T00:00:00+09:00"
    assert article["dateModified"] == "2026-05-20T09:30:00+09:00"
    assert article["author"]["name"] == "복지정책과"
    assert article["publisher"] == {
        "@type": "GovernmentOrganization", "name": "서대문구 보도자료 (시험용)",
        "url": "https://example.go.kr/ko/",
        "contactPoint": {"@type": "ContactPoint", "contactType": "press",
                         "name": "홍보과 언론팀", "telephone": "02-330-8708"}}
    assert article["image"] == ["https://example.go.kr/static/images/2026/agreement-ceremony.png"]
    # Written in UTC, published on the Korean date and clock.
    [article] = read(out / "en/notices/2026/09/youth-club-stage/index.html").json_ld()
    assert article["datePublished"] == "2026-09-01T01:00:00+09:00"
    assert article["publisher"]["name"] == "Seodaemun-gu Press Releases (test)"
    # '<', '>' and '&' in a summary survive as text.
    assert article["description"] == ("Clubs of residents aged 19 to 34 (< 35) can apply for "
                                      "the <Youth Stage> & receive up to 3 million won.")


def test_notice_with_an_image_shares_it(sites):
    head = read(sites["https://example.go.kr"] / "ko/notices/2026/05/support-team-agreement/index.html")
    assert head.one("og:image") == "https://example.go.kr/static/images/2026/agreement-ceremony.png"
    assert head.one("og:image:alt") == "협약식 현장"
    assert head.one("twitter:card") == "summary_large_image"
    plain = read(sites["https://example.go.kr"] / "ko/notices/2026/09/senior-lunch-service/index.html")
    assert "og:image" not in plain.meta and plain.one("twitter:card") == "summary"


def test_a_title_with_a_closing_script_tag_stays_inside_the_json_ld(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    source = content / "notices" / "2026" / "support-team-agreement.ko.md"
    text = source.read_text(encoding="utf-8")
    title = "찾아가는 동주민센터 추진지원단 운영 협약 체결"
    summary = "서대문구가 홍은종합사회복지관과 찾아가는 동주민센터 추진지원단 운영 협약을 맺었다."
    assert f"title: {title}\n" in text and f"summary: {summary}\n" in text
    evil_title = f"{BREAKOUT} 협약 & <!-- 체결"
    evil_summary = "요약 <!--<script> </SCRIPT > \u2028 끝"
    text = text.replace(f"title: {title}\n", f"title: {json.dumps(evil_title)}\n")
    text = text.replace(f"summary: {summary}\n", f"summary: {json.dumps(evil_summary)}\n")
    source.write_text(text, encoding="utf-8")
    out = build_site(tmp_path / "out", content)

    raw = (out / "ko/notices/2026/05/support-team-agreement/index.html").read_text("utf-8")
    head = Head(raw)
    assert [s["type"] for s in head.scripts] == ["application/ld+json"]
    [article] = head.json_ld()
    assert article["headline"] == evil_title
    assert article["description"] == evil_summary
    # The page opens and closes one script element: the JSON-LD block.
    assert raw.lower().count("<script") == raw.lower().count("</script") == 1
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in raw
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S | re.I)
    assert "<" not in block.group(1) and ">" not in block.group(1)
    assert head.h1[0].strip() == evil_title
    assert head.one("og:title") == evil_title
