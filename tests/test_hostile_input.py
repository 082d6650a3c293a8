"""Never a traceback for content: generated front matter and Markdown either build or fail
with content errors that name the file.

Hypothesis writes each example into a tiny valid site (one notice in two languages, one
program, one attachment) and runs the pipeline in-process: load and validate, the site
graph, every page, feed, the sitemap and robots.txt rendered (not written: the writing
and indexing stage gets its own test below, and test_interrupt.py). Each example must
either build or raise `ContentError` whose every problem names one of the example's files
and reads in both languages; any other exception is a bug in the generator.

`HOSTILE_EXAMPLES=N` multiplies the number of examples (for a long run by hand).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import os
import re
import shutil
import string
import unicodedata
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from conftest import NOW, write_files
from site_builder.errors import ContentError
from site_builder import engine
from site_builder.graph import build_graph
from site_builder.engine import build, render_files
from site_builder.pipeline import load_site

SCALE = int(os.environ.get("HOSTILE_EXAMPLES", "1"))
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
SETTINGS = dict(deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])

BASE_SITE = {
    "site.yaml": "title: {ko: 시험 보도자료, en: Test Press Releases}\n"
                 "base_url: https://news.example.go.kr/\nlanguages: [ko, en]\n",
    "departments.yaml": "welfare:\n  name: {ko: 복지정책과, en: Welfare Policy}\n"
                        "  phone: 02-330-1280\n",
    "notices/2026/base-notice.ko.md": "---\ntitle: 기준 보도자료\ndepartment: welfare\n"
                                      "release: 2026-05-03\n---\n본문입니다.\n",
    "notices/2026/base-notice.en.md": "---\ntitle: Base notice\n---\nThe body.\n",
    "programs/base-program.ko.md": "---\ntitle: 기준 사업\n---\n사업 소개.\n",
    "static/attachments/2026/plan.pdf": b"%PDF-1.4 test\n",
}
NOTICE_KO = "notices/2026/zz-hostile.ko.md"
NOTICE_EN = "notices/2026/zz-hostile.en.md"
PROGRAM_KO = "programs/zz-hostile.ko.md"
PROGRAM_EN = "programs/zz-hostile.en.md"
HOSTILE_FILES = (NOTICE_KO, NOTICE_EN, PROGRAM_KO, PROGRAM_EN)

# -- values -----------------------------------------------------------------------------

ODD_TEXT = [
    "", " ", "\t", "~", "null", "yes", "no", "on", "0x1F", "1e400", ".nan", "-.inf",
    "\ufeff", "\ufeff제목", "\u200b", "\u202e역방향\u202c", "\u00ad", "\ufffd", "\uffff",
    "\U0001f469\u200d\U0001f4bb", "e\u0301\u0301\u0301\u0301", "\u1112\u1161\u11ab",  # NFD 한
    unicodedata.normalize("NFD", "서대문구 보도자료"), "ｆｕｌｌｗｉｄｔｈ", "İıŉſ", "ß" * 40,
    "{x}", "{0}", "{{ title }}", "{% raw %}", "%s%d", "\\", "\\x00", "'", '"', "`",
    "</script>", "<!--", "]]>", "<![CDATA[", "&amp;", "&#0;", "&#x1;", "&#xD800;",
    "--- ", "---", "- a", ": b", "? c", "#", "|", ">", "!!binary", "*alias", "&anchor",
    "../../etc/passwd", "/etc/passwd", "C:\\Windows", "a/b", "welfare", "base-program",
    "attachments/2026/plan.pdf", "static/attachments/2026/plan.pdf", "2026-05-03",
    "2026-02-30", "2026-05-03T25:00:00", "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00", "2016-05-03T10:00:00+09:00", "director",
    "a" * 20000, "한" * 20000, "\n" * 500, "x\x85y", "x\u2028y\u2029z",
]

# Every code point a file can hold, controls, private use and unassigned ones included;
# mostly without the controls, which are refused at once, so that the rest is reached.
def rarely(rare, usual, one_in: int = 10):
    return st.integers(1, one_in).flatmap(lambda n: rare if n == 1 else usual)


any_text = st.text(st.characters(codec="utf-8"), max_size=40)
clean_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cn")), max_size=40)
printable = rarely(any_text, clean_text)
odd_text = st.one_of(st.sampled_from(ODD_TEXT), printable,
                     st.builds(lambda a, b: a + b, st.sampled_from(ODD_TEXT), printable))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), odd_text, st.binary(max_size=8),
    st.dates(), st.datetimes(), st.datetimes(timezones=st.timezones()),
)
yaml_values = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                     st.dictionaries(odd_text, inner, max_size=4)),
    max_leaves=12)


def nested_list(depth: int):
    value: list = ["x"]
    for _ in range(depth):
        value = [value]
    return value


deep_values = st.integers(1, 60).map(nested_list)
hostile = st.one_of(yaml_values, odd_text, deep_values)


def change(draw, value, top: bool = False):
    """`value` with one thing changed somewhere inside it, or replaced by something hostile."""
    if isinstance(value, dict) and value:
        action = draw(st.sampled_from(["inside"] * 3 + ["delete", "add"] + ([] if top else ["replace"])))
        key = draw(st.sampled_from(list(value)))
        if action == "inside":
            return {**value, key: change(draw, value[key])}
        if action == "delete":
            return {k: v for k, v in value.items() if k != key}
        if action == "add":
            return {**value, draw(odd_text): draw(hostile)}
    elif isinstance(value, list) and value:
        action = draw(st.sampled_from(["inside", "inside", "append", "empty", "replace"]))
        if action == "inside":
            index = draw(st.integers(0, len(value) - 1))
            return value[:index] + [change(draw, value[index])] + value[index + 1:]
        if action == "append":
            return value + [draw(hostile)]
        if action == "empty":
            return []
    return draw(hostile)


@st.composite
def mutated(draw, valid, most: int = 3):
    """The valid value with up to `most` things changed, or none."""
    value = valid
    for _ in range(draw(st.integers(0, most))):
        value = change(draw, value, top=True)
    return value


NOTICE_FRONT = {
    "title": "찾아가는 동주민센터 협약", "subtitle": ["부제 한 줄", "둘째 줄"],
    "summary": "요약입니다.", "department": "welfare",
    "contacts": [{"role": "director", "name": "박정숙", "phone": "02-330-1280",
                  "email": "a@example.go.kr"}],
    "provided": dt.date(2026, 5, 3), "release": dt.date(2026, 5, 3),
    "updated": dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))),
    "corrections": [{"date": dt.date(2026, 5, 4), "note": "연락처 정정"}],
    "programs": ["zz-hostile"], "tags": ["복지", "민관협력"],
    "attachments": [{"file": "attachments/2026/plan.pdf", "title": "계획서"}],
    "draft": False, "slug": "zz-hostile",
}
NOTICE_EN_FRONT = {"title": "Support team agreement", "subtitle": "One line",
                   "summary": "A summary.", "translation": "machine",
                   "translated": dt.date(2026, 5, 5)}
PROGRAM_FRONT = {"title": "우리 동네 작은도서관", "summary": "사업 요약",
                 "department": "welfare", "started": dt.date(2026, 3, 1),
                 "ended": dt.date(2026, 12, 31)}

MARKDOWN_SNIPPETS = [
    "# 제목\n", "## 소제목\n", "- 항목\n- 항목\n", "1. 하나\n2. 둘\n", "> 인용\n",
    "| a | b |\n|---|:-:|\n| 1 | 2 |\n", "```\ncode ]]> </script>\n```\n", "    indented\n",
    "**'찾아가는 동주민센터'**를\n", "*a **b* c**\n", "[link](https://example.go.kr/ \"t\")\n",
    "[x](javascript:alert(1))\n", "![img](/static/attachments/2026/plan.pdf)\n",
    "<div onclick=\"x()\">html</div>\n", "<script>alert(1)</script>\n", "<p>&#1;&#xffff;&#0;</p>\n",
    "&#x0c; &#xd800; &nbsp; &bogus;\n", "<!-- comment\n", "<table><tr><td>cell\n",
    "---\n", "***\n", "[ref]: https://example.go.kr/\n[ref]\n", "\\\n", "<",
    ">" * 300 + " deep quote\n", "".join("  " * i + "- item\n" for i in range(60)),
    "[" * 500 + "]" * 500 + "\n", "*" * 1000 + "\n", "_" * 999 + "\n", "`" * 300 + "\n",
    "<a>" * 300 + "\n", "<div>" * 300 + "\n", "\ufeff본문\n", "\u202e뒤집힌 글\n",
    unicodedata.normalize("NFD", "한글 본문입니다.\n"), "tab\there\n",
]
markdown = st.lists(st.one_of(st.sampled_from(MARKDOWN_SNIPPETS), clean_text),
                    max_size=12).map("\n".join)


def front_matter_text(value, framing: bool = True) -> st.SearchStrategy[str]:
    """The YAML of `value` in several styles, or (when `framing`) broken YAML."""
    def dump(flow, unicode, width):
        try:
            return yaml.safe_dump(value, allow_unicode=unicode, default_flow_style=flow,
                                  width=width, sort_keys=False)
        except (yaml.YAMLError, ValueError, RecursionError):
            return "title: [unclosed\n"
    dumped = st.builds(dump, st.sampled_from([False, None, True]), st.booleans(),
                       st.sampled_from([80, 10**6]))
    return rarely(st.one_of(st.sampled_from(RAW_FRONT), printable), dumped) if framing else dumped


RAW_FRONT = [
    "", "title", "title:", ":", "- a\n- b", "title: [unclosed", "title: 'unclosed",
    "title: x\ntitle: y", "\ttitle: tab", "title: !!python/object:os.system x",
    "title: !!binary aGVsbG8=", "title: !!set {a, b}", "title: !!omap [a: 1]",
    "title: !!timestamp not-a-date", "title: !!int x", "title: !custom x",
    "title: &a [*a]\ndepartment: welfare\nrelease: 2026-05-03",
    "tags: &a [*a, *a]\ntitle: x\ndepartment: welfare\nrelease: 2026-05-03",
    "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
    "tags: [*d, *d, *d, *d, *d, *d, *d, *d]\ntitle: x\ndepartment: welfare\nrelease: 2026-05-03",
    "<<: {title: merged, department: welfare, release: 2026-05-03}",
    "<<: [1, 2]", "? [complex, key]\n: value", "? {a: b}\n: value", "2026-05-03: date key",
    "1: number key", "null: null key", "title: \"\\x01\\x0c\\uFFFE\\0\"", "title: \"\\ud800\"",
    "title: x\nrelease: 99999-01-01", "release: 2026-05-03T10:00:00+25:00",
    "title: " + "[" * 3000 + "]" * 3000, "title: " + "{a: " * 500 + "b" + "}" * 500,
    "%YAML 1.1\n---\ntitle: x", "--- !!map\ntitle: x", "title: x\n...\n",
    "title: " + "9" * 5000, "title: 0o777777777777777777777777777777777",
]


def encode(text: str, bom: bool, crlf: bool, insert: tuple[int, str] | None) -> bytes:
    """The bytes of a file: maybe with a BOM, CRLF line ends and a control character."""
    if insert is not None:
        text = text[:insert[0]] + insert[1] + text[insert[0]:]
    if crlf:
        text = text.replace("\n", "\r\n")
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def control_at(length: int):
    """Now and then a NUL or another character no page can carry, somewhere in the file."""
    return rarely(st.tuples(st.integers(0, length), st.sampled_from(
        ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ufffe", "\uffff"])),
        st.none(), 20)


@st.composite
def document(draw, front_value, changes: int = 3, framing: bool = True):
    """A whole Markdown file: front matter, body and the bytes they are saved as. With
    `framing` the file itself may be broken too: fences, control characters, YAML syntax."""
    front = draw(front_matter_text(draw(mutated(front_value, changes)), framing))
    fence, closing = "---\n", "---\n"
    if framing:
        fence = draw(rarely(st.sampled_from(["--- \t\n", "", "---", "\n---\n"]), st.just(fence)))
        closing = draw(rarely(st.sampled_from(["---\t\n", "", "--- x\n"]), st.just(closing)))
    text = fence + front + ("" if front.endswith("\n") else "\n") + closing + draw(markdown)
    return encode(text, draw(st.booleans()), draw(st.booleans()),
                  draw(control_at(len(text))) if framing else None)


@st.composite
def hostile_site(draw) -> dict[str, bytes]:
    """The hostile notice, and maybe its translation and a hostile program beside it.

    Half the examples keep the files well formed and change only field values, so that
    odd values get through validation and are rendered; the other half break anything."""
    framing = draw(st.booleans())
    files = {NOTICE_KO: draw(document(NOTICE_FRONT, framing=framing))}
    few = st.sampled_from([0, 0, 1] if framing else [0])
    if draw(st.booleans()):
        files[NOTICE_EN] = draw(document(NOTICE_EN_FRONT, draw(few), framing))
    files[PROGRAM_KO] = draw(document(PROGRAM_FRONT, draw(few), framing))
    if draw(st.booleans()):
        files[PROGRAM_EN] = draw(document({"title": "Small libraries", "summary": "x"},
                                          draw(few), framing))
    return files


# -- running an example ---------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def one_template_environment():
    """Templates compiled once for the module, not once per example: 10x faster."""
    environment = functools.lru_cache(maxsize=None)(engine.make_environment)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "make_environment", environment)
        yield


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return write_files(tmp_path_factory.mktemp("hostile") / "content", BASE_SITE)


EXAMPLES = {"built": 0, "refused": 0}


def build_in_memory(content: Path, files: dict[str, bytes]) -> str:
    """Write the example over the base site and render it; "built" or "refused"."""
    for relative in HOSTILE_FILES:
        (content / relative).unlink(missing_ok=True)
    write_files(content, files)
    names = {f"content/{relative}" for relative in files}
    try:
        site, strings, _ = load_site(content)
        graph = build_graph(site, NOW, include_drafts=True)
        for path, data in render_files(graph, strings).items():
            assert isinstance(data, bytes) and path
    except ContentError as exc:
        assert exc.problems, "a content error without problems"
        for problem in exc.problems:
            assert problem.path in names, f"{problem.format()} names another file"
            assert problem.format("en") and problem.format("ko")
        note("\n".join(p.format() for p in exc.problems))
        return "refused"
    return "built"


@settings(max_examples=200 * SCALE, **SETTINGS)
@given(files=hostile_site())
def test_generated_notices_build_or_fail_with_content_errors_naming_the_file(content, files):
    outcome = build_in_memory(content, files)
    EXAMPLES[outcome] += 1
    event(outcome)


# Departments and site settings are typed by fewer people, but a mistake there must not
# crash the build either.
DEPARTMENTS = {"welfare": {"name": {"ko": "복지정책과", "en": "Welfare"}, "phone": "02-330-1280"},
               "culture-sports": {"name": "문화체육과"}}
SITE = {"title": {"ko": "시험", "en": "Test"}, "description": "설명",
        "base_url": "https://news.example.go.kr/sub/", "languages": ["ko", "en"],
        "timezone": "Asia/Seoul", "per_page": 2, "feed_items": 3, "untranslated": "hide",
        "press_office": {"name": {"ko": "언론팀", "en": "Press"}, "phone": "02-330-8708"}}
SITE_ODDITIES = ["http://[::1", "https://x.example/\\1/", "https://x.example/a b/",
                 "https://x.example/?q=1", "https://x.example/#top", "https://x.example/\"/",
                 "javascript:alert(1)//", "https://", "Asia", "Asia/", "../../etc/passwd",
                 "UTC", "Etc/GMT+14", "Pacific/Kiritimati", "America/Adak", "\x00"]


@st.composite
def yaml_file(draw, valid):
    value = draw(mutated(valid))
    if isinstance(value, dict):
        value = dict(value)  # never the shared `valid` itself
        for key in draw(st.lists(st.sampled_from(sorted(valid)), max_size=2)):
            value[key] = draw(st.sampled_from(SITE_ODDITIES))
    text = draw(front_matter_text(value))
    return encode(text, draw(st.booleans()), draw(st.booleans()), None)


@settings(max_examples=60 * SCALE, **SETTINGS)
@given(site=yaml_file(SITE), departments=yaml_file(DEPARTMENTS))
def test_generated_settings_and_departments_build_or_fail_naming_the_file(
        tmp_path_factory, site, departments):
    content = write_files(tmp_path_factory.mktemp("settings") / "content",
                          {**BASE_SITE, "site.yaml": site, "departments.yaml": departments})
    try:
        loaded, strings, _ = load_site(content)
        for _ in render_files(build_graph(loaded, NOW), strings):
            pass
    except ContentError as exc:
        # A notice may fail as a consequence ("department: welfare" is gone from
        # departments.yaml): every problem names a file of the site.
        assert {p.path for p in exc.problems} <= {f"content/{name}" for name in BASE_SITE}
        assert all(p.format("ko") for p in exc.problems)
    finally:
        shutil.rmtree(content.parent)


# -- regressions found by the tests above, kept as plain examples ----------------------

def refused(content: Path, files: dict[str, bytes | str]) -> list[str]:
    for relative in HOSTILE_FILES:
        (content / relative).unlink(missing_ok=True)
    write_files(content, files)
    with pytest.raises(ContentError) as caught:
        site, strings, _ = load_site(content)
        for _ in render_files(build_graph(site, NOW), strings):
            pass
    return [p.format() for p in caught.value.problems]


NOTICE = "---\ntitle: {title}\ndepartment: welfare\nrelease: {release}\n---\n{body}\n"


@pytest.mark.parametrize("title, code", [('"a\\x01b"', "U+0001"), ('"\\uFFFE"', "U+FFFE"),
                                         ('"tab\\tand\\x0c"', "U+000C"), ('"\\0"', "U+0000")])
def test_control_characters_written_as_yaml_escapes_are_refused_on_their_line(
        content, title, code):
    problems = refused(content, {NOTICE_KO: NOTICE.format(title=title, release="2026-05-03",
                                                          body="본문")})
    assert problems == [f"content/{NOTICE_KO}:2: 'title' contains an invisible control "
                        f"character ({code}); remove it."]


def test_control_characters_in_the_body_are_refused_on_their_line(content):
    problems = refused(content, {NOTICE_KO: NOTICE.format(title="x", release="2026-05-03",
                                                          body="첫 줄\n둘째\x0b줄")})
    assert problems == [f"content/{NOTICE_KO}:7: the file contains an invisible control "
                        "character (U+000B) on this line; remove it."]


def test_control_characters_from_html_entities_never_reach_the_pages_or_feeds(content):
    for relative in HOSTILE_FILES:
        (content / relative).unlink(missing_ok=True)
    write_files(content, {NOTICE_KO: NOTICE.format(
        title="x", release="2026-05-03", body="<p>a&#1;b&#xffff;c&#x0c;d</p>\n\ne&#x0c;f")})
    site, strings, _ = load_site(content)
    rendered = render_files(build_graph(site, NOW), strings)
    page = rendered["ko/notices/2026/05/zz-hostile/index.html"].decode()
    assert "<p>a\ufffdb\ufffdc\ufffdd</p>" in page and "e\ufffdf" in page
    assert b"zz-hostile" in rendered["ko/feed.xml"]


@pytest.mark.parametrize("release", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-12:00",
                                     "0001-01-01", "9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_are_invalid_not_a_crash(content, release):
    problems = refused(content, {NOTICE_KO: NOTICE.format(title="x", release=release, body="")})
    assert problems == [f"content/{NOTICE_KO}:4: 'release' is not a valid date: write it as "
                        "2016-05-03, or 2016-05-03T10:00:00+09:00 with a time."]


def test_a_value_that_contains_itself_is_refused(content):
    problems = refused(content, {NOTICE_KO: "---\ntitle: x\ndepartment: welfare\n"
                                            "release: 2026-05-03\ntags: &a [*a]\n---\n"})
    assert problems == [f"content/{NOTICE_KO}:5: this is not valid YAML (found unconstructable "
                        "recursive node). Check the colons, quotes and indentation on this line."]


def test_nested_aliases_that_expand_to_a_billion_values_are_refused_at_once(content):
    levels = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 10))
    problems = refused(content, {NOTICE_KO: "---\ntitle: x\ndepartment: welfare\n"
                                            "release: 2026-05-03\nl0: &l0 [lol]\n" + levels
                                            + "tags: *l9\n---\n"})
    assert len(problems) == 1 and re.fullmatch(
        f"content/{NOTICE_KO}: the YAML has [0-9]{{10}} values once its aliases \\(\\*name\\) are "
        "expanded, more than 100000; write the values out without aliases.", problems[0])


@pytest.mark.parametrize("front", ["title: !!timestamp not-a-date",
                                   "title: !!timestamp '1924-01-01 00:00:00+03:25:24'"])
def test_anything_tagged_as_a_timestamp_that_is_not_one_stays_text(content, front):
    problems = refused(content, {NOTICE_KO: f"---\n{front}\nrelease: 2026-05-03\n---\n"})
    assert problems == [f"content/{NOTICE_KO}:2: 'department' is missing; it is required."]


@pytest.mark.parametrize("base_url", ["http://[::1", "https://x.example/\\1/",
                                      "https://x.example/a b/", "https://x.example/\"q/",
                                      "https://x.example/?q=1", "https://x.example/#top"])
def test_a_base_url_that_cannot_be_a_prefix_of_every_address_is_refused(tmp_path, base_url):
    content = write_files(tmp_path / "content", {
        **BASE_SITE, "site.yaml": BASE_SITE["site.yaml"].replace(
            "https://news.example.go.kr/", yaml.safe_dump(base_url).split("\n")[0])})
    with pytest.raises(ContentError) as caught:
        load_site(content)
    assert [p.path for p in caught.value.problems] == ["content/site.yaml"]
    assert "must be an absolute address" in caught.value.problems[0].message


@pytest.mark.parametrize("timezone", ["Asia", "Asia/", "../../etc/passwd", "/etc/passwd"])
def test_a_time_zone_that_is_a_folder_or_a_path_is_refused(tmp_path, timezone):
    content = write_files(tmp_path / "content", {
        **BASE_SITE, "site.yaml": BASE_SITE["site.yaml"] + f"timezone: {timezone}\n"})
    with pytest.raises(ContentError) as caught:
        load_site(content)
    assert [p.format() for p in caught.value.problems] == [
        f"content/site.yaml:4: 'timezone: {timezone}' is not a known time zone; use a name "
        "like Asia/Seoul."]


# -- the whole build, written and indexed ----------------------------------------------

ODD_BUT_VALID = {
    # Bidi controls and zero-width characters are refused in titles and names
    # (test_validate.py), and left as written in running text.
    NOTICE_KO: "\ufeff---\r\ntitle: \"역방향 제목 \U0001f469\U0001f4bb "
               "e\u0301\u0301 </script> {{ x }} ]]>\"\r\n"
               f"subtitle: [\"{'가' * 5000}\", '\u00ad']\r\n"
               "summary: \"\u202e역방향\u202c 요약 \U0001f469\u200d\U0001f4bb \u200b\"\r\n"
               "department: welfare\r\nrelease: 2026-05-03T23:59:59+09:00\r\n"
               "tags: [\"\u00ad\", \"x\u2028y\", \"한\u1100\u1161\"]\r\n---\r\n"
               + "본문 \ufffd\uffff가 아닌 \U0010fffd 문자.\r\n" * 200,
}


def test_odd_but_valid_text_survives_writing_and_the_search_index(tmp_path):
    files = {NOTICE_KO: ODD_BUT_VALID[NOTICE_KO].replace("\uffff", "")}
    content = write_files(tmp_path / "content", {**BASE_SITE, **files})
    report = build(content, tmp_path / "out", NOW)
    assert report.notices == 2
    page = (tmp_path / "out/ko/notices/2026/05/zz-hostile/index.html").read_text("utf-8")
    assert "\u202e역방향\u202c 요약" in page and "&lt;/script&gt;" in page
    assert (tmp_path / "out/pagefind/ko-2026/pagefind-entry.json").exists()


def test_the_example_counts():
    """Both outcomes were reached, and how often (for the record: pytest -s)."""
    if not sum(EXAMPLES.values()):
        pytest.skip("the property test did not run")
    print(f"\nhostile examples: {EXAMPLES['built']} built, {EXAMPLES['refused']} refused "
          "with content errors")
    assert EXAMPLES["built"] and EXAMPLES["refused"]


# -- unquoted titles with Korean punctuation (issue 11) ----------------------------------

TITLE_PIECES = ["서대문구", "복지", "2단계", "20명", " ", ",", ".", "·", " #", ": ", " - "] + \
    list("#:'\"[]{}*&!|>%@`-?~\\")


def meant(text: str) -> str:
    """What the author of `title: <text>` means: the line as written, or the text inside
    the quotes when the whole line is one quoted text (published without the spaces
    around it, as every title is)."""
    text = text.strip(" ")
    if text[:1] in ("'", '"'):
        try:
            scalar = next(token for token in yaml.scan(text)
                          if isinstance(token, yaml.ScalarToken))
        except (yaml.YAMLError, StopIteration):
            return text
        if scalar.end_mark.index == len(text):
            return scalar.value
    return text


@settings(max_examples=150 * SCALE, **SETTINGS)
@given(text=st.lists(st.sampled_from(TITLE_PIECES), min_size=1, max_size=12).map("".join).filter(
    lambda text: text.strip(" ")))
def test_an_unquoted_title_is_published_exactly_or_refused_on_its_line(content, text):
    for relative in HOSTILE_FILES:
        (content / relative).unlink(missing_ok=True)
    write_files(content, {NOTICE_KO: f"---\ntitle: {text}\ndepartment: welfare\n"
                                     "release: 2026-05-03\n---\n본문.\n"})
    try:
        site, strings, _ = load_site(content)
        files = render_files(build_graph(site, NOW), strings)
    except ContentError as exc:
        event("refused")
        for problem in exc.problems:
            assert problem.path == f"content/{NOTICE_KO}" and problem.line == 2, problem.format()
            assert problem.format("ko") != problem.format("en")
            assert 'title: "' in problem.format() or meant(text).strip() in ("", "~"), \
                problem.format()
        return
    event("built")
    title = meant(text).strip()
    page = files["ko/notices/2026/05/zz-hostile/index.html"].decode()
    assert [html.unescape(h1) for h1 in re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)] == [title]
    feed = ElementTree.fromstring(files["ko/feed.xml"])
    assert title in [item.findtext("title") for item in feed.iter("item")]
