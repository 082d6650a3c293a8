#!/usr/bin/env python3
"""CPU and wall seconds of `engine.plan` alone (read, check, link up, list the targets),
as build.py runs it: the cache in .cache/ of the working directory.

    python bench/plan_time.py --content /tmp/b/content --now 2026-11-23T12:00:00+09:00

Run it from the folder build.py was run from. It leaves the cache as a build's plan
leaves it (front matter, bodies, checked notices), and writes no output.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_builder.cache import open_cache  # noqa: E402
from site_builder.engine import Session, collector_spared  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--now", required=True)
    parser.add_argument("--cache", type=Path, default=Path(".cache"))
    parser.add_argument("--stages", action="store_true",
                        help="also the CPU seconds of each stage of the plan")
    args = parser.parse_args()
    cache = open_cache(args.cache)
    session = Session(args.content, cache=cache)
    stages: dict[str, float] = {}
    if args.stages:
        _time_stages(stages)
    cpu, wall = time.process_time(), time.perf_counter()
    with collector_spared():  # as a build plans
        planned = session.plan(datetime.fromisoformat(args.now))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if stages:
        print("  " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in stages.items()))
    read = getattr(planned, "read", None)
    print(f"plan: {cpu:.2f} CPU s, {wall:.2f} s wall; {len(planned.targets)} targets"
          + (f"; {len(read)} content files read" if read is not None else ""))
    cache.close()


def _time_stages(stages: dict[str, float]) -> None:
    """Wrap the stages `engine.plan` calls so that each adds its CPU seconds."""
    from site_builder import engine

    def timed(name, function):
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                stages[name] = stages.get(name, 0.0) + time.process_time() - start
        return wrapper
    for name in ("read_site", "render_bodies", "build_graph", "targets", "assets"):
        setattr(engine, name, timed(name, getattr(engine, name)))


if __name__ == "__main__":
    main()
