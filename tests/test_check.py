"""`python build.py check`: the content and the rendered site checked, nothing written.

The fixture (tests/fixtures/check_site) is a valid site with exactly these problems at the
tests' NOW (2026-11-23 12:00 KST):

    library-reading-festival.ko.md  a body link to a notice that does not exist   error
    library-reading-festival.ko.md  an image without alt text                      warning
    support-team-agreement.en.md    translated 2026-05-14, Korean updated 05-20    warning
    support-team-agreement.ko.md    a contact phone without area code (330-8632)   warning
    senior-lunch-service.ko.md      no English version                             info
    kimjang-sharing.ko.md           embargoed until 2026-11-24 10:00 KST           info

The missing attachment stops
validation, so the tests make it in a copy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, NOW, ROOT, SAMPLE_SITE, run_build, snapshot
from site_builder.check import check_site, phone_problem, run_check

FIXTURE = FIXTURES / "check_site"
NOW_ARG = NOW.isoformat()
FESTIVAL = "notices/2026/library-reading-festival.ko.md"
FESTIVAL_EN = "notices/2026/library-reading-festival.en.md"
AGREEMENT = "notices/2026/support-team-agreement.ko.md"
AGREEMENT_EN = "notices/2026/support-team-agreement.en.md"
LUNCH = "notices/2026/senior-lunch-service.ko.md"
BROKEN = "/ko/notices/2026/06/library-festival-schedule/"


# -- helpers -------------------------------------------------------------------------------

def line_of(content: Path, relative: str, needle: str) -> int:
    """The 1-based line of the first line of a content file containing `needle`."""
    for number, line in enumerate((content / relative).read_text(encoding="utf-8")
                                  .splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in {relative}")


def name(content: Path, relative: str) -> str:
    """How problems name a content file: the content directory's name, then the path."""
    return f"{content.name}/{relative}"


def matching(problems, text: str, severity: str | None = None) -> list:
    return [p for p in problems if text in p.message and severity in (None, p.severity)]


def check(capsys, *args: str, content: Path = FIXTURE, now: str = NOW_ARG) -> tuple[int, str]:
    """run_check as the command line calls it: (exit status, what it printed)."""
    capsys.readouterr()
    code = run_check(["--content", str(content), "--now", now, *args])
    return code, capsys.readouterr().out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def problems():
    return check_site(FIXTURE, NOW)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture, named content/."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def only_warnings(copy: Path) -> Path:
    """The fixture with its broken link fixed: warnings and a note remain."""
    edit(copy / FESTIVAL, BROKEN, "/ko/notices/2026/06/library-reading-festival/")
    return copy


# -- each planted problem, with its file and line -------------------------------------------

def test_the_fixture_has_exactly_the_planted_problems(problems):
    assert Counter(p.severity for p in problems) == {"error": 1, "warning": 3, "info": 2}
    assert all(p.path.startswith("check_site/notices/") for p in problems), problems


def test_broken_link_in_a_body_is_an_error_at_its_line(problems):
    [error] = [p for p in problems if p.severity == "error"]
    assert error.path == name(FIXTURE, FESTIVAL)
    assert error.line == line_of(FIXTURE, FESTIVAL, "library-festival-schedule")
    assert BROKEN in error.message
    assert "Did you mean '/ko/notices/2026/06/library-reading-festival/'?" in error.message


def test_image_without_alt_text_is_a_warning_at_its_line(problems):
    [warning] = matching(problems, "alt text")
    assert warning.severity == "warning"
    assert warning.path == name(FIXTURE, FESTIVAL)
    assert warning.line == line_of(FIXTURE, FESTIVAL, "![](/static/images/2026/poster.png)")
    assert "/static/images/2026/poster.png" in warning.message


def test_stale_translation_is_a_warning_at_its_translated_line(problems):
    [stale] = matching(problems, "out of date")
    assert stale.severity == "warning"
    assert stale.path == name(FIXTURE, AGREEMENT_EN)
    assert stale.line == line_of(FIXTURE, AGREEMENT_EN, "translated:")
    assert "2026-05-20" in stale.message and "2026-05-14" in stale.message


