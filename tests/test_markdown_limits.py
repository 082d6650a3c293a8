"""Bodies that would make the Markdown engine hang or run out of memory: within the
limits they build in bounded memory, over them they are content errors naming the file
and line; and ids written in a body never repeat the page's own."""

from __future__ import annotations

import resource
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import MINIMAL_NOTICE, NOW, ROOT, Page, run_build, write_files
from site_builder.limits import body_limits
from site_builder.markdown import render_body

NOW_ARG = NOW.isoformat()
HEADER = MINIMAL_NOTICE[: MINIMAL_NOTICE.index("---\n", 4) + 4]
"""The minimal notice's front matter: five lines, so its body starts on line 6."""
MEMORY = 1536 * 2**20
"""The address space a build gets in these tests: far above what a site of a few notices
needs, far below what a quadratic paragraph takes."""


def build_bounded(content: Path, *args: str) -> subprocess.CompletedProcess:
    """`build.py` with its memory capped and a timeout: a regression fails, not the machine."""
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content),
                           "--output", str(content.parent / "out"), "--now", NOW_ARG, *args],
                          cwd=content.parent, capture_output=True, text=True, timeout=40,
                          preexec_fn=cap)


def with_body(site_copy: Path, body: str) -> Path:
    return write_files(site_copy, {"notices/2016/attack.ko.md": HEADER + body})


def test_a_long_paragraph_of_many_asterisks_builds_in_bounded_memory(site_copy):
    body = "**a " * 24_000  # 96,000 characters, within the size limit
    result = build_bounded(with_body(site_copy, body), "--no-cache")
    assert result.returncode == 0, result.stderr[-2000:]
    page = site_copy.parent / "out/ko/notices/2016/05/attack/index.html"
    assert page.read_text(encoding="utf-8").count("**a ") > 20_000


@pytest.mark.parametrize("body", [
    "_" * 49_000 + "a" + "_" * 49_000,
    "*a " * 16_000 + "b" + " c*" * 16_000,
    "> " * 100 + "인용\n" + ("> " * 99 + "인용\n") * 400,
])
def test_deeply_nested_emphasis_and_quotes_build_in_bounded_time(site_copy, body):
    result = build_bounded(with_body(site_copy, body), "--no-cache")
    assert result.returncode == 0, result.stderr[-2000:]
    page = site_copy.parent / "out/ko/notices/2016/05/attack/index.html"
    assert page.exists()


@pytest.mark.parametrize("body, line, message", [
    ("file_name_2016_05.hwp " * 6000, 6,
     "the text is 132,000 characters long, more than the 100,000 a page can hold; split it "
     "into several notices or put long lists in an attachment."),
    ("첫 문단\n\n" + "".join(f"[r{i}]: /u{i}\n" for i in range(4000)), 8,
     "this block of 4,000 lines has 4,000 lines that begin like a link definition ('[name]: "
     "address') with no blank line between them, more than the site can read in reasonable "
     "time; put a blank line after each '[name]: address' line."),
    ("첫 문단\n\n> 인용\n" + ">" * 99_000 + "\n", 9,
     "this line begins with 99,000 quote marks ('>'), a quote inside a quote 99,000 deep, "
     "more than the 100 the site can show; remove the '>' marks at its start that are not "
     "needed."),
])
def test_a_body_over_a_limit_is_a_content_error_on_its_line(site_copy, body, line, message):
    result = build_bounded(with_body(site_copy, body))
    assert result.returncode == 1, result.stderr[-2000:]
    assert f"content/notices/2016/attack.ko.md:{line}: {message}" in result.stderr
    assert not (site_copy.parent / "out").exists()
    korean = build_bounded(site_copy, "--lang", "ko")
    assert f"content/notices/2016/attack.ko.md:{line}: " in korean.stderr
    assert "빈 줄" in korean.stderr or "자로" in korean.stderr or "겹" in korean.stderr


def test_a_program_body_is_held_to_the_same_limits(site_copy):
    write_files(site_copy, {"programs/big.ko.md": "---\ntitle: 사업\n---\n" + "가" * 100_001})
    result = build_bounded(site_copy)
    assert result.returncode == 1
    assert "content/programs/big.ko.md:4: the text is 100,001 characters long" in result.stderr


@pytest.mark.parametrize("body", [
    "".join(f"> [r{i}]: /u\n" for i in range(1000)),
    "".join(f"- > [r{i}]: /u\n" for i in range(1000)),
    "[r]: /u\n[s]: /v\n" + "글\n" * 60_000,
    "[r\n" * 1000,
])
def test_link_definitions_are_counted_in_quotes_lists_and_long_blocks(body):
    assert [line for line, _ in body_limits(body)] == [1]


def test_link_definitions_with_blank_lines_between_them_are_within_the_limits():
    assert body_limits("".join(f"[r{i}]: /u{i}\n\n" for i in range(2000))) == []
    assert body_limits("".join(f"[붙임 {i}] 협약서\n" for i in range(3000))) == []


def test_rendering_refuses_a_body_over_the_limits():
    with pytest.raises(ValueError, match="characters long"):
        render_body("가" * 100_001)


# -- ids from content ----------------------------------------------------------------------

class Ids(Page):
    @property
    def ids(self) -> Counter:
        return Counter(e.attrs["id"] for e in self.elements if e.attrs.get("id"))

    @property
    def hrefs(self) -> list[str]:
        return [a.attrs["href"] for a in self.find("a") if a.attrs.get("href")]


def test_ids_in_a_body_never_repeat_the_pages_own(site_copy, tmp_path):
    body = ('<h2 id="main">본문 제목</h2>\n\n<p id="attachments-heading">첨부 안내</p>\n\n'
            "[위로](#main) · [첨부](#attachments-heading) · [목록](#latest-heading)\n")
    attachment = ("attachments:\n"
                  "  - {file: attachments/2026/support-team-agreement.pdf, title: 협약서}\n")
    write_files(site_copy, {"notices/2016/ids.ko.md":
                            HEADER.replace("release:", attachment + "release:") + body})
    result = run_build("--content", str(site_copy), "--output", str(tmp_path / "out"),
                       "--now", NOW_ARG, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = Ids((tmp_path / "out/ko/notices/2016/05/ids/index.html").read_text(encoding="utf-8"))
    assert [i for i, count in page.ids.items() if count > 1] == []
    assert {"main", "attachments-heading", "content-main",
            "content-attachments-heading"} <= set(page.ids)
    assert {"#content-main", "#content-attachments-heading", "#latest-heading"} <= set(page.hrefs)
    check = run_build("check", "--content", str(site_copy), "--now", NOW_ARG, cwd=tmp_path)
    assert "#content-" not in check.stdout + check.stderr
