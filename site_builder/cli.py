"""The command line: `python build.py [--content DIR] [--output DIR] [--now ISO] [--drafts]`.

Stage: cli. May import: every stage, tqdm.

The only place that prints and picks exit codes: 0 built, 1 content or build
problems (nothing written), 2 wrong usage. A content mistake never shows a traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .cache import open_cache
from .errors import ContentError, Joined, SiteError, UsageError, say
from .options import (CommandParser, add_content_option, add_lang_option, add_now_option,
                      requested_language, separate_folders)
from .engine import BuildReport, Session
from .pipeline import TEMPLATES
from .write import remove_later


COMMAND_HELP = {
    "new": say("start a press release from a template (a draft to fill in)"),
    "check": say("check the content and every link, without writing anything"),
    "serve": say("preview the site, drafts included, while you edit it"),
    "publish": say("build and deploy; with --wait, publish each embargoed notice on its "
                   "minute"),
    "import": say("turn press releases written in Hancom Office (.hwpx, .hwp) into draft "
                  "notices"),
}
"""One line of `build.py --help` per command, in this order (those that exist)."""


class _BuildParser(CommandParser):
    """The build's own options, then the other commands: staff who run `--help` learn
    that `new`, `check` and `serve` exist."""

    def format_help(self) -> str:
        names = [n for n in COMMAND_HELP if n in COMMANDS]
        names += [n for n in COMMANDS if n not in names and n != "build"]
        lines = [say("commands (python build.py COMMAND --help for its options):")
                 .render(self.lang)]
        lines += [f"  {name:<9} " + COMMAND_HELP[name].render(self.lang) if name in COMMAND_HELP
                  else f"  {name}" for name in names]
        return super().format_help() + "\n" + "\n".join(lines) + "\n"


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """What every command that builds the site takes: --content, --output, --templates,
    --cache, --no-cache."""
    add_content_option(parser)
    parser.add_argument("--output", type=Path, default=Path("output"),
                        help=say("where the site is written (default: output)"))
    parser.add_argument("--templates", type=Path, default=TEMPLATES,
                        help=say("a theme of your own: a copy of templates/ to build with"))
    parser.add_argument("--cache", type=Path, default=Path(".cache"),
                        help=say("where work is kept between builds (default: .cache)"))
    parser.add_argument("--no-cache", action="store_true",
                        help=say("build everything from scratch, without reading or writing "
                                 "the cache"))


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = _BuildParser("build.py", say("Build the press-release site from Markdown content."),
                          argv)
    add_site_options(parser)
    add_now_option(parser, say("the build time, ISO 8601 (default: now); a time without an "
                               "offset is in the site's time zone"))
    parser.add_argument("--drafts", action="store_true", help=say("also publish drafts"))
    parser.add_argument("--no-wait", action="store_true",
                        help=say("if another build is writing the same output or cache, fail "
                                 "at once instead of waiting for it"))
    add_lang_option(parser)
    return parser


COMMANDS = {}
"""Subcommand name -> function(argv) -> exit status; `build` is the default."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv and argv[0] in COMMANDS:
            return COMMANDS[argv[0]](argv[1:])
        return run_build(argv)
    except KeyboardInterrupt:
        # Ctrl+C: the staging folder is gone already (write_site removes it), and the
        # output was either swapped whole or not at all.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print(say("Stopped (Ctrl+C). The output is as it was, or complete if the new site "
                  "was already in place.").render(requested_language(argv)), file=sys.stderr)
        return 130


def _plural(count: int, one: str, many: str, **params):
    return say(one if count == 1 else many, count=count, **params)


def summary(report: BuildReport, output: Path, seconds: float, drafts_shown: bool) -> Joined:
    """The one line a build ends with: what was built, what waits, how long it took."""
    parts = [say("Built {notices} notices: {pages} pages, {feeds} feeds ({files} files) in "
                 "{output}/ in {seconds} s", notices=report.notices, pages=report.pages,
                 feeds=report.feeds, files=report.files, output=output,
                 seconds=f"{seconds:.1f}")]
    if report.embargoed:
        parts.append(say("{count} embargoed, the next released {moment}",
                         count=report.embargoed,
                         moment=report.next_release.isoformat(timespec="minutes")))
    if report.unchanged:
        parts.append(say("nothing had changed, so nothing was written"))
    if report.drafts and not drafts_shown:
        parts.append(_plural(report.drafts, "{count} draft not published",
                             "{count} drafts not published"))
    if report.warnings:
        parts.append(_plural(len(report.warnings), "{count} warning (above)",
                             "{count} warnings (above)"))
    return Joined(tuple(parts), "; ", ".")


def _progress(lang: str):
    """A progress bar on a terminal; nothing in CI or when the output is piped."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from tqdm import tqdm

    return lambda items, total: tqdm(items, total=total, unit=say("file").render(lang),
                                     leave=False, file=sys.stderr)


def waiting_line(lang: str):
    """What a build says, once, when it must wait for another."""
    def waiting(target: Path, pid: int | None) -> None:
        print(say("Waiting for another build (process {pid}) that is writing {target}…",
                  pid=pid if pid is not None else "?", target=target).render(lang),
              file=sys.stderr, flush=True)
    return waiting


def run_build(argv: list[str]) -> int:
    parser = _parser(argv)
    args = parser.parse_args(argv)
    lang = args.lang
    started = time.monotonic()
    now = args.now or datetime.now(ZoneInfo("UTC"))
    problem = separate_folders(args.content, args.templates, output=args.output,
                               cache=None if args.no_cache else args.cache)
    if problem is not None:
        parser.error_text(problem)
    try:
        cache = open_cache(None if args.no_cache else args.cache)
        session = Session(args.content, args.templates, cache, include_drafts=args.drafts)
        report = session.build(args.output, now, progress=_progress(lang), discard=remove_later,
                               wait=not args.no_wait, waiting=waiting_line(lang))
    except ContentError as exc:
        for problem in exc.problems:
            print(problem.format(lang), file=sys.stderr)
        print(_plural(len(exc.problems), "{count} error; nothing was written and {output}/ "
                      "is unchanged.", "{count} errors; nothing was written and {output}/ is "
                      "unchanged.", output=args.output).render(lang), file=sys.stderr)
        return 1
    except UsageError as exc:
        parser.error_text(exc.text or str(exc))
    except SiteError as exc:
        print(say("error: {message}", message=exc.say(lang)).render(lang), file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(say("warning: {message}", message=warning.format(lang)).render(lang),
              file=sys.stderr)
    print(summary(report, args.output, time.monotonic() - started, args.drafts).render(lang))
    return 0


COMMANDS["build"] = run_build


def _later(module: str, function: str):
    """A command whose module is imported only when it runs (a build needs none of them)."""
    def run(argv: list[str]) -> int:
        import importlib
        return getattr(importlib.import_module(module, __package__), function)(argv)
    return run


COMMANDS["serve"] = _later(".serve", "run_serve")
COMMANDS["new"] = _later(".scaffold", "run_new")
COMMANDS["check"] = _later(".check", "run_check")
COMMANDS["publish"] = _later(".publish", "run_publish")
COMMANDS["import"] = _later(".importer", "run_import")
