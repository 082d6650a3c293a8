"""Command-line options every command shares: --content, --now, --lang.

Stage: shared by the commands (build, serve, check, new). May import: stdlib.
"""

from __future__ import annotations

import argparse
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
