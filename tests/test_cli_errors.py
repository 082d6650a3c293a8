"""Content errors as a user meets them: `python build.py` on a broken content directory.

Each folder in tests/fixtures/invalid/ is a complete, minimal content directory
(always named `content/`, so the printed paths are stable) with one kind of
mistake, and `expected.txt` holding the exact `path:line: message` lines the
build must print for it. The build must report them all, exit with status 1,
show no traceback and write nothing.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import MINIMAL_NOTICE, FIXTURES, ROOT, run_build, snapshot, write_files

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
    assert error_lines(result.stderr)[0] == [
        f"nowhere: the content directory {tmp_path / 'nowhere'} does not exist."]
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


# -- issue 10: content that crashed the build or was published unsafely ---------------------

DEEP = "[" * 30000 + "]" * 30000
"""60 KB of nested lists: the C YAML parser recursed on the C stack and the process died
with signal 11 (SIGSEGV), without a message."""
TOO_DEEP = ("the YAML is nested too deeply: more than 50 lists or groups inside one another, "
            "starting on this line. Write the value out plainly, e.g. tags: [복지, 문화].")
AGREEMENT = "notices/2026/support-team-agreement.ko.md"
DEEP_FILE = "notices/2026/deep.ko.md"
DEEP_NOTICE = ("---\ntitle: 제목\ndepartment: welfare-policy\nrelease: 2026-05-12\n"
               f"tags: {DEEP}\n---\n본문.\n")


def refused(result, tmp_path: Path) -> list[str]:
    """The problem lines of a build that must have failed cleanly and written nothing."""
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])  # -11: SIGSEGV
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    return error_lines(result.stderr)[0]


@pytest.mark.parametrize("relative, text, line", [
    (DEEP_FILE, DEEP_NOTICE, 5),
    ("site.yaml", "title: {ko: 보도자료, en: Press}\nbase_url: https://example.go.kr/\n"
                  f"languages: [ko, en]\ndescription:\n  ko: {DEEP}\n", 5),
    ("departments.yaml", f"welfare-policy: {DEEP}\n", 1),
    ("departments.yaml", "welfare-policy:\n  name:\n" + "".join(
        "  " * depth + "- \n" for depth in range(2, 3000)), 2),
])
def test_deeply_nested_yaml_is_an_error_on_its_line_not_a_crash(site_copy, relative, text, line):
    write(site_copy, {relative: text})
    problems = refused(build(site_copy.parent), site_copy.parent)
    assert f"content/{relative}:{line}: {TOO_DEEP}" in problems


def test_deeply_nested_yaml_is_reported_in_korean(site_copy):
    write(site_copy, {DEEP_FILE: DEEP_NOTICE})
    result = run_build("--content", "content", "--output", "out", "--now", NOW, "--lang", "ko",
                       cwd=site_copy.parent)
    assert refused(result, site_copy.parent) == [
        f"content/{DEEP_FILE}:5: YAML이 너무 깊이 중첩되어 있습니다. 이 줄부터 목록이나 묶음이 "
        "50단계보다 깊게 겹쳐 있습니다. tags: [복지, 문화]처럼 값을 단순하게 쓰세요."]


def test_check_reports_deeply_nested_front_matter(site_copy):
    write(site_copy, {DEEP_FILE: DEEP_NOTICE})
    result = run_build("check", "--content", "content", "--now", NOW, cwd=site_copy.parent)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert f"content/{DEEP_FILE}\n  line 5: {TOO_DEEP}\n" in result.stdout


def test_new_is_not_stopped_by_deeply_nested_front_matter_elsewhere(site_copy):
    write(site_copy, {DEEP_FILE: DEEP_NOTICE})
    result = run_build("new", "--content", "content", "--now", NOW, "--department",
                       "welfare-policy", "김장 나눔", cwd=site_copy.parent)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert (site_copy.parent / result.stdout.strip()).is_file()
    assert "1 problem elsewhere" in result.stderr


def test_deeply_nested_ui_strings_are_an_error_not_a_crash(site_copy):
    templates = site_copy.parent / "theme"
    shutil.copytree(ROOT / "templates", templates)
    with (templates / "strings/ko.yaml").open("a", encoding="utf-8") as strings:
        strings.write(f"zz_deep: {DEEP}\n")
    result = run_build("--content", "content", "--output", "out", "--now", NOW,
                       "--templates", "theme", cwd=site_copy.parent)
    line = (templates / "strings/ko.yaml").read_text(encoding="utf-8").count("\n")
    assert f"strings/ko.yaml:{line}: {TOO_DEEP}" in refused(result, site_copy.parent)


SCRIPTED_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
                '  <rect width="10" height="10"/>\n'
                '  <script>alert(document.domain)</script>\n'
                '</svg>\n')
ACTIVE = ("files of this type ({kind}) are not published from static/: a browser would run "
          "them as a page or a script on the site's own address. Publish the content as a PDF "
          "or an image instead, or remove the file.")


@pytest.mark.parametrize("name, kind", [
    ("page.html", ".html"), ("page.HTM", ".htm"), ("doc.xhtml", ".xhtml"), ("feed.xml", ".xml"),
    ("app.js", ".js"), ("mod.mjs", ".mjs"), ("logo.svgz", ".svgz"), ("report.html.pdf", ".html"),
    (".htaccess", ".htaccess")])
def test_a_file_a_browser_would_run_is_refused_in_static(site_copy, name, kind):
    (site_copy / "static/attachments" / name).write_text("<script>alert(1)</script>\n")
    problems = refused(build(site_copy.parent), site_copy.parent)
    assert problems == [f"content/static/attachments/{name}: {ACTIVE.format(kind=kind)}"]


def test_an_html_attachment_is_refused_once_naming_the_file(site_copy):
    write(site_copy, {"static/attachments/2026/form.html": "<script>alert(1)</script>\n"})
    notice = site_copy / AGREEMENT
    notice.write_text(notice.read_text(encoding="utf-8").replace(
        "attachments:\n", "attachments:\n  - {file: attachments/2026/form.html, title: 신청서}\n"),
        encoding="utf-8")
    problems = refused(build(site_copy.parent), site_copy.parent)
    assert problems == [
        f"content/static/attachments/2026/form.html: {ACTIVE.format(kind='.html')}"]


@pytest.mark.parametrize("name", ["logo.svg", "LOGO.SVG"])
def test_an_svg_with_a_script_is_refused_with_its_line(site_copy, name):
    write(site_copy, {f"static/images/{name}": SCRIPTED_SVG})
    problems = refused(build(site_copy.parent), site_copy.parent)
    assert problems == [
        f"content/static/images/{name}:3: this SVG image contains the element <script>, which "
        "could run script or load other files on the site's own address. Export the image as "
        "PNG, or remove it from the SVG."]


def test_an_svg_with_a_script_is_refused_in_korean(site_copy):
    write(site_copy, {"static/images/logo.svg": SCRIPTED_SVG})
    result = run_build("--content", "content", "--output", "out", "--now", NOW, "--lang", "ko",
                       cwd=site_copy.parent)
    assert refused(result, site_copy.parent) == [
        "content/static/images/logo.svg:3: 이 SVG 이미지에 <script> 요소이(가) 들어 있습니다. "
        "사이트 주소에서 스크립트를 실행하거나 다른 파일을 불러올 수 있습니다. 이미지를 PNG로 "
        "내보내거나 SVG에서 그 부분을 지우세요."]


PLAIN_SVG = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"\n'
             '     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 10 10">\n'
             '  <!-- 구 상징 -->\n'
             '  <defs><linearGradient id="g"><stop offset="0" style="stop-color:#fff"/>'
             '</linearGradient></defs>\n'
             '  <style>.a { fill: url(#g) }</style>\n'
             '  <title>서대문구 상징</title>\n'
             '  <rect id="r" class="a" width="10" height="10" style="fill:url(#g)" '
             'inkscape:label="bg"/>\n'
             '  <use xlink:href="#r" href="#r"/>\n'
             '</svg>\n')


def test_a_plain_svg_image_is_published_as_it_is(site_copy):
    write(site_copy, {"static/images/emblem.svg": PLAIN_SVG})
    result = build(site_copy.parent)
    assert result.returncode == 0, result.stderr
    assert (site_copy.parent / "out/static/images/emblem.svg").read_text("utf-8") == PLAIN_SVG


NOT_READ = ("this file is not read: press releases are read only as "
            "notices/<folder>/<name>.<language>.md, in small letters. Move or rename it to {to}.")


def test_notice_and_program_files_that_are_not_read_are_warned_about(site_copy):
    write(site_copy, {name: MINIMAL_NOTICE for name in (
        "notices/top-level.ko.md", "notices/2016/06/x.ko.md", "notices/2026/x.KO.MD",
        "notices/2026/y.ko.markdown", "notices/2026/z.ko.Md", "programs/p.ko.MARKDOWN",
        "programs/old/q.ko.md", "notices/README.md", "notices/2026/.x.ko.md.swp")})
    result = build(site_copy.parent)
    assert result.returncode == 0, result.stderr
    program = ("this file is not read: program pages are read only as "
               "programs/<id>.<language>.md, in small letters. Move or rename it to {to}.")
    assert result.stderr.splitlines() == [
        "warning: content/notices/top-level.ko.md: "
        + NOT_READ.format(to="content/notices/<year>/top-level.ko.md"),
        "warning: content/notices/2016/06/x.ko.md: "
        + NOT_READ.format(to="content/notices/2016/x.ko.md"),
        "warning: content/notices/2026/x.KO.MD: "
        + NOT_READ.format(to="content/notices/2026/x.ko.md"),
        "warning: content/notices/2026/y.ko.markdown: "
        + NOT_READ.format(to="content/notices/2026/y.ko.md"),
        "warning: content/notices/2026/z.ko.Md: "
        + NOT_READ.format(to="content/notices/2026/z.ko.md"),
        "warning: content/programs/p.ko.MARKDOWN: " + program.format(to="content/programs/p.ko.md"),
        "warning: content/programs/old/q.ko.md: " + program.format(to="content/programs/q.ko.md"),
    ]


NEWLINE_ID = ("'{id}' is not a valid department id: use lowercase letters a-z, digits and "
              "single hyphens.")


def test_a_file_name_ending_in_a_newline_is_not_a_slug(site_copy):
    write(site_copy, {"notices/2026/evil\n.ko.md": MINIMAL_NOTICE})
    problems = refused(build(site_copy.parent), site_copy.parent)
    assert problems == [
        "content/notices/2026/evil\\n.ko.md:1: the file name 'evil\\n' cannot be used in an "
        "address: rename the file using a-z, 0-9 and hyphens, or add a line like "
        "'slug: my-notice'."]


def test_a_department_id_ending_in_a_newline_is_refused(site_copy):
    with (site_copy / "departments.yaml").open("a", encoding="utf-8") as departments:
        departments.write('"nl-dept\\n":\n  name: {ko: 새 부서, en: New}\n')
    problems = refused(build(site_copy.parent), site_copy.parent)
    line = (site_copy / "departments.yaml").read_text(encoding="utf-8").count("\n") - 1
    assert problems == [f"content/departments.yaml:{line}: 'nl-dept\\n' is not a valid "
                        "department id: use lowercase letters a-z, digits and single hyphens."]


RLO = "\u202e"
HIDDEN = ("'{key}' contains the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE), which can "
          "reverse or hide the text around it; remove it.")


@pytest.mark.parametrize("relative, old, new, line, key", [
    (AGREEMENT, "title: 찾아가는", f"title: {RLO}찾아가는", 2, "title"),
    (AGREEMENT, "  - 민관 협력으로", f"  - 민관{RLO} 협력으로", 5, "subtitle"),
    (AGREEMENT, "name: 정지현", f"name: 정지{RLO}현", 10, "name"),
    (AGREEMENT, "tags: [복지, 민관협력]", f"tags: [복지, 민관{RLO}협력]", 19, "tags"),
    (AGREEMENT, "programs: [visiting-community-center]",
     f"programs: [visiting-community-center{RLO}]", 18, "programs"),
    (AGREEMENT, "release: 2026-05-12", f"release: 2026-05-12\nslug: abc{RLO}", 14, "slug"),
    (AGREEMENT, "department: welfare-policy", f"department: welfare-policy{RLO}", 7,
     "department"),
    ("programs/small-libraries.ko.md", "title: 우리", f"title: 우리{RLO}", 2, "title"),
    ("departments.yaml", "{ko: 복지정책과,", f"{{ko: 복지{RLO}정책과,", 2, "ko"),
    ("site.yaml", "press_office: {name: {ko: 홍보과", f"press_office: {{name: {{ko: 홍보{RLO}과",
     12, "ko"),
])
def test_an_invisible_bidi_override_in_a_title_or_name_is_refused(site_copy, relative, old, new,
                                                                  line, key):
    path = site_copy / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = refused(build(site_copy.parent), site_copy.parent)
    assert f"content/{relative}:{line}: {HIDDEN.format(key=key)}" in problems
    assert not any(RLO in problem for problem in problems), "the message shows the character"


@pytest.mark.parametrize("char, code", [
    ("\u200b", "U+200B (ZERO WIDTH SPACE)"), ("\u2066", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ("\ufeff", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"), ("\u061c", "U+061C (ARABIC LETTER MARK)"),
    ("\u2060", "U+2060 (WORD JOINER)"), ("\u200f", "U+200F (RIGHT-TO-LEFT MARK)")])
def test_each_invisible_character_is_named_by_its_code(site_copy, char, code):
    path = site_copy / AGREEMENT
    path.write_text(path.read_text(encoding="utf-8").replace("title: 찾아가는", f"title: 찾아{char}가는"),
                    encoding="utf-8")
    problems = refused(build(site_copy.parent), site_copy.parent)
    assert problems == [f"content/{AGREEMENT}:2: 'title' contains the invisible character {code}, "
                        "which can reverse or hide the text around it; remove it."]


def test_an_invisible_bidi_override_in_a_file_name_is_refused(site_copy):
    write(site_copy, {f"notices/2026/evil{RLO}fdp.ko.md": MINIMAL_NOTICE})
    problems = refused(build(site_copy.parent), site_copy.parent)
    assert problems == [
        f"content/notices/2026/evil{RLO}fdp.ko.md:1: the file name contains the invisible "
        "character U+202E (RIGHT-TO-LEFT OVERRIDE), which can reverse or hide the text around "
        "it; rename the file without it."]


def test_an_invisible_character_in_a_title_is_refused_in_korean(site_copy):
    path = site_copy / AGREEMENT
    path.write_text(path.read_text(encoding="utf-8").replace("title: 찾아가는", f"title: {RLO}찾아가는"),
                    encoding="utf-8")
    result = run_build("--content", "content", "--output", "out", "--now", NOW, "--lang", "ko",
                       cwd=site_copy.parent)
    assert refused(result, site_copy.parent) == [
        f"content/{AGREEMENT}:2: 'title'에 보이지 않는 문자 U+202E(RIGHT-TO-LEFT OVERRIDE)가 "
        "들어 있습니다. 주변 글자의 방향을 뒤집거나 글자를 숨길 수 있으니 지우세요."]


def test_invisible_characters_in_running_text_are_left_as_written(site_copy):
    path = site_copy / AGREEMENT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("summary: 서대문구가", f"summary: {RLO}서대문구가\u202c")
                    + f"\n{RLO}본문\u200b입니다.\n", encoding="utf-8")
    result = build(site_copy.parent)
    assert result.returncode == 0, result.stderr
    page = (site_copy.parent / "out/ko/notices/2026/05/support-team-agreement/index.html"
            ).read_text("utf-8")
    assert f"{RLO}본문\u200b입니다." in page and f"{RLO}서대문구가\u202c" in page


def tagged(site_copy: Path, tags: list[str]) -> None:
    path = site_copy / AGREEMENT
    listed = "".join(f"  - {tag}\n" for tag in tags)
    path.write_text(path.read_text(encoding="utf-8").replace("tags: [복지, 민관협력]\n",
                                                             f"tags:\n{listed}"), encoding="utf-8")


def test_more_than_30_tags_is_an_error_at_the_tags_line(site_copy):
    tagged(site_copy, [f"태그{n}" for n in range(31)])
    assert refused(build(site_copy.parent), site_copy.parent) == [
        f"content/{AGREEMENT}:19: there are 31 tags; keep the 30 that matter most, or fewer."]


def test_a_tag_longer_than_100_characters_is_an_error_at_its_line(site_copy):
    tagged(site_copy, ["복지", "가" * 101])
    assert refused(build(site_copy.parent), site_copy.parent) == [
        f"content/{AGREEMENT}:21: the tag '{'가' * 100}…' is 101 characters long; a tag is a "
        "keyword of at most 100 characters."]


def test_30_tags_of_100_characters_are_allowed(site_copy):
    tagged(site_copy, [f"{n:02d}" + "가" * 98 for n in range(30)])
    result = build(site_copy.parent)
    assert result.returncode == 0, result.stderr


# -- issue 11: front matter that forgives ordinary Korean punctuation ----------------------

PUNCTUATED_TITLES = {
    "hash": "서대문구, 복지플래너 20명 배치 #복지사각지대 해소",
    "quote": "'찾아가는 동주민센터' 2단계 출범",
    "colon": "서대문구 복지: 2단계 출범",
    "bracket": "[속보] 서대문구, 복지플래너 배치",
    "star": "* 서대문구 복지플래너 배치",
    "others": "&복지 !중요 %50 {현장} |동행| >확대 \\끝",
}


def punctuated(slug: str, title: str) -> str:
    return (f"---\ntitle: {title}\nsubtitle:\n  - 부제: 동주민센터 #2\n"
            f"summary: 구청장은 말했다: \"함께 하자\" #복지\n"
            "department: welfare-policy  # 복지정책과\n"
            "contacts:\n  - role: 팀장: 복지\n    name: 정지현 #1\n    phone: 02-330-8632\n"
            "release: 2016-05-03\n---\n본문.\n")


def test_unquoted_titles_with_korean_punctuation_are_published_whole(tmp_path):
    minimal_site(tmp_path / "content", {f"notices/2016/{slug}.ko.md": punctuated(slug, title)
                                        for slug, title in PUNCTUATED_TITLES.items()})
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    for slug, title in PUNCTUATED_TITLES.items():
        page = (tmp_path / f"out/ko/notices/2016/05/{slug}/index.html").read_text("utf-8")
        assert [html.unescape(h1) for h1 in re.findall(r"<h1[^>]*>(.*?)</h1>", page)] == [title]
        assert "부제: 동주민센터 #2" in html.unescape(page)
        assert "정지현 #1" in html.unescape(page) and "팀장: 복지" in html.unescape(page)
    feed = ElementTree.parse(tmp_path / "out/ko/feed.xml")
    items = {item.findtext("title"): item.findtext("description") for item in feed.iter("item")}
    assert set(PUNCTUATED_TITLES.values()) <= set(items)
    assert items[PUNCTUATED_TITLES["hash"]] == '구청장은 말했다: "함께 하자" #복지'
    first = (tmp_path / "out/ko/notices/2016/05/hash/index.html").read_bytes()
    assert build(tmp_path).returncode == 0  # front matter from the cache this time
    assert (tmp_path / "out/ko/notices/2016/05/hash/index.html").read_bytes() == first


@pytest.mark.parametrize("lang, message", [
    ("en", "content/notices/2016/hongeun-support-team.ko.md:2: 'title' is quoted text followed "
           "by '#'. If the part after '#' belongs to the text, put the whole line in double "
           "quotes: title: \"\\\"서대문구\\\" #1 복지\" If it is a note, remove it."),
    ("ko", "content/notices/2016/hongeun-support-team.ko.md:2: 'title' 값이 따옴표로 묶인 글 "
           "뒤에 '#'이 이어집니다. '#' 뒷부분도 글의 일부라면 줄 전체를 큰따옴표로 묶으세요: "
           "title: \"\\\"서대문구\\\" #1 복지\" 메모라면 지우세요."),
])
def test_quoted_text_followed_by_a_hash_is_refused_with_the_fix(tmp_path, lang, message):
    minimal_site(tmp_path / "content", {"notices/2016/hongeun-support-team.ko.md":
                                        NOTICE.replace("title: 추진지원단 운영 협약 체결",
                                                       'title: "서대문구" #1 복지')})
    result = run_build("--content", "content", "--output", "out", "--now", NOW, "--lang", lang,
                       cwd=tmp_path)
    assert refused(result, tmp_path) == [message]


@pytest.mark.parametrize("front, line, column", [
    ("\tdepartment: welfare-policy", 3, 1),
    ("contacts:\n  - role: 팀장\n  \t name: 정지현", 5, 3),
])
def test_a_tab_in_the_front_matter_is_named_with_its_line_and_column(tmp_path, front, line,
                                                                      column):
    minimal_site(tmp_path / "content", {"notices/2016/hongeun-support-team.ko.md":
                                        NOTICE.replace("department: welfare-policy", front)})
    problems = refused(build(tmp_path), tmp_path)
    assert problems == [f"content/notices/2016/hongeun-support-team.ko.md:{line}: this line "
                        f"has a tab character (column {column}), which YAML does not accept "
                        "here. Replace the tab with spaces."]


@pytest.mark.parametrize("written, en, ko", [
    ("2024-13-01", "month 13 does not exist", "13월은 없습니다"),
    ("2024-02-30", "February 2024 has 29 days", "2024년 2월은 29일까지 있습니다"),
    ("2023-02-29T10:00:00+09:00", "February 2023 has 28 days", "2023년 2월은 28일까지 있습니다"),
    ("2024-04-31", "April 2024 has 30 days", "2024년 4월은 30일까지 있습니다"),
])
def test_an_impossible_date_says_which_part_does_not_exist(tmp_path, written, en, ko):
    minimal_site(tmp_path / "content", {"notices/2016/hongeun-support-team.ko.md":
                                        NOTICE.replace("2016-05-03", written)})
    for lang, reason in (("en", en), ("ko", ko)):
        result = run_build("--content", "content", "--output", "out", "--now", NOW,
                           "--lang", lang, cwd=tmp_path)
        [problem] = refused(result, tmp_path)
        assert problem.startswith("content/notices/2016/hongeun-support-team.ko.md:4: "
                                  f"'release: {written}'")
        assert reason in problem


# Messages that lead to the right fix (issue 11).

EN_NOTICE = ("---\ntitle: Agreement signed\n---\nThe district signed an agreement.\n")


@pytest.mark.parametrize("primary", [
    NOTICE.replace("release: 2016-05-03", "release: [2016-05-03"),
    NOTICE.encode("cp949"),
], ids=["yaml-error", "cp949"])
def test_the_translation_of_a_primary_that_cannot_be_read_only_points_at_its_error(
        tmp_path, primary):
    minimal_site(tmp_path / "content", {
        "notices/2016/hongeun-support-team.ko.md": primary,
        "notices/2016/hongeun-support-team.en.md": EN_NOTICE})
    result = build(tmp_path)
    assert result.returncode == 1
    problems, summary = error_lines(result.stderr)
    assert [p.split(":")[0] for p in problems] == [
        "content/notices/2016/hongeun-support-team.ko.md"]
    assert "primary language" not in result.stderr
    assert summary.startswith("1 error;")


def test_an_english_file_without_any_korean_file_is_still_reported(tmp_path):
    minimal_site(tmp_path / "content", {"notices/2016/other.en.md": EN_NOTICE})
    result = build(tmp_path)
    assert "content/notices/2016/other.en.md: this translation has no press release in the " \
           "primary language" in result.stderr


def test_the_cache_never_changes_what_a_build_reports(tmp_path):
    minimal_site(tmp_path / "content", {"notices/2016/hongeun-support-team.en.md":
                                        "---\n---\nBody.\n"})
    args = ("--content", "content", "--output", "out", "--cache", "cache", "--now", NOW)
    first, second = (run_build(*args, cwd=tmp_path) for _ in range(2))
    assert first.returncode == second.returncode == 1
    assert "hongeun-support-team.en.md:1: 'title' is missing" in first.stderr
    assert second.stderr == first.stderr


def test_a_missing_content_directory_names_the_absolute_path_it_looked_at(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_build("--output", "out", "--now", NOW, cwd=elsewhere)
    assert result.returncode == 1
    assert f"the content directory {elsewhere / 'content'} does not exist." in result.stderr
    korean = run_build("--output", "out", "--now", NOW, "--lang", "ko", cwd=elsewhere)
    assert str(elsewhere / "content") in korean.stderr


@pytest.mark.parametrize("lang, words", [
    ("en", ["new ", "check ", "serve ", "preview the site"]),
    ("ko", ["new ", "check ", "serve ", "미리 봅니다"]),
])
def test_build_help_lists_the_other_commands_one_line_each(tmp_path, lang, words):
    result = run_build("--help", "--lang", lang, cwd=tmp_path)
    assert result.returncode == 0
    listed = result.stdout.split("\n\n")[-1]
    for word in words:
        assert sum(word in line for line in listed.splitlines()) == 1, (word, listed)


@pytest.mark.parametrize("tags, fix", [
    ("복지 #사각지대", 'tags: [복지, "#사각지대"]'),
    ("[복지, #사각지대]", 'tags: [복지, "#사각지대"]'),
])
def test_a_tag_that_a_hash_would_drop_is_refused_with_the_fix(site_copy, tmp_path, tags, fix):
    write_files(site_copy, {"notices/2026/tagged.ko.md": MINIMAL_NOTICE.replace(
        "release: 2016-05-03\n", f"release: 2016-05-03\ntags: {tags}\n")})
    result = run_build("--content", str(site_copy), "--output", str(tmp_path / "out"),
                       "--now", NOW)
    assert result.returncode == 1
    assert f"content/notices/2026/tagged.ko.md:5: '#' on this line would start a note" in \
        result.stderr and fix in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_note_after_a_list_of_tags_stays_a_note(site_copy, tmp_path):
    write_files(site_copy, {"notices/2026/tagged.ko.md": MINIMAL_NOTICE.replace(
        "release: 2016-05-03\n", "release: 2016-05-03\ntags: [복지, \"#사각지대\"]  # 메모\n")})
    result = run_build("--content", str(site_copy), "--output", str(tmp_path / "out"),
                       "--now", NOW)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out/ko/notices/2016/05/tagged/index.html").read_text(encoding="utf-8")
    assert "#사각지대" in page and "메모" not in page
