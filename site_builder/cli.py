"""The command line: `python build.py [--content DIR] [--output DIR] [--now ISO] [--drafts]`.

Stage: cli. May import: every stage.

The only place that prints and picks exit codes: 0 built, 1 content or build
problems (nothing written), 2 wrong usage. A content mistake never shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .check import run_check
from .options import add_content_option, add_now_option
from .errors import ContentError, SiteError
from .pipeline import build
from .scaffold import run_new
from .serve import run_serve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the press-release site from Markdown content.")
    add_content_option(parser)
    parser.add_argument("--output", type=Path, default=Path("output"),
                        help="where the site is written (default: output)")
    add_now_option(parser, "the build time, ISO 8601 (default: now); a time without an "
                           "offset is in the site's time zone")
    parser.add_argument("--drafts", action="store_true", help="also publish drafts")
    return parser


COMMANDS = {}
"""Subcommand name -> function(argv) -> exit status; `build` is the default."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    return run_build(argv)


def run_build(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    started = time.monotonic()
    now = args.now or datetime.now(ZoneInfo("UTC"))
    try:
        report = build(args.content, args.output, now, include_drafts=args.drafts)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} error{'s' if count != 1 else ''}; nothing was written and "
              f"{args.output}/ is unchanged.", file=sys.stderr)
        return 1
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning.format()}", file=sys.stderr)
    print(f"Built {report.notices} notices: {report.pages} pages and {report.feeds} feeds "
          f"({report.files} files) in {args.output}/ in {time.monotonic() - started:.1f} s.")
    if report.embargoed:
        first = report.embargoed[0].release
        print(f"{len(report.embargoed)} embargoed; the next is released "
              f"{first.isoformat(timespec='minutes')}.")
    if report.drafts and not args.drafts:
        print(f"{report.drafts} draft{'s' if report.drafts != 1 else ''} not published.")
    return 0


COMMANDS["build"] = run_build
COMMANDS["serve"] = run_serve
COMMANDS["new"] = run_new
COMMANDS["check"] = run_check
