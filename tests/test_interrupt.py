"""Interrupted and failing builds: output/ is always a whole site, the old one or the new.

The build writes the new site into a staging directory beside output/ (Pagefind indexes
it there) and exchanges the two in one atomic rename; see site_builder/write.py. Here
`python build.py` is killed with SIGKILL at seeded random moments spread over a whole
build, the Pagefind step included, and output/ must then be byte for byte the complete
old site or the complete new one; a normal build afterwards removes what the killed
ones left behind. A full disk or an unwritable location is simulated in-process (the
tests run as root, for whom permissions do not bite): a clear error, exit status 1, the
previous site untouched.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import NOW, ROOT, SAMPLE_SITE, snapshot, write_files
from site_builder import cli, write
from site_builder.engine import build

KILLS = 20
SEED = 20261123

NEW_NOTICE = ("---\ntitle: 중단된 빌드 시험용 새 보도자료\ndepartment: welfare-policy\n"
              "release: 2024-03-04\n---\n새 사이트에만 있는 본문입니다.\n")


def leftovers(output: Path) -> list[Path]:
    return sorted(output.parent.glob(f".{output.name}.staging-*"))


def command(content: Path, output: Path) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output",
            str(output), "--now", NOW.isoformat()]


def indexing(pgid: int) -> bool:
    """Whether Pagefind is running in the process group of a build."""
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and os.getpgid(int(proc.name)) == pgid and \
                    b"pagefind" in (proc / "cmdline").read_bytes():
                return True
        except (OSError, ProcessLookupError):
            continue
    return False


def timed_build(content: Path, output: Path) -> dict[str, float]:
    """A whole build, watched: when Pagefind started and ended, and when it was done."""
    started = time.monotonic()
    process = subprocess.Popen(command(content, output), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True,
                               cwd=output.parent)  # where the killed builds keep their cache
    marks: dict[str, float] = {}
    while process.poll() is None:
        now = time.monotonic() - started
        if indexing(process.pid):
            marks.setdefault("index_start", now)
            marks["index_end"] = now
        time.sleep(0.005)
    assert process.returncode == 0
    marks["end"] = time.monotonic() - started
    return marks


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Two contents, old and new, and what each builds to."""
    root = tmp_path_factory.mktemp("interrupt")
    old, new = root / "old", root / "new"
    shutil.copytree(SAMPLE_SITE, old)
    shutil.copytree(SAMPLE_SITE, new)
    write_files(new, {"notices/2024/interrupted-build.ko.md": NEW_NOTICE})
    notice = new / "notices/2016/hongeun-support-team.ko.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace(
        "title: ", "title: (수정) ", 1), encoding="utf-8")
    expected = {}
    for name, content in (("old", old), ("new", new)):
        subprocess.run(command(content, root / f"ref-{name}"), check=True, capture_output=True,
                       cwd=root)
        expected[name] = snapshot(root / f"ref-{name}")
    assert expected["old"] != expected["new"]
    return {"root": root, "content": {"old": old, "new": new}, "expected": expected}


def kill_delays(timing: dict[str, float]) -> list[float]:
    """KILLS moments, seeded: most spread evenly over the whole build and a little past
    its end, a quarter within the Pagefind step (which the even spread may miss)."""
    rng = random.Random(SEED)
    span, in_index = timing["end"] * 1.15, KILLS // 4
    delays = [rng.uniform(i * span / (KILLS - in_index), (i + 1) * span / (KILLS - in_index))
              for i in range(KILLS - in_index)]
    start = timing.get("index_start", timing["end"] * 0.6)
    end = max(timing.get("index_end", timing["end"]), start + 0.01)
    delays += [rng.uniform(start, end) for _ in range(in_index)]
    rng.shuffle(delays)
    return delays


