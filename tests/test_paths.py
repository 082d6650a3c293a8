"""Paths: what content names can never write or read outside its directories; links out
of content/ are refused; Korean in NFD (as macOS writes file names) becomes NFC."""

from __future__ import annotations

import gzip
import os
import unicodedata
from pathlib import Path

import pytest

from conftest import NOW, run_build, write_files
from site_builder.errors import BuildError, ContentError
from site_builder.graph import build_graph
from site_builder.load import load_content, static_source
from site_builder.engine import build
from site_builder.pipeline import load_site
from site_builder.write import safe_target, write_site

SITE = {
    "site.yaml": "title: {ko: 보도자료, en: Press}\nbase_url: https://news.example.go.kr/\n"
                 "languages: [ko, en]\n",
    "departments.yaml": "welfare:\n  name: {ko: 복지정책과, en: Welfare}\n",
    "notices/2026/plain.ko.md": "---\ntitle: 기준\ndepartment: welfare\nrelease: 2026-05-03\n"
                                "---\n본문\n",
    "static/attachments/2026/plan.pdf": b"%PDF-1.4\n",
}
NOTICE = "---\ntitle: 시험\ndepartment: welfare\nrelease: 2026-05-03\n{extra}---\n본문\n"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def problems_of(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_site(content)
    return [p.format() for p in caught.value.problems]


@pytest.fixture
def content(tmp_path) -> Path:
    return write_files(tmp_path / "content", SITE)


# -- names from content cannot leave their directories -----------------------------------

@pytest.mark.parametrize("slug", ["../../etc", "..", "a/b", "/tmp/x", "a\\b", "%2e%2e", "x/../../y"])
def test_a_slug_that_is_not_an_id_is_refused(content, slug):
    write_files(content, {"notices/2026/x.ko.md": NOTICE.format(extra=f"slug: '{slug}'\n")})
    assert problems_of(content) == [
        f"content/notices/2026/x.ko.md:5: 'slug: {slug}' is not a valid id: use lowercase "
        "letters a-z, digits and single hyphens, e.g. 'welfare-policy'."]


@pytest.mark.parametrize("name", ["notices/2026/...ko.md", "notices/2026/.hidden.ko.md",
                                  "notices/2026/a b.ko.md", "notices/2026/%2e%2e.ko.md"])
def test_a_file_name_that_cannot_be_an_address_is_refused(content, name):
    write_files(content, {name: NOTICE.format(extra="")})
    (problem,) = problems_of(content)
    assert problem.startswith(f"content/{name}:1: the file name ")
    assert "cannot be used in an address" in problem


@pytest.mark.parametrize("name", ["programs/...ko.md", "programs/..%2f.ko.md"])
def test_a_program_file_name_that_is_not_an_id_is_refused(content, name):
    write_files(content, {name: "---\ntitle: 사업\n---\n"})
    (problem,) = problems_of(content)
    assert problem.startswith(f"content/{name}:1: ") and "cannot be a program id" in problem


@pytest.mark.parametrize("dept", ["../welfare", "welfare/..", "a/b"])
def test_department_ids_are_ids(content, dept):
    write_files(content, {"departments.yaml": SITE["departments.yaml"] +
                          f"'{dept}':\n  name: x\n"})
    assert problems_of(content) == [
        f"content/departments.yaml:3: '{dept}' is not a valid department id: use lowercase "
        "letters a-z, digits and single hyphens."]


@pytest.mark.parametrize("path", ["../site.yaml", "static/../../site.yaml",
                                  "attachments/2026/../../../site.yaml",
                                  "attachments\\..\\..\\site.yaml"])
def test_an_attachment_path_with_dot_dot_is_refused(content, path):
    write_files(content, {"notices/2026/x.ko.md": NOTICE.format(
        extra=f"attachments:\n  - {{file: '{path}', title: 첨부}}\n")})
    assert problems_of(content) == [
        f"content/notices/2026/x.ko.md:6: 'file: {path}' must be a path inside "
        "content/static/ without '..'."]


@pytest.mark.parametrize("path", ["/etc/passwd", "%2e%2e/site.yaml", "~/.ssh/id_rsa",
                                  "file:///etc/passwd"])
def test_an_attachment_is_only_ever_a_file_listed_under_static(content, path):
    write_files(content, {"notices/2026/x.ko.md": NOTICE.format(
        extra=f"attachments:\n  - {{file: '{path}', title: 첨부}}\n")})
    (problem,) = problems_of(content)
    assert problem.startswith("content/notices/2026/x.ko.md:6: the attachment 'static/")
    assert "does not exist" in problem


@pytest.mark.parametrize("relative", ["../escape.html", "/abs.html", "a/../../b.html",
                                      "a\\..\\b.html", ""])
def test_the_writer_refuses_any_path_outside_the_output(tmp_path, relative):
    with pytest.raises(BuildError):
        safe_target(tmp_path / "out", relative)
    with pytest.raises(BuildError):
        write_site(tmp_path / "out", [("index.html", b"x"), (relative, b"x")], [])
    assert not (tmp_path / "out").exists() and not (tmp_path / "escape.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# -- links out of content/ ----------------------------------------------------------------

@pytest.fixture
def outside(tmp_path) -> Path:
    return write_files(tmp_path / "elsewhere", {
        "secret.ko.md": NOTICE.format(extra=""), "secret.pdf": b"%PDF secret",
        "site.yaml": SITE["site.yaml"], "departments.yaml": SITE["departments.yaml"],
        "2027/leak.ko.md": NOTICE.format(extra="")})


def link(path: Path, target: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


@pytest.mark.parametrize("name, target", [
    ("notices/2026/leak.ko.md", "secret.ko.md"),
    ("programs/leak.ko.md", "secret.ko.md"),
    ("static/attachments/2026/leak.pdf", "secret.pdf"),
    ("static/attachments/2026/etc", "."),
    ("static/passwd", "/etc/passwd"),
    ("site.yaml", "site.yaml"),
    ("departments.yaml", "departments.yaml"),
])
def test_a_link_out_of_the_content_folder_is_refused_and_named(content, outside, name, target):
    path = content / name
    path.unlink(missing_ok=True)
    link(path, outside / target)
    problems = problems_of(content)
    real = os.path.realpath(path)
    assert f"content/{name}: this is a link to {real}, outside the content folder; links " \
           "out of content/ are not followed. Copy the file into content/ instead." in problems


def test_a_linked_folder_of_notices_outside_the_content_is_refused(content, outside):
    link(content / "notices/2027", outside / "2027")
    assert problems_of(content) == [
        f"content/notices/2027/leak.ko.md: this is a link to {outside / '2027/leak.ko.md'}, "
        "outside the content folder; links out of content/ are not followed. Copy the file "
        "into content/ instead."]


def test_the_command_line_names_the_link_and_writes_nothing(content, outside, tmp_path):
    link(content / "static/passwd", Path("/etc/passwd"))
    result = run_build("--content", str(content), "--output", str(tmp_path / "out"),
                       "--now", NOW.isoformat(), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("content/static/passwd: this is a link to /etc/passwd, "
                                    "outside the content folder;")
    assert not (tmp_path / "out").exists()


def test_links_inside_the_content_folder_are_followed(content, tmp_path):
    link(content / "static/attachments/2026/plan-copy.pdf", Path("plan.pdf"))
    link(content / "notices/2026/alias.ko.md", Path("plain.ko.md"))
    write_files(content, {"notices/2026/alias.ko.md.txt": "메모"})
    site, _, _ = load_site(content)
    assert "attachments/2026/plan-copy.pdf" in site.static_files
    assert {n.slug for n in site.notices} == {"plain", "alias"}
    build(content, tmp_path / "out", NOW)
    assert (tmp_path / "out/static/attachments/2026/plan-copy.pdf").read_bytes() == b"%PDF-1.4\n"
    assert not (tmp_path / "out/static/attachments/2026/plan-copy.pdf").is_symlink()


def test_a_content_folder_that_is_itself_a_link_builds(content, tmp_path):
    link(tmp_path / "linked", content)
    site, _, _ = load_site(tmp_path / "linked")
    assert [n.slug for n in site.notices] == ["plain"]


# -- NFD and NFC ------------------------------------------------------------------------

TITLE = "찾아가는 동주민센터 협약 체결"


def test_nfd_text_is_read_as_nfc(content):
    assert nfd(TITLE) != TITLE
    write_files(content, {"notices/2026/nfd.ko.md": nfd(
        f"---\ntitle: {TITLE}\ndepartment: welfare\nrelease: 2026-05-04\ntags: [복지]\n---\n"
        f"{TITLE} 본문\n"), "notices/2026/nfc.ko.md": NOTICE.format(extra="tags: [복지]\n")})
    site, _, _ = load_site(content)
    notice = next(n for n in site.notices if n.slug == "nfd")
    assert notice.texts["ko"].title == TITLE and notice.texts["ko"].body == f"{TITLE} 본문\n"
    # One tag, however it was typed.
    assert {tag for n in site.notices for tag in n.tags} == {"복지"}


def test_nfd_in_settings_and_departments_is_read_as_nfc(content):
    write_files(content, {"departments.yaml": nfd(SITE["departments.yaml"]),
                          "site.yaml": nfd(SITE["site.yaml"])})
    site, _, _ = load_site(content)
    assert site.departments["welfare"].name["ko"] == "복지정책과"
    assert site.config.title["ko"] == "보도자료"


def test_an_nfd_title_is_published_sorted_and_indexed_as_nfc(content, tmp_path):
    write_files(content, {"notices/2026/nfd.ko.md": nfd(
        f"---\ntitle: {TITLE}\ndepartment: welfare\nrelease: 2026-05-04\n---\n{TITLE}\n")})
    out = tmp_path / "out"
    build(content, out, NOW)
    everything = b"".join(p.read_bytes() for p in out.rglob("*")
                          if p.is_file() and p.suffix in (".html", ".xml"))
    assert TITLE.encode() in everything and nfd(TITLE).encode() not in everything
    assert any(TITLE.encode() in gzip.decompress(p.read_bytes())
               for p in out.glob("pagefind/*/fragment/*"))


def test_nfd_file_names_are_named_in_nfc_and_pair_with_nfc_translations(content):
    name = "notices/2026/협약.ko.md"
    write_files(content, {nfd(name): NOTICE.format(extra="slug: agreement\n"),
                          "notices/2026/협약.en.md": "---\ntitle: Agreement\n---\nBody\n"})
    raw = load_content(content)
    assert f"content/{name}" in {d.name for d in raw.documents}
    site, _, _ = load_site(content)
    notice = next(n for n in site.notices if n.slug == "agreement")
    assert sorted(notice.texts) == ["en", "ko"]
    write_files(content, {nfd(name): NOTICE.format(extra="")})  # no slug: named in NFC
    (problem,) = problems_of(content)
    assert problem.startswith(f"content/{name}:1: the file name '협약' cannot be used")


def test_an_nfd_static_file_is_listed_in_nfc_and_attached_as_written(content):
    write_files(content, {nfd("static/attachments/2026/협약서.pdf"): b"%PDF nfd\n",
                          "notices/2026/x.ko.md": NOTICE.format(
                              extra="attachments:\n  - {file: attachments/2026/협약서.pdf, "
                                    "title: 협약서}\n")})
    raw = load_content(content)
    assert "attachments/2026/협약서.pdf" in raw.static_files
    assert static_source(content, "attachments/2026/협약서.pdf").read_bytes() == b"%PDF nfd\n"
    site, _, _ = load_site(content)
    notice = next(n for n in site.notices if n.slug == "x")
    assert notice.attachments[0].file == "attachments/2026/협약서.pdf"
    graph = build_graph(site, NOW)
    assert "attachments/2026/협약서.pdf" in graph.static_files


def test_a_site_with_an_nfd_static_file_builds_and_publishes_it_under_its_nfc_name(
        content, tmp_path):
    write_files(content, {nfd("static/attachments/2026/협약서.pdf"): b"%PDF nfd\n"})
    build(content, tmp_path / "out", NOW)
    assert (tmp_path / "out/static/attachments/2026/협약서.pdf").read_bytes() == b"%PDF nfd\n"
