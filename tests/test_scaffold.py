"""`python build.py new`: a new press release file that builds, named by its romanized title.

Most tests call `scaffold.run_new` on a copy of the fixture site (tests/fixtures/site),
with --now at the tests' frozen NOW (2026-11-23 12:00 KST). In that month the fixture
already has kimjang-sharing (embargoed) and reading-festival-report (draft);
library-reading-festival is in 2026/ but released in June.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import NOW, ROOT, SAMPLE_SITE, run_build, snapshot
from site_builder.scaffold import MAX_SLUG, romanize, run_new, slugify

NOW_ARG = NOW.isoformat()


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    """Messages default to the locale's language: the tests read English unless they ask."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def new(content: Path, *args: str, now: str = NOW_ARG) -> int:
    return run_new(["--content", str(content), "--now", now, *args])


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front, _, body = text[4:].partition("\n---\n")
    assert body.strip(), "the new file has a body placeholder"
    return yaml.safe_load(front)


# -- Revised Romanization ---------------------------------------------------------------

@pytest.mark.parametrize("hangul, expected", [
    ("찾아가는 동주민센터", "chajaganeun dongjuminsenteo"),  # liaison: 찾아 [차자]
    ("협약", "hyeobyak"),                                     # not hangul-romanize's hyeob-yag
    ("복지정책과", "bokjijeongchaekgwa"),                       # finals k/t/p before consonants
    ("서대문구", "seodaemungu"),
    ("사랑의 김장 나눔", "sarangui gimjang nanum"),
    ("좋아요", "joayo"),                                       # final ㅎ silent before a vowel
    ("앉아", "anja"),
    ("읽어", "ilgeo"),
    ("울릉도", "ulleungdo"),                                   # ㄹㄹ is ll
    ("설날", "seollal"),
    ("신라", "silla"),
    ("종로", "jongno"),
    ("민관협력", "mingwanhyeomnyeok"),
    ("국민", "gungmin"),
    ("없는", "eomneun"),
    ("왕십리", "wangsimni"),
    ("같이", "gachi"),                                         # palatalization
    ("해돋이", "haedoji"),
    ("좋고", "joko"),                                          # aspiration after ㅎ
    ("묵호", "mukho"),                                         # ㄱ+ㅎ in nouns stays kh
    ("대전광역시", "daejeongwangyeoksi"),
    ("실뿌리", "silppuri"),
    ("벚꽃", "beotkkot"),
    ("한밭", "hanbat"),
])
def test_romanize_follows_revised_romanization(hangul, expected):
    assert romanize(hangul) == expected


@pytest.mark.parametrize("title, slug", [
    ("찾아가는 동주민센터", "chajaganeun-dongjuminsenteo"),
    ("사랑의 김장 나눔 행사 개최", "sarangui-gimjang-nanum-haengsa-gaechoe"),
    ("AI 돌봄 로봇 100대 보급", "ai-dolbom-robot-100dae-bogeup"),
    ("서대문구, ‘신촌 연세로’ 차 없는 거리 운영!", "seodaemungu-sinchon-yeonsero-cha-eomneun-geori-unyeong"),
    ("Café 서대문 -- 개장", "cafe-seodaemun-gaejang"),
    ("市-區-洞 협력", "hyeomnyeok"),
    ("市區洞", ""),
])
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_long_title_is_cut_at_a_word_boundary():
    title = "찾아가는 동주민센터 추진을 위한 ‘추진지원단 운영 협약’ 체결"
    slug = slugify(title)
    assert slug == "chajaganeun-dongjuminsenteo-chujineul-wihan-chujinjiwondan"
    assert len(slug) <= MAX_SLUG
    assert len(slugify("가" * 100)) == MAX_SLUG


# -- the new file -------------------------------------------------------------------------

