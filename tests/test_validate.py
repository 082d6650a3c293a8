"""Validation of notices and programs: validate_site(load_content(dir)) on small sites.

Covers the bilingual rules of the content contract (what a translation inherits,
what it says itself, conflicts), dates and time zones, slugs, contacts, subtitles,
corrections, drafts, and the file and line every problem names.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import KST, run_build, write_files
from site_builder.load import load_content
from site_builder.model import Attachment, Contact, Correction
from site_builder.validate import validate_site

SITE_YAML = ("title: {ko: 보도자료, en: Press Releases}\n"
             "base_url: https://news.example.go.kr/\n"
             "languages: [ko, en]\n")
DEPARTMENTS_YAML = ("welfare-policy:\n"
                    "  name: {ko: 복지정책과, en: Welfare Policy Division}\n"
                    "  phone: 02-330-1280\n"
                    "culture-sports:\n"
                    "  name: {ko: 문화체육과, en: Culture and Sports Division}\n")
PROGRAM = ("---\n"
           "title: 찾아가는 동주민센터\n"
           "summary: 주민을 찾아가는 복지 서비스\n"
           "department: welfare-policy\n"
           "started: 2015-07-01\n"
           "---\n"
           "프로그램 설명.\n")
KO = "notices/2016/hongeun-support-team.ko.md"
EN = "notices/2016/hongeun-support-team.en.md"
KO_NAME = "content/" + KO
EN_NAME = "content/" + EN


def front(*lines: str, body: str = "본문.\n") -> str:
    """A Markdown file: the given front-matter lines between '---' fences, then the body."""
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


def notice(*extra: str, title: str = "추진지원단 운영 협약 체결", department: str = "welfare-policy",
           release: str = "2016-05-03") -> str:
    """A valid primary notice: title on line 2, department 3, release 4, extra lines from 5."""
    return front(f"title: {title}", f"department: {department}", f"release: {release}", *extra)


def write_site(root: Path, files: dict[str, str | bytes], site: str = SITE_YAML,
               departments: str = DEPARTMENTS_YAML) -> Path:
    """A content directory at root/content with site.yaml, departments.yaml and `files`."""
    return write_files(root / "content",
                       {"site.yaml": site, "departments.yaml": departments, **files})


def validate(root: Path, files: dict[str, str | bytes], **kwargs):
    """(site or None, the formatted problems, sorted as the command line prints them)."""
    site, problems = validate_site(load_content(write_site(root, files, **kwargs)))
    return site, [p.format() for p in sorted(problems, key=lambda p: (p.path, p.line or 0))]


def valid(root: Path, files: dict[str, str | bytes], **kwargs):
    site, problems = validate(root, files, **kwargs)
    assert problems == []
    assert site is not None
    return site


# --- bilingual inheritance -------------------------------------------------------------

FULL_PRIMARY = front(
    "title: 추진지원단 운영 협약 체결",                                    # 2
    "subtitle: [관내 3개 종합사회복지관 컨소시엄 체결]",                      # 3
    "summary: 서대문구가 홍은종합사회복지관과 협약을 맺었다.",                 # 4
    "department: welfare-policy",                                        # 5
    "contacts:",                                                         # 6
    "  - {role: director, name: 박정숙, phone: 02-330-1280}",             # 7
    "  - {role: team_lead, name: 정지현, phone: 02-330-8632}",            # 8
    "  - {role: officer, name: 신윤경, phone: 02-330-1629, email: someone@example.go.kr}",
    "provided: 2016-05-03",                                              # 10
    "release: 2016-05-03T10:00:00+09:00",                                # 11
    "updated: 2016-05-04T10:00:00+09:00",                                # 12
    "corrections:",                                                      # 13
    "  - {date: 2016-05-04, note: 담당자 연락처 정정}",                     # 14
    "programs: [visiting-community-center]",                             # 15
    "tags: [복지, 민관협력]",                                             # 16
    "attachments:",                                                      # 17
    "  - {file: attachments/2016/consortium.pdf, title: 협약서}",          # 18
    "draft: false",                                                      # 19
    "slug: hongeun-support",                                             # 20
    body="서대문구는 협약식을 개최했다.\n")
FULL_TRANSLATION = front(
    "title: Support team agreement signed",
    "subtitle: Three welfare centers form a consortium",
    "summary: Seodaemun-gu signed an agreement with the Hongeun center.",
    "translation: machine",
    "translated: 2016-05-10",
    body="Seodaemun-gu held an agreement ceremony.\n")
PDF = b"%PDF-1.4\n" + b"x" * 1000 + b"\n%%EOF\n"
FULL_SITE = {KO: FULL_PRIMARY, EN: FULL_TRANSLATION,
             "programs/visiting-community-center.ko.md": PROGRAM,
             "static/attachments/2016/consortium.pdf": PDF}

INHERITED = [
    ("department", lambda n: n.department, "welfare-policy"),
    ("contacts", lambda n: n.contacts, (
        Contact("director", "박정숙", "02-330-1280"),
        Contact("team_lead", "정지현", "02-330-8632"),
        Contact("officer", "신윤경", "02-330-1629", "someone@example.go.kr"))),
    ("provided", lambda n: n.provided, datetime(2016, 5, 3, tzinfo=KST)),
    ("release", lambda n: n.release, datetime(2016, 5, 3, 10, tzinfo=KST)),
    ("updated", lambda n: n.updated, datetime(2016, 5, 4, 10, tzinfo=KST)),
    ("corrections", lambda n: n.corrections, (Correction(date(2016, 5, 4), "담당자 연락처 정정"),)),
    ("programs", lambda n: n.programs, ("visiting-community-center",)),
    ("tags", lambda n: n.tags, ("복지", "민관협력")),
    ("attachments", lambda n: n.attachments, (
        Attachment("attachments/2016/consortium.pdf", "협약서", len(PDF), "application/pdf"),)),
    ("draft", lambda n: n.draft, False),
    ("slug", lambda n: n.slug, "hongeun-support"),
]


@pytest.mark.parametrize("key, get, expected", INHERITED, ids=[row[0] for row in INHERITED])
def test_a_translation_inherits_every_language_neutral_field(tmp_path, key, get, expected):
    site = valid(tmp_path, FULL_SITE)
    [notice_] = site.notices
    assert set(notice_.texts) == {"ko", "en"}
    assert get(notice_) == expected


def test_a_translation_has_its_own_title_subtitle_summary_body_and_translation_fields(tmp_path):
    site = valid(tmp_path, FULL_SITE)
    ko, en = site.notices[0].texts["ko"], site.notices[0].texts["en"]
    assert (en.title, en.subtitles, en.summary, en.body) == (
        "Support team agreement signed", ("Three welfare centers form a consortium",),
        "Seodaemun-gu signed an agreement with the Hongeun center.",
        "Seodaemun-gu held an agreement ceremony.\n")
    assert (en.translation, en.translated) == ("machine", date(2016, 5, 10))
    assert (ko.title, ko.subtitles, ko.summary, ko.body) == (
        "추진지원단 운영 협약 체결", ("관내 3개 종합사회복지관 컨소시엄 체결",),
        "서대문구가 홍은종합사회복지관과 협약을 맺었다.", "서대문구는 협약식을 개최했다.\n")
    assert (ko.translation, ko.translated) == ("human", None)
    assert (ko.source, en.source) == (KO_NAME, EN_NAME)


def test_a_translation_is_human_unless_it_says_machine(tmp_path):
    site = valid(tmp_path, {KO: notice(), EN: front("title: Agreement signed")})
    assert site.notices[0].texts["en"].translation == "human"


CONFLICTS = [
    ("department", ["department: culture-sports"]),
    ("contacts", ["contacts:", "  - {role: director, name: 홍길동, phone: 02-330-1280}"]),
    ("provided", ["provided: 2016-05-02"]),
    ("release", ["release: 2016-05-04"]),
    ("updated", ["updated: 2016-05-05T10:00:00+09:00"]),
    ("corrections", ["corrections: [{date: 2016-05-05, note: Contact corrected}]"]),
    ("programs", ["programs: []"]),
    ("tags", ["tags: [welfare, partnership]"]),
    ("attachments", ["attachments: []"]),
    ("draft", ["draft: true"]),
    ("slug", ["slug: support-team-agreement"]),
]


@pytest.mark.parametrize("key, lines", CONFLICTS, ids=[row[0] for row in CONFLICTS])
def test_a_translation_that_sets_a_neutral_field_differently_is_an_error(tmp_path, key, lines):
    files = {**FULL_SITE, EN: front("title: Support team agreement signed", *lines)}
    site, problems = validate(tmp_path, files)
    assert site is None
    assert problems == [f"{EN_NAME}:3: '{key}' is taken from hongeun-support-team.ko.md "
                        "and must not differ in a translation; remove this line."]


SAME_VALUES = [
    ("department", ["department: welfare-policy"]),
    ("contacts", ["contacts:",
                  "  - role: director", "    name: 박정숙", "    phone: 02-330-1280",
                  "  - {role: team_lead, name: 정지현, phone: 02-330-8632}",
                  "  - {role: officer, name: 신윤경, phone: 02-330-1629, "
                  "email: someone@example.go.kr}"]),
    ("provided", ["provided: 2016-05-03"]),
    ("release", ["release: 2016-05-03T10:00:00+09:00"]),
    ("corrections", ["corrections:", "  - date: 2016-05-04", "    note: 담당자 연락처 정정"]),
    ("programs", ["programs:", "  - visiting-community-center"]),
    ("tags", ["tags:", "  - 복지", "  - 민관협력"]),
    ("draft", ["draft: false"]),
    ("slug", ["slug: hongeun-support"]),
]


@pytest.mark.parametrize("key, lines", SAME_VALUES, ids=[row[0] for row in SAME_VALUES])
def test_a_translation_may_repeat_a_neutral_field_with_the_same_value(tmp_path, key, lines):
    site = valid(tmp_path, {**FULL_SITE, EN: front("title: Support team agreement signed", *lines)})
    assert site.notices[0].texts["en"].title == "Support team agreement signed"


def test_a_translation_may_repeat_the_default_slug_and_draft(tmp_path):
    site, problems = validate(tmp_path, {
        KO: notice(), EN: front("title: Agreement signed", "slug: hongeun-support-team",
                                "draft: false")})
    assert problems == []


def test_a_translation_without_a_title_is_an_error(tmp_path):
    site, problems = validate(tmp_path, {KO: notice(), EN: front("summary: No title here.")})
    assert site is None
    assert problems == [f"{EN_NAME}:2: 'title' is missing; it is required."]


def test_a_translation_kind_other_than_human_or_machine_is_an_error(tmp_path):
    site, problems = validate(tmp_path, {KO: notice(),
                                         EN: front("title: Agreement", "translation: robot")})
    assert problems == [f"{EN_NAME}:3: 'translation: robot' is not allowed; "
                        "use one of: human, machine."]


def test_translation_fields_are_not_allowed_in_the_primary_file(tmp_path):
    site, problems = validate(tmp_path, {KO: notice("translation: machine")})
    assert problems == [
        f"{KO_NAME}:5: 'translation' is not a known field. Known fields: title, subtitle, "
        "summary, guid, department, contacts, provided, release, updated, corrections, "
        "programs, tags, attachments, draft, slug, aliases, license."]


def test_a_translation_of_a_program_inherits_and_may_not_change_its_department(tmp_path):
    program_en = "programs/visiting-community-center.en.md"
    site = valid(tmp_path, {KO: notice(), "programs/visiting-community-center.ko.md": PROGRAM,
                            program_en: front("title: Visiting Community Service Center",
                                              body="Welfare that comes to residents.\n")})
    program = site.programs["visiting-community-center"]
    assert program.department == "welfare-policy"
    assert program.started == date(2015, 7, 1)
    assert (program.texts["en"].title, program.texts["en"].body) == (
        "Visiting Community Service Center", "Welfare that comes to residents.\n")

    site, problems = validate(tmp_path, {program_en: front("title: Visiting centers",
                                                           "department: culture-sports")})
    assert problems == [f"content/{program_en}:3: 'department' is taken from "
                        "visiting-community-center.ko.md and must not differ in a translation; "
                        "remove this line."]


def test_a_program_translation_without_a_primary_is_an_error(tmp_path):
    site, problems = validate(tmp_path, {KO: notice(),
                                         "programs/silppuri.en.md": front("title: Silppuri")})
    assert problems == ["content/programs/silppuri.en.md: this translation has no program in "
                        "the primary language; add silppuri.ko.md next to it, or rename this file."]


def test_a_program_that_ends_before_it_starts_is_an_error(tmp_path):
    site, problems = validate(tmp_path, {KO: notice(), "programs/visiting.ko.md": front(
        "title: 찾아가는 동주민센터", "started: 2016-07-01", "ended: 2016-01-31")})
    assert problems == ["content/programs/visiting.ko.md:4: 'ended' is before 'started'; "
                        "check the two dates."]


# --- dates and time zones -------------------------------------------------------------

@pytest.mark.parametrize("written, expected", [
    ("2016-05-03", datetime(2016, 5, 3, 0, 0, tzinfo=KST)),
    ("2016-05-03 10:30", datetime(2016, 5, 3, 10, 30, tzinfo=KST)),
    ("'2016-05-03T10:30'", datetime(2016, 5, 3, 10, 30, tzinfo=KST)),
    ("2016-05-03T10:30:00+09:00", datetime(2016, 5, 3, 10, 30, tzinfo=KST)),
], ids=["date", "datetime-without-offset", "quoted-datetime", "datetime-kst"])
def test_a_release_without_offset_is_in_the_site_time_zone(tmp_path, written, expected):
    release = valid(tmp_path, {KO: notice(release=written)}).notices[0].release
    assert release == expected
    assert release.utcoffset() == timedelta(hours=9)


def test_a_release_with_an_offset_is_kept_as_given(tmp_path):
    release = valid(tmp_path, {KO: notice(release="2016-05-03T10:00:00-05:00")}).notices[0].release
    assert (release.hour, release.minute) == (10, 0)
    assert release.utcoffset() == timedelta(hours=-5)
    assert release == datetime(2016, 5, 3, 15, 0, tzinfo=timezone.utc)


def test_a_date_means_midnight_in_the_configured_time_zone(tmp_path):
    site = valid(tmp_path, {KO: notice(release="2016-05-03")},
                 site=SITE_YAML + "timezone: Europe/London\n")
    assert site.notices[0].release == datetime(2016, 5, 3, 0, 0, tzinfo=timezone(timedelta(hours=1)))


def test_provided_and_updated_follow_the_same_date_rule(tmp_path):
    n = valid(tmp_path, {KO: notice("provided: 2016-05-02", "updated: 2016-05-04 09:00")}).notices[0]
    assert n.provided == datetime(2016, 5, 2, tzinfo=KST)
    assert n.updated == datetime(2016, 5, 4, 9, tzinfo=KST)


@pytest.mark.parametrize("written", ["3 May 2016", "2016/05/03", "yesterday", "'2016-0533'"])
def test_a_release_that_is_not_a_date_is_an_error_on_its_line(tmp_path, written):
    site, problems = validate(tmp_path, {KO: notice(release=written)})
    assert site is None
    assert problems == [f"{KO_NAME}:4: 'release' is not a valid date: write it as 2016-05-03, "
                        "or 2016-05-03T10:00:00+09:00 with a time."]


def test_a_notice_without_release_is_an_error(tmp_path):
    site, problems = validate(tmp_path, {KO: front("title: 협약", "department: welfare-policy")})
    assert problems == [f"{KO_NAME}:2: 'release' is missing; it is required."]


def test_notices_are_ordered_newest_first(tmp_path):
    site = valid(tmp_path, {
        "notices/2016/a.ko.md": notice(release="2016-05-03"),
        "notices/2016/b.ko.md": notice(release="2016-07-01T09:00:00+09:00"),
        "notices/2016/c.ko.md": notice(release="2016-06-15"),
    })
    assert [n.slug for n in site.notices] == ["b", "c", "a"]


# --- corrections, contacts, subtitles, drafts ------------------------------------------

def test_corrections_are_sorted_newest_first_whatever_the_file_order(tmp_path):
    n = valid(tmp_path, {KO: notice(
        "corrections:",
        "  - {date: 2016-05-04, note: 담당자 연락처 정정}",
        "  - {date: 2016-05-10, note: 첨부파일 교체}",
        "  - {date: 2016-05-06, note: 제목 오타 수정}")}).notices[0]
    assert n.corrections == (Correction(date(2016, 5, 10), "첨부파일 교체"),
                             Correction(date(2016, 5, 6), "제목 오타 수정"),
                             Correction(date(2016, 5, 4), "담당자 연락처 정정"))


def test_contacts_keep_their_order_and_any_role_label(tmp_path):
    n = valid(tmp_path, {KO: notice(
        "contacts:",
        "  - {role: officer, name: 신윤경, phone: 02-330-1629}",
        "  - role: 홍보담당",
        "    name: 김민수",
        "    email: press@example.go.kr",
        "  - {role: director, name: 박정숙}")}).notices[0]
    assert n.contacts == (Contact("officer", "신윤경", "02-330-1629"),
                          Contact("홍보담당", "김민수", None, "press@example.go.kr"),
                          Contact("director", "박정숙"))


@pytest.mark.parametrize("lines, line", [
    (["contacts:", "  - {role: director, name: 박정숙}", "  - {role: officer, phone: 02-330-1280}"], 7),
    (["contacts:", "  - {role: director, name: 박정숙}", "  - role: officer", "    phone: 02-330-1280"], 7),
], ids=["flow", "block"])
def test_a_contact_without_a_name_names_the_line_of_that_contact(tmp_path, lines, line):
    site, problems = validate(tmp_path, {KO: notice(*lines)})
    assert problems == [f"{KO_NAME}:{line}: 'name' is missing; it is required."]


def test_an_unknown_contact_field_names_its_own_line(tmp_path):
    site, problems = validate(tmp_path, {KO: notice(
        "contacts:", "  - role: director", "    name: 박정숙", "    phnoe: 02-330-1280")})
    assert problems == [f"{KO_NAME}:8: 'phnoe' is not a known field. Did you mean 'phone'? "
                        "Known fields: role, name, phone, email."]


def test_a_correction_without_a_note_names_the_line_of_that_correction(tmp_path):
    site, problems = validate(tmp_path, {KO: notice(
        "corrections:", "  - {date: 2016-05-04, note: 정정}", "  - {date: 2016-05-05}")})
    assert problems == [f"{KO_NAME}:7: 'note' is missing; it is required."]


def test_a_tag_that_is_not_text_names_the_line_of_that_tag(tmp_path):
    site, problems = validate(tmp_path, {KO: notice("tags:", "  - 복지", "  - [nested]")})
    assert problems == [f"{KO_NAME}:7: 'tags' should be a list of texts; item 2 is a list."]


@pytest.mark.parametrize("lines, expected", [
    ([], ()),
    (["subtitle: 관내 3개 종합사회복지관 컨소시엄 체결"], ("관내 3개 종합사회복지관 컨소시엄 체결",)),
    (["subtitle: [첫째 부제, 둘째 부제]"], ("첫째 부제", "둘째 부제")),
    (["subtitle:", "  - 첫째 부제", "  - 둘째 부제"], ("첫째 부제", "둘째 부제")),
], ids=["none", "string", "flow-list", "block-list"])
def test_subtitle_is_a_string_or_a_list(tmp_path, lines, expected):
    assert valid(tmp_path, {KO: notice(*lines)}).notices[0].texts["ko"].subtitles == expected


@pytest.mark.parametrize("lines, expected", [([], False), (["draft: true"], True),
                                             (["draft: false"], False)],
                         ids=["default", "true", "false"])
def test_draft_flag(tmp_path, lines, expected):
    assert valid(tmp_path, {KO: notice(*lines)}).notices[0].draft is expected


def test_a_draft_flag_that_is_not_true_or_false_is_an_error(tmp_path):
    site, problems = validate(tmp_path, {KO: notice("draft: maybe")})
    assert problems == [f"{KO_NAME}:5: 'draft' should be true or false."]


def test_summary_is_optional_and_kept_as_written(tmp_path):
    site = valid(tmp_path, {"notices/2016/a.ko.md": notice(),
                            "notices/2016/b.ko.md": notice("summary: 요약입니다.")})
    summaries = {n.slug: n.texts["ko"].summary for n in site.notices}
    assert summaries == {"a": None, "b": "요약입니다."}


# --- departments, programs, attachments ------------------------------------------------

def test_an_unknown_department_lists_the_known_ids_and_the_nearest(tmp_path):
    site, problems = validate(tmp_path, {KO: notice(department="culture-sport")})
    assert problems == [f"{KO_NAME}:3: 'department: culture-sport' is not a known department. "
                        "Did you mean 'culture-sports'? Known: culture-sports, welfare-policy "
                        "(see departments.yaml)."]


def test_an_unknown_program_is_an_error(tmp_path):
    site, problems = validate(tmp_path, {
        KO: notice("programs: [visiting-community-centre]"),
        "programs/visiting-community-center.ko.md": PROGRAM})
    assert problems == [f"{KO_NAME}:5: program 'visiting-community-centre' does not exist; add "
                        "content/programs/visiting-community-centre.ko.md or fix the id. "
                        "Did you mean 'visiting-community-center'?"]


def test_an_unknown_program_in_a_block_list_names_the_line_of_the_item(tmp_path):
    site, problems = validate(tmp_path, {
        KO: notice("programs:", "  - visiting-community-center", "  - silppuri"),
        "programs/visiting-community-center.ko.md": PROGRAM})
    assert len(problems) == 1 and problems[0].startswith(f"{KO_NAME}:7: program 'silppuri'")


def test_an_attachment_records_its_size_and_type(tmp_path):
    n = valid(tmp_path, {
        KO: notice("attachments:",
                   "  - {file: attachments/2016/consortium.pdf, title: 협약서}",
                   "  - {file: attachments/2016/summary.txt, title: 요약}"),
        "static/attachments/2016/consortium.pdf": PDF,
        "static/attachments/2016/summary.txt": "요약\n"}).notices[0]
    assert n.attachments == (
        Attachment("attachments/2016/consortium.pdf", "협약서", len(PDF), "application/pdf"),
        Attachment("attachments/2016/summary.txt", "요약", len("요약\n".encode()), "text/plain"))


@pytest.mark.parametrize("path", ["../../etc/passwd", "attachments/../../site.yaml",
                                  "attachments\\\\2016\\\\x.pdf"])
def test_an_attachment_path_may_not_leave_static(tmp_path, path):
    site, problems = validate(tmp_path, {
        KO: notice("attachments:", f"  - title: 협약서", f'    file: "{path}"')})
    shown = path.replace("\\\\", "\\")
    assert problems == [f"{KO_NAME}:7: 'file: {shown}' must be a path inside content/static/ "
                        "without '..'."]


# --- slugs ------------------------------------------------------------------------------

def test_the_slug_is_the_file_name_unless_given(tmp_path):
    site = valid(tmp_path, {KO: notice(), "notices/2016/x.ko.md": notice("slug: seongbuk-award")})
    assert sorted(n.slug for n in site.notices) == ["hongeun-support-team", "seongbuk-award"]


def test_a_file_name_that_cannot_be_a_slug_needs_a_slug_line(tmp_path):
    site, problems = validate(tmp_path, {"notices/2016/Hongeun Support.ko.md": notice()})
    assert problems == ["content/notices/2016/Hongeun Support.ko.md:1: the file name "
                        "'Hongeun Support' cannot be used in an address: rename the file using "
                        "a-z, 0-9 and hyphens, or add a line like 'slug: my-notice'."]
    assert valid(tmp_path, {"notices/2016/Hongeun Support.ko.md": notice("slug: hongeun")}
                 ).notices[0].slug == "hongeun"


@pytest.mark.parametrize("slug", ['"Hello World"', "hello_world", "hello--world", "-hello", "안녕"])
def test_a_bad_slug_is_an_error_on_its_line(tmp_path, slug):
    site, problems = validate(tmp_path, {KO: notice(f"slug: {slug}")})
    assert problems == [f"{KO_NAME}:5: 'slug: {slug.strip(chr(34))}' is not a valid id: use "
                        "lowercase letters a-z, digits and single hyphens, e.g. 'welfare-policy'."]


def test_the_same_slug_in_the_same_month_is_an_error(tmp_path):
    site, problems = validate(tmp_path, {
        "notices/2016/a.ko.md": notice("slug: agreement", release="2016-05-03"),
        "notices/2016/b.ko.md": notice("slug: agreement", release="2016-05-31T23:59:00+09:00")})
    assert site is None
    assert problems == ["content/notices/2016/b.ko.md:5: the slug 'agreement' is already used by "
                        "content/notices/2016/a.ko.md in the same month; give one of them another "
                        "file name or a 'slug:' line."]


def test_the_same_slug_in_another_month_is_fine(tmp_path):
    site = valid(tmp_path, {
        "notices/2016/a.ko.md": notice("slug: agreement", release="2016-05-31T23:59:00+09:00"),
        "notices/2016/b.ko.md": notice("slug: agreement", release="2016-06-01"),
        "notices/2017/agreement.ko.md": notice(release="2017-05-03")})
    assert [(n.slug, n.release.month) for n in site.notices] == [
        ("agreement", 5), ("agreement", 6), ("agreement", 5)]


def test_the_month_of_a_slug_is_the_month_in_the_site_time_zone(tmp_path):
    # 2016-05-31 20:00 in UTC-3 is 2016-06-01 08:00 in Seoul: June, so no clash with May.
    valid(tmp_path, {
        "notices/2016/a.ko.md": notice("slug: agreement", release="2016-05-15"),
        "notices/2016/b.ko.md": notice("slug: agreement", release="2016-05-31T20:00:00-03:00")})
    # 2016-06-01 00:30 in UTC+10 is 2016-05-31 23:30 in Seoul: May, a clash.
    site, problems = validate(tmp_path, {
        "notices/2016/b.ko.md": notice("slug: agreement", release="2016-06-01T00:30:00+10:00")})
    assert problems == ["content/notices/2016/b.ko.md:5: the slug 'agreement' is already used by "
                        "content/notices/2016/a.ko.md in the same month; give one of them another "
                        "file name or a 'slug:' line."]


def test_same_slug_in_different_seoul_months_builds_two_distinct_pages(tmp_path):
    write_site(tmp_path, {
        "notices/2016/a.ko.md": notice("slug: agreement", title="5월 보도", release="2016-05-15"),
        "notices/2016/b.ko.md": notice("slug: agreement", title="6월 보도",
                                       release="2016-05-31T20:00:00-03:00")})
    result = run_build("--content", "content", "--output", "out",
                       "--now", "2026-11-23T12:00:00+09:00", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    may = (tmp_path / "out/ko/notices/2016/05/agreement/index.html").read_text(encoding="utf-8")
    june = (tmp_path / "out/ko/notices/2016/06/agreement/index.html").read_text(encoding="utf-8")
    assert "5월 보도" in may and "6월 보도" not in may
    assert "6월 보도" in june and "5월 보도" not in june


def test_a_duplicate_slug_from_a_slug_line_names_that_line(tmp_path):
    site, problems = validate(tmp_path, {
        "notices/2016/a.ko.md": notice("slug: agreement"),
        "notices/2016/b.ko.md": notice("slug: agreement")})
    assert len(problems) == 1 and problems[0].startswith("content/notices/2016/b.ko.md:5: ")


# --- shape of the front matter ----------------------------------------------------------

def test_front_matter_that_is_not_key_value_lines_is_an_error(tmp_path):
    site, problems = validate(tmp_path, {KO: front("- title", "- department")})
    assert site is None
    assert (f"{KO_NAME}:2: the front matter should be a group of 'key: value' lines, "
            "not a list.") in problems


def test_front_matter_that_is_plain_text_is_reported_in_plain_words(tmp_path):
    site, problems = validate(tmp_path, {KO: front("추진지원단 운영 협약 체결")})
    shape = [p for p in problems if "should be a group of 'key: value' lines" in p]
    assert len(shape) == 1
    assert shape[0].startswith(f"{KO_NAME}:2: ")
    assert not shape[0].endswith("not str.")


def test_an_unknown_field_suggests_the_nearest_known_one(tmp_path):
    site, problems = validate(tmp_path, {KO: notice("sumary: 요약.")})
    assert problems == [f"{KO_NAME}:5: 'sumary' is not a known field. Did you mean 'summary'? "
                        "Known fields: title, subtitle, summary, guid, department, contacts, "
                        "provided, release, updated, corrections, programs, tags, attachments, "
                        "draft, slug, aliases, license."]


def test_an_empty_title_is_an_error(tmp_path):
    site, problems = validate(tmp_path, {KO: notice(title="''")})
    assert problems == [f"{KO_NAME}:2: 'title' is empty; write a value or remove the line."]
