"""Markdown bodies: Korean emphasis, line breaks, tables, headings, sanitization, summaries."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from conftest import Page
from site_builder.markdown import first_paragraph_text, render_markdown


def elements(fragment: str) -> list[tuple[str, dict]]:
    return [(element.tag, element.attrs) for element in Page(fragment).elements]


def unsafe(fragment: str) -> list[str]:
    problems = []
    for tag, attributes in elements(fragment):
        if tag in ("script", "style", "iframe", "object", "embed"):
            problems.append(tag)
        for name, value in attributes.items():
            cleaned = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name.startswith("on") or name == "style" and tag not in ("td", "th") \
                    or cleaned.startswith(("javascript:", "vbscript:", "data:")) \
                    or "javascript:" in cleaned:
                problems.append(f"{tag} {name}={value}")
    return problems


# -- Korean emphasis ------------------------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ("**'찾아가는 동주민센터'**를 확대한다.", "<strong>'찾아가는 동주민센터'</strong>를"),
    ("**‘추진지원단 운영 협약’**을 체결했다.", "<strong>‘추진지원단 운영 협약’</strong>을"),
    ("**“복지 사각지대 해소”**는 중요하다.", "<strong>“복지 사각지대 해소”</strong>는"),
    ("*‘청춘 무대’*에서 공연한다.", "<em>‘청춘 무대’</em>에서"),
    ("구청장은 **(주민 중심)**이라고 말했다.", "<strong>(주민 중심)</strong>이라고"),
])
def test_korean_emphasis_next_to_punctuation_and_particles(source, expected):
    assert expected in render_markdown(source)
    # Plain CommonMark gets these wrong: the case is a real one.
    assert expected not in MarkdownIt("commonmark").render(source)


def test_ordinary_emphasis_still_works():
    assert render_markdown("**굵게** 그리고 *기울임*") == \
        "<p><strong>굵게</strong> 그리고 <em>기울임</em></p>\n"
    assert "<strong>bold</strong>" in render_markdown("Some **bold** text.")


def test_softbreak_between_hangul_lines_keeps_the_space():
    fragment = render_markdown("서대문구는 협약을\n체결했다.")
    assert re.search(r"협약을\s+체결했다", fragment)
    assert first_paragraph_text("서대문구는 협약을\n체결했다.") == "서대문구는 협약을 체결했다."


def test_softbreak_between_chinese_or_japanese_lines_joins_them():
    assert "市區洞協力" in render_markdown("市區洞\n協力")
    assert "文章続き" in render_markdown("日本語の文章\n続き")


def test_softbreak_between_latin_lines_keeps_the_space():
    assert re.search(r"welfare\s+centre", render_markdown("the welfare\ncentre"))


# -- tables and headings ---------------------------------------------------------------------

def test_tables_render_with_alignment():
    fragment = render_markdown("| 구분 | 2026년 |\n|:---|---:|\n| 운영 동 수 | 14개 동 |\n")
    assert "<table>" in fragment
    assert '<th style="text-align:left">구분</th>' in fragment
    assert '<td style="text-align:right">14개 동</td>' in fragment
    assert '<div class="table-scroll" tabindex="0"><table>' in fragment
    assert fragment.count("<div") == fragment.count("</div>")


def test_h1_in_a_body_becomes_h2():
    fragment = render_markdown("# 추진 경과\n\n본문\n\n## 세부 내용\n")
    assert "<h1" not in fragment
    assert "<h2>추진 경과</h2>" in fragment
    assert "<h2>세부 내용</h2>" in fragment


def test_raw_h1_is_not_kept_either():
    assert "<h1" not in render_markdown("<h1>제목</h1>\n\n본문")


# -- sanitization ----------------------------------------------------------------------------

@pytest.mark.parametrize("source, kept", [
    ("<script>alert('xss')</script>\n\n본문", "본문"),
    ("본문\n\n<style>body { display: none }</style>", "본문"),
    ('<iframe src="https://evil.example/"></iframe>\n\n본문', "본문"),
    ('<img src="/static/a.png" alt="사진" onerror="alert(1)">', 'alt="사진"'),
    ('<p onclick="alert(1)" onmouseover="x()">문단</p>', "문단"),
    ('<a href="javascript:alert(document.cookie)">안내</a>', "안내"),
    ('<a href=" JaVaScRiPt:alert(1)">대소문자</a>', "대소문자"),
    ('<a href="jav&#x09;ascript:alert(1)">탭</a>', "탭"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">데이터</a>', "데이터"),
    ('<img src="javascript:alert(1)" alt="그림">', 'alt="그림"'),
    ("[링크](javascript:alert(1))", "링크"),
    ('<p style="position:fixed;top:0">덮기</p>', "덮기"),
    ('<table><tr><td style="background:url(javascript:alert(1))">칸</td></tr></table>', "칸"),
    ('<svg onload="alert(1)"><circle/></svg>본문', "본문"),
    ('<object data="x.swf"></object><embed src="x.swf">본문', "본문"),
])
def test_sanitization_removes_active_content_and_keeps_the_text(source, kept):
    fragment = render_markdown(source)
    assert not unsafe(fragment), fragment
    assert "<script" not in fragment.lower()
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*javascript""", fragment, re.I)
    assert kept in fragment