def test_new_writes_a_draft_notice_and_prints_its_path(site_copy, capsys):
    assert new(site_copy, "--department", "welfare-policy", "사랑의 김장 나눔") == 0
    out, err = capsys.readouterr()
    path = site_copy / "notices" / "2026" / "sarangui-gimjang-nanum.ko.md"
    assert out == f"{path}\n"
    assert path.is_file()
    front = front_matter(path)
    assert front["title"] == "사랑의 김장 나눔"
    assert front["department"] == "welfare-policy"
    assert front["provided"] == front["release"] == date(2026, 11, 23)
    assert front["contacts"] == [{"role": "officer", "name": "복지정책과",
                                  "phone": "02-330-1280"}]
    assert front["draft"] is True
    assert "programs" not in front
    assert "draft" in err and "build.py serve" in err


def test_today_is_taken_in_the_site_time_zone(site_copy, capsys):
    # 16:00 UTC on New Year's Eve is already 1 January in Seoul: a new year's folder.
    assert new(site_copy, "--department", "culture-sports", "새해 해맞이",
               now="2026-12-31T16:00:00+00:00") == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == site_copy / "notices" / "2027" / "saehae-haemaji.ko.md"
    assert front_matter(path)["release"] == date(2027, 1, 1)
    # A time without an offset is in the site's time zone.
    assert new(site_copy, "--department", "culture-sports", "연말 행사",
               now="2026-12-31T23:30:00") == 0
    assert front_matter(Path(capsys.readouterr().out.strip()))["release"] == date(2026, 12, 31)


def test_program_is_added(site_copy, capsys):
    assert new(site_copy, "--department", "culture-sports", "--program", "small-libraries",
               "작은도서관 북콘서트") == 0
    front = front_matter(Path(capsys.readouterr().out.strip()))
    assert front["programs"] == ["small-libraries"]


def test_title_with_quotes_and_colon_reads_back_the_same(site_copy, capsys):
    title = '"나눔" 행사: 구청장 #1 인사'
    assert new(site_copy, "--department", "welfare-policy", title) == 0
    path = Path(capsys.readouterr().out.strip())
    assert front_matter(path)["title"] == title


def test_department_without_phone(site_copy, capsys):
    with (site_copy / "departments.yaml").open("a", encoding="utf-8") as handle:
        handle.write("press:\n  name: {ko: 홍보과, en: Public Relations Division}\n")
    assert new(site_copy, "--department", "press", "보도 안내") == 0
    path = Path(capsys.readouterr().out.strip())
    assert front_matter(path)["contacts"] == [{"role": "officer", "name": "홍보과"}]
    assert "departments.yaml" in path.read_text(encoding="utf-8")  # says where to add one


# -- unique, never overwritten -------------------------------------------------------------

def test_a_taken_slug_gets_the_next_free_suffix(site_copy, capsys):
    for expected in ("sarangui-gimjang", "sarangui-gimjang-2", "sarangui-gimjang-3"):
        assert new(site_copy, "--department", "welfare-policy", "사랑의 김장") == 0
        assert Path(capsys.readouterr().out.strip()).name == f"{expected}.ko.md"


def test_same_slug_in_the_same_month_elsewhere_counts_as_taken(site_copy, capsys):
    # A notice filed under 2025/ but released this month, with its slug in a `slug:` line.
    folder = site_copy / "notices" / "2025"
    folder.mkdir()
    (folder / "old-name.ko.md").write_text(
        "---\ntitle: 김장\ndepartment: welfare-policy\nrelease: 2026-11-02\n"
        "slug: gimjang-nanum\n---\n본문\n", encoding="utf-8")
    assert new(site_copy, "--department", "welfare-policy", "김장 나눔") == 0
    assert Path(capsys.readouterr().out.strip()).name == "gimjang-nanum-2.ko.md"
    # The same slug released in another month is not a clash.
    assert new(site_copy, "--department", "welfare-policy", "김장 나눔",
               now="2026-12-01T09:00:00+09:00") == 0
    assert Path(capsys.readouterr().out.strip()).name == "gimjang-nanum.ko.md"


