"""Content errors as a user meets them: `python build.py` on a broken content directory.

Each folder in tests/fixtures/invalid/ is a complete, minimal content directory
(always named `content/`, so the printed paths are stable) with one kind of
mistake, and `expected.txt` holding the exact `path:line: message` lines the
build must print for it. The build must report them all, exit with status 1,
show no traceback and write nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL_NOTICE, FIXTURES, ROOT, run_build, write_files

INVALID = FIXTURES / "invalid"
NOW = "2026-11-23T12:00:00+09:00"


REQUIRED_CASES = {
    "missing_title", "unknown_department", "unknown_front_matter_key", "en_without_ko",
    "en_overrides_neutral_field", "bad_date", "duplicate_slug_same_month",
    "unknown_lang_suffix", "no_lang_suffix", "unknown_program", "missing_attachment",
    "attachment_path_escape", "invalid_yaml", "duplicate_key", "not_utf8", "bad_slug",
    "site_yaml_missing_base_url", "unsupported_language", "multiple_errors_in_one_run",
    "contact_missing_name", "nul_byte", "no_front_matter", "unclosed_front_matter",
}

CASES = sorted(path.name for path in INVALID.iterdir() if (path / "expected.txt").is_file())


def build(cwd: Path, content: str = "content", output: str = "out"):
    return run_build("--content", content, "--output", output, "--now", NOW, cwd=cwd)


def error_lines(stderr: str) -> tuple[list[str], str]:
    """(the problem lines, the final summary line)."""
    lines = stderr.rstrip("\n").split("\n")
    return lines[:-1], lines[-1]


write = write_files


SITE_YAML = ("title: {ko: 보도자료, en: Press Releases}\n"
             "base_url: https://news.example.go.kr/\n"
             "languages: [ko, en]\n")
DEPARTMENTS_YAML = ("welfare-policy:\n"
                    "  name: {ko: 복지정책과, en: Welfare Policy Division}\n")
NOTICE = MINIMAL_NOTICE


def minimal_site(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """A valid content directory at root; `files` adds or replaces files."""
    return write(root, {"site.yaml": SITE_YAML, "departments.yaml": DEPARTMENTS_YAML,
                        "notices/2016/hongeun-support-team.ko.md": NOTICE, **(files or {})})


def test_every_error_case_of_the_contract_has_a_fixture_folder():
    assert REQUIRED_CASES <= set(CASES)
    for case in CASES:
        content = INVALID / case / "content"
        assert (content / "site.yaml").is_file(), f"{case}: not a complete content directory"
        assert (content / "departments.yaml").is_file(), f"{case}: not a complete content directory"


def test_the_not_utf8_fixture_really_is_not_utf8():
    data = (INVALID / "not_utf8/content/notices/2016/hongeun-support-team.ko.md").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


@pytest.mark.parametrize("case", CASES)
def test_invalid_content_is_reported_and_nothing_is_written(case, tmp_path):
    shutil.copytree(INVALID / case, tmp_path, dirs_exist_ok=True)
    expected = (INVALID / case / "expected.txt").read_text(encoding="utf-8").splitlines()

    result = build(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    problems, summary = error_lines(result.stderr)
    assert problems == expected
    count = len(expected)
    assert summary == (f"{count} error{'s' if count != 1 else ''}; "
                       "nothing was written and out/ is unchanged.")
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".out*")), "a staging directory was left behind"
    assert result.stdout == ""


def test_multiple_errors_are_all_reported_in_one_run(tmp_path):
    shutil.copytree(INVALID / "multiple_errors_in_one_run", tmp_path, dirs_exist_ok=True)
    result = build(tmp_path)
    problems, _ = error_lines(result.stderr)
    files = {line.split(":", 1)[0] for line in problems}
    assert len(files) >= 3
    assert result.returncode == 1


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_failed_build_leaves_the_previous_output_as_it_was(tmp_path):
    content = minimal_site(tmp_path / "content")
    first = build(tmp_path)
    assert first.returncode == 0, first.stderr
    before = snapshot(tmp_path / "out")
    assert "ko/notices/2016/05/hongeun-support-team/index.html" in before

    notice = content / "notices/2016/hongeun-support-team.ko.md"
    notice.write_text(NOTICE.replace("department: welfare-policy", "department: welfare"),
                      encoding="utf-8")
    second = build(tmp_path)

    assert second.returncode == 1
    assert second.stderr.startswith("content/notices/2016/hongeun-support-team.ko.md:3: "
                                    "'department: welfare' is not a known department.")
    assert snapshot(tmp_path / "out") == before
    # Nothing left behind but the content, the site and the build cache.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "content", "out"]


def test_a_missing_content_directory_is_an_error_not_a_crash(tmp_path):
    result = build(tmp_path, content="nowhere")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr)[0] == ["nowhere: the content directory does not exist."]
    assert not (tmp_path / "out").exists()


# Known bugs: each shows a content mistake that makes the build crash or say too little.

def test_a_contact_written_as_plain_text_is_reported_with_its_line(tmp_path):
    minimal_site(tmp_path / "content", {"notices/2016/hongeun-support-team.ko.md": NOTICE.replace(
        "release: 2016-05-03\n", "release: 2016-05-03\ncontacts:\n  - 박정숙 02-330-1280\n")})
    result = build(tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    problems, _ = error_lines(result.stderr)
    assert problems and all(line.startswith("content/notices/2016/hongeun-support-team.ko.md:6: ")
                            for line in problems)


def test_two_broken_departments_are_both_reported(tmp_path):
    minimal_site(tmp_path / "content", {"departments.yaml": DEPARTMENTS_YAML
                                          + "culture-sports: 문화체육과\n"
                                          + "tourism:\n  nmae: {ko: 관광과, en: Tourism}\n"})
    result = build(tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    problems, _ = error_lines(result.stderr)
    assert any(line.startswith("content/departments.yaml:3: ") for line in problems)
    assert any(line.startswith("content/departments.yaml:5: 'nmae' is not a known field.")
               for line in problems)


def test_a_primary_whose_front_matter_is_a_list_is_reported_not_a_crash(tmp_path):
    minimal_site(tmp_path / "content", {
        "notices/2016/hongeun-support-team.ko.md": "---\n- title\n- department\n---\n본문.\n",
        "notices/2016/hongeun-support-team.en.md":
            "---\ntitle: Agreement\ndepartment: welfare-policy\n---\nBody.\n"})
    result = build(tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    problems, _ = error_lines(result.stderr)
    assert any(line.startswith("content/notices/2016/hongeun-support-team.ko.md:2: ")
               for line in problems)


def test_an_empty_site_yaml_is_named_in_the_error(tmp_path):
    minimal_site(tmp_path / "content", {"site.yaml": ""})
    result = build(tmp_path)
    assert result.returncode == 1
    problems, summary = error_lines(result.stderr)
    assert problems and all(line.startswith("content/site.yaml") for line in problems)
    assert not summary.startswith("0 errors")


def test_an_impossible_calendar_date_names_the_line(tmp_path):
    minimal_site(tmp_path / "content", {"notices/2016/hongeun-support-team.ko.md":
                                          NOTICE.replace("2016-05-03", "2016-02-30")})
    result = build(tmp_path)
    assert result.returncode == 1
    problems, _ = error_lines(result.stderr)
    assert len(problems) == 1
    assert problems[0].startswith("content/notices/2016/hongeun-support-team.ko.md:4: ")


# -- the same errors in Korean -------------------------------------------------------------

HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.mark.parametrize("case", CASES)
def test_every_error_reads_in_korean_at_the_same_file_and_line(case, tmp_path):
    shutil.copytree(INVALID / case, tmp_path, dirs_exist_ok=True)
    expected = (INVALID / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    result = run_build("--content", "content", "--output", "out", "--now", NOW, "--lang", "ko",
                       cwd=tmp_path)
    assert result.returncode == 1
    problems, summary = error_lines(result.stderr)
    where = re.compile(r"^(\S+?(?::\d+)?): ")
    assert [where.match(p).group(1) for p in problems] == \
        [where.match(e).group(1) for e in expected]
    assert all(HANGUL.search(where.sub("", p)) for p in problems), problems
    assert summary == f"오류 {len(expected)}건. 아무것도 쓰지 않았으며 out/ 폴더는 그대로입니다."


def test_an_unknown_department_in_korean_names_the_known_ids_and_the_nearest(tmp_path):
    shutil.copytree(INVALID / "unknown_department", tmp_path, dirs_exist_ok=True)
    result = run_build("--content", "content", "--output", "out", "--lang", "ko", cwd=tmp_path)
    [problem], _ = error_lines(result.stderr)
    assert problem == (
        "content/notices/2016/hongeun-support-team.ko.md:5: 'department: welfare-polcy'은(는) "
        "등록되지 않은 부서입니다. 'welfare-policy'을(를) 쓰려던 것인가요? 등록된 부서: "
        "culture-sports, welfare-policy (departments.yaml 참고).")


@pytest.mark.parametrize("locale, word", [("ko_KR.UTF-8", "오류"), ("C.UTF-8", "error")])
def test_the_message_language_follows_the_locale(tmp_path, locale, word):
    shutil.copytree(INVALID / "unknown_department", tmp_path, dirs_exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env["LANG"] = locale
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", "content",
                             "--output", "out"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert word in result.stderr.splitlines()[-1]
