"""Command-line options every command shares: --content, --now, --lang; and the
parser every command uses, which speaks the reader's language.

Stage: shared by the commands (build, serve, check, new). May import: stdlib, errors.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, NoReturn

from .errors import Text, say


def moment_argument(text: str) -> datetime:
    """--now: an ISO date or datetime (an argparse type), far enough from the ends of
    the calendar that a day and a time zone can be added to it."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date and time; write it like 2016-05-03T09:00:00+09:00")
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"'{text}' is outside the years {FIRST_YEAR}-{LAST_YEAR}; write a date in them")
    return moment


FIRST_YEAR, LAST_YEAR = 2, 9998
"""The years --now may be in (datetime stops at 1 and 9999)."""


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"),
                        help=say("the content directory (default: content)"))


def add_now_option(parser: argparse.ArgumentParser, help: Text) -> None:
    parser.add_argument("--now", type=moment_argument, default=None, help=help)


def default_language(environ=None) -> str:
    """Korean when the locale says so (LC_ALL, LC_MESSAGES or LANG starting with ko)."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return "ko" if environ[name].lower().startswith("ko") else "en"
    return "en"


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("ko", "en"), default=default_language(),
                        help=say("the language of messages (default: from the locale; "
                                 "ko* → ko)"))


def requested_language(argv: list[str]) -> str:
    """The --lang of a command line not yet parsed, else the locale's language."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else \
            arg.partition("=")[2] if arg.startswith("--lang=") else None
        if value in ("ko", "en"):
            return value
    return default_language()


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, with the usage heading translated and lines wrapped by
    their width on a terminal, where a Hangul syllable takes two columns."""

    def __init__(self, prog: str, usage: str):
        super().__init__(prog)
        self.usage_prefix = usage

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, prefix or self.usage_prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in _wrap(text, width - len(indent)))


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and _columns(lines[-1]) + 1 + _columns(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


class CommandParser(argparse.ArgumentParser):
    """argparse in the language the messages are in (--lang, else the locale), so that
    staff who read Korean get `--help` in Korean. Help texts are given as `say(...)`."""

    def __init__(self, prog: str, description: Text, argv: list[str]):
        self.lang = requested_language(argv)
        super().__init__(prog=prog, description=description.render(self.lang), add_help=False,
                         formatter_class=functools.partial(  # type: ignore[arg-type]
                             _Formatter, usage=say("usage: ").render(self.lang)))
        self._positionals.title = say("positional arguments").render(self.lang)
        self._optionals.title = say("options").render(self.lang)
        self.add_argument("-h", "--help", action="help",
                          help=say("show this help message and exit"))

    def add_argument(self, *names: str, **options: Any) -> argparse.Action:
        if isinstance(options.get("help"), Text):
            options["help"] = options["help"].render(self.lang)
        return super().add_argument(*names, **options)

    def error(self, message: str) -> NoReturn:
        self.error_text(_usage_problem(message))

    def error_text(self, message: Text | str) -> NoReturn:
        """A usage error in the reader's language: the usage line, the message, exit 2."""
        self.print_usage(sys.stderr)
        self.exit(2, say("{prog}: error: {message}", prog=self.prog,
                         message=message).render(self.lang) + "\n")


_USAGE_PROBLEMS: list[tuple[re.Pattern, Callable[..., Text]]] = [
    (re.compile(r"unrecognized arguments: (?P<args>.*)"),
     lambda args: say("unrecognized arguments: {args}", args=args)),
    (re.compile(r"the following arguments are required: (?P<args>.*)"),
     lambda args: say("the following arguments are required: {args}", args=args)),
    (re.compile(r"argument --now: '(?P<value>.*)' is not a date and time; write it like "
                r"2016-05-03T09:00:00\+09:00"),
     lambda value: say("argument --now: '{value}' is not a date and time; write it like "
                       "2016-05-03T09:00:00+09:00", value=value)),
    (re.compile(r"argument --now: '(?P<value>.*)' is outside the years (?P<first>\d+)-"
                r"(?P<last>\d+); write a date in them"),
     lambda value, first, last: say("argument --now: '{value}' is outside the years "
                                    "{first}-{last}; write a date in them", value=value,
                                    first=first, last=last)),
    (re.compile(r"argument (?P<name>\S+): expected one argument"),
     lambda name: say("argument {name}: expected one argument", name=name)),
    (re.compile(r"argument (?P<name>\S+): invalid choice: (?P<value>.*) "
                r"\(choose from (?P<choices>.*)\)"),
     lambda name, value, choices: say("argument {name}: invalid choice: {value} (choose from "
                                      "{choices})", name=name, value=value, choices=choices)),
]
"""argparse's own usage errors (Python 3.11's wording), so that they can be said in
Korean too; any other is shown as argparse words it."""


def _usage_problem(message: str) -> Text | str:
    for pattern, text in _USAGE_PROBLEMS:
        found = pattern.fullmatch(message)
        if found:
            return text(**found.groupdict())
    return message


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or inside it, their links followed."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def separate_folders(content: Path, templates: Path, output: Path | None = None,
                     cache: Path | None = None) -> Text | None:
    """Why the folders a command writes cannot be where they are given, or None.

    What is written into content/ or the theme would be read, and published, by the
    next build (a site inside a site, growing every time; a cache or preview with
    embargoed text in static/); an output that holds the content would be replaced
    with it."""
    written = [(option, folder) for option, folder in
               (("--output", output), ("--cache", cache))
               if folder is not None]
    for option, folder in written:
        for kind, source in (("--content", content), ("--templates", templates)):
            if inside(folder, source):
                return say("{option} {folder} is inside the {kind} folder {source}: what is "
                           "written there would be read and published by the next build. "
                           "Choose a folder outside it.", option=option, folder=folder,
                           kind=kind, source=source)
        if option == "--output" and (inside(content, folder) or inside(templates, folder)):
            return say("{option} {folder} holds the content or the templates, and a build "
                       "replaces its output folder. Choose a folder of its own, such as "
                       "output.", option=option, folder=folder)
    if output is not None:
        for option, folder in written[1:]:
            if inside(folder, output):
                return say("{option} {folder} is inside the output folder {output}, which is "
                           "published; choose a folder outside it.", option=option,
                           folder=folder, output=output)
    return None
