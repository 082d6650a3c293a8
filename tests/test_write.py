"""Writing the site: a staging directory swapped in only when every file is written."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import NOW, run_build
from conftest import snapshot as tree
from site_builder import write
from site_builder.errors import BuildError
from site_builder.write import MARKER, safe_target, write_site


def siblings(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir() if p.name != output.name)


@pytest.fixture
def output(tmp_path) -> Path:
    """An output directory holding a previous build."""
    out = tmp_path / "site" / "output"
    write_site(out, [("index.html", b"old home"), ("ko/index.html", b"old ko")], [])
    return out


def test_write_site_writes_files_and_static_copies(tmp_path):
    source = tmp_path / "a.pdf"
    source.write_bytes(b"%PDF-1.4 attachment")
    out = tmp_path / "new" / "output"
    count = write_site(out, [("index.html", b"<html>"), ("ko/notices/index.html", b"ko")],
                       [("static/attachments/a.pdf", source)])
    assert count.count == 3
    assert tree(out) == {MARKER: (out / MARKER).read_bytes(), "index.html": b"<html>",
                         "ko/notices/index.html": b"ko", "static/attachments/a.pdf":
                         b"%PDF-1.4 attachment"}
    assert siblings(out) == []


def test_a_second_build_replaces_the_first(output):
    write_site(output, [("index.html", b"new home")], [])
    assert tree(output) == {MARKER: (output / MARKER).read_bytes(), "index.html": b"new home"}
    assert siblings(output) == []


def test_old_output_is_intact_when_an_exception_happens_mid_write(output):
    before = tree(output)

    def pages():
        yield "index.html", b"half-written new home"
        yield "ko/index.html", b"new ko"
        raise RuntimeError("template blew up on the third page")

    with pytest.raises(RuntimeError, match="third page"):
        write_site(output, pages(), [])
    assert tree(output) == before
    assert siblings(output) == [], "the staging directory is cleaned up"


def test_old_output_is_intact_when_the_disk_fails(output):
    before = tree(output)

    def pages():
        yield "index.html", b"new"
        raise OSError(28, "No space left on device")

    with pytest.raises(BuildError, match="previous site is unchanged"):
        write_site(output, pages(), [])
    assert tree(output) == before
    assert siblings(output) == []


def test_a_missing_static_source_fails_without_touching_the_output(output, tmp_path):
    before = tree(output)
    with pytest.raises(BuildError):
        write_site(output, [("index.html", b"new")], [("static/x.pdf", tmp_path / "gone.pdf")])
    assert tree(output) == before


@pytest.mark.parametrize("relative", [
    "../escaped.html", "/etc/escaped.html", "ko/../../escaped.html", "ko\\..\\escaped.html", "",
])
def test_a_path_outside_the_output_is_refused(output, relative):
    before = tree(output)
    with pytest.raises(BuildError, match="outside the output directory"):
        write_site(output, [("index.html", b"new"), (relative, b"evil")], [])
    assert tree(output) == before
    assert not (output.parent / "escaped.html").exists()
    assert not list(output.parent.parent.rglob("escaped.html"))
    assert siblings(output) == []


def test_safe_target_stays_inside(tmp_path):
    assert safe_target(tmp_path, "ko/notices/index.html") == tmp_path / "ko/notices/index.html"
    for bad in ("..", "a/../../b", "/abs", "a\\b"):
        with pytest.raises(BuildError):
            safe_target(tmp_path, bad)


def test_two_files_for_one_path_are_refused(output, tmp_path):
    before = tree(output)
    with pytest.raises(BuildError, match="same file: ko/index.html"):
        write_site(output, [("ko/index.html", b"one"), ("ko/index.html", b"two")], [])
    source = tmp_path / "site.css"
    source.write_text("body{}")
    with pytest.raises(BuildError, match="same file"):
        write_site(output, [("assets/site.css", b"generated")], [("assets/site.css", source)])
    assert tree(output) == before


def test_a_non_empty_directory_it_did_not_make_is_not_replaced(tmp_path):
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "thesis.hwp").write_bytes(b"precious")
    with pytest.raises(BuildError, match="not made by build.py"):
        write_site(mine, [("index.html", b"site")], [])
    assert tree(mine) == {"thesis.hwp": b"precious"}
    assert siblings(mine) == []


def test_an_empty_directory_may_be_used(tmp_path):
    empty = tmp_path / "output"
    empty.mkdir()
    write_site(empty, [("index.html", b"site")], [])
    assert (empty / "index.html").read_bytes() == b"site"


def test_a_file_in_place_of_the_output_is_refused(tmp_path):
    target = tmp_path / "output"
    target.write_text("not a directory")
    with pytest.raises(BuildError, match="not a directory"):
        write_site(target, [("index.html", b"site")], [])
    assert target.read_text() == "not a directory"


def test_leftover_staging_directories_are_removed_by_the_next_write(output):
    for name in (f".{output.name}.staging-99999", f".{output.name}.old-4242"):
        leftover = output.parent / name
        (leftover / "ko").mkdir(parents=True)
        (leftover / MARKER).write_bytes(b"")
        (leftover / "ko" / "index.html").write_bytes(b"half a site")
    # The pages a stopped build gathered for a guessed part of its index (no marker).
    (output.parent / f".{output.name}.quick-99998" / "ko-2016" / "ko").mkdir(parents=True)
    unrelated = output.parent / ".other.staging-1"
    unrelated.mkdir()
    in_use = output.parent / f".{output.name}.quick-{os.getpid()}"  # this build's own
    (in_use / "ko").mkdir(parents=True)
    write_site(output, [("index.html", b"new")], [])
    assert siblings(output) == sorted([".other.staging-1", in_use.name])


def test_swap_without_atomic_exchange(output, monkeypatch):
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    write_site(output, [("index.html", b"new")], [])
    assert tree(output) == {MARKER: (output / MARKER).read_bytes(), "index.html": b"new"}
    assert siblings(output) == []


# -- through the command line ----------------------------------------------------------------

def test_leftover_staging_directory_is_removed_by_the_next_build(site_copy, tmp_path):
    out = tmp_path / "output"
    ended = subprocess.Popen(["true"])
    ended.wait()  # a build that was killed: its process is gone
    leftover = tmp_path / f".output.staging-{ended.pid}"
    (leftover / "en").mkdir(parents=True)
    (leftover / MARKER).write_text("")
    (leftover / "en" / "index.html").write_text("killed mid-build")
    result = run_build("--content", str(site_copy), "--output", str(out), "--now", NOW.isoformat())
    assert result.returncode == 0, result.stderr
    assert not leftover.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_previous_output_survives_a_failed_build(site_copy, tmp_path):
    out = tmp_path / "output"
    args = ("--content", str(site_copy), "--output", str(out), "--now", NOW.isoformat())
    assert run_build(*args).returncode == 0
    before = tree(out)
    notice = site_copy / "notices" / "2026" / "senior-lunch-service.ko.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace(
        "department: welfare-policy", "department: no-such-department"), encoding="utf-8")
    result = run_build(*args)
    assert result.returncode == 1
    assert "senior-lunch-service.ko.md:" in result.stderr
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_the_build_refuses_an_output_directory_it_did_not_make(site_copy, tmp_path):
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    result = run_build("--content", str(site_copy), "--output", str(mine),
                       "--now", NOW.isoformat())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert tree(mine) == {"notes.txt": b"keep me"}


# -- the preview's update in place ---------------------------------------------------

def test_update_in_place_writes_only_what_changed_and_removes_what_went(tmp_path):
    from site_builder.write import Made, update_site
    out = tmp_path / "preview"
    first = write_site(out, [("index.html", b"home"), ("ko/a/index.html", b"a"),
                             ("ko/gone/index.html", b"gone"), ("ko/b/index.html", b"b")],
                       []).files
    kept_ino = (out / "ko/a/index.html").stat().st_ino
    second = update_site(out, [("index.html", b"new home"), ("ko/a/index.html", b"a"),
                               ("ko/b/index.html", Made("b-source", b"b2"))], [], first).files
    assert tree(out) == {MARKER: (out / MARKER).read_bytes(), "index.html": b"new home",
                         "ko/a/index.html": b"a", "ko/b/index.html": b"b2"}
    assert (out / "ko/a/index.html").stat().st_ino == kept_ino  # not written again
    assert not (out / "ko/gone").exists()  # its empty folder went with it
    assert siblings(out) == [] and not list(out.rglob(".*.new-*"))
    # A page kept by its source is not rendered; one edited by hand is made again.
    (out / "index.html").write_bytes(b"edited by hand")
    made: list[str] = []
    update_site(out, [("index.html", Made("x", None, lambda: made.append("home") or Made("x", b"home 3"))),
                      ("ko/a/index.html", b"a"),
                      ("ko/b/index.html", Made("b-source", None, lambda: made.append("b") or Made("b-source", b"?")))],
                [], second)
    assert made == ["home"]
    assert (out / "index.html").read_bytes() == b"home 3"
    assert (out / "ko/b/index.html").read_bytes() == b"b2"


def test_update_in_place_falls_back_to_a_full_write_when_a_folder_is_in_the_way(tmp_path):
    from site_builder.write import update_site
    out = tmp_path / "preview"
    first = write_site(out, [("index.html", b"home"), ("ko/x", b"a file")], []).files
    update_site(out, [("index.html", b"home"), ("ko/x/index.html", b"now a folder")], [],
                first)
    assert tree(out) == {MARKER: (out / MARKER).read_bytes(), "index.html": b"home",
                         "ko/x/index.html": b"now a folder"}


def test_the_replaced_site_is_removed_in_the_background_and_leftovers_next_time(output):
    import time
    from site_builder.write import remove_later
    write_site(output, [("index.html", b"new home")], [], discard=remove_later)
    assert tree(output)["index.html"] == b"new home"
    assert not [name for name in siblings(output) if ".staging-" in name]
    deadline = time.monotonic() + 20
    while siblings(output) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert siblings(output) == [], "the old site is removed"
    (output.parent / f".{output.name}.old-99999").mkdir()  # a removal that was stopped
    (output.parent / f".{output.name}.old-99999" / "index.html").write_text("old")
    write_site(output, [("index.html", b"newer home")], [])
    assert siblings(output) == []
    # One not finished yet when the next build starts is handed to a removal of its own.
    (output.parent / f".{output.name}.old-99999").mkdir()
    (output.parent / f".{output.name}.old-99999" / "index.html").write_text("old")
    write_site(output, [("index.html", b"newest home")], [], discard=remove_later)
    assert tree(output)["index.html"] == b"newest home"
    deadline = time.monotonic() + 20
    while siblings(output) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert siblings(output) == []


def test_a_staged_site_changed_under_the_build_is_not_swapped_in(output):
    write_site(output, [("index.html", b"old")], [])

    def another_program(staging: Path, old: Path, records) -> None:
        (staging / "ko" / "index.html").unlink()

    with pytest.raises(BuildError, match=r"changed by another program \(2 files of 3\)"):
        write_site(output, [("index.html", b"new"), ("ko/index.html", b"new")], [],
                   finish=another_program)
    assert tree(output) == {MARKER: (output / MARKER).read_bytes(), "index.html": b"old"}
    assert siblings(output) == []


def test_a_staging_folder_removed_under_the_build_is_not_made_again(output):
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    before = tree(output)

    def pages():
        yield "index.html", b"new"
        for path in sorted(staging.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        staging.rmdir()
        yield "ko/notices/index.html", b"new"

    with pytest.raises(BuildError, match="could not be written"):
        write_site(output, pages(), [])
    assert tree(output) == before and not staging.exists()


def test_a_search_index_with_fewer_pages_than_written_is_an_error(tmp_path, site_copy):
    from site_builder.search import index_site
    from site_builder.write import FileRecord
    out = tmp_path / "out"
    assert run_build("--content", str(site_copy), "--output", str(out), "--now",
                     NOW.isoformat(), "--no-cache").returncode == 0
    ghost = "ko/notices/2026/11/ghost/index.html"
    page = FileRecord("recipe", "digest", "search", 1, 1, 1)
    stamps = {ghost: page}
    with pytest.raises(BuildError, match=r"search index of ko-2026 is missing "
                       r"ko/notices/2026/11/ghost/index.html \(5 pages indexed, not the 6"):
        index_site(out, ["ko-2026"], {**stamps, **{
            p.relative_to(out).as_posix(): page
            for p in out.glob("ko/notices/2026/*/*/index.html")}})


# -- the spare: the site before the last, brought up to date ---------------------------------

def records_of(root: Path) -> dict:
    """What a build would have recorded of the files under root (as write_site does)."""
    written = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            relative = path.relative_to(root).as_posix()
            written[relative] = write._record("", __import__("hashlib").sha256(
                path.read_bytes()).hexdigest(), "", path)
    return written


def test_the_replaced_site_is_kept_as_the_spare_and_brought_up_to_date_next_time(output):
    spare = write.spare_of(output)
    first = write_site(output, [("index.html", b"home 2"), ("ko/index.html", b"old ko"),
                                ("ko/gone/index.html", b"soon gone")], [],
                       previous=records_of(output), keep_spare=True)
    assert first.spare and tree(spare)["index.html"] == b"old home"
    assert siblings(output) == [spare.name]
    held = records_of(spare)
    second = write_site(output, [("index.html", b"home 3"), ("ko/index.html", b"old ko")], [],
                        previous=first.files, spare=held, keep_spare=True)
    assert second.spare
    assert tree(output) == {MARKER: (output / MARKER).read_bytes(), "index.html": b"home 3",
                            "ko/index.html": b"old ko"}
    # The site now in place is the spare brought up to date, not a new staging folder...
    assert not second.staged and first.staged
    # ...and the one it replaced is the spare, the build before it, whole.
    assert tree(spare) == {MARKER: (spare / MARKER).read_bytes(), "index.html": b"home 2",
                           "ko/index.html": b"old ko", "ko/gone/index.html": b"soon gone"}
    assert siblings(output) == [spare.name]


def test_a_spare_file_changed_by_hand_is_written_again_not_published(output):
    spare = write.spare_of(output)
    first = write_site(output, [("index.html", b"home 2"), ("ko/index.html", b"old ko")], [],
                       previous=records_of(output), keep_spare=True)
    held = records_of(spare)
    (spare / "ko" / "index.html").write_bytes(b"edited by someone")
    write_site(output, [("index.html", b"home 3"), ("ko/index.html", b"old ko")], [],
               previous=first.files, spare=held, keep_spare=True)
    assert tree(output)["ko/index.html"] == b"old ko"


def test_a_spare_without_records_is_discarded_and_the_site_staged(output):
    spare = write.spare_of(output)
    first = write_site(output, [("index.html", b"home 2")], [], previous=records_of(output),
                       keep_spare=True)
    (spare / "stray.html").write_bytes(b"left by a build that was stopped")
    second = write_site(output, [("index.html", b"home 3")], [], previous=first.files,
                        spare=None, keep_spare=True)
    assert "stray.html" not in tree(output)
    assert second.spare and tree(spare)["index.html"] == b"home 2"
    assert "stray.html" not in tree(spare)


def test_a_spare_in_the_way_is_given_up_and_the_site_staged_whole(output):
    spare = write.spare_of(output)
    first = write_site(output, [("index.html", b"home 2"), ("ko/index.html", b"ko")], [],
                       previous=records_of(output), keep_spare=True)
    held = records_of(spare)
    (spare / "en").write_bytes(b"a file where the new site needs a folder")
    write_site(output, [("index.html", b"home 3"), ("ko/index.html", b"ko"),
                        ("en/index.html", b"en")], [], previous=first.files, spare=held,
               keep_spare=True)
    assert tree(output) == {MARKER: (output / MARKER).read_bytes(), "index.html": b"home 3",
                            "ko/index.html": b"ko", "en/index.html": b"en"}


def test_a_failure_while_the_spare_is_updated_leaves_the_output_as_it_was(output):
    spare = write.spare_of(output)
    first = write_site(output, [("index.html", b"home 2")], [], previous=records_of(output),
                       keep_spare=True)
    before = tree(output)

    def broken(new_site: Path, old_site: Path, records) -> None:
        assert new_site == spare
        raise OSError(28, "No space left on device")

    with pytest.raises(BuildError, match="No space left"):
        write_site(output, [("index.html", b"home 3")], [], finish=broken,
                   previous=first.files, spare=records_of(spare), keep_spare=True)
    assert tree(output) == before