def test_script_and_style_contents_are_dropped_not_shown():
    fragment = render_markdown("<script>alert('xss')</script>\n<style>p{color:red}</style>\n\n본문")
    assert "alert" not in fragment and "color:red" not in fragment


def test_safe_markup_survives():
    fragment = render_markdown(
        '[누리집](https://www.sdm.go.kr/) · [메일](mailto:press@example.go.kr) · '
        '[전화](tel:02-330-1280)\n\n![협약식](/static/images/a.png "사진")\n\n'
        "<details><summary>더 보기</summary>내용</details>\n")
    hrefs = [a.get("href") for tag, a in elements(fragment) if tag == "a"]
    assert hrefs == ["https://www.sdm.go.kr/", "mailto:press@example.go.kr", "tel:02-330-1280"]
    images = [a for tag, a in elements(fragment) if tag == "img"]
    assert images == [{"src": "/static/images/a.png", "alt": "협약식", "title": "사진"}]
    assert "<details>" in fragment and "<summary>더 보기</summary>" in fragment


def test_comments_are_stripped():
    assert "비공개" not in render_markdown("본문\n\n<!-- 비공개 메모 -->\n")


# -- links under a base path -------------------------------------------------------------------

def test_root_relative_links_follow_the_base_path():
    source = "[첨부](/static/a.pdf) ![사진](/static/b.png) [외부](https://example.go.kr/x) [cdn](//cdn.example/x)"
    assert 'href="/static/a.pdf"' in render_markdown(source)
    fragment = render_markdown(source, "/news/")
    assert 'href="/news/static/a.pdf"' in fragment
    assert 'src="/news/static/b.png"' in fragment
    assert 'href="https://example.go.kr/x"' in fragment
    assert 'href="//cdn.example/x"' in fragment


def test_rendering_is_pure():
    source = "**'찾아가는 동주민센터'**를\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert render_markdown(source) == render_markdown(source)


# -- first_paragraph_text ------------------------------------------------------------------------

@pytest.mark.parametrize("body, expected", [
    ("첫 문단입니다.\n\n둘째 문단입니다.", "첫 문단입니다."),
    ("# 제목\n\n본문의 첫 문단.", "본문의 첫 문단."),
    ("**‘추진지원단 운영 협약’**을 체결했다.", "‘추진지원단 운영 협약’을 체결했다."),
    ("[구 누리집](https://www.sdm.go.kr/)에서 `신청서`를 받는다.", "구 누리집에서 신청서를 받는다."),
    ("R&amp;D 지원 사업", "R&D 지원 사업"),
    ("<b>굵게</b> 쓴 글", "굵게 쓴 글"),
    ("   \n\n", ""),
    ("| a | b |\n|---|---|\n| 1 | 2 |\n\n표 다음 문단", "표 다음 문단"),
])
def test_first_paragraph_text(body, expected):
    assert first_paragraph_text(body) == expected


def test_first_paragraph_text_is_cut_at_the_limit():
    text = first_paragraph_text("가" * 400)
    assert len(text) == 300 and text.endswith("…")
    assert first_paragraph_text("가" * 300) == "가" * 300
    assert first_paragraph_text("가나다라마 바사아", limit=6) == "가나다라마…"


@pytest.mark.parametrize("body, expected", [
    ("<붙임> 협약서 1부", "<붙임> 협약서 1부"),
    ("소득 기준 a < b 이고 c > d 인 가구", "소득 기준 a < b 이고 c > d 인 가구"),
    ("&lt;공고&gt; 청년 동아리 모집", "<공고> 청년 동아리 모집"),
    ("`&amp;` 기호는 그대로 쓴다", "&amp; 기호는 그대로 쓴다"),
])
def test_first_paragraph_text_keeps_angle_brackets_of_plain_text(body, expected):
    assert first_paragraph_text(body) == expected
