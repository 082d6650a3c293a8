"""Valid HTML: the Nu Html Checker (vnu-jar from npm, run by Java) finds no error in any
page of the built sample site and fixture site.

vnu starts slowly (a few seconds for the JVM), so it runs once per site on all its pages.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, SAMPLE_SITE
from official_site import official_content
from served_site import VNU, build_site, java, require


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("vnu")
    return {"sample": build_site(root / "sample", SAMPLE_SITE),
            "fixture": build_site(root / "fixture", FIXTURE_SITE, "--drafts"),
            "official": build_site(root / "official", official_content(root / "official-content")),
            "root": root}


def vnu_errors(pages: list, root: Path) -> list[str]:
    """vnu's errors as 'page:line: message [extract]', pages named relative to root."""
    require(java() is not None, "Java (default-jre-headless)")
    require(VNU.exists(), "node_modules/vnu-jar")
    result = subprocess.run([java(), "-jar", str(VNU), "--errors-only", "--format", "json",
                             *map(str, pages)], capture_output=True, text=True, timeout=300)
    # vnu writes its report to standard error and exits 1 when it found errors.
    report = json.loads(result.stderr or result.stdout)
    return [f"{m.get('url', '').split(root.as_posix(), 1)[-1]}:{m.get('lastLine', '?')}: "
            f"{m.get('message')} [{m.get('extract', '').strip()}]"
            for m in report["messages"] if m.get("type") != "info"]


def test_every_page_of_the_sample_site_is_valid_html(sites):
    pages = sorted(sites["sample"].rglob("*.html"))
    assert len(pages) > 30
    errors = vnu_errors(pages, sites["root"])
    assert not errors, "\n".join(errors)


def test_every_page_of_the_fixture_site_is_valid_html_and_vnu_does_check(sites):
    pages = sorted(sites["fixture"].rglob("*.html"))
    assert len(pages) > 25
    # One broken page in the same run shows that vnu really reads the files.
    broken = sites["root"] / "broken.html"
    broken.write_text('<!doctype html><html lang="en"><head><title>x</title></head>'
                      '<body><p><div>x</div></p></body></html>', encoding="utf-8")
    errors = vnu_errors([*pages, broken], sites["root"])
    assert [e for e in errors if "broken.html" in e], "vnu found nothing wrong in broken.html"
    errors = [e for e in errors if "broken.html" not in e]
    assert not errors, "\n".join(errors)


def test_every_page_of_an_official_site_is_valid_html(sites):
    """The masthead, emblem, legal footer, 공공누리 marks and English names (official_site)."""
    pages = sorted(sites["official"].rglob("*.html"))
    assert len(pages) > 25
    errors = vnu_errors(pages, sites["root"])
    assert not errors, "\n".join(errors)