@pytest.mark.parametrize("slug, why", [
    ("kimjang-sharing", "released in the same month"),
    ("library-reading-festival", "the file exists (released in another month)"),
])
def test_a_given_slug_that_is_taken_is_refused_and_nothing_changes(site_copy, capsys, slug, why):
    before = snapshot(site_copy)
    assert new(site_copy, "--department", "welfare-policy", "--slug", slug, "제목") == 1, why
    out, err = capsys.readouterr()
    assert out == ""
    assert "already exists" in err and slug in err
    assert snapshot(site_copy) == before


def test_an_existing_translation_file_blocks_the_slug(site_copy, capsys):
    orphan = site_copy / "notices" / "2026" / "festival-notes.en.md"
    orphan.write_text("---\ntitle: Notes\n---\n", encoding="utf-8")
    assert new(site_copy, "--department", "culture-sports", "--slug", "festival-notes",
               "축제") == 1
    assert "already exists" in capsys.readouterr().err
    assert not (site_copy / "notices" / "2026" / "festival-notes.ko.md").exists()


def test_given_slug_is_used(site_copy, capsys):
    assert new(site_copy, "--department", "welfare-policy", "--slug", "winter-kimjang",
               "사랑의 김장") == 0
    assert Path(capsys.readouterr().out.strip()).name == "winter-kimjang.ko.md"


# -- it builds ------------------------------------------------------------------------------

def test_the_new_file_builds_and_stays_unpublished_until_the_draft_line_goes(
        site_copy, tmp_path, capsys):
    assert new(site_copy, "--department", "welfare-policy", "--program",
               "visiting-community-center", "찾아가는 동주민센터 확대 운영") == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.name == "chajaganeun-dongjuminsenteo-hwakdae-unyeong.ko.md"
    page = Path("ko/notices/2026/11/chajaganeun-dongjuminsenteo-hwakdae-unyeong/index.html")

    result = run_build("--content", str(site_copy), "--output", str(tmp_path / "preview"),
                       "--now", NOW_ARG, "--drafts")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "preview" / page).read_text(encoding="utf-8")
    assert "찾아가는 동주민센터 확대 운영" in html
    assert "02-330-1280" in html

    result = run_build("--content", str(site_copy), "--output", str(tmp_path / "public"),
                       "--now", NOW_ARG)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "public" / page).exists()

    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", ""),
                    encoding="utf-8")
    result = run_build("--content", str(site_copy), "--output", str(tmp_path / "public"),
                       "--now", NOW_ARG)
    assert result.returncode == 1  # the placeholders must be filled in first
    assert not (tmp_path / "public" / page).exists()

    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: 복지정책과", "name: 김민지").replace(
        "보도자료 본문을 여기에 씁니다.", "서대문구가 동주민센터를 확대 운영한다."), encoding="utf-8")
    result = run_build("--content", str(site_copy), "--output", str(tmp_path / "public"),
                       "--now", NOW_ARG)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "public" / page).is_file()


@pytest.mark.parametrize("command", ["build", "check"])
def test_an_untouched_placeholder_is_an_error_once_the_draft_line_goes(
        site_copy, tmp_path, capsys, command):
    assert new(site_copy, "--department", "welfare-policy", "복지플래너 배치") == 0
    path = Path(capsys.readouterr().out.strip())
    text = path.read_text(encoding="utf-8").replace("draft: true", "")
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    contact = next(i for i, l in enumerate(lines, 1) if "name: 복지정책과" in l)
    body = next(i for i, l in enumerate(lines, 1) if l.startswith("보도자료 본문을 여기에"))
    args = ["--content", str(site_copy), "--now", NOW_ARG]
    if command == "build":
        result = run_build(*args, "--output", str(tmp_path / "public"))
        shown = result.stderr
    else:
        result = run_build("check", "--strict", *args)
        shown = result.stdout
    assert result.returncode == 1
    name = f"content/notices/2026/{path.name}"
    expected = {f"{name}:{contact}" if command == "build" else f"line {contact}":
                "this contact is still the placeholder of a new notice (the department's "
                "name, '복지정책과'): write the name of the person to call",
                f"{name}:{body}" if command == "build" else f"line {body}":
                "the body is still the placeholder of a new notice ('보도자료 본문을 여기에 "
                "씁니다…'): write the text of the press release in its place"}
    for where, message in expected.items():
        assert f"{where}: {message}" in shown, shown
    if command == "build":
        assert not (tmp_path / "public").exists()


