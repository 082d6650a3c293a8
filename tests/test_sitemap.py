"""sitemap.xml with hreflang alternates, and robots.txt."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, NOW, run_build
from site_builder.graph import build_graph
from site_builder.pipeline import load_site
from site_builder.sitemap import render_robots, render_sitemap

BASE = "https://example.go.kr"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
A, E = "2026/05/support-team-agreement", "2026/09/senior-lunch-service"
C = "2026/09/youth-club-stage"


def parse(data: bytes) -> dict[str, dict]:
    """loc -> {"lastmod": ..., "alternates": {lang: href}}"""
    root = ET.fromstring(data)
    assert root.tag == f"{{{NS['s']}}}urlset"
    result = {}
    for url in root.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc not in result, f"{loc} is listed twice"
        alternates = {}
        for link in url.findall("x:link", NS):
            assert link.get("rel") == "alternate"
            alternates[link.get("hreflang")] = link.get("href")
        result[loc] = {"lastmod": url.findtext("s:lastmod", namespaces=NS),
                       "alternates": alternates}
    return result


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sitemap") / "output"
    result = run_build("--content", str(FIXTURE_SITE), "--output", str(out),
                       "--now", NOW.isoformat())
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def sitemap(out) -> dict[str, dict]:
    return parse((out / "sitemap.xml").read_bytes())


@pytest.fixture(scope="module")
def site():
    return load_site(FIXTURE_SITE)[0]


def test_every_loc_is_a_page_of_the_output_and_every_page_is_listed(out, sitemap):
    pages = set()
    for path in out.rglob("index.html"):
        relative = path.parent.relative_to(out).as_posix()
        if relative != ".":
            pages.add(f"{BASE}/{relative}/")
    assert set(sitemap) == pages
    assert f"{BASE}/404.html" not in sitemap


def test_notice_alternates_name_both_languages(sitemap):
    expected = {"ko": f"{BASE}/ko/notices/{A}/", "en": f"{BASE}/en/notices/{A}/"}
    assert sitemap[f"{BASE}/ko/notices/{A}/"]["alternates"] == expected
    assert sitemap[f"{BASE}/en/notices/{A}/"]["alternates"] == expected
    assert sitemap[f"{BASE}/en/programs/"]["alternates"] == {
        "ko": f"{BASE}/ko/programs/", "en": f"{BASE}/en/programs/"}


def test_untranslated_pages_have_no_alternates(sitemap):
    assert sitemap[f"{BASE}/ko/notices/{E}/"]["alternates"] == {}
    assert sitemap[f"{BASE}/ko/programs/small-libraries/"]["alternates"] == {}
    assert f"{BASE}/en/notices/{E}/" not in sitemap


def test_alternates_are_reciprocal(sitemap):
    for loc, entry in sitemap.items():
        for lang, href in entry["alternates"].items():
            assert href in sitemap, (loc, lang, href)
            assert sitemap[href]["alternates"] == entry["alternates"], (loc, href)


def test_alternates_exist_with_untranslated_hide(site):
    hidden = dataclasses.replace(site, config=dataclasses.replace(site.config,
                                                                   untranslated="hide"))
    sitemap = parse(render_sitemap(build_graph(hidden, NOW)))
    missing = [(loc, href) for loc, entry in sitemap.items()
               for href in entry["alternates"].values() if href not in sitemap]
    assert not missing


def test_lastmod_of_notices(sitemap):
    assert sitemap[f"{BASE}/ko/notices/{A}/"]["lastmod"] == "2026-05-20T09:30:00+09:00"
    assert sitemap[f"{BASE}/en/notices/{C}/"]["lastmod"] == "2026-09-01T01:00:00+09:00"


def test_embargo_boundary_and_drafts_in_the_sitemap(site):
    release = next(n for n in site.notices if n.slug == "kimjang-sharing").release
    url = f"{BASE}/ko/notices/2026/11/kimjang-sharing/"
    before = parse(render_sitemap(build_graph(site, release - timedelta(minutes=1))))
    at = parse(render_sitemap(build_graph(site, release)))
    assert url not in before
    assert url in at and at[url]["alternates"]["en"] == f"{BASE}/en/notices/2026/11/kimjang-sharing/"
    assert not any("reading-festival-report" in loc for loc in at)
    with_drafts = parse(render_sitemap(build_graph(site, NOW, include_drafts=True)))
    assert f"{BASE}/ko/notices/2026/11/reading-festival-report/" in with_drafts


def test_sitemap_is_deterministic_and_sorted(site, out):
    data = render_sitemap(build_graph(site, NOW))
    assert data == (out / "sitemap.xml").read_bytes()
    locs = list(parse(data))
    assert locs == sorted(locs)


def test_robots_points_at_the_sitemap(out, site):
    robots = (out / "robots.txt").read_text()
    assert "User-agent: *" in robots
    assert f"Sitemap: {BASE}/sitemap.xml" in robots.splitlines()
    assert render_robots(build_graph(site, NOW)) == (out / "robots.txt").read_bytes()


def test_sitemap_under_a_base_path(site):
    moved = dataclasses.replace(site, config=dataclasses.replace(
        site.config, base_url="https://example.go.kr/press/"))
    graph = build_graph(moved, NOW)
    sitemap = parse(render_sitemap(graph))
    assert f"{BASE}/press/ko/notices/{A}/" in sitemap
    assert all(loc.startswith(f"{BASE}/press/") for loc in sitemap)
    assert f"Sitemap: {BASE}/press/sitemap.xml" in render_robots(graph).decode()
