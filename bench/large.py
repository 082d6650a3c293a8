#!/usr/bin/env python3
"""Build the largest notice allowed and a 5,000-notice site; print the time and peak memory of each.

    python bench/large.py                  # both, in a temporary directory
    python bench/large.py --notices 1000 --large-mb 2 --keep /tmp/bench --no-rebuild

Each build runs build.py's main() in a process of its own, as `python build.py` does,
in a fresh folder, so a first build keeps nothing from an earlier run (the 5,000-notice
site is then built a second time, unchanged, to show a rebuild). The Pagefind step is
timed on its own. Peak memory (largest resident set) is given for the Python build and
for the largest process it started, Pagefind: a started process counts the memory of
the one that started it as its own until it runs a new program, so the second figure is
never below the first, and is Pagefind's when it is above. The figures are for the
record (docs/SECURITY.md and the performance work); no test asserts them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import NOW, generate, write_large_notice  # noqa: E402


_WRAPPER = """
import json, resource, sys, time
from site_builder import pipeline
from site_builder.cli import main
indexing = []
def timed(*args, index=pipeline.index_site, **kwargs):
    started = time.perf_counter()
    try:
        return index(*args, **kwargs)
    finally:
        indexing.append(time.perf_counter() - started)
pipeline.index_site = timed
status = main(sys.argv[1:])
print(json.dumps({"status": status, "index_s": sum(indexing),
                  "python_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "pagefind_mb": max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                       resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024}))
"""


def measured_build(content: Path, output: Path, cwd: Path) -> dict:
    """The build (build.py's main, in its own process, run in `cwd`, where it keeps its
    cache): wall and CPU time, the time of the Pagefind step, the peak resident memory
    of the Python build and of Pagefind, the files written."""
    cwd.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", _WRAPPER, "--content", str(content),
                                "--output", str(output), "--now", NOW], cwd=cwd,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # wait4: this build's own resource use (and its children's), where
    # getrusage(RUSAGE_CHILDREN) here would mix every build of this script together.
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out, err = process.stdout.read(), process.stderr.read()
    lines = out.strip().splitlines()
    if os.waitstatus_to_exitcode(status) != 0 or not lines:
        raise SystemExit(f"the build failed:\n{err[-3000:]}")
    inner = json.loads(lines[-1])
    files = [p for p in output.rglob("*") if p.is_file()]
    return {"seconds": seconds, "cpu_s": usage.ru_utime + usage.ru_stime,
            "index_s": inner["index_s"], "python_mb": inner["python_mb"],
            "pagefind_mb": inner["pagefind_mb"], "files": len(files),
            "output_mb": sum(p.stat().st_size for p in files) / 1e6,
            "summary": "\n  ".join(lines[:-1])}


def fresh(folder: Path) -> None:
    """An empty folder: a first build, with nothing kept from an earlier run."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def report(name: str, figures: dict) -> None:
    print(f"{name}: {figures['seconds']:.1f} s wall ({figures['index_s']:.1f} s of it Pagefind), "
          f"{figures['cpu_s']:.1f} s CPU; peak memory {figures['python_mb']:.0f} MB in Python, "
          f"{figures['pagefind_mb']:.0f} MB in the largest process (Pagefind, when above the "
          f"Python figure); {figures['files']} files, "
          f"{figures['output_mb']:.1f} MB written\n  {figures['summary']}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notices", type=int, default=5000)
    parser.add_argument("--large-mb", type=float, default=0.19,
                        help="size of the large notice (the largest body allowed is 100,000 "
                             "characters, about 0.2 MB of Korean)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work here and keep the trees (default: a "
                                                   "temporary directory, removed)")
    parser.add_argument("--only", choices=("large", "many"), help="run one of the two")
    parser.add_argument("--no-rebuild", action="store_true",
                        help="do not build the many-notice site a second time")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="site-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs; work in {work}", flush=True)
    try:
        if args.only in (None, "large"):
            content = work / "large-content"
            shutil.rmtree(content, ignore_errors=True)
            generate(content, 20, args.seed)
            size = int(args.large_mb * 1024 * 1024)
            notice = write_large_notice(content, size, args.seed)
            print(f"large: one notice of {notice.stat().st_size / 1e6:.1f} MB "
                  f"({notice.relative_to(content)}) among 20 others", flush=True)
            fresh(work / "large-run")
            report("large", measured_build(content, work / "large-output", work / "large-run"))
        if args.only in (None, "many"):
            content = work / "many-content"
            shutil.rmtree(content, ignore_errors=True)
            started = time.perf_counter()
            stats = generate(content, args.notices, args.seed)
            print(f"many: {stats.notices} notices ({stats.translations} in English too), "
                  f"{stats.bytes / 1e6:.1f} MB of content, generated in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            fresh(work / "many-run")
            report("many", measured_build(content, work / "many-output", work / "many-run"))
            if not args.no_rebuild:
                report("many, built again unchanged",
                       measured_build(content, work / "many-output", work / "many-run"))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