def test_a_draft_may_keep_the_placeholders(site_copy, tmp_path, capsys):
    assert new(site_copy, "--department", "welfare-policy", "복지플래너 배치") == 0
    capsys.readouterr()
    result = run_build("check", "--strict", "--content", str(site_copy), "--now", NOW_ARG)
    assert "placeholder" not in result.stdout


def test_the_embargo_example_is_the_next_morning_not_a_fixed_date(site_copy, capsys):
    assert new(site_copy, "--department", "welfare-policy", "복지플래너 배치",
               now="2031-03-04T15:00+09:00") == 0
    text = Path(capsys.readouterr().out.strip()).read_text(encoding="utf-8")
    assert "엠바고: 2031-03-05T06:00:00+09:00" in text
    assert "2026-12-01" not in text


def test_a_new_notice_in_the_sample_site_builds(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_SITE, content)
    assert new(content, "--department", "eunpyeong-gu-office", "--program",
               "visiting-community-center", "찾아가는 동주민센터 협약") == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == content / "notices" / "2026" / "chajaganeun-dongjuminsenteo-hyeobyak.ko.md"
    result = run_build("--content", str(content), "--output", str(tmp_path / "out"),
                       "--now", NOW_ARG, "--drafts")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "ko/notices/2026/11/chajaganeun-dongjuminsenteo-hyeobyak"
            / "index.html").is_file()


# -- mistakes ---------------------------------------------------------------------------------

def test_unknown_department_lists_the_known_ids_and_the_nearest(site_copy, capsys):
    before = snapshot(site_copy)
    assert new(site_copy, "--department", "welfare-polcy", "제목") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "'welfare-polcy' is not a known department" in err
    assert "Did you mean 'welfare-policy'?" in err
    assert "culture-sports, welfare-policy" in err
    assert snapshot(site_copy) == before


def test_unknown_program_lists_the_known_ids_and_the_nearest(site_copy, capsys):
    assert new(site_copy, "--department", "culture-sports", "--program", "small-library",
               "제목") == 1
    err = capsys.readouterr().err
    assert "program 'small-library' does not exist" in err
    assert "Did you mean 'small-libraries'?" in err
    assert "visiting-community-center" in err


@pytest.mark.parametrize("slug", ["Kimjang", "kimjang_2026", "-kimjang", "kimjang--nanum", "김장",
                                  "abc\n", "kimjang\u202e"])
def test_invalid_slug_is_refused_with_the_rule(site_copy, capsys, slug):
    before = snapshot(site_copy)
    assert new(site_copy, "--department", "welfare-policy", f"--slug={slug}", "제목") == 1
    err = capsys.readouterr().err
    assert "lowercase letters a-z, digits and single hyphens" in err
    assert snapshot(site_copy) == before


def test_a_title_without_letters_asks_for_a_slug(site_copy, capsys):
    assert new(site_copy, "--department", "welfare-policy", "市區洞") == 1
    assert "--slug" in capsys.readouterr().err


def test_errors_elsewhere_in_the_content_do_not_stop_new(site_copy, capsys):
    broken = site_copy / "notices" / "2026" / "youth-club-stage.ko.md"
    broken.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    (site_copy / "programs" / "small-libraries.ko.md").write_text("no front matter\n",
                                                                     encoding="utf-8")
    assert new(site_copy, "--department", "welfare-policy", "김장 나눔") == 0
    out, err = capsys.readouterr()
    assert Path(out.strip()).is_file()
    assert re.search(r"\d+ problems elsewhere in .* will stop the build", err)