def state(output: Path, expected: dict[str, dict]) -> str:
    files = snapshot(output)
    for name, want in expected.items():
        if files == want:
            return name
    changed = sorted(set(files) ^ set(expected["old"]))[:5] or \
        [k for k in files if files[k] != expected["old"].get(k)][:5]
    pytest.fail(f"output/ is neither the old nor the new site; e.g. {changed}")


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site(sites):
    root, expected = sites["root"], sites["expected"]
    output = root / "output"
    # Run where the build keeps its cache (.cache/): a kill may land in its writes too.
    # The moments to kill at come from timing a build just like the killed ones: from
    # one site to the other, in output/, with that cache.
    subprocess.run(command(sites["content"]["new"], output), check=True, capture_output=True,
                   cwd=root)
    subprocess.run(command(sites["content"]["old"], output), check=True, capture_output=True,
                   cwd=root)
    timing = timed_build(sites["content"]["new"], output)
    subprocess.run(command(sites["content"]["old"], output), check=True, capture_output=True,
                   cwd=root)
    assert state(output, expected) == "old"
    delays = kill_delays(timing)
    current, outcomes = "old", []
    for delay in delays:
        target = "new" if current == "old" else "old"
        process = subprocess.Popen(command(sites["content"][target], output),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True, cwd=root)
        time.sleep(delay)
        was_indexing = indexing(process.pid)
        try:  # the whole build: build.py and the Pagefind it may be running
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        after = state(output, expected)
        phase = ("finished" if process.returncode == 0 else "indexing" if was_indexing else
                 "writing" if leftovers(output) else "starting")
        outcomes.append((round(delay, 3), phase, "swapped" if after == target else "kept"))
        assert after in (current, target)
        current = after
    # The next build removes every leftover and writes its site whole.
    (root / ".output.staging-99999").mkdir(exist_ok=True)  # one left by some other build
    (root / ".output.staging-99999" / ".site_builder").write_text("")
    (root / ".output.staging-99999" / "index.html").write_text("half a site")
    target = "new" if current == "old" else "old"
    subprocess.run(command(sites["content"][target], output), check=True, capture_output=True,
                   cwd=root)
    assert leftovers(output) == []
    assert state(output, expected) == target
    phases = {p: sum(1 for _, q, _ in outcomes if q == p)
              for p in ("starting", "writing", "indexing", "finished")}
    timing = ", ".join(f"{k} {v:.2f} s" for k, v in timing.items())
    print(f"\nkills: {len(outcomes)} (seed {SEED}; build: {timing}); "
          f"phases {phases}; swapped {sum(1 for o in outcomes if o[2] == 'swapped')}, "
          f"kept {sum(1 for o in outcomes if o[2] == 'kept')}; nothing lost")


# -- a full disk, an unwritable place ----------------------------------------------------

@pytest.fixture
def built(tmp_path, sites, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the command line's cache (.cache/) goes here too
    output = tmp_path / "output"
    build(sites["content"]["old"], output, NOW)
    return output, snapshot(output)


def run_cli(content: Path, output: Path, capsys) -> tuple[int, str]:
    status = cli.main(["--content", str(content), "--output", str(output),
                       "--now", NOW.isoformat(), "--lang", "en"])
    return status, capsys.readouterr().err


def fail_after(calls: int, error: int):
    """A replacement that works `calls` times, then fails as the system would."""
    count = {"n": 0}

    def check(*args):
        count["n"] += 1
        if count["n"] > calls:
            raise OSError(error, os.strerror(error))
    return check


@pytest.mark.parametrize("what", ["pages", "static files", "search index"])
def test_a_full_disk_is_a_clear_error_and_the_previous_site_stays(
        built, sites, monkeypatch, capsys, what):
    output, before = built
    full = fail_after(3 if what == "pages" else 1, errno.ENOSPC)
    if what == "pages":
        original = Path.write_bytes
        monkeypatch.setattr(Path, "write_bytes", lambda self, data: (full(), original(self, data))[1])
    elif what == "static files":
        original_copy = shutil.copyfile
        monkeypatch.setattr(shutil, "copyfile", lambda *a, **k: (full(), original_copy(*a, **k))[1])
    else:  # Pagefind has written the index; sorting its entry file fails
        original_text = Path.write_text
        monkeypatch.setattr(Path, "write_text", lambda self, *a, **k: (
            fail_after(0, errno.ENOSPC)() if self.name == "pagefind-entry.json" else None,
            original_text(self, *a, **k))[1])
    status, err = run_cli(sites["content"]["new"], output, capsys)
    assert status == 1
    assert err == (f"error: the site could not be written to {output}: No space left on "
                   "device. The previous site is unchanged.\n")
    assert snapshot(output) == before and leftovers(output) == []


def test_an_unwritable_location_is_a_clear_error_and_the_previous_site_stays(
        built, sites, monkeypatch, capsys):
    output, before = built
    original = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.name.startswith(f".{output.name}.staging-"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return original(self, *args, **kwargs)
    monkeypatch.setattr(Path, "mkdir", mkdir)
    status, err = run_cli(sites["content"]["new"], output, capsys)
    assert status == 1
    assert err == (f"error: the site could not be written to {output}: Permission denied. "
                   "The previous site is unchanged.\n")
    assert snapshot(output) == before


def test_an_output_inside_a_file_is_a_clear_error(tmp_path, sites, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.pdf").write_bytes(b"%PDF")
    status, err = run_cli(sites["content"]["new"], tmp_path / "report.pdf" / "output", capsys)
    assert status == 1
    assert err.startswith("error: the site could not be written to ")
    assert (tmp_path / "report.pdf").read_bytes() == b"%PDF"


def test_where_the_atomic_exchange_is_missing_a_failed_swap_keeps_the_previous_site(
        built, sites, monkeypatch, capsys):
    """Without renameat2 the swap is two renames; if the second fails, the first is undone."""
    output, before = built
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    original = Path.rename

    def rename(self, target):  # the new site cannot be moved in; the old one can move back
        if Path(target) == output.absolute() and ".old-" not in self.name:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return original(self, target)
    monkeypatch.setattr(Path, "rename", rename)
    status, err = run_cli(sites["content"]["new"], output, capsys)
    assert status == 1 and "Input/output error" in err
    assert snapshot(output) == before and leftovers(output) == []
