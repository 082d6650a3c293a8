"""Reading content from disk: encodings, front matter, line numbers, which files are read."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import MINIMAL_NOTICE, run_build, write_files
from site_builder.load import (LineDict, load_content, parse_yaml, read_text,
                               split_front_matter, static_problems)

NAME = "content/notices/2016/x.ko.md"
SITE_YAML = ("title: {ko: 보도자료, en: Press Releases}\n"
             "base_url: https://news.example.go.kr/\n"
             "languages: [ko, en]\n")
DEPARTMENTS_YAML = "welfare-policy:\n  name: {ko: 복지정책과, en: Welfare Policy Division}\n"
NOTICE = MINIMAL_NOTICE


write = write_files


def messages(problems) -> list[str]:
    return [p.format() for p in problems]


# --- front matter ---------------------------------------------------------------------

def test_front_matter_and_body_are_split_at_the_fences():
    front, body, problems = split_front_matter(
        "---\ntitle: 협약 체결\n\ndepartment: welfare-policy\n---\n본문 첫 문단.\n\n둘째 문단.\n", NAME)
    assert problems == []
    assert front == {"title": "협약 체결", "department": "welfare-policy"}
    assert front.key_lines == {"title": 2, "department": 4}
    assert body == "본문 첫 문단.\n\n둘째 문단.\n"


def test_list_items_remember_their_own_lines():
    front, _, problems = split_front_matter(
        "---\ntitle: x\ncontacts:\n  - {role: director, name: 박정숙}\n\n  - role: officer\n"
        "    name: 신윤경\ntags: [복지, 민관협력]\n---\n", NAME)
    assert problems == []
    assert front.key_lines["contacts"] == 3
    assert front["contacts"].item_lines == [4, 6]
    assert front["contacts"][1].key_lines == {"role": 6, "name": 7}
    assert front["tags"].item_lines == [8, 8]


def test_a_thematic_break_in_the_body_stays_in_the_body():
    front, body, problems = split_front_matter("---\ntitle: x\n---\n첫 부분\n\n---\n\n둘째 부분\n", NAME)
    assert problems == []
    assert front == {"title": "x"}
    assert body == "첫 부분\n\n---\n\n둘째 부분\n"


def test_fences_may_have_trailing_spaces():
    front, body, problems = split_front_matter("--- \ntitle: x\n---\t\n본문\n", NAME)
    assert (front, body, problems) == ({"title": "x"}, "본문\n", [])


def test_empty_front_matter_is_an_empty_mapping_at_line_1():
    front, body, problems = split_front_matter("---\n---\n본문\n", NAME)
    assert problems == []
    assert isinstance(front, LineDict) and front == {}
    assert front.line == 1
    assert body == "본문\n"


def test_a_file_without_front_matter_is_an_error_on_line_1():
    _, _, problems = split_front_matter("추진지원단 운영 협약 체결\n\n본문\n", NAME)
    assert messages(problems) == [
        f"{NAME}:1: the file must start with a line '---', then the front matter "
        "(title, department, ...), then '---'."]


@pytest.mark.parametrize("text", ["---\ntitle: x\n\n본문\n", "---\n", "---\ntitle: x\n----\n본문\n"],
                         ids=["no-closing", "only-opening", "four-dashes"])
def test_front_matter_without_a_closing_fence_is_an_error_on_line_1(text):
    _, _, problems = split_front_matter(text, NAME)
    assert messages(problems) == [
        f"{NAME}:1: the front matter has no closing '---' line; add one after the last field."]


def test_a_yaml_syntax_error_names_its_line_in_the_file_and_the_quoted_fix():
    _, _, problems = split_front_matter(
        "---\ntitle: x\nsummary: y\ndepartment: 복지: 정책\n---\n", NAME)
    assert messages(problems) == [
        f"{NAME}:4: this is not valid YAML (mapping values are not allowed in this context). "
        'If the value on this line is text, put it in double quotes: department: "복지: 정책"']


def test_a_yaml_syntax_error_without_a_value_to_quote_says_what_to_check():
    _, _, problems = split_front_matter("---\ntitle: x\ncontacts:\n  - a\n  b: c\n---\n", NAME)
    assert len(problems) == 1 and problems[0].format().endswith(
        "Check the colons, quotes and indentation on this line.")


def test_an_unclosed_quote_names_the_line_where_it_opens():
    _, _, problems = split_front_matter(
        "---\ntitle: x\ndepartment: \"welfare-policy\nsummary: 서대문구가\n---\n", NAME)
    assert len(problems) == 1
    assert problems[0].format().startswith(f"{NAME}:3: this is not valid YAML (")


def test_an_unclosed_quote_in_a_text_is_refused_with_both_fixes():
    _, _, problems = split_front_matter(
        "---\ntitle: x\nsummary: '찾아가는 동주민센터 2단계\ndepartment: welfare-policy\n---\n",
        NAME)
    assert messages(problems) == [
        f"{NAME}:3: 'summary' starts with a quote (') that is not closed on this line. If the "
        "quote is part of the text, put the whole line in double quotes: summary: \"'찾아가는 "
        "동주민센터 2단계\" Otherwise add the closing quote at the end."]


# -- issue 11: one-line text values are read whole ----------------------------------------

@pytest.mark.parametrize("front, expected", [
    ("title: 서대문구 #복지 해소", {"title": "서대문구 #복지 해소"}),
    ("title: \"서대문구: 복지\"", {"title": "서대문구: 복지"}),
    ("title: '서대문구 ''복지'''", {"title": "서대문구 '복지'"}),
    ("title: 2024", {"title": "2024"}),
    ("title: yes", {"title": "yes"}),
    ("title: \\d \"x\"", {"title": '\\d "x"'}),
    ("department: welfare-policy  # 복지", {"department": "welfare-policy"}),
    ("tags: [복지, 문화]  # 태그", {"tags": ["복지", "문화"]}),
    ("subtitle: [첫째 줄, 둘째 줄]", {"subtitle": ["첫째 줄", "둘째 줄"]}),
    ("subtitle: [속보] 부제", {"subtitle": "[속보] 부제"}),
    ("subtitle:\n- 부제: 하나 #1\n- \"둘\"", {"subtitle": ["부제: 하나 #1", "둘"]}),
    ("summary: |\n  첫 줄 #1\n  둘째 줄", {"summary": "첫 줄 #1\n둘째 줄\n"}),
    ("summary: > 요약", {"summary": "> 요약"}),
    ("summary: 여러 줄에\n  걸친 요약", {"summary": "여러 줄에 걸친 요약"}),
    ("attachments:\n  - file: a.pdf  # 파일\n    title: 계획: 2단계 #1",
     {"attachments": [{"file": "a.pdf", "title": "계획: 2단계 #1"}]}),
    ("corrections:\n  - date: 2016-05-04\n    note: 연락처 정정 #2",
     {"corrections": [{"date": dt.date(2016, 5, 4), "note": "연락처 정정 #2"}]}),
])
def test_one_line_texts_are_read_as_written_and_other_values_as_yaml(front, expected):
    value, _, problems = split_front_matter(f"---\n{front}\n---\n", NAME)
    assert not problems and value == expected


def test_a_text_over_several_lines_with_a_hash_is_refused():
    _, _, problems = split_front_matter("---\ntitle: 서대문구\n  복지 #1\n---\n", NAME)
    assert messages(problems) == [
        f"{NAME}:2: 'title' goes on over several lines and one of them has '#', which would "
        "drop the rest of that line from the text. Write it on one line."]


def test_a_rewritten_text_keeps_every_line_number():
    value, _, _ = split_front_matter(
        "---\ntitle: 가: 나 #다\nsubtitle:\n  - '라' 마\nrelease: 2016-05-03\n---\n", NAME)
    assert value.key_lines == {"title": 2, "subtitle": 3, "release": 5}
    assert value["subtitle"].item_lines == [4]


def test_a_key_given_twice_names_the_second_line():
    _, _, problems = split_front_matter("---\ntitle: a\nsummary: b\ntitle: c\n---\n", NAME)
    assert messages(problems) == [f"{NAME}:4: 'title' is given twice; keep one of them."]


def test_a_key_given_twice_inside_a_list_item_names_its_line():
    value, problems = parse_yaml("contacts:\n  - name: a\n    role: x\n    name: b\n", "f.yaml")
    assert value is None
    assert messages(problems) == ["f.yaml:4: 'name' is given twice; keep one of them."]


# --- encodings ------------------------------------------------------------------------

def test_a_bom_is_accepted_and_crlf_is_folded(tmp_path):
    path = tmp_path / "x.ko.md"
    path.write_bytes("\ufeff---\r\ntitle: 협약\r\n---\r\n본문\r\n둘째 줄\r".encode("utf-8"))
    text, problems = read_text(path, NAME)
    assert problems == []
    assert text == "---\ntitle: 협약\n---\n본문\n둘째 줄\n"


def test_a_file_that_is_not_utf8_names_the_line_of_the_first_bad_byte(tmp_path):
    path = tmp_path / "x.ko.md"
    path.write_bytes("---\ntitle: Hongeun\nsummary: café\n---\n".encode("latin-1"))
    text, problems = read_text(path, NAME)
    assert text is None
    assert messages(problems) == [f"{NAME}:3: the file is not UTF-8 text. "
                                  "Save it as UTF-8 in your editor and build again."]


def test_a_utf16_file_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "x.ko.md"
    path.write_bytes(NOTICE.encode("utf-16"))
    text, problems = read_text(path, NAME)
    assert text is None
    assert len(problems) == 1 and "the file is not UTF-8 text" in problems[0].message


def test_a_nul_byte_is_an_error_on_its_line(tmp_path):
    path = tmp_path / "x.ko.md"
    path.write_bytes(b"---\ntitle: x\n---\nbody\nbo\x00dy\n")
    text, problems = read_text(path, NAME)
    assert text is None
    assert messages(problems) == [f"{NAME}:5: the file contains a NUL character; remove it."]


def test_a_site_yaml_that_is_not_utf8_is_named(tmp_path):
    content = write(tmp_path / "content", {"site.yaml": "title: Café\n".encode("latin-1"),
                                           "departments.yaml": DEPARTMENTS_YAML})
    raw = load_content(content)
    assert raw.site is None
    assert messages(raw.problems) == ["content/site.yaml:1: the file is not UTF-8 text. "
                                      "Save it as UTF-8 in your editor and build again."]


def test_a_bom_and_crlf_notice_builds_and_keeps_its_line_numbers(tmp_path):
    def crlf_bom(text: str) -> bytes:
        return ("\ufeff" + text).replace("\n", "\r\n").encode("utf-8")

    write(tmp_path / "content", {
        "site.yaml": crlf_bom(SITE_YAML), "departments.yaml": crlf_bom(DEPARTMENTS_YAML),
        "notices/2016/hongeun-support-team.ko.md": crlf_bom(NOTICE)})
    args = ("--content", "content", "--output", "out", "--now", "2026-11-23T12:00:00+09:00")
    built = run_build(*args, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "out/ko/notices/2016/05/hongeun-support-team/index.html").read_text("utf-8")
    assert "추진지원단 운영 협약 체결" in page
    assert "\ufeff" not in page and "\r" not in page

    write(tmp_path / "content", {"notices/2016/hongeun-support-team.ko.md":
                                 crlf_bom(NOTICE.replace("welfare-policy", "welfare"))})
    broken = run_build(*args, cwd=tmp_path)
    assert broken.returncode == 1
    assert broken.stderr.startswith("content/notices/2016/hongeun-support-team.ko.md:3: "
                                    "'department: welfare' is not a known department.")


# --- which files are read -------------------------------------------------------------

def test_language_and_slug_come_from_the_file_name(tmp_path):
    content = write(tmp_path / "content", {
        "site.yaml": SITE_YAML, "departments.yaml": DEPARTMENTS_YAML,
        "notices/2016/hongeun-support-team.ko.md": NOTICE,
        "notices/2016/hongeun-support-team.en.md": "---\ntitle: Agreement\n---\nBody\n",
        "notices/2016/v1.2-update.ko.md": NOTICE,
        "programs/visiting-community-center.ko.md": "---\ntitle: 찾아가는 동주민센터\n---\n",
    })
    raw = load_content(content)
    assert raw.problems == ()
    assert sorted((d.name, d.kind, d.stem, d.lang) for d in raw.documents) == [
        ("content/notices/2016/hongeun-support-team.en.md", "notice", "hongeun-support-team", "en"),
        ("content/notices/2016/hongeun-support-team.ko.md", "notice", "hongeun-support-team", "ko"),
        ("content/notices/2016/v1.2-update.ko.md", "notice", "v1.2-update", "ko"),
        ("content/programs/visiting-community-center.ko.md", "program",
         "visiting-community-center", "ko"),
    ]


def test_files_outside_the_contract_paths_are_ignored(tmp_path):
    content = write(tmp_path / "content", {
        "site.yaml": SITE_YAML, "departments.yaml": DEPARTMENTS_YAML,
        "notices/2016/hongeun-support-team.ko.md": NOTICE,
        "README.md": "# 작성 안내\n메모입니다.\n",
        "notes.yaml": "not: [valid\n",
        "notices/README.md": "아무 형식도 아닌 메모\n",
        "notices/2016/notes.txt": "메모 \x00 binary\n",
        "notices/2016/draft.ko.md.bak": "not a notice\n",
        "programs/notes.txt": "메모\n",
        "static/attachments/2016/readme.md": "첨부 파일 설명\n",
    })
    raw = load_content(content)
    assert raw.problems == ()
    assert [d.name for d in raw.documents] == ["content/notices/2016/hongeun-support-team.ko.md"]
    assert raw.static_files == {"attachments/2016/readme.md": len("첨부 파일 설명\n".encode())}

    result = run_build("--content", "content", "--output", "out",
                       "--now", "2026-11-23T12:00:00+09:00", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out/README.md").exists()
    assert not (tmp_path / "out/notes.yaml").exists()


def test_static_files_are_listed_with_their_sizes(tmp_path):
    content = write(tmp_path / "content", {
        "site.yaml": SITE_YAML, "departments.yaml": DEPARTMENTS_YAML,
        "static/attachments/2016/consortium.pdf": b"%PDF" + b"\x00" * 96,
        "static/images/logo.png": b"\x89PNG" + b"\x00" * 10})
    assert load_content(content).static_files == {"attachments/2016/consortium.pdf": 100,
                                                  "images/logo.png": 14}


def test_missing_site_and_departments_files_are_named(tmp_path):
    (tmp_path / "content").mkdir()
    raw = load_content(tmp_path / "content")
    assert sorted(messages(raw.problems)) == [
        "content/departments.yaml: departments.yaml is missing; every site needs one.",
        "content/site.yaml: site.yaml is missing; every site needs one."]


def test_a_content_directory_that_does_not_exist_is_a_problem(tmp_path):
    raw = load_content(tmp_path / "nowhere")
    assert [p.message for p in raw.problems] == [
        f"the content directory {tmp_path / 'nowhere'} does not exist."]
    assert raw.documents == ()


# --- deep YAML, active files in static/ --------------------------------------------------

def test_block_nesting_too_deep_names_the_line_where_it_starts():
    text = "title: x\ncontacts:\n" + "".join("  " * depth + "- \n" for depth in range(1, 60))
    value, problems = parse_yaml(text, NAME)
    assert value is None
    assert messages(problems) == [
        f"{NAME}:3: the YAML is nested too deeply: more than 50 lists or groups inside one "
        "another, starting on this line. Write the value out plainly, e.g. tags: [복지, 문화]."]


def test_nesting_within_the_limit_is_read_as_written():
    value, problems = parse_yaml("tags: " + "[" * 49 + "x" + "]" * 49 + "\n", NAME)
    assert problems == []
    depth, item = 0, value["tags"]
    while isinstance(item, list):
        depth, item = depth + 1, item[0]
    assert (depth, item) == (49, "x")


def test_many_brackets_in_quoted_text_are_not_nesting():
    value, problems = parse_yaml(f"title: \"{'[' * 200}\"\nsummary: '{{{{{{'\n", NAME)
    assert problems == [] and value["title"] == "[" * 200


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'


@pytest.mark.parametrize("inside, what", [
    ('<script>alert(1)</script>', "the element <script>"),
    ('<foreignObject><p>x</p></foreignObject>', "the element <foreignObject>"),
    ('<iframe src="#x"/>', "the element <iframe>"),
    ('<embed/>', "the element <embed>"),
    ('<object/>', "the element <object>"),
    ('<h:p xmlns:h="http://www.w3.org/1999/xhtml">x</h:p>', "the element <p>"),
    ('<rect onclick="alert(1)"/>', "the event attribute 'onclick' on <rect>"),
    ('<rect ONLOAD="alert(1)"/>', "the event attribute 'ONLOAD' on <rect>"),
    ('<use href="https://example.com/x.svg#a"/>',
     "the address 'https://example.com/x.svg#a' in 'href' on <use> (only '#id' inside the image "
     "is allowed)"),
    ('<image xlink:href="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"/>',
     "the address 'data:image/svg+xml,<svg onload=alert(1)>' in 'href' on <image> (only '#id' "
     "inside the image is allowed)"),
    ('<animate attributeName="href" values="#a"/>', "an animation of 'href' on <animate>"),
    ('<set attributeName="xlink:href" to="#a"/>', "an animation of 'xlink:href' on <set>"),
    ('<style>@import "x.css";</style>',
     "a <style> element that imports or loads other files (@import, url() or a CSS escape)"),
    ('<style><![CDATA[rect { fill: url(https://x/y) }]]></style>',
     "a <style> element that imports or loads other files (@import, url() or a CSS escape)"),
    ('<rect style="fill: u\\72l(https://x/y)"/>',
     "'fill: u\\72l(https://x/y)' in 'style' on <rect>"),
    ('<rect fill="URL(https://x/y#p)"/>', "'URL(https://x/y#p)' in 'fill' on <rect>"),
    ('<rect style="x: &#106;avascript:alert(1)"/>',
     "'x: javascript:alert(1)' in 'style' on <rect>"),
    ('<?xml-stylesheet href="x.xsl"?>', "the instruction <?xml-stylesheet?>"),
])
def test_an_svg_that_is_not_plain_graphics_is_refused(tmp_path, inside, what):
    svg = tmp_path / "logo.svg"
    svg.write_text(SVG_HEAD + inside + "\n</svg>\n", encoding="utf-8")
    assert messages(static_problems(svg, "content/static/logo.svg")) == [
        f"content/static/logo.svg:2: this SVG image contains {what}, which could run script or "
        "load other files on the site's own address. Export the image as PNG, or remove it "
        "from the SVG."]


@pytest.mark.parametrize("text, message", [
    ('<!DOCTYPE svg [<!ENTITY e "x">]>\n<svg xmlns="http://www.w3.org/2000/svg">&e;</svg>',
     "1: this SVG image contains a <!DOCTYPE> declaration, which could run script or load other "
     "files on the site's own address. Export the image as PNG, or remove it from the SVG."),
    ('<html><body><script>alert(1)</script></body></html>',
     "1: this file is not an SVG image (it starts with <html>); export the image as SVG or PNG."),
    ('<svg xmlns="http://www.w3.org/2000/svg">\n<rect>\n</svg>',
     "3: this SVG image cannot be read (mismatched tag); export it again as SVG, or as PNG."),
    ('<svg xmlns="http://www.w3.org/2000/svg">&xxe;</svg>',
     "1: this SVG image cannot be read (undefined entity); export it again as SVG, or as PNG."),
])
def test_an_svg_that_cannot_be_checked_is_refused(tmp_path, text, message):
    svg = tmp_path / "logo.svg"
    svg.write_text(text, encoding="utf-8")
    assert messages(static_problems(svg, "content/static/logo.svg")) == [
        f"content/static/logo.svg:{message}"]


def test_a_static_file_is_judged_by_its_name_not_its_contents(tmp_path):
    """Documented: HTML saved as .txt or .pdf is not looked for."""
    disguised = tmp_path / "notice.txt"
    disguised.write_text("<script>alert(1)</script>\n", encoding="utf-8")
    assert static_problems(disguised, "content/static/notice.txt") == []


def test_a_hash_inside_a_group_on_one_line_is_refused_with_the_line_written_out():
    _, _, problems = split_front_matter(
        "---\ntitle: x\ncontacts:\n  - {role: 팀장, name: 정지현 #1, phone: 02-330-8632}\n---\n",
        NAME)
    assert messages(problems) == [
        f"{NAME}:4: '#' inside {{...}} on this line would start a note and drop the rest of "
        'the line. Put the text in double quotes: - {role: 팀장, name: "정지현 #1", phone: '
        "02-330-8632}"]
