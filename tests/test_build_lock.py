"""Builds that meet: one at a time per output and cache, and what a build may remove.

A scheduled publisher and a person at a terminal will sooner or later build the same
output at the same moment. Here pairs of builds are started a random moment apart on
one output while a sampler looks at output/ every few milliseconds: it must always be
a whole site, the old one or the new, and both builds must succeed.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, NOW, ROOT, SAMPLE_SITE, run_build, write_files
from site_builder.lock import hold
from site_builder.write import MARKER

PAIRS = 20
SEED = 20261201
EXTRA = ("---\ntitle: 동시 빌드 시험용 보도자료\ndepartment: welfare-policy\n"
         "release: 2024-03-04\n---\n한쪽 사이트에만 있는 본문입니다.\n")


def command(content: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output",
            str(output), "--now", NOW.isoformat(), "--cache", str(output.parent / "cache"),
            *extra]


def files_of(folder: Path) -> frozenset[str]:
    """The files of one directory tree, read through a descriptor of the directory, so
    that a swap during the walk does not mix two trees."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        return frozenset(os.path.normpath(os.path.join(root, name))
                         for root, _, names, _ in os.fwalk(".", dir_fd=fd) for name in names)
    finally:
        os.close(fd)


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    """Two contents (the fixture site, and it with one more notice) and their file lists."""
    root = tmp_path_factory.mktemp("race")
    shutil.copytree(FIXTURE_SITE, root / "a")
    shutil.copytree(FIXTURE_SITE, root / "b")
    write_files(root / "b", {"notices/2024/race-extra.ko.md": EXTRA})
    expected = {}
    for name in ("a", "b"):
        out = root / f"alone-{name}"
        subprocess.run(command(root / name, out, "--no-cache"), check=True, capture_output=True)
        expected[name] = files_of(out)
    assert expected["a"] != expected["b"]
    return root, expected


