"""The search index as built.py leaves it: what each part holds, and what a build says
when Pagefind fails it (no browser here; tests/test_search.py searches in one)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

from conftest import NOW, SAMPLE_SITE, run_build
from site_builder import cli, graph

REAL_PAGEFIND = str(__import__("pagefind_bin").get_executable())


def index_pages(part: Path) -> dict[str, str]:
    """The pages one part of the index holds: path of the page -> its title there."""
    pages = {}
    for fragment in (part / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        entry = json.loads(data[data.index(b"{"):])
        pages[entry["url"].lstrip("/") + "index.html"] = entry["meta"]["title"]
    return pages


def notice_pages(out: Path, part: str) -> set[str]:
    lang, _, years = part.partition("-")
    first, _, last = years.partition("-")
    return {p.relative_to(out).as_posix()
            for year in range(int(first), int(last or first) + 1)
            for p in out.glob(f"{lang}/notices/{year}/*/*/index.html")}


def fake_pagefind(tmp_path: Path, body: str) -> Path:
    """A Pagefind that runs `body` (Python, with `args` and `site`) before the real one."""
    script = tmp_path / "pagefind"
    script.write_text(f"#!{sys.executable}\nimport os, sys, pathlib, time\nargs = sys.argv[1:]\n"
                      "site = pathlib.Path(args[args.index('--site') + 1])\n"
                      f"{body}\nos.execv({REAL_PAGEFIND!r}, [{REAL_PAGEFIND!r}, *args])\n",
                      encoding="utf-8")
    script.chmod(0o755)
    return script


def test_every_part_holds_exactly_its_pages_and_an_edit_shows_in_it(tmp_path, monkeypatch):
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(SAMPLE_SITE, content)
    monkeypatch.chdir(tmp_path)  # the build's cache
    monkeypatch.setattr(graph, "SHARD_PAGES", 2)  # many parts, each started on its own
    args = ["--content", str(content), "--output", str(out), "--now", NOW.isoformat()]
    assert cli.main(args) == 0
    parts = sorted(p.name for p in (out / "pagefind").iterdir())
    assert len(parts) >= 4
    for part in parts:
        assert set(index_pages(out / "pagefind" / part)) == notice_pages(out, part), part
    notice = next(content.glob("notices/2016/*.ko.md"))
    text = notice.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    notice.write_text(text.replace(title, "title: 색인에 새로 들어간 제목", 1), encoding="utf-8")
    assert cli.main(args) == 0
    titles = {found for part in (out / "pagefind").iterdir()
              for found in index_pages(part).values()}
    assert "색인에 새로 들어간 제목" in titles
    assert title[len("title: "):].strip("'\"") not in titles


def test_a_page_pagefind_cannot_read_is_named_and_nothing_is_published(
        tmp_path, site_copy, monkeypatch):
    # Pagefind skips a page it finds no text to index in; here one loses its marker.
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, (
        "page = site / 'ko/notices/2026/06/library-reading-festival/index.html'\n"
        "if page.exists():\n"
        "    page.write_bytes(page.read_bytes().replace(b'data-pagefind-body', b'data-x'))"))))
    out = tmp_path / "out"
    result = run_build("--content", str(site_copy), "--output", str(out), "--now",
                       NOW.isoformat(), "--no-cache")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ("the search index of ko-2026 is missing "
            "ko/notices/2026/06/library-reading-festival/index.html (4 pages indexed, not the "
            "5 written)") in result.stderr, result.stderr
    assert not out.exists() and list(tmp_path.glob(".out.*")) == []


def test_a_build_that_fails_after_the_index_has_started_stops_it(
        tmp_path, site_copy, monkeypatch, capsys):
    # Each part's Pagefind starts as soon as its pages are written, before the static
    # files are copied; here the copy fails while Pagefind (waiting forever) still runs.
    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, (
        f"(pathlib.Path({str(pids)!r}) / str(os.getpid())).write_text('')\n"
        "for _ in range(600):\n"
        "    time.sleep(0.1)\n"
        "(site / 'pagefind').mkdir(parents=True, exist_ok=True)"))))
    monkeypatch.chdir(tmp_path)

    def full(*args, **kwargs):
        raise OSError(28, os.strerror(28))
    monkeypatch.setattr(shutil, "copyfile", full)
    out = tmp_path / "out"
    status = cli.main(["--content", str(site_copy), "--output", str(out), "--now",
                       NOW.isoformat()])
    started = [int(p.name) for p in pids.iterdir()]
    alive = []
    for pid in started:
        try:
            os.kill(pid, 0)
            alive.append(pid)
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert status == 1
    assert "No space left on device. The previous site is unchanged." in capsys.readouterr().err
    assert started and alive == []
    assert not out.exists() and list(tmp_path.glob(".out.*")) == []


def _edited_twice(tmp_path: Path, monkeypatch) -> tuple[Path, Path, list[str]]:
    """The sample site built, a notice edited and built again (which keeps a spare),
    with many small parts of the index; the content, the output and the arguments."""
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(SAMPLE_SITE, content)
    monkeypatch.chdir(tmp_path)  # the build's cache
    monkeypatch.setattr(graph, "SHARD_PAGES", 2)
    args = ["--content", str(content), "--output", str(out), "--now", NOW.isoformat()]
    assert cli.main(args) == 0
    other = content / "notices/2021/daejeon-social-service-briefing.ko.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n고친 문장.\n", encoding="utf-8")
    assert cli.main(args) == 0  # a build that replaces a site keeps it as the spare
    return content, out, args


def _same_index_as_a_build_without_cache(tmp_path: Path, content: Path, out: Path) -> None:
    fresh = tmp_path / "fresh"
    assert cli.main(["--content", str(content), "--output", str(fresh), "--now",
                     NOW.isoformat(), "--no-cache"]) == 0
    assert sorted(p.relative_to(out) for p in (out / "pagefind").rglob("*")) == \
        sorted(p.relative_to(fresh) for p in (fresh / "pagefind").rglob("*"))
    for built in (fresh / "pagefind").rglob("*"):
        if built.is_file():
            assert (out / built.relative_to(fresh)).read_bytes() == built.read_bytes()
    assert not list(tmp_path.glob(".out.quick-*"))  # the guessed pages are gone


def _watching(monkeypatch) -> tuple[list, list, list]:
    """What starts Pagefind runs, recorded: the guesses (part, whether the plan had
    started), the runs started as pages are written (part, whether every file was)."""
    from site_builder import engine, search, write
    planned: list[bool] = []
    plan = engine.plan
    monkeypatch.setattr(engine, "plan", lambda *a, **k: planned.append(True) or plan(*a, **k))
    guessed: list[tuple[str, bool]] = []
    guess = engine.guess_part

    def guessing(output, tree, spare, shard, *rest):
        found = guess(output, tree, spare, shard, *rest)
        if found is not None:
            guessed.append((shard, bool(planned)))
        return found
    monkeypatch.setattr(engine, "guess_part", guessing)
    written: list[bool] = []  # every file of the spare is written, the gone ones next
    remove_gone = write._remove_gone
    monkeypatch.setattr(write, "_remove_gone", lambda *a: written.append(True) or
                        remove_gone(*a))
    started: list[tuple[str, bool]] = []
    start = search._start
    monkeypatch.setattr(search, "_start", lambda root, shard, subdir: started.append(
        (shard, bool(written))) or start(root, shard, subdir))
    return guessed, started, written


def test_the_part_of_an_edit_is_indexed_before_the_plan_on_the_pages_it_will_have(
        tmp_path, monkeypatch):
    """The next build after a notice is edited starts its part of the index at once,
    on the pages the edit is guessed to give (as the preview makes them), and takes it
    when the pages written are those: the index is the one a build without a cache
    makes."""
    content, out, args = _edited_twice(tmp_path, monkeypatch)
    guessed, started, written = _watching(monkeypatch)
    notice = content / "notices/2016/hongeun-support-team.ko.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n색인에 먼저 들어갈 문장.\n",
                      encoding="utf-8")
    assert cli.main(args) == 0
    assert written == [True]  # the spare was brought up to date
    assert len(guessed) == 1 and guessed[0][0].startswith("ko-2016")
    assert guessed[0][1] is False  # before the plan
    assert started == []  # the guess was taken
    part = out / "pagefind" / guessed[0][0]
    assert any("색인에 먼저 들어갈 문장" in gzip.decompress(f.read_bytes()).decode()
               for f in (part / "fragment").glob("*.pf_fragment"))
    _same_index_as_a_build_without_cache(tmp_path, content, out)


def test_a_wrong_guess_is_dropped_and_the_part_is_made_as_its_pages_are_written(
        tmp_path, monkeypatch):
    """A guessed page that is not the page the build writes: the guessed part is not
    taken; the part starts as soon as its pages are in the spare, before the last file
    is written."""
    from site_builder import engine
    content, out, args = _edited_twice(tmp_path, monkeypatch)
    guessed, started, written = _watching(monkeypatch)
    quick = engine.quick_pages
    monkeypatch.setattr(engine, "quick_pages", lambda *a: (lambda source, made, pages: (
        source, [(path, data.replace(b"</h1>", b" \xec\x98\xa4\xeb\x8b\xb5</h1>"))
                 for path, data in made], pages))(*quick(*a)))
    notice = content / "notices/2016/hongeun-support-team.ko.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n색인에 들어갈 문장.\n",
                      encoding="utf-8")
    assert cli.main(args) == 0
    assert guessed and written == [True]
    assert len(started) == 1 and started[0][0].startswith("ko-2016")
    assert started[0][0] in {shard for shard, _ in guessed}
    assert started[0][1] is False  # before the last file was written
    part = out / "pagefind" / started[0][0]
    texts = [gzip.decompress(f.read_bytes()).decode()
             for f in (part / "fragment").glob("*.pf_fragment")]
    assert any("색인에 들어갈 문장" in text for text in texts)
    assert not any("오답" in text for text in texts)
    _same_index_as_a_build_without_cache(tmp_path, content, out)


def test_the_index_holds_a_notice_not_the_links_every_notice_page_ends_with(tmp_path):
    """"목록으로" and "이 부서 소식 구독(RSS)" end every notice page: indexed, a search for
    구독 would find every notice, and excerpts would end with them."""
    out = tmp_path / "out"
    assert run_build("--content", str(SAMPLE_SITE), "--output", str(out), "--now",
                     NOW.isoformat(), "--no-cache").returncode == 0
    texts = [gzip.decompress(f.read_bytes()).decode()
             for f in (out / "pagefind").glob("*/fragment/*.pf_fragment")]
    assert texts and any("실뿌리" in text for text in texts)
    for words in ("목록으로", "구독(RSS)", "Back to the list", "(RSS)"):
        assert not any(words in text for text in texts), words