def test_translation_of_the_same_day_as_the_update_is_not_stale(problems):
    assert not [p for p in problems if p.path == name(FIXTURE, FESTIVAL_EN)]


def test_translation_without_translated_date_of_an_updated_notice_is_a_note(copy):
    edit(copy / FESTIVAL_EN, "translated: 2026-06-03\n", "")
    [note] = [p for p in check_site(copy, NOW) if p.path == name(copy, FESTIVAL_EN)]
    assert note.severity == "info"
    assert note.line == line_of(copy, FESTIVAL_EN, "title:")
    assert "no 'translated:' date" in note.message


def test_bad_phone_number_is_a_warning_at_its_contact_line(problems):
    [phone] = matching(problems, "phone number")
    assert phone.severity == "warning"
    assert phone.path == name(FIXTURE, AGREEMENT)
    assert phone.line == line_of(FIXTURE, AGREEMENT, "330-8632")
    assert "'330-8632'" in phone.message and "02-330-8632" in phone.message


def test_notice_without_english_is_listed(problems):
    [note] = [p for p in problems if p.severity == "info" and "English" in p.message]
    assert note.path == name(FIXTURE, LUNCH)
    assert "no English version" in note.message and "senior-lunch-service.en.md" in note.message


def test_missing_attachment_is_an_error_at_its_line_and_stops_the_link_checks(copy, capsys):
    (copy / "static/attachments/2026/support-team-agreement.pdf").unlink()
    problems = check_site(copy, NOW)
    [missing] = matching(problems, "static/attachments/2026/support-team-agreement.pdf")
    assert missing.severity == "error"
    assert missing.path == name(copy, AGREEMENT)
    assert missing.line == line_of(copy, AGREEMENT, "file: attachments/2026/")
    # Without a valid site there is nothing to render: validation errors only.
    assert {p.severity for p in problems} == {"error"}
    assert not matching(problems, "library-festival-schedule")
    code, out = check(capsys, content=copy)
    assert code == 1
    assert "links were not checked" in out.splitlines()[-1]


def test_anchor_and_relative_address_are_resolved_on_their_page(copy):
    body = copy / LUNCH
    body.write_text(body.read_text(encoding="utf-8")
                    + "\n[맨 위로](#top-of-page)\n\n![점심 도시락](lunch.png)\n", encoding="utf-8")
    problems = check_site(copy, NOW)
    [anchor] = matching(problems, "#top-of-page")
    assert anchor.severity == "warning"
    assert (anchor.path, anchor.line) == (name(copy, LUNCH), line_of(copy, LUNCH, "#top-of-page"))
    assert "no element with id 'top-of-page'" in anchor.message
    [image] = matching(problems, "lunch.png", "error")
    assert (image.path, image.line) == (name(copy, LUNCH), line_of(copy, LUNCH, "lunch.png"))
    assert "/ko/notices/2026/09/senior-lunch-service/lunch.png" in image.message


def test_link_to_an_embargoed_notice_is_broken_until_its_release(copy, capsys):
    target = "/ko/notices/2026/11/kimjang-sharing/"
    body = copy / LUNCH
    body.write_text(body.read_text(encoding="utf-8") + f"\n[김장 나눔]({target})\n",
                    encoding="utf-8")
    [broken] = matching(check_site(copy, NOW), target, "error")
    assert (broken.path, broken.line) == (name(copy, LUNCH), line_of(copy, LUNCH, target))
    # --now without an offset is in the site's time zone, as for the build.
    for now, errors in (("2026-11-24T09:59", 2), ("2026-11-24T10:00", 1)):
        code, out = check(capsys, "--format", "json", content=copy, now=now)
        report = json.loads(out)
        assert len(report["errors"]) == errors, (now, report["errors"])
        assert (target in json.dumps(report, ensure_ascii=False)) == (errors == 2)


def test_embargoed_notices_get_the_checks_of_what_their_files_say(copy):
    edit(copy / "notices/2026/kimjang-sharing.ko.md", "release:",
         "contacts:\n  - {role: officer, name: 김장훈, phone: 02-3301-28}\nrelease:")
    [phone] = matching(check_site(copy, NOW), "02-3301-28")
    assert phone.path == name(copy, "notices/2026/kimjang-sharing.ko.md")
    assert phone.line == line_of(copy, "notices/2026/kimjang-sharing.ko.md", "02-3301-28")