def test_unreadable_departments_stop_new(site_copy, capsys):
    (site_copy / "departments.yaml").write_text("welfare-policy: [unclosed\n", encoding="utf-8")
    before = snapshot(site_copy)
    assert new(site_copy, "--department", "welfare-policy", "김장 나눔") == 1
    err = capsys.readouterr().err
    assert "departments.yaml" in err and "not valid YAML" in err
    assert snapshot(site_copy) == before


def test_missing_content_directory(tmp_path, capsys):
    assert new(tmp_path / "nowhere", "--department", "welfare-policy", "제목") == 1
    assert "does not exist" in capsys.readouterr().err


def test_usage_errors_exit_2(site_copy, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_new(["--content", str(site_copy), "제목"])  # no --department
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        new(site_copy, "--department", "welfare-policy", "제목", now="next tuesday")
    assert exit_info.value.code == 2


# -- through build.py (needs COMMANDS["new"] in cli.py) -------------------------------------------

def test_build_py_new(site_copy):
    result = run_build("new", "--content", str(site_copy), "--now", NOW_ARG,
                       "--department", "welfare-policy", "--program",
                       "visiting-community-center", "찾아가는 동주민센터")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path == site_copy / "notices" / "2026" / "chajaganeun-dongjuminsenteo.ko.md"
    assert front_matter(path)["programs"] == ["visiting-community-center"]


def test_build_py_new_unknown_department(site_copy):
    result = run_build("new", "--content", str(site_copy), "--now", NOW_ARG,
                       "--department", "welfare", "제목")
    assert result.returncode == 1
    assert "Did you mean 'welfare-policy'?" in result.stderr
    assert "Traceback" not in result.stderr


# -- messages in Korean and English ---------------------------------------------------------------

def hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def test_unknown_department_in_korean_lists_the_known_ids_and_the_nearest(site_copy, capsys):
    before = snapshot(site_copy)
    assert new(site_copy, "--lang", "ko", "--department", "welfare-polcy", "제목") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "'welfare-polcy' 부서는 등록되어 있지 않습니다." in err
    assert "'welfare-policy'" in err                      # the nearest match, as written
    assert "등록된 부서: culture-sports, welfare-policy (departments.yaml 참고)." in err
    assert "is not a known department" not in err and "Known:" not in err
    assert snapshot(site_copy) == before


def test_unknown_department_in_english_is_unchanged(site_copy, capsys):
    assert new(site_copy, "--lang", "en", "--department", "welfare-polcy", "제목") == 1
    err = capsys.readouterr().err
    assert err == ("error: 'welfare-polcy' is not a known department. Did you mean "
                   "'welfare-policy'? Known: culture-sports, welfare-policy "
                   "(see departments.yaml).\n")
    assert not hangul(err)


@pytest.mark.parametrize("args, korean, kept", [
    (["--department", "culture-sports", "--program", "small-library"],
     "'small-library' 사업을 찾을 수 없습니다.", ["'small-libraries'", "visiting-community-center"]),
    (["--department", "welfare-policy", "--slug", "Kimjang"],
     "'Kimjang'은(는) slug로 쓸 수 없습니다. slug에는 영어 소문자 a-z와 숫자만",
     ["'kimjang-sharing'"]),
    (["--department", "welfare-policy", "--slug", "kimjang-sharing"],
     "slug가 'kimjang-sharing'인 보도자료가 이미 있습니다(2026-11 보도자료: ",
     ["--slug", "새 파일은 만들지 않았습니다."]),
    (["--department", "welfare-policy", "--slug", "library-reading-festival"],
     "이미 있습니다(content/notices/2026/ 폴더).", []),
])
def test_other_mistakes_in_korean(site_copy, capsys, args, korean, kept):
    before = snapshot(site_copy)
    assert new(site_copy, "--lang", "ko", *args, "市區洞") == 1
    err = capsys.readouterr().err
    assert korean in err
    for text in kept:
        assert text in err
    assert snapshot(site_copy) == before


def test_a_title_without_letters_in_korean(site_copy, capsys):
    assert new(site_copy, "--lang", "ko", "--department", "welfare-policy", "市區洞") == 1
    err = capsys.readouterr().err
    assert "제목에 주소로 옮길 수 있는 글자나 숫자가 없습니다. --slug로" in err
    assert "(slug에는 영어 소문자 a-z와 숫자만" in err


def test_unreadable_site_yaml_is_listed_in_korean(site_copy, capsys):
    (site_copy / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    assert new(site_copy, "--lang", "ko", "--department", "welfare-policy", "김장 나눔") == 1
    err = capsys.readouterr().err
    headline, *listing = err.splitlines()
    assert headline.endswith("site.yaml 파일을 먼저 고쳐야 합니다:")
    assert listing and all(line.startswith("  ") and "site.yaml" in line for line in listing)
    assert "YAML 형식이 올바르지 않습니다" in err  # the problems follow --lang too


def test_notes_after_writing_are_in_korean(site_copy, capsys):
    broken = site_copy / "notices" / "2026" / "youth-club-stage.ko.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace(
        "department: culture-sports", "department: culture"), encoding="utf-8")  # one error
    assert new(site_copy, "--lang", "ko", "--department", "welfare-policy", "김장 나눔") == 0
    out, err = capsys.readouterr()
    path = site_copy / "notices" / "2026" / "gimjang-nanum.ko.md"
    assert out == f"{path}\n"                               # the path alone, as in English
    assert "welfare-policy 부서의 보도자료 초안을 만들었습니다." in err
    assert "`python build.py serve`" in err and "'draft: true'" in err
    assert re.search(r"참고: .*/ 안의 다른 파일에 빌드를 멈추게 하는 문제가 1건 있습니다", err)
    assert "problem" not in err


