"""Both cores for the per-page work, with workers that inherit their input.

Stage: shared by the stages that fan out (markdown, render). May import: stdlib.

Workers are forked after the parent has built what they need (the site graph, the
compiled templates), so nothing large is pickled on the way in: each worker gets
a range of indexes and sends back only its results, in order.
"""

from __future__ import annotations

import collections
import gc
import itertools
import multiprocessing
import os
import signal
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 64
"""Items per task: large enough to amortize the round trip, small enough to balance."""
AHEAD = 4
"""Tasks per worker given out before the consumer has taken the results of the first."""

_TASK: tuple[Callable, list] | None = None


def _run(bounds: tuple[int, int]) -> list:
    func, items = _TASK  # type: ignore[misc]
    return [func(item) for item in items[bounds[0]:bounds[1]]]


def _start_worker() -> None:
    """A worker leaves Ctrl+C to the parent, which stops the pool (else every worker
    would print a traceback of its own); its cycle collector is on."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.enable()


def workers_available() -> int:
    """How many processes to use: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def fork_map(func: Callable[[T], R], items: Iterable[T], workers: int | None = None
             ) -> Iterator[R]:
    """func(item) for every item, in order, spread over `workers` forked processes.

    Small inputs, one core, or a platform without fork run in this process."""
    global _TASK
    items = list(items)
    workers = workers_available() if workers is None else workers
    if workers < 2 or len(items) < 2 * CHUNK or \
            "fork" not in multiprocessing.get_all_start_methods():
        yield from map(func, items)
        return
    _TASK = (func, items)
    # Python's advice for forking: the parent's objects set aside from the cycle
    # collector, which would otherwise walk them in each worker and so copy their
    # memory pages; the collector on in the workers, even if the parent paused it.
    frozen = gc.get_freeze_count()
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker) as pool:
            bounds = iter([(i, min(i + CHUNK, len(items))) for i in range(0, len(items), CHUNK)])
            # A few chunks ahead of the consumer, not all: results the consumer has not
            # taken yet (pages waiting to be written) are held in this process's memory.
            ahead = collections.deque(pool.apply_async(_run, (b,))
                                      for b in itertools.islice(bounds, AHEAD * workers))
            while ahead:
                part = ahead.popleft().get()
                for b in itertools.islice(bounds, 1):
                    ahead.append(pool.apply_async(_run, (b,)))
                yield from part
    finally:
        _TASK = None
        if not frozen:
            gc.unfreeze()
