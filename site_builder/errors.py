"""Problems found in content, collected rather than raised one at a time, in two languages.

Stage: shared by every stage. May import: stdlib, yaml.

A build reports every problem in one run, so validators append `Problem`s to a
list and carry on; only the command line turns them into output and an exit code.

Messages are written in English as `say("template {name}", name=...)`; the
Korean wording of each template lives in `messages/ko/*.yaml`, keyed by the
English template, so a message is rendered in the reader's language at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MESSAGES = Path(__file__).resolve().parent / "messages"
LANGUAGES = ("en", "ko")
"""Languages messages can be shown in; English is the source."""


@dataclass(frozen=True)
class Text:
    """A message that can be said in every language of `LANGUAGES`."""

    template: str
    """English, with {name} placeholders; the key of its translations."""
    params: tuple[tuple[str, Any], ...] = ()

    def render(self, lang: str = "en") -> str:
        template = catalog(lang).get(self.template, self.template) if lang != "en" else self.template
        values = {k: v.render(lang) if isinstance(v, (Text, Joined)) else v
                  for k, v in self.params}
        return template.format(**values)

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True)
class Joined:
    """Several Texts shown one after another, each in the reader's language."""

    parts: tuple[Text, ...]
    separator: str = " "
    end: str = ""

    def render(self, lang: str = "en") -> str:
        return self.separator.join(part.render(lang) for part in self.parts) + self.end


def say(template: str, /, **params: Any) -> Text:
    """Positional-only `template`, so that a placeholder may be called {template} too."""
    return Text(template, tuple(params.items()))


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """English template -> the same message in `lang`, from messages/<lang>/*.yaml."""
    result: dict[str, str] = {}
    for path in sorted((MESSAGES / lang).glob("*.yaml")):
        result.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return result


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    """The content file, relative to the content directory (or as given)."""
    line: int | None
    """1-based line of the offending key or item, when there is one."""
    message: str
    """What is wrong and, where it is obvious, how to fix it (English; given as a Text
    it is translatable)."""
    severity: str = "error"
    """"error" stops the build; "warning" does not; "info" is for the record."""
    text: Text | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if isinstance(self.message, Text):
            object.__setattr__(self, "text", self.message)
            object.__setattr__(self, "message", self.message.render("en"))

    def say(self, lang: str = "en") -> str:
        """The message alone, in `lang`."""
        return self.text.render(lang) if self.text else self.message

    def format(self, lang: str = "en") -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.say(lang)}"


class SiteError(Exception):
    """Base of the errors the command line reports without a traceback."""

    def __init__(self, message: str | Text):
        self.text = message if isinstance(message, Text) else None
        super().__init__(str(message))

    def say(self, lang: str = "en") -> str:
        return self.text.render(lang) if self.text else str(self)


class ContentError(SiteError):
    """The content has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))
        super().__init__("\n".join(p.format() for p in self.problems))


class BuildError(SiteError):
    """The site could not be written (disk full, permissions, ...)."""


class UsageError(SiteError):
    """A command-line value that cannot be used (exit status 2, like argparse's)."""
