"""Problems found in content, collected rather than raised one at a time.

Stage: shared by every stage. May import: stdlib only.

A build reports every problem in one run, so validators append `Problem`s to a
list and carry on; only the command line turns them into output and an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    """The content file, relative to the content directory (or as given)."""
    line: int | None
    """1-based line of the offending key or item, when there is one."""
    message: str
    """What is wrong and, where it is obvious, how to fix it."""
    severity: str = "error"
    """"error" stops the build; "warning" does not."""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class SiteError(Exception):
    """Base of the errors the command line reports without a traceback."""


class ContentError(SiteError):
    """The content has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))
        super().__init__("\n".join(p.format() for p in self.problems))


class BuildError(SiteError):
    """The site could not be written (disk full, permissions, ...)."""


def relative_name(path: Path, root: Path) -> str:
    """How a file is named in messages: relative to the content root when inside it."""
    try:
        return str(path.relative_to(root.parent if root.name else root))
    except ValueError:
        return str(path)