def test_broken_link_made_by_a_template_names_the_generated_page(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    edit(templates / "base.html", "<body>\n", '<body>\n<a href="/nowhere/">x</a>\n')
    problems = matching(check_site(FIXTURE, NOW, templates), "'/nowhere/'")
    assert {p.severity for p in problems} == {"error"}
    assert {"/ko/", "/en/", "/ko/notices/2026/05/support-team-agreement/"} <= {
        p.path for p in problems}
    assert all(p.line is None and "made by the generator" in p.message for p in problems)


@pytest.mark.parametrize("phone", ["02-330-1280", "02-3153-8632", "031-123-4567",
                                   "064-710-2114", "010-1234-5678", "070-1234-5678",
                                   "1588-1234", "120", "+82-2-330-1280"])
def test_korean_phone_numbers_pass(phone):
    assert phone_problem(phone) is None


@pytest.mark.parametrize("phone, hint", [("330-1280", "no area code"),
                                         ("023301280", "with hyphens"),
                                         ("02-330-128", "02-330-1280"),
                                         ("010-123-4567", "010-1234-5678"),
                                         ("02-330-1280 (내선 3)", "02-330-1280"),
                                         ("555-0100-1234", "Korean")])
def test_other_phone_numbers_are_reported_with_the_form_to_use(phone, hint):
    assert hint in str(phone_problem(phone))


# -- exit status -------------------------------------------------------------------------

def test_errors_exit_1(capsys):
    assert check(capsys)[0] == 1


def test_only_warnings_exit_0_and_1_with_strict(only_warnings, capsys):
    assert {p.severity for p in check_site(only_warnings, NOW)} == {"warning", "info"}
    assert check(capsys, content=only_warnings)[0] == 0
    code, out = check(capsys, "--strict", content=only_warnings)
    assert code == 1
    assert "--strict" in out.splitlines()[-1]


def test_notes_alone_do_not_fail_even_with_strict(only_warnings, capsys):
    edit(only_warnings / FESTIVAL, "![](", "![축제 포스터](")
    edit(only_warnings / AGREEMENT_EN, "translated: 2026-05-14", "translated: 2026-05-21")
    edit(only_warnings / AGREEMENT, "330-8632", "02-330-8632")
    assert {p.severity for p in check_site(only_warnings, NOW)} == {"info"}
    assert check(capsys, "--strict", content=only_warnings)[0] == 0


def test_missing_content_directory_is_an_error(tmp_path, capsys):
    code, out = check(capsys, content=tmp_path / "nowhere")
    assert code == 1
    assert "does not exist" in out


def test_unknown_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        run_check(["--content", str(FIXTURE), "--format", "xml"])
    assert exc.value.code == 2
    assert "build.py check" in capsys.readouterr().err


# -- output ------------------------------------------------------------------------------

def test_text_report_is_grouped_by_file_with_lines_and_a_summary(capsys):
    code, out = check(capsys)
    lines = out.rstrip("\n").splitlines()
    start = lines.index(name(FIXTURE, FESTIVAL))
    link, image = lines[start + 1], lines[start + 2]
    assert link.startswith(f"  line {line_of(FIXTURE, FESTIVAL, BROKEN)}: the link '{BROKEN}'")
    assert image.startswith(f"  line {line_of(FIXTURE, FESTIVAL, '![](')}: warning: the image")
    phone = f"  line {line_of(FIXTURE, AGREEMENT, '330-8632')}: warning: the phone number"
    assert lines[lines.index(name(FIXTURE, AGREEMENT)) + 1].startswith(phone)
    assert lines[lines.index(name(FIXTURE, LUNCH)) + 1].startswith("  note: there is no English")
    # Each file is named once, in one group.
    assert len([l for l in lines if l.startswith(f"{FIXTURE.name}/")]) == 5
    assert re.fullmatch(r"1 error, 3 warnings, 2 notes in 5 files; checked \d+ pages and "
                        r"\d+ other files\.", lines[-1])


def test_json_report_parses_with_every_field(capsys):
    code, out = check(capsys, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert {"errors", "warnings"} <= set(report)
    [error] = report["errors"]
    assert error == {"path": name(FIXTURE, FESTIVAL),
                     "line": line_of(FIXTURE, FESTIVAL, BROKEN),
                     "message": error["message"], "severity": "error"}
    assert len(report["warnings"]) == 3
    for item in report["warnings"]:
        assert set(item) == {"path", "line", "message", "severity"}
        assert item["severity"] == "warning" and isinstance(item["line"], int)
    assert [item["severity"] for item in report["info"]] == ["info", "info"]


def test_check_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    before = snapshot(FIXTURE, "stat", folders=True)
    run_check(["--content", str(FIXTURE), "--now", NOW_ARG])
    run_check(["--content", str(FIXTURE), "--now", NOW_ARG, "--format", "json"])
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path / "output").exists()
    assert snapshot(FIXTURE, "stat", folders=True) == before


# -- the sample site ---------------------------------------------------------------------

def test_sample_site_checks_without_errors(capsys):
    assert not matching(check_site(SAMPLE_SITE, NOW), "", "error")
    code, out = check(capsys, content=SAMPLE_SITE)
    assert code == 0, out


# -- as users run it (needs `check` registered in cli.COMMANDS) ---------------------------

def test_build_py_check_prints_the_report_and_writes_nothing(tmp_path):
    result = run_build("check", "--content", str(FIXTURE), "--now", NOW_ARG, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"line {line_of(FIXTURE, FESTIVAL, BROKEN)}: the link '{BROKEN}'" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_build_py_check_json_and_strict(tmp_path, only_warnings):
    result = run_build("check", "--content", str(only_warnings), "--now", NOW_ARG,
                       "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["warnings"]) == 3
    strict = run_build("check", "--content", str(only_warnings), "--now", NOW_ARG, "--strict",
                       cwd=tmp_path)
    assert strict.returncode == 1
    assert not (tmp_path / "output").exists()


# -- messages in Korean and English ------------------------------------------------------

def hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def report_lines(out: str, relative: str) -> list[str]:
    """The lines of the text report under a file's heading."""
    lines = out.splitlines()
    start = lines.index(name(FIXTURE, relative)) + 1
    return lines[start: lines.index("", start)]


def test_korean_report_names_each_problem_in_korean_at_the_same_file_and_line(capsys):
    code, out = check(capsys, "--lang", "ko")
    assert code == 1
    link_line = line_of(FIXTURE, FESTIVAL, BROKEN)
    image_line = line_of(FIXTURE, FESTIVAL, "![](")
    link, image = report_lines(out, FESTIVAL)
    assert link.startswith(f"  {link_line}번째 줄: '{BROKEN}' 링크가 가리키는 곳이 없습니다.")
    assert "'/ko/notices/2026/06/library-reading-festival/'을(를) 쓰려던 것인가요?" in link
    assert image.startswith(f"  {image_line}번째 줄: 경고: 이미지 "
                            "'/static/images/2026/poster.png'에 대체 텍스트가 없습니다.")
    [stale] = report_lines(out, AGREEMENT_EN)
    assert stale.startswith(f"  {line_of(FIXTURE, AGREEMENT_EN, 'translated:')}번째 줄: 경고: "
                            "이 번역은 최신이 아닙니다.")
    assert "2026-05-20" in stale and "2026-05-14" in stale and "'translated:'" in stale
    [phone] = report_lines(out, AGREEMENT)
    assert phone.startswith(f"  {line_of(FIXTURE, AGREEMENT, '330-8632')}번째 줄: 경고: "
                            "전화번호 '330-8632'에 지역번호가 없습니다.")
    assert "02-330-8632" in phone
    [note] = report_lines(out, LUNCH)
    assert note.startswith("  참고: 이 보도자료의 영어 버전(senior-lunch-service.en.md)이 없습니다.")
    assert re.fullmatch(r"파일 5개에서 오류 1건, 경고 3건, 참고 2건을 찾았습니다\. "
                        r"페이지 \d+개와 기타 파일 \d+개를 검사했습니다\.", out.splitlines()[-1])
    # Nothing is left in English but ids, paths and quoted values.
    assert not re.search(r"\b(line|warning|note|the|error)\b", out), out


def test_english_report_is_unchanged_with_lang_en(capsys, monkeypatch):
    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")  # --lang wins over the locale
    code, out = check(capsys, "--lang", "en")
    assert not hangul(out.replace(FIXTURE.name, ""))
    [link, _] = report_lines(out, FESTIVAL)
    assert link.startswith(f"  line {line_of(FIXTURE, FESTIVAL, BROKEN)}: the link '{BROKEN}' "
                           "leads nowhere")
    assert re.fullmatch(r"1 error, 3 warnings, 2 notes in 5 files; checked \d+ pages and "
                        r"\d+ other files\.", out.splitlines()[-1])


def test_json_messages_are_in_the_chosen_language(capsys):
    english = json.loads(check(capsys, "--format", "json", "--lang", "en")[1])
    korean = json.loads(check(capsys, "--format", "json", "--lang", "ko")[1])
    for key in ("errors", "warnings", "info"):
        assert [(i["path"], i["line"], i["severity"]) for i in korean[key]] == \
               [(i["path"], i["line"], i["severity"]) for i in english[key]]
        assert all(hangul(i["message"]) for i in korean[key])
        assert not any(hangul(i["message"]) for i in english[key])
    assert BROKEN in korean["errors"][0]["message"]


def test_korean_summary_when_validation_fails(copy, capsys):
    (copy / "static/attachments/2026/support-team-agreement.pdf").unlink()
    code, out = check(capsys, "--lang", "ko", content=copy)
    assert code == 1
    assert out.splitlines()[-1].startswith("오류 1건, 경고 0건, 참고 0건이 있습니다. "
                                           "사이트를 만들 수 없어 링크는 검사하지 않았습니다.")


def test_korean_summary_with_strict(only_warnings, capsys):
    code, out = check(capsys, "--lang", "ko", "--strict", content=only_warnings)
    assert code == 1
    assert out.splitlines()[-1].endswith("--strict 옵션에 따라 경고도 오류로 칩니다.")


def test_korean_notes_for_an_address_made_by_a_template(tmp_path, capsys):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    edit(templates / "base.html", "<body>\n", '<body>\n<a href="/nowhere/">x</a>\n')
    problems = matching(check_site(FIXTURE, NOW, templates), "'/nowhere/'")
    assert problems
    for problem in problems:
        korean = problem.say("ko")
        assert korean.startswith("'/nowhere/' 링크가 가리키는 곳이 없습니다.")
        assert korean.endswith("(이 주소는 콘텐츠 파일에 쓴 것이 아니라 생성기가 만든 것입니다)")


@pytest.mark.parametrize("phone, korean", [("330-1280", "지역번호가 없습니다"),
                                           ("023301280", "하이픈(-)을 넣어 쓰세요"),
                                           ("02-330-128", "국내 전화번호 형식이 아닙니다")])
def test_phone_problems_read_in_korean(phone, korean):
    message = phone_problem(phone).render("ko")
    assert korean in message and f"'{phone}'" in message


@pytest.mark.parametrize("env, expected", [({"LANG": "ko_KR.UTF-8"}, "ko"),
                                           ({"LANG": "C.UTF-8"}, "en")])
def test_build_py_check_speaks_the_language_of_the_locale(tmp_path, env, expected):
    environ = {k: v for k, v in os.environ.items()
               if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content",
                             str(FIXTURE), "--now", NOW_ARG], cwd=tmp_path,
                            env={**environ, **env}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1, result.stderr
    line = line_of(FIXTURE, FESTIVAL, BROKEN)
    if expected == "ko":
        assert f"{line}번째 줄: '{BROKEN}' 링크가 가리키는 곳이 없습니다." in result.stdout
    else:
        assert f"line {line}: the link '{BROKEN}' leads nowhere" in result.stdout
        assert not hangul(result.stdout.replace(FIXTURE.name, ""))
    # --lang wins over the locale.
    other = "en" if expected == "ko" else "ko"
    flipped = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content",
                              str(FIXTURE), "--now", NOW_ARG, "--lang", other], cwd=tmp_path,
                             env={**environ, **env}, capture_output=True, text=True,
                             timeout=120)
    assert hangul(flipped.stdout.replace(FIXTURE.name, "")) == (other == "ko")


def test_a_picture_only_unpublished_notices_show_is_noted_with_its_release(copy, capsys):
    (copy / "static/images/2026/kimjang.jpg").write_bytes(b"\x89PNG\r\n\x1a\nkimjang")
    (copy / "static/images/2026/results.png").write_bytes(b"\x89PNG\r\n\x1a\nresults")
    with open(copy / "notices/2026/kimjang-sharing.ko.md", "a", encoding="utf-8") as f:
        f.write("\n![김장 현장](/static/images/2026/kimjang.jpg)\n")
    (copy / "notices/2026/festival-results.ko.md").write_text(
        "---\ntitle: 독서 축제 결과\ndepartment: welfare-policy\nrelease: 2026-11-01\n"
        "draft: true\n---\n![참여 현황](/static/images/2026/results.png)\n", encoding="utf-8")
    code, out = check(capsys, content=copy)
    assert code == 1  # the fixture's broken link; the notes do not fail the check
    lines = out.splitlines()
    embargoed = lines.index(name(copy, "static/images/2026/kimjang.jpg"))
    assert lines[embargoed + 1] == (
        "  note: static/images/2026/kimjang.jpg is used only by notices not yet released "
        f"({name(copy, 'notices/2026/kimjang-sharing.ko.md')}); it will be published with "
        "them at 2026-11-24T10:00+09:00.")
    draft = lines.index(name(copy, "static/images/2026/results.png"))
    assert lines[draft + 1].startswith("  note: static/images/2026/results.png is used only "
                                       "by drafts (")
    korean = json.loads(check(capsys, "--format", "json", "--lang", "ko", content=copy)[1])
    [note] = [i for i in korean["info"] if i["path"].endswith("kimjang.jpg")]
    assert "아직 공개되지 않은 보도자료" in note["message"]
    assert "2026-11-24T10:00+09:00에 게시됩니다" in note["message"]
    # Notes alone do not fail the check.
    edit(copy / FESTIVAL, BROKEN, "/ko/notices/2026/06/library-reading-festival/")
    assert check(capsys, content=copy)[0] == 0
    released = check(capsys, "--format", "json", content=copy, now="2026-11-24T10:00")[1]
    assert "kimjang.jpg" not in released
    assert "results.png" in released


# -- what a build leaves out: drafts and embargoes -----------------------------------------

def test_an_embargoed_notice_is_a_note_at_its_release_line_saying_until_when(problems):
    [note] = matching(problems, "embargoed until")
    assert note.severity == "info"
    assert note.path == name(FIXTURE, "notices/2026/kimjang-sharing.ko.md")
    assert note.line == line_of(FIXTURE, "notices/2026/kimjang-sharing.ko.md", "release:")
    assert "2026-11-24T10:00+09:00" in note.message


def test_a_draft_is_a_note_at_its_draft_line_and_not_also_an_embargo(copy):
    edit(copy / "notices/2026/kimjang-sharing.ko.md", "release:", "draft: true\nrelease:")
    [note] = [p for p in check_site(copy, NOW)
              if p.path == name(copy, "notices/2026/kimjang-sharing.ko.md")]
    assert note.severity == "info"
    assert note.line == line_of(copy, "notices/2026/kimjang-sharing.ko.md", "draft: true")
    assert "a draft, not published; remove the line 'draft: true'" in note.message
    korean = run_build("check", "--content", str(copy), "--now", NOW_ARG, "--lang", "ko")
    assert "초안이라 게시되지 않습니다" in korean.stdout


def test_a_released_notice_is_no_embargo(copy):
    later = NOW.replace(day=25).isoformat()
    result = run_build("check", "--content", str(copy), "--now", later)
    assert "embargoed" not in result.stdout
