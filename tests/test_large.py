"""Large and many: the largest notice allowed builds, a 5 MB one is a content error, and
bench/generate.py writes contract-valid sites.

The 5,000-notice site is built by bench/large.py, which records time and memory; here a
200-notice tree proves the generator's output is valid content, and it is built whole.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from conftest import ROOT, snapshot
from site_builder.limits import MAX_CHARACTERS
from site_builder.engine import build
from site_builder.pipeline import load_site

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402

NOW = datetime.fromisoformat(generate.NOW)


def test_the_largest_notice_allowed_builds(tmp_path):
    content = tmp_path / "content"
    generate.generate(content, 5)
    notice = generate.write_large_notice(content, 3 * 64 * 1024)  # three 29,000-character parts
    body = notice.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert 0.8 * MAX_CHARACTERS < len(body) <= MAX_CHARACTERS
    report = build(content, tmp_path / "out", NOW)
    assert report.notices == 6
    page = (tmp_path / "out/ko/notices/2025/06/large-notice/index.html").read_bytes()
    assert len(page) > 2 * MAX_CHARACTERS and page.count(b"<table>") > 2


def test_a_5_mb_notice_is_a_content_error_naming_it(tmp_path):
    content = tmp_path / "content"
    generate.generate(content, 5)
    generate.write_large_notice(content, 5 * 1024 * 1024)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content),
                             "--output", str(tmp_path / "out"), "--now", generate.NOW],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "content/notices/2025/large-notice.ko.md:" in result.stderr
    assert "more than the 100,000 a page can hold" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, generate.Stats]:
    content = tmp_path_factory.mktemp("generated") / "content"
    return content, generate.generate(content, 200, seed=7)


def test_the_generated_tree_is_valid_content_with_the_promised_shape(generated):
    content, stats = generated
    site, _, warnings = load_site(content)
    assert warnings == () and len(site.notices) == stats.notices == 200
    assert len(site.departments) == 20 and len(site.programs) == 15
    assert 0.45 < stats.translations / stats.notices < 0.75
    years = {n.release.year for n in site.notices}
    assert years == set(range(2016, 2026))
    sizes = [len(n.texts["ko"].body.encode()) for n in site.notices]
    assert min(sizes) >= 2048 and max(sizes) <= 4096 + 1024
    body = site.notices[0].texts["ko"].body
    assert "\n## " in body and "\n- " in body and "\n|---|" in body


def test_the_generated_site_builds_and_publishes_every_notice(generated, tmp_path):
    content, stats = generated
    report = build(content, tmp_path / "out", NOW)
    assert report.notices == 200 and report.embargoed == 0 and report.warnings == ()
    assert len(list((tmp_path / "out/en/notices").rglob("index.html"))) >= stats.translations


def test_the_same_seed_writes_the_same_tree_and_the_command_line_says_what_it_wrote(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), "--notices",
                             "30", "--out", str(tmp_path / "a"), "--seed", "3"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.startswith("30 notices (")
    generate.generate(tmp_path / "b", 30, seed=3)
    generate.generate(tmp_path / "c", 30, seed=4)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b") != snapshot(tmp_path / "c")
