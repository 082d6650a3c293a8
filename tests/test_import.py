"""`build.py import`: Hancom press releases become notices a staffer publishes after a glance."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, NOW, run_build, snapshot
from hancom_documents import DISTRICT_HEADER, png, press_release
from site_builder.hancom import Paragraph, Run, read_document
from site_builder.hancom_notice import body_markdown, parse_contacts, parse_release, parse_moment
from site_builder.load import split_front_matter

HANCOM = FIXTURES / "hancom"
NOW_ARG = ("--now", NOW.isoformat())


def run_import(site: Path, *args) -> subprocess.CompletedProcess:
    return run_build("import", "--content", str(site), "--lang", "en", *NOW_ARG,
                     *map(str, args))


def front_of(path: Path) -> tuple[dict, str]:
    front, body, problems = split_front_matter(path.read_text(encoding="utf-8"), path.name)
    assert not problems
    return front, body


def imported_paths(result) -> list[Path]:
    return [Path(line) for line in result.stdout.splitlines() if line.endswith(".md")]


def written_files(site: Path) -> set[str]:
    return set(snapshot(site, "stat"))


# -- the sample release, as HWPX and as HWP ---------------------------------------------


@pytest.mark.parametrize("name", ["press.hwpx", "press.hwp"])
def test_sample_release_becomes_a_draft_notice(site_copy, name):
    result = run_import(site_copy, HANCOM / name)
    assert result.returncode == 0, result.stderr
    [path] = imported_paths(result)
    slug = "chajaganeun-dongjuminsenteo-chujineul-wihan-chujinjiwondan"
    assert path == site_copy / "notices" / "2016" / f"{slug}.ko.md"
    front, body = front_of(path)
    suffix = Path(name).suffix
    assert front["title"] == "찾아가는 동주민센터 추진을 위한 ‘추진지원단 운영 협약’ 체결"
    assert front["subtitle"] == "관내 3개 종합사회복지관(홍은·서대문·이화여대), 컨소시엄 체결을 통해 함께 손잡아"
    assert front["department"] == "welfare-policy"
    assert [dict(c) for c in front["contacts"]] == [
        {"role": "director", "name": "박정숙", "phone": "02-330-1280"},
        {"role": "team_lead", "name": "정지현", "phone": "02-330-8632"},
        {"role": "officer", "name": "신윤경", "phone": "02-330-1629"}]
    assert str(front["provided"]) == "2016-05-03"
    # 보도일자 '배포 즉시', but the 엠바고 row holds the online embargo: that is the web's.
    assert str(front["release"]).startswith("2016-05-03") and "12:00" in str(front["release"])
    assert front["draft"] is True
    copy = f"attachments/2016/{slug}/{slug}{suffix}"
    assert [dict(a) for a in front["attachments"]] == [{"file": copy, "title": front["title"]}]
    assert (site_copy / "static" / copy).read_bytes() == (HANCOM / name).read_bytes()
    # The body: □ paragraphs, o items as a list, bold run, the table, 붙임 as a list.
    assert body.startswith("서대문구(구청장 문석진)는 2일 홍은종합사회복지관")
    assert "\n- 서대문구는 3월 25일부터" in body and "\n- 추진지원단 단원으로" in body
    assert "“**‘찾아가는 동주민센터’**가 민·관 협력의" in body
    assert "| 구분 | 내용 | 기간 |\n|---|---|---|\n| 기술지원 | 사업의 전문적인 기술지원 |" in body
    assert "**붙임**\n\n1. 협약서 1부.\n2. 행사 사진 2매.\n" in body
    assert "보 도 자 료" not in body and "총 3매" not in body and "□" not in body
    # What the print edition says is told, not lost.
    assert "조간 (온라인 5. 3. 12:00)" in result.stderr
    assert "Imported 1 of 1 documents as drafts (0 photos); 0 not imported." in result.stdout


def test_imported_notice_builds_and_check_reports_only_what_the_document_lacks(site_copy,
                                                                             tmp_path):
    assert run_import(site_copy, HANCOM / "press.hwpx").returncode == 0
    check = run_build("check", "--content", str(site_copy), *NOW_ARG, "--lang", "en")
    assert check.returncode == 0, check.stdout + check.stderr
    mine = check.stdout.split("chajaganeun-dongjuminsenteo-chujineul-wihan-chujinjiwondan.ko.md")[1]
    mine = mine.split("\n\n")[0]
    assert "error" not in mine and "warning" not in mine
    assert "a draft, not published" in mine
    out = tmp_path / "out"
    built = run_build("--content", str(site_copy), "--output", str(out), "--drafts", *NOW_ARG,
                      "--no-cache")
    assert built.returncode == 0, built.stderr
    page = out / "ko/notices/2016/05/chajaganeun-dongjuminsenteo-chujineul-wihan-chujinjiwondan/index.html"
    html = page.read_text(encoding="utf-8")
    assert "<strong>‘찾아가는 동주민센터’</strong>가" in html
    assert "<table" in html and "<td>사업의 전문적인 기술지원</td>" in html
    assert "tel:02-330-1629" in html
    assert ".hwpx" in html
    copies = list((out / "static/attachments/2016").rglob("*.hwpx"))
    assert copies and copies[0].read_bytes() == (HANCOM / "press.hwpx").read_bytes()


def test_publish_makes_a_notice_that_is_released_on_its_own_minute(site_copy, tmp_path):
    result = run_import(site_copy, "--publish", HANCOM / "press.hwpx")
    assert result.returncode == 0, result.stderr
    [path] = imported_paths(result)
    front, _ = front_of(path)
    assert "draft" not in front
    assert "published at their release time" in result.stdout
    out = tmp_path / "out"
    before = run_build("--content", str(site_copy), "--output", str(out), "--no-cache",
                       "--now", "2016-05-03T11:59:00+09:00")
    assert before.returncode == 0
    slug = path.name.split(".")[0]
    assert not (out / f"ko/notices/2016/05/{slug}/index.html").exists()
    after = run_build("--content", str(site_copy), "--output", str(out), "--no-cache",
                      "--now", "2016-05-03T12:00:00+09:00")
    assert after.returncode == 0
    assert (out / f"ko/notices/2016/05/{slug}/index.html").exists()


# -- header tables of other layouts ------------------------------------------------------


MINISTRY_HEADER = [
    ("보도시점", "2018. 9. 4.(화) 조간(온라인 9. 3. 12:00)부터", "배포", "2018. 9. 3.(월) 09:00"),
]
MINISTRY_CONTACTS = [
    ("담당 부서", "복지정책과", "책임자", "과 장", "홍길동", "(02-330-1280)"),
    ("", "", "담당자", "사무관", "김철수", "(02-330-1281)"),
]


def test_ministry_layout_header_rows_and_contacts_table_at_the_end(site_copy, tmp_path):
    doc = tmp_path / "ministry.hwpx"
    from hwpx import HwpxDocument
    from hancom_documents import table

    made = HwpxDocument.new()
    made.paragraphs[0].text = "보도자료"
    table(made, MINISTRY_HEADER)
    title = made.add_paragraph("")
    title.add_run("찾아가는 복지 상담, 9월부터 전 동으로", bold=True, size=20)
    made.add_paragraph("- 복지플래너 20명 배치 -")
    made.add_paragraph("□ 복지 상담을 모든 동에서 한다.")
    table(made, MINISTRY_CONTACTS, [(0, 0, 1, 0), (0, 1, 1, 1)])
    made.save_to_path(str(doc))
    result = run_import(site_copy, doc)
    assert result.returncode == 0, result.stderr
    [path] = imported_paths(result)
    front, body = front_of(path)
    assert path.parent.name == "2018"
    assert front["title"] == "찾아가는 복지 상담, 9월부터 전 동으로"
    assert front["department"] == "welfare-policy"
    assert "2018-09-03T09:00:00+09:00" == str(front["provided"]).replace(" ", "T")
    assert str(front["release"]).replace(" ", "T") == "2018-09-03T12:00:00+09:00"
    assert [dict(c) for c in front["contacts"]] == [
        {"role": "director", "name": "홍길동", "phone": "02-330-1280"},
        {"role": "officer", "name": "김철수", "phone": "02-330-1281"}]
    assert "담당 부서" not in body and "홍길동" not in body
    assert "2018. 9. 4.(화) 조간" in result.stderr


@pytest.mark.parametrize("text, provided, expected", [
    ("배포 즉시", "2016. 5. 3.(화)", "2016-05-03"),
    ("즉시 보도", "2018. 9. 3.(월) 09:00", "2018-09-03T09:00"),
    ("2018. 9. 4.(화) 조간(온라인 9. 3. 12:00)부터", None, "2018-09-03T12:00"),
    ("2019. 1. 2.(수) 조간(온라인 1. 1. 18:00)", None, "2019-01-01T18:00"),
    ("2019. 1. 1.(화) 조간(온라인 12. 31. 18:00)", None, "2018-12-31T18:00"),
    ("2016. 5. 4.(수)", None, "2016-05-04"),
    ("2021년 3월 9일(화) 14:00", None, "2021-03-09T14:00"),
    ("2021. 3. 9.(화) 오후 2시", None, "2021-03-09T14:00"),
    ("'21. 3. 9.", None, "2021-03-09"),
])
def test_release_phrasings(text, provided, expected):
    release = parse_release(text, parse_moment(provided) if provided else None)
    assert release.moment is not None
    assert release.moment.iso("+09:00").startswith(expected)
    assert len(release.moment.iso("+09:00")) == (10 if len(expected) == 10 else 25)


@pytest.mark.parametrize("role, value, expected", [
    ("officer", "석동훈 주무관(02-960-2217)", [("officer", "석동훈", "02-960-2217")]),
    ("director", "과장 박정숙 ☎ 02)330-1280", [("director", "박정숙", "02-330-1280")]),
    ("team_lead", "정지현 팀장 02.330.8632", [("team_lead", "정지현", "02-330-8632")]),
    ("officer", "신윤경(02-330-1629), 김민지(02-330-1630)",
     [("officer", "신윤경", "02-330-1629"), ("officer", "김민지", "02-330-1630")]),
    ("responsible", "팀 장 이수진 (044-202-3210)", [("team_lead", "이수진", "044-202-3210")]),
    ("officer", "홍길동", [("officer", "홍길동", None)]),
    # Without its area code the number is kept as written: the build then says what to add.
    ("officer", "주무관 신윤경 (☎330-1629)", [("officer", "신윤경", "330-1629")]),
])
def test_contacts_lose_their_job_title_and_get_a_dialable_phone(role, value, expected):
    assert [(c.role, c.name, c.phone) for c in parse_contacts(role, value)] == expected


def test_title_box_of_two_lines_subtitles_and_a_framed_title(site_copy, tmp_path):
    doc = press_release(tmp_path / "two.hwpx",
                        title=("서대문구, 경로식당 3곳 늘려", "어르신 무료 급식 확대"),
                        subtitles=("- 홍은동·북가좌동에 새로 열어 -", "– 하루 75명 더 식사 –"))
    result = run_import(site_copy, doc)
    assert result.returncode == 0, result.stderr
    front, body = front_of(imported_paths(result)[0])
    assert front["title"] == "서대문구, 경로식당 3곳 늘려 어르신 무료 급식 확대"
    assert front["subtitle"] == ["홍은동·북가좌동에 새로 열어", "하루 75명 더 식사"]
    assert not body.startswith("-")


def test_body_items_notes_merged_cells_and_boilerplate(site_copy, tmp_path):
    result = run_import(site_copy, press_release(tmp_path / "body.hwpx"))
    assert result.returncode == 0, result.stderr
    front, body = front_of(imported_paths(result)[0])
    assert body.startswith("서대문구는 **경로식당**을 3곳 늘린다고 밝혔다.\n\n")
    assert "- 대상은 만 65세 이상 어르신이다.\n  - 기초생활수급자는 우선 배정한다." in body
    assert "※ 자세한 일정은 동주민센터에 문의." in body
    # A merged cell is left empty below itself, the row is not shifted.
    assert "| 신규 | 홍은동 | 40명 |\n| | 북가좌동 | 35명 |" in body
    assert "**붙임**\n\n1. 경로식당 위치 1부.\n2. 행사 사진 1매.\n" in body
    assert "연락주시기 바랍니다" not in body and "총 2매" not in body and "끝." not in body
    assert [dict(c)["name"] for c in front["contacts"]] == ["박정숙", "정지현", "신윤경"]


def test_bullets_drawn_by_the_paragraph_style_become_list_items():
    blocks = [Paragraph((Run("대상 확대", False, 1000),), "bullet", 0),
              Paragraph((Run("세부 기준", False, 1000),), "bullet", 1),
              Paragraph((Run("신청 접수", False, 1000),), "number", 0)]
    body = body_markdown(blocks)[0]
    assert body == "- 대상 확대\n  - 세부 기준\n1. 신청 접수\n"


def test_numbered_and_bulleted_styles_are_read_from_an_hwp_document():
    document = read_document((HANCOM / "sample_hwp_basic_numbering.hwp").read_bytes())
    marks = [b.bullet for b in document.blocks if isinstance(b, Paragraph) and b.text]
    assert marks.count("number") == 3 and marks.count("bullet") == 2


def test_photos_are_extracted_and_shown_where_they_stood_with_their_caption(site_copy,
                                                                           tmp_path):
    picture = png(3, 2)
    result = run_import(site_copy, press_release(tmp_path / "photo.hwpx", picture=picture))
    assert result.returncode == 0, result.stderr
    [path] = imported_paths(result)
    front, body = front_of(path)
    slug = path.name.split(".")[0]
    photo = site_copy / "static/attachments" / path.parent.name / slug / "photo-1.png"
    assert photo.read_bytes() == picture
    src = f"/static/attachments/{path.parent.name}/{slug}/photo-1.png"
    assert (f'<figure>\n<img src="{src}" alt="경로식당에서 배식하는 자원봉사자들">\n'
            "<figcaption>[사진 1] 경로식당에서 배식하는 자원봉사자들</figcaption>\n</figure>") in body
    assert body.count("경로식당에서 배식하는") == 2  # alt and caption, not a third paragraph
    assert "(1 photos)" in result.stdout
    check = run_build("check", "--content", str(site_copy), *NOW_ARG, "--lang", "en")
    assert check.returncode == 0, check.stdout
    mine = [line for line in check.stdout.splitlines() if "photo-1.png" in line]
    assert any("used only by drafts" in line for line in mine)
    assert not any("warning" in line or "error" in line for line in mine)
    assert "alt" not in check.stdout and "0 errors" in check.stdout


def test_pictures_of_an_hwp_document_are_read():
    document = read_document((HANCOM / "sample_hwp_basic_picture.hwp").read_bytes())
    pictures = [b for b in document.blocks if not isinstance(b, Paragraph)]
    assert pictures and all(p.extension == "png" and p.data.startswith(b"\x89PNG")
                            for p in pictures)


# -- departments --------------------------------------------------------------------------


def test_department_by_its_korean_name_spaces_ignored(site_copy, tmp_path):
    header = [("담 당 부 서", "문화 체육과", "보도일자", "2016. 5. 4.")] + DISTRICT_HEADER[1:]
    result = run_import(site_copy, press_release(tmp_path / "d.hwpx", header=header))
    assert result.returncode == 0, result.stderr
    assert front_of(imported_paths(result)[0])[0]["department"] == "culture-sports"


def test_unknown_department_is_an_error_with_the_closest_names(site_copy, tmp_path):
    header = [("담당부서", "복지정책팀", "보도일자", "2016. 5. 4.")] + DISTRICT_HEADER[1:]
    doc = press_release(tmp_path / "d.hwpx", header=header)
    before = written_files(site_copy)
    result = run_import(site_copy, doc)
    assert result.returncode == 1
    assert f"error: {doc}: 담당부서 '복지정책팀' matches no department" in result.stderr
    assert "복지정책과 (welfare-policy)" in result.stderr
    assert "--department" in result.stderr
    assert written_files(site_copy) == before
    forced = run_import(site_copy, "--department", "culture-sports", doc)
    assert forced.returncode == 0, forced.stderr
    assert front_of(imported_paths(forced)[0])[0]["department"] == "culture-sports"


# -- bad input and batches ---------------------------------------------------------------


def test_batch_of_good_and_bad_documents_imports_the_good_ones(site_copy, tmp_path):
    folder = tmp_path / "archive"
    (folder / "2016").mkdir(parents=True)
    shutil.copy(HANCOM / "press.hwpx", folder / "2016" / "press.hwpx")
    shutil.copy(HANCOM / "sample_hwp_distribution.hwp", folder / "protected.hwp")
    shutil.copy(HANCOM / "seoul_sihaengmun.hwpx", folder / "letter.hwpx")
    press_release(folder / "lunch.hwpx")
    (folder / "notes.txt").write_text("not a document")
    (folder / "fake.hwpx").write_text("<html>not a zip</html>")
    before = written_files(site_copy)
    result = run_import(site_copy, folder)
    assert result.returncode == 1
    assert len(imported_paths(result)) == 2
    assert "Imported 2 of 5 documents as drafts (0 photos); 3 not imported." in result.stdout
    assert (f"error: {folder / 'protected.hwp'}: the document is distribution-protected "
            "(배포용 문서)") in result.stderr
    assert "save it again without 배포용 protection" in result.stderr
    assert (f"error: {folder / 'letter.hwpx'}: the document has no header table of a press "
            "release") in result.stderr
    assert f"error: {folder / 'fake.hwpx'}: this is not a Hancom document" in result.stderr
    assert "Traceback" not in result.stderr
    new = written_files(site_copy) - before
    assert len([f for f in new if f.endswith(".ko.md")]) == 2
    assert len([f for f in new if f.startswith("static/")]) == 2


def test_the_same_document_twice_is_not_a_second_notice(site_copy):
    first = run_import(site_copy, HANCOM / "press.hwpx")
    assert first.returncode == 0
    [path] = imported_paths(first)
    before = written_files(site_copy)
    again = run_import(site_copy, HANCOM / "press.hwpx")
    assert again.returncode == 1
    assert "this document was imported before" in again.stderr
    assert path.name in again.stderr
    other_format = run_import(site_copy, HANCOM / "press.hwp")
    assert other_format.returncode == 1
    assert "already has this title and release date" in other_format.stderr
    assert written_files(site_copy) == before


def test_slug_option_and_a_taken_slug(site_copy, tmp_path):
    result = run_import(site_copy, "--slug", "lunch-expansion", press_release(tmp_path / "a.hwpx"))
    assert result.returncode == 0, result.stderr
    assert imported_paths(result)[0].name == "lunch-expansion.ko.md"
    other = press_release(tmp_path / "b.hwpx", title=("서대문구, 어르신 무료 급식 확대 2차",))
    taken = run_import(site_copy, "--slug", "lunch-expansion", other)
    assert taken.returncode == 1 and "already exists" in taken.stderr
    two = run_import(site_copy, "--slug", "x", tmp_path / "a.hwpx", other)
    assert two.returncode == 2 and "--slug" in two.stderr
    same_title = press_release(tmp_path / "c.hwpx", title=("서대문구, 어르신 무료 급식 확대",),
                               header=[("담당부서", "복지정책과", "보도일자", "2016. 5. 20.")]
                               + DISTRICT_HEADER[1:])
    second = run_import(site_copy, same_title)
    assert second.returncode == 0, second.stderr
    assert imported_paths(second)[0].name == "seodaemungu-eoreusin-muryo-geupsik-hwakdae.ko.md"
    next_day = press_release(tmp_path / "d.hwpx", title=("서대문구, 어르신 무료 급식 확대",),
                             header=[("담당부서", "복지정책과", "보도일자", "2016. 5. 21.")]
                             + DISTRICT_HEADER[1:])
    third = run_import(site_copy, next_day)
    assert third.returncode == 0, third.stderr
    assert imported_paths(third)[0].name == "seodaemungu-eoreusin-muryo-geupsik-hwakdae-2.ko.md"


def test_korean_messages(site_copy, tmp_path):
    result = run_build("import", "--content", str(site_copy), "--lang", "ko",
                       str(HANCOM / "sample_hwp_distribution.hwp"))
    assert result.returncode == 1
    assert "배포용 문서입니다" in result.stderr
    assert "문서 1건 중 0건을 초안으로 가져왔습니다" in result.stdout


def test_photos_of_an_hwp_press_release(site_copy, tmp_path):
    from hwpx import HwpxDocument

    picture = png(4, 3)
    made = press_release(tmp_path / "photo.hwpx", picture=picture)
    hwp = tmp_path / "photo.hwp"
    HwpxDocument.open(str(made)).save_to_path(str(hwp))
    assert hwp.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    result = run_import(site_copy, hwp)
    assert result.returncode == 0, result.stderr
    [path] = imported_paths(result)
    folder = site_copy / "static/attachments/2016" / path.name.split(".")[0]
    assert sorted(p.name for p in folder.iterdir()) == ["photo-1.png", f"{folder.name}.hwp"]
    assert (folder / "photo-1.png").read_bytes() == picture
    assert "<figcaption>[사진 1] 경로식당에서 배식하는 자원봉사자들</figcaption>" in path.read_text()


def test_a_picture_browsers_cannot_show_is_named_not_imported(site_copy, tmp_path):
    bmp = b"BM" + (70).to_bytes(4, "little") + b"\0" * 4 + (54).to_bytes(4, "little") + \
        (40).to_bytes(4, "little") + (1).to_bytes(4, "little") + (1).to_bytes(4, "little") + \
        (1).to_bytes(2, "little") + (24).to_bytes(2, "little") + b"\0" * 24 + b"\xff\xff\xff\0"
    from hwpx import HwpxDocument

    made = press_release(tmp_path / "bmp.hwpx", picture=None)
    doc = HwpxDocument.open(str(made))
    doc.add_picture(bmp, "bmp", width_mm=10, height_mm=10)
    doc.save_to_path(str(made))
    result = run_import(site_copy, made)
    assert result.returncode == 0, result.stderr
    assert "is in a format browsers do not show; it was not imported" in result.stderr
    assert ".bmp" in result.stderr
    [path] = imported_paths(result)
    assert "<figure>" not in path.read_text()
    assert not list((site_copy / "static").rglob("*.bmp"))


def test_a_title_in_a_framed_box(site_copy, tmp_path):
    from hwpx import HwpxDocument
    from hancom_documents import table

    made = HwpxDocument.new()
    made.paragraphs[0].text = "보도자료"
    table(made, DISTRICT_HEADER, [(3, 1, 3, 3)])
    box = made.add_table(1, 1)
    box.set_cell_text(0, 0, "구립 도서관 3곳, 밤 10시까지 문 연다")
    made.add_paragraph("□ 서대문구는 구립 도서관의 운영 시간을 늘린다.")
    made.save_to_path(str(tmp_path / "box.hwpx"))
    result = run_import(site_copy, tmp_path / "box.hwpx")
    assert result.returncode == 0, result.stderr
    front, body = front_of(imported_paths(result)[0])
    assert front["title"] == "구립 도서관 3곳, 밤 10시까지 문 연다"
    assert body == "서대문구는 구립 도서관의 운영 시간을 늘린다.\n"


def test_department_named_without_the_district_is_found_and_said(site_copy):
    departments = site_copy / "departments.yaml"
    departments.write_text(departments.read_text(encoding="utf-8").replace(
        "{ko: 복지정책과,", "{ko: 서대문구 복지정책과,"), encoding="utf-8")
    result = run_import(site_copy, HANCOM / "press.hwpx")
    assert result.returncode == 0, result.stderr
    assert front_of(imported_paths(result)[0])[0]["department"] == "welfare-policy"
    assert "담당부서 '복지정책과' is read as the department 'welfare-policy' (서대문구 복지정책과)" \
        in result.stderr
