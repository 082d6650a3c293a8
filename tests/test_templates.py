"""A theme of one's own (`--templates`) with a mistake in it: the build says which
template file and line, in plain words, exits 1 and leaves the output as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import NOW, ROOT, run_build, snapshot

TITLE = "<h1 data-pagefind-meta=\"title\">{{ notice.title }}</h1>"


@pytest.fixture
def theme(tmp_path: Path) -> Path:
    target = tmp_path / "theme"
    shutil.copytree(ROOT / "templates", target)
    return target


def _build(content: Path, out: Path, theme: Path, *args: str):
    return run_build("--content", str(content), "--output", str(out), "--now", NOW.isoformat(),
                     "--no-cache", "--templates", str(theme), *args, cwd=out.parent)


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


def test_a_misspelt_name_in_a_theme_names_its_file_and_line_and_keeps_the_output(
        site_copy, tmp_path, theme):
    out = tmp_path / "out"
    assert _build(site_copy, out, theme).returncode == 0
    before = snapshot(out)
    notice = theme / "notice.html"
    line = _line_of(notice, TITLE)
    notice.write_text(notice.read_text(encoding="utf-8").replace(
        TITLE, TITLE.replace("notice.title", "notice.titel")), encoding="utf-8")
    result = _build(site_copy, out, theme)
    assert result.returncode == 1
    assert f"theme/notice.html:{line}: template error: 'NoticeView object' has no attribute " \
           "'titel'" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before
    korean = _build(site_copy, out, theme, "--lang", "ko")
    assert korean.returncode == 1 and f"theme/notice.html:{line}: 템플릿 오류:" in korean.stderr


def test_a_syntax_error_and_a_missing_partial_are_shown_where_they_are(site_copy, tmp_path,
                                                                       theme):
    notice = theme / "notice.html"
    line = _line_of(notice, TITLE)
    good = notice.read_text(encoding="utf-8")
    notice.write_text(good.replace(TITLE, "{% if %}"), encoding="utf-8")
    result = _build(site_copy, tmp_path / "out", theme)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"theme/notice.html:{line}: template error: " in result.stderr
    notice.write_text(good, encoding="utf-8")
    including = next(p for p in sorted(theme.glob("*.html"))
                     if "partials/footer.html" in p.read_text(encoding="utf-8"))
    line = _line_of(including, "partials/footer.html")
    (theme / "partials" / "footer.html").unlink()
    result = _build(site_copy, tmp_path / "out", theme)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"theme/{including.name}:{line}: template error: " in result.stderr
    assert "has no partials/footer.html" in result.stderr


def test_a_theme_folder_that_is_missing_or_incomplete_is_said_plainly(site_copy, tmp_path,
                                                                      theme):
    result = _build(site_copy, tmp_path / "out", tmp_path / "no-such-theme")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "The templates folder no-such-theme was not found" in result.stderr
    (theme / "notice.html").unlink()
    result = _build(site_copy, tmp_path / "out", theme)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "The templates folder theme has no notice.html" in result.stderr
    shutil.rmtree(theme / "strings")
    result = _build(site_copy, tmp_path / "out", theme)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "has no UI text in 'ko'" in result.stderr
    assert not (tmp_path / "out").exists()
