"""One build at a time per output folder and per cache.

Stage: shared by the stages that write (write, cache) and the commands. May import:
stdlib, errors.

Two builds writing one output at once would each remove or swap the other's half-made
site. Each build therefore holds an exclusive `flock` on a lock file beside what it
writes; the kernel drops the lock when the process ends, however it ends, so a killed
build never leaves a lock behind. The file holds the holder's process id, for the
message a second build prints while it waits.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from pathlib import Path
from typing import Callable, Iterator

from .errors import BuildError, say


def lock_path(target: Path) -> Path:
    """The lock file of an output folder or cache file: `.NAME.lock` beside it."""
    return target.parent / f".{target.name}.lock"


def holder(path: Path) -> int | None:
    """The process id written in a lock file, if it can be read."""
    try:
        return int(path.read_text(encoding="ascii").strip() or "x")
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def hold(target: Path, wait: bool = True,
         waiting: Callable[[Path, int | None], None] | None = None) -> Iterator[None]:
    """Hold the lock of `target` for the duration of the block.

    If another process holds it: with `wait`, call `waiting(target, pid)` once, then
    wait for it; without, raise BuildError naming the holder. The lock file is removed
    when the block ends, so nothing is left beside the output; a process that waited on
    the removed file sees that it is no longer the one at the path, and starts again."""
    path = lock_path(target)
    told = False
    while True:
        fd = _open(path)
        try:
            if not _lock(fd, path, target, wait, told, waiting):
                told = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            if _is_at(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the file was removed by the holder that just finished: again
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        try:
            path.unlink()
        except OSError:
            pass
        os.close(fd)  # releases the lock


def _open(path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise BuildError(say("the lock file {path} cannot be opened: {reason}.",
                             path=path, reason=exc.strerror or str(exc))) from exc


def _lock(fd: int, path: Path, target: Path, wait: bool, told: bool,
          waiting: Callable[[Path, int | None], None] | None) -> bool:
    """Take the lock if it is free (True); else, if waiting is allowed, say so once and
    return False for the caller to wait."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
            raise BuildError(say("the lock file {path} cannot be locked: {reason}.",
                                 path=path, reason=exc.strerror or str(exc))) from exc
    pid = holder(path)
    if not wait:
        raise BuildError(say(
            "another build (process {pid}) is writing {target}; try again when it "
            "has finished, or leave out --no-wait to wait for it.",
            pid=pid if pid is not None else "?", target=target))
    if waiting is not None and not told:
        waiting(target, pid)
    return False


def _is_at(fd: int, path: Path) -> bool:
    """Whether the locked file is still the one at `path`."""
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except OSError:
        return False
