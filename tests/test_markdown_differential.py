"""The body renderer (comrak) against the one it replaced (markdown-it-py with the
CJK-friendly plug-in, kept in tests/markdown_oracle.py): the same HTML and the same
summary for every body of the fixture and sample sites, for the XSS vectors (alone and
in every block a body can hold), and for a seeded corpus of generated Korean bodies,
except the differences listed in INTENDED, each with its reason and the new output.
A difference that is neither fixed nor listed fails here, with the body that shows it.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

import markdown_oracle as oracle
from conftest import FIXTURES, ROOT, SAMPLE_SITE
from site_builder import markdown
from test_xss import VECTORS

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402  (bench/generate.py, the benchmark's corpus)

SEED = 20261202


def render(module, body: str) -> tuple[str, str]:
    return module.render_body(body)


def differences(bodies: list[str]) -> list[str]:
    found = []
    for body in bodies:
        old, new = render(oracle, body), render(markdown, body)
        if old != new:
            found.append(f"body {body!r}\n  old {old!r}\n  new {new!r}")
    return found


def site_bodies(*roots: Path) -> list[str]:
    bodies = []
    for root in roots:
        for path in sorted(root.rglob("*.md")):
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # the invalid site's undecodable file on purpose
            end = text.find("\n---\n", 3) if text.startswith("---\n") else -1
            bodies.append(text[end + 5:] if end >= 0 else text)
    return bodies


# -- the generated corpus ------------------------------------------------------------------

WORDS = ["서대문구", "주민", "복지", "동주민센터", "청년", "어르신", "협약", "지원단", "도서관",
         "축제", "김장", "나눔", "예산", "市區洞", "協力", "日本語", "文章", "welfare", "centre",
         "R&amp;D", "2026년", "14개", "(주)", "☎ 02-330-1280", "·", "…", "100%", "1.5배"]
QUOTES = [("'", "'"), ("‘", "’"), ("“", "”"), ("(", ")"), ("「", "」"), ('"', '"'), ("《", "》")]
PARTICLES = ["를", "을", "는", "은", "이", "가", "에서", "의", "와", "로", "", ".", ",", "이라고"]
MARKS = ["**", "*", "***", "~~", "`"]
"""Emphasis as the press office writes it: `__` and `_` are in INTENDED."""
ODD = ["&lt;붙임&gt;", "<붙임>", "a < b", "&nbsp;", "&#1;", "\\*", "<https://example.go.kr/>",
       "<!-- 메모 -->", "<b>굵게</b>", "`코드 & <x>`", "**굵게**", "R&D"]
BREAKS = ["\n", "  \n", "\\\n"]


def inline(rng: random.Random, words: int = 0) -> str:
    parts = []
    for index in range(words or rng.randint(3, 12)):
        word, roll = rng.choice(WORDS), rng.random()
        if roll < 0.25:
            mark, (opening, closing) = rng.choice(MARKS), rng.choice(QUOTES)
            token = (f"{mark}{opening}{word} {rng.choice(WORDS)}{closing}{mark}"
                     f"{rng.choice(PARTICLES)}")
        elif roll < 0.32:
            token = f'[{word}](https://www.sdm.go.kr/{rng.randint(1, 9)} "안내")'
        elif roll < 0.36:
            token = f"![{word.replace('&', '+')} 사진](/static/images/{rng.randint(1, 9)}.png)"
        elif roll < 0.45:
            token = rng.choice(ODD)
        else:
            token = word + rng.choice(PARTICLES)
        if index:
            parts.append(rng.choice(BREAKS) if rng.random() < 0.15 else " ")
        parts.append(token)
    return "".join(parts)


def block(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 1 or roll < 0.35 or depth and (0.35 <= roll < 0.48 or roll >= 0.92):
        # No headings or rules in a list item: INTENDED has those.
        return inline(rng)
    if roll < 0.45:
        return "#" * rng.randint(1, 6) + " " + inline(rng, 3)
    if roll < 0.48:
        return inline(rng, 3) + "\n" + rng.choice(["===", "---"])
    if roll < 0.60:
        marker, loose = rng.choice(["-", "*", "1."]), rng.random() < 0.3
        items = []
        for _ in range(rng.randint(1, 4)):
            item = block(rng, depth + 1).replace("\n", "\n   ")
            # An item that opens with a comment is in INTENDED (the summary).
            item = f"{marker} {'항목 ' if item.startswith('<!--') else ''}{item}"
            if rng.random() < 0.2:
                item += "\n   - " + inline(rng, 2)
            items.append(item)
        return ("\n\n" if loose else "\n").join(items)
    if roll < 0.68:
        return "> " + block(rng, depth + 1).replace("\n", "\n> ")
    if roll < 0.78:
        columns = rng.randint(1, 4)
        rule = [rng.choice(["---", ":---", "---:", ":---:"]) for _ in range(columns)]
        rows = ["| " + " | ".join(inline(rng, 2).replace("\n", " ").replace("|", "\\|")
                                  for _ in range(columns)) + " |"
                for _ in range(rng.randint(2, 5))]
        return "\n".join([rows[0], "|" + "|".join(rule) + "|"] + rows[1:])
    if roll < 0.82:
        return "```\n" + inline(rng, 3) + "\n```"
    if roll < 0.85:
        return "    " + inline(rng, 3).replace("\n", "\n    ")
    if roll < 0.92:
        return rng.choice(["<details><summary>더 보기</summary>내용</details>",
                           "<div>\n" + inline(rng, 3) + "\n</div>",
                           '<p id="x" onclick="alert(1)">문단</p>',
                           '<table><tr><td align="left">칸</td></tr></table>',
                           "<!-- 비공개\n메모 -->", '<h2 id="main">제목</h2>', "<h1>제목</h1>"])
    if roll < 0.95:
        return "---"
    return (f"[{rng.choice(WORDS)}]: https://example.go.kr/{rng.randint(1, 9)}\n\n"
            f"[{rng.choice(WORDS)}][]")


def generated_bodies() -> list[str]:
    rng = random.Random(SEED)
    shaped = ["\n\n".join(block(rng) for _ in range(rng.randint(1, 8))) +
              rng.choice(["\n", "", "\n\n"]) for _ in range(400)]
    press = [generate.korean_body(rng, rng.choice([800, 2000, 4000])) for _ in range(150)]
    return shaped + press


# -- the differences that are intended -------------------------------------------------------

HTML, SUMMARY = 0, 1
INTENDED = [
    ("__'찾아가는 동주민센터'__를 *‘청춘 무대’*에서 _‘청춘 무대’_에서",
     HTML, "'찾아가는 동주민센터'__를",
     "`_` and `__` do not close right before a Hangul letter. comrak follows the "
     "CJK-friendly emphasis specification, where `_` cannot close inside a word; the old "
     "plug-in took any CJK letter for punctuation there. `*` and `**` (what the press "
     "office writes, and what docs/content-format.md shows) still bold and italicize."),
    ("![R&amp;D 사진](/static/images/a.png)", HTML, 'alt="R&amp;D 사진"',
     "an entity in an image description is kept: markdown-it lost it ('RD 사진')."),
    ("![협약식 *사진*](/static/images/a.png) 체결", SUMMARY, "협약식 사진 체결",
     "the summary holds an image's description as shown (its alt text), not as typed "
     "with its Markdown ('협약식 *사진*')."),
    ("- ## 추진 경과\n  첫 문단\n\n본문", SUMMARY, "본문",
     "the summary skips a paragraph that follows another block (a heading, code, raw "
     "HTML) inside an item of a tight list: comrak shows it as bare text, which cannot be "
     "told from raw HTML. A body's first paragraph outside such an item is taken as before."),
    ("- <!-- 메모 --> 협약\n  文章\n\n본문", SUMMARY, "본문", "the same, after a comment."),
    ("- | 구분 |\n  |---|\n- 둘\n", HTML, "<li>\n<p>둘</p>\n</li>",
     "a list with a table of a heading row only (no rows under it) in one item is loose "
     "in comrak: its other items' text gets paragraphs."),
    ("1. ---\n\n   글\n", HTML, "<hr>\n글</li>",
     "an item that starts with a rule (`---`) and goes on after a blank line is tight in "
     "comrak: its text is not a paragraph."),
]


@pytest.mark.parametrize("body, part, shown, reason", INTENDED,
                         ids=[entry[3][:40] for entry in INTENDED])
def test_an_intended_difference_is_still_the_one_written_down(body, part, shown, reason):
    old, new = render(oracle, body)[part], render(markdown, body)[part]
    assert shown in new if part == HTML else shown == new, new
    assert shown not in old if part == HTML else shown != old, "no longer a difference: " \
        "remove it from INTENDED"


FIXED = [
    "市區洞\n協力\n\n日本語の文章\n続き\n\n`《主民》`\n`日本`\n\n서대문구는 협약을\n체결했다.\n",
    "the welfare\ncentre  \nhard\\\nbreaks\n",
    "# 추진 경과\n\n<h1>제목</h1>\n\n본문\n",
    "| 구분 | 2026년 | 비고 |\n|:---|---:|:---:|\n| 운영 | 14개 동 | 일부 |\n\n"
    '<table><tr><td align="left" style="text-align:right">칸</td></tr></table>\n',
    '<details open ontoggle=window.__xss=1>',
    "- 항목\n- <p>문단</p>",
    "- 문단\n  <!-- 메모 --> 글\n- 둘\n  <div>\n  칸\n  </div>\n",
    "> <!-- 비공개\n> 메모 -->",
    "1. <table><tr><td>칸</td></tr></table>",
    "<details>\n<summary>더 보기</summary>\n\n본문",
    "- 항목\n  - 둘\n- 셋\n\n본문",
    '<h2 id="main">본문 제목</h2>\n\n[위로](#main) · [첨부](#attachments-heading)\n',
]
"""Shapes where comrak's output differed and the port makes it the old one."""


def test_fixed_shapes_render_as_before():
    assert differences(FIXED) == []


def test_every_fixture_and_sample_body_renders_as_before():
    bodies = site_bodies(FIXTURES, SAMPLE_SITE)
    assert len(bodies) > 40
    assert differences(bodies) == []


def test_every_xss_vector_renders_as_before_in_every_block():
    bodies = list(VECTORS) + [
        f"본문 첫 문단입니다. {v}\n\n{v}\n\n## {v}\n\n- {v}\n\n| 구분 | {v} |\n|---|---|\n"
        f"| {v} | x |\n\n> {v}\n\n1. 항목\n   {v}\n\n끝.\n" for v in VECTORS]
    assert differences(bodies) == []


def test_a_generated_korean_corpus_renders_as_before():
    bodies = generated_bodies()
    assert len(set(bodies)) > 500
    found = differences(bodies)
    assert found == [], f"{len(found)} of {len(bodies)} differ; the first:\n" + "\n".join(found[:3])