def test_two_builds_at_once_never_show_half_a_site_and_both_succeed(two_sites):
    root, expected = two_sites
    output = root / "output"
    whole = set(expected.values())
    seen = {"samples": 0, "half": []}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                found = files_of(output)
            except (FileNotFoundError, NotADirectoryError):
                found = None  # before the first build's swap
            if found is not None:
                seen["samples"] += 1
                if found not in whole:
                    seen["half"].append(len(found))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    rng = random.Random(SEED)
    failures = []
    try:
        for pair in range(PAIRS):
            first, second = ("a", "b") if pair % 2 else ("b", "a")
            started = subprocess.Popen(command(root / first, output), stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
            time.sleep(rng.uniform(0, 0.3))
            other = subprocess.Popen(command(root / second, output), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
            for process in (started, other):
                out, err = process.communicate(timeout=120)
                if process.returncode != 0 or "Traceback" in err:
                    failures.append((pair, process.returncode, err))
            assert (output / MARKER).is_file()
            assert files_of(output) in whole
    finally:
        stop.set()
        sampler.join()
    assert failures == []
    assert seen["half"] == [], f"half sites seen in {len(seen['half'])} of {seen['samples']}"
    assert seen["samples"] > PAIRS
    assert not list(root.glob(".output.staging-*"))


def test_a_second_build_waits_for_the_first_and_says_so_once(two_sites, tmp_path):
    root, _ = two_sites
    output = tmp_path / "output"
    with hold(output):
        with open(tmp_path / "err", "w") as err:
            waiting = subprocess.Popen(command(root / "a", output), stdout=subprocess.DEVNULL,
                                       stderr=err, text=True)
            deadline = time.monotonic() + 30
            while "Waiting" not in (tmp_path / "err").read_text() and \
                    time.monotonic() < deadline and waiting.poll() is None:
                time.sleep(0.05)
            time.sleep(0.3)
            assert waiting.poll() is None  # still waiting
            assert not output.exists()
    assert waiting.wait(timeout=60) == 0
    lines = (tmp_path / "err").read_text().splitlines()
    assert lines == [f"Waiting for another build (process {os.getpid()}) that is writing "
                     f"{output}…"]
    assert (output / MARKER).is_file()


def test_with_no_wait_a_second_build_fails_at_once_naming_the_holder(two_sites, tmp_path):
    root, _ = two_sites
    output = tmp_path / "output"
    with hold(output):
        result = subprocess.run(command(root / "a", output, "--no-wait"), capture_output=True,
                                text=True, timeout=60)
        korean = subprocess.run(command(root / "a", output, "--no-wait", "--lang", "ko"),
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == (f"error: another build (process {os.getpid()}) is writing {output}; "
                             "try again when it has finished, or leave out --no-wait to wait "
                             "for it.\n")
    assert korean.returncode == 1 and f"프로세스 {os.getpid()}" in korean.stderr
    assert not output.exists()


def test_a_lock_held_by_a_killed_build_does_not_stop_the_next(two_sites, tmp_path):
    root, _ = two_sites
    output = tmp_path / "output"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
        "from site_builder.lock import hold; h = hold(Path(sys.argv[2])); h.__enter__(); "
        "print('held', flush=True); time.sleep(60)"), str(ROOT), str(output)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    result = subprocess.run(command(root / "a", output, "--no-wait"), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_running_builds_staging_folder_and_unrelated_folders_are_left_alone(two_sites,
                                                                               tmp_path):
    root, _ = two_sites
    parent = tmp_path / "p"
    output = parent / "*"
    living = parent / f".*.staging-{os.getpid()}"  # this test process is alive
    write_files(living, {MARKER: "", "index.html": "being written"})
    dead = parent / ".*.staging-999999999"
    write_files(dead, {MARKER: "", "index.html": "killed"})
    theirs = {".wedding.old-photos/a.jpg": "photo", ".x.staging-notes/n.txt": "notes",
              ".*.staging-123456789/n.txt": "no marker: not ours"}
    write_files(parent, theirs)
    result = subprocess.run(command(root / "a", output), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert (living / "index.html").read_text() == "being written"
    assert not dead.exists()
    for relative, text in theirs.items():
        assert (parent / relative).read_text() == text


def test_a_symlinked_output_stays_a_link_and_its_target_is_updated(two_sites, tmp_path):
    root, expected = two_sites
    (tmp_path / "www").mkdir()
    (tmp_path / "public").symlink_to("www")
    for name in ("a", "b"):
        result = subprocess.run(command(root / name, tmp_path / "public"), capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "public").is_symlink()
        assert files_of(tmp_path / "www") == expected[name]


@pytest.mark.parametrize("options, message", [
    (("--output", "content/static/site"), "--output content/static/site is inside the "
                                          "--content folder content"),
    (("--cache", "content/static/c"), "--cache content/static/c is inside the --content "
                                      "folder content"),
    (("--output", "."), "--output . holds the content or the templates"),
    (("--cache", "output/x"), "--cache output/x is inside the output folder output"),
])
def test_folders_that_would_publish_or_replace_each_other_are_refused(tmp_path, options,
                                                                      message):
    shutil.copytree(FIXTURE_SITE, tmp_path / "content")
    (tmp_path / "notes.txt").write_text("keep")
    result = run_build("--content", "content", "--now", NOW.isoformat(), *options, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "notes.txt"]
    assert not (tmp_path / "content" / "static" / "site").exists()


@pytest.mark.parametrize("moment", ["9999-12-31", "0001-01-01T00:00:00+14:00"])
def test_a_build_time_at_the_end_of_the_calendar_is_a_usage_error(site_copy, tmp_path, moment):
    result = run_build("--content", str(site_copy), "--output", str(tmp_path / "out"),
                       "--now", moment)
    assert result.returncode == 2
    assert f"argument --now: '{moment}' is outside the years 2-9998" in result.stderr
    assert "Traceback" not in result.stderr
    korean = run_build("--content", str(site_copy), "--output", str(tmp_path / "out"),
                       "--now", moment, "--lang", "ko")
    assert korean.returncode == 2 and "2–9998년 밖입니다" in korean.stderr


def test_ctrl_c_stops_a_build_in_one_line_and_the_output_is_whole(tmp_path):
    shutil.copytree(SAMPLE_SITE, tmp_path / "content")
    output = tmp_path / "output"
    base = [sys.executable, str(ROOT / "build.py"), "--content", str(tmp_path / "content"),
            "--output", str(output), "--now", NOW.isoformat(), "--no-cache"]
    subprocess.run(base, check=True, capture_output=True)
    before = files_of(output)
    stopped = 0
    seen: list[tuple] = []  # what each attempt did, for the message if none landed
    # Ctrl+C is sent once the build is writing its new site (its staging folder is
    # there), however slowly Python started on a busy machine; an attempt whose build
    # ended before that was seen is tried again.
    for attempt in range(10):
        if stopped:
            break
        started = time.monotonic()
        process = subprocess.Popen(base, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True)
        polls = 0
        while process.poll() is None and not list(tmp_path.glob(".output.staging-*")):
            polls += 1
            time.sleep(0.002)
        with contextlib.suppress(ProcessLookupError):  # the build may have ended
            os.killpg(process.pid, signal.SIGINT)  # as a terminal sends it: to the group
        out, err = process.communicate(timeout=60)
        seen.append((attempt, process.returncode, f"{time.monotonic() - started:.2f} s",
                     polls, out.strip()[-90:], sorted(p.name for p in tmp_path.iterdir())))
        assert "Traceback" not in err and "KeyboardInterrupt" not in err
        if process.returncode == -signal.SIGINT:
            pass  # stopped before Python set up its own handler: nothing was done yet
        elif process.returncode == 130:
            stopped += 1
            assert err in ("", "Stopped (Ctrl+C). The output is as it was, or complete if "
                           "the new site was already in place.\n")  # "": still starting
        else:
            assert process.returncode == 0, err
        assert files_of(output) == before
        assert not list(tmp_path.glob(".output.staging-*"))
    if not stopped:  # every build ended before its staging folder was seen
        pytest.skip(f"no Ctrl+C landed inside a build here: {seen}")


def test_a_draft_published_with_drafts_goes_live_at_its_release_time(site_copy, tmp_path):
    release = NOW + timedelta(minutes=1)
    write_files(site_copy, {"notices/2026/late-draft.ko.md": (
        f"---\ntitle: 초안으로 예약한 보도자료\ndepartment: welfare-policy\n"
        f"release: {release.isoformat()}\ndraft: true\n---\n예약된 초안의 본문입니다.\n")})
    page = "ko/notices/2026/11/late-draft/index.html"

    def built(now, *extra):
        result = run_build("--content", str(site_copy), "--output", str(tmp_path / "out"),
                           "--cache", str(tmp_path / "cache"), "--drafts", "--now",
                           now.isoformat(), *extra)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "2 embargoed" in built(NOW)
    assert not (tmp_path / "out" / page).exists()
    built(NOW + timedelta(minutes=2))
    assert "초안으로 예약한 보도자료" in (tmp_path / "out" / page).read_text(encoding="utf-8")
