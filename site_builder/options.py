"""Command-line options every command shares: --content, --now, --lang.

Stage: shared by the commands (build, serve, check, new). May import: stdlib.
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path


def moment_argument(text: str) -> datetime:
    """--now: an ISO date or datetime (an argparse type)."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date and time; write it like 2016-05-03T09:00:00+09:00")


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"),
                        help="the content directory (default: content)")


def add_now_option(parser: argparse.ArgumentParser, help: str) -> None:
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
                        help="the language of messages (default: from the locale; ko* → ko)")