def test_the_new_file_is_the_same_in_either_language(site_copy, capsys):
    assert new(site_copy, "--lang", "ko", "--department", "welfare-policy", "--slug", "a",
               "사랑의 김장") == 0
    assert new(site_copy, "--lang", "en", "--department", "welfare-policy", "--slug", "b",
               "사랑의 김장") == 0
    folder = site_copy / "notices" / "2026"
    assert (folder / "a.ko.md").read_bytes() == (folder / "b.ko.md").read_bytes()


def run_new_with_locale(site: Path, locale: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = locale
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "new", "--content", str(site),
                           "--now", NOW_ARG, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("locale, expected", [
    ("ko_KR.UTF-8", "'welfare' 부서는 등록되어 있지 않습니다."),
    ("C.UTF-8", "'welfare' is not a known department."),
])
def test_the_language_follows_the_locale(site_copy, locale, expected):
    result = run_new_with_locale(site_copy, locale, "--department", "welfare", "제목")
    assert result.returncode == 1
    assert expected in result.stderr
    assert "welfare-policy" in result.stderr
    assert "Traceback" not in result.stderr


def test_lang_overrides_the_locale(site_copy):
    result = run_new_with_locale(site_copy, "ko_KR.UTF-8", "--lang", "en",
                                 "--department", "welfare-policy", "사랑의 김장")
    assert result.returncode == 0, result.stderr
    assert "Started a draft press release for welfare-policy." in result.stderr
    assert not hangul(result.stderr)
    result = run_new_with_locale(site_copy, "C.UTF-8", "--lang", "ko",
                                 "--department", "welfare-policy", "사랑의 김장")
    assert result.returncode == 0, result.stderr
    assert "welfare-policy 부서의 보도자료 초안을 만들었습니다." in result.stderr


def test_a_title_of_many_brackets_is_written_quoted_not_a_crash(site_copy, capsys):
    title = "[" * 30000
    assert new(site_copy, "--department", "welfare-policy", "--slug", "brackets", title) == 0
    path = Path(capsys.readouterr().out.strip())
    assert f'title: "{title}"\n' in path.read_text(encoding="utf-8")
