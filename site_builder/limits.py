"""Limits on the size and shape of a notice or program body, so that no body can make
a build hang or run out of memory.

Stage: validate (bodies). May import: stdlib, errors, load.

The Markdown engine reads link definitions (`[name]: address`) on consecutive lines in
time that grows with the square of their number, as each one reads the rest of its block
again; the sanitizer's time grows with the square of the depth of nested quotes and raw
HTML, which the size limit bounds for raw HTML (a tag takes several characters) but not for
quotes (`>>>>`, one character a level), so their depth has a limit of its own. All the
limits are far above any press release. The scan is linear
and parses no Markdown, so a body over a limit never reaches the parser: validation
reports it, and `markdown.render_body` refuses it.
"""

from __future__ import annotations

import re

from .errors import Problem, Text, say
from .load import RawDocument, read_text

MAX_CHARACTERS = 100_000
"""Characters in one body: many times the longest press release with a list of attachments."""
MAX_DEFINITION_WORK = 100_000
"""For one block of lines without a blank line between them: the sum, over its lines that
can start a link definition, of the lines that follow it in the block (what the engine reads
again). 400 definitions in a row are within it; a blank line after each makes it 0."""

MAX_QUOTE_DEPTH = 100
"""Quote marks ('>') at the start of one line: quotes inside quotes, this many deep."""

_BLANK = re.compile(r"[ \t]*")
_OPENS = re.compile(r"(?:[ \t>]|(?:[-+*]|\d{1,9}[.)])[ \t])*\[")
"""A line that begins with '[' inside any quotes and list items."""


def body_limits(body: str) -> list[tuple[int, Text]]:
    """(line in the body, message) for each limit the body is over; [] when it is within all."""
    if len(body) > MAX_CHARACTERS:
        return [(1, say("the text is {count} characters long, more than the {limit} a page "
                        "can hold; split it into several notices or put long lists in an "
                        "attachment.", count=f"{len(body):,}", limit=f"{MAX_CHARACTERS:,}"))]
    return _definition_blocks(body) + _deep_quotes(body)


def body_problems(doc: RawDocument) -> list[Problem]:
    """`body_limits` of a document's body, at their lines in its file."""
    found = body_limits(doc.body)
    if not found:
        return []
    text = read_text(doc.path, doc.name)[0]
    start = (text[: len(text) - len(doc.body)].count("\n")
             if text is not None and text.endswith(doc.body) else None)
    return [Problem(doc.name, start + line if start is not None else None, message)
            for line, message in found]


def _definition_blocks(body: str) -> list[tuple[int, Text]]:
    found = []
    first, candidates, lines = 0, [], body.split("\n")
    for index, line in enumerate(lines + [""]):
        if _BLANK.fullmatch(line):
            work = sum(index - 1 - at for at in candidates)
            if work > MAX_DEFINITION_WORK:
                found.append((first + 1, say(
                    "this block of {lines} lines has {count} lines that begin like a link "
                    "definition ('[name]: address') with no blank line between them, more "
                    "than the site can read in reasonable time; put a blank line after each "
                    "'[name]: address' line.", lines=f"{index - first:,}",
                    count=f"{len(candidates):,}")))
            first, candidates = index + 1, []
        elif _OPENS.match(line) and ("]:" in line or "]" not in line):
            candidates.append(index)
    return found


_PREFIX = re.compile(r"(?:[ \t>]|(?:[-+*]|\d{1,9}[.)])[ \t])*")
"""What a line begins with: quote marks and list markers."""


def _deep_quotes(body: str) -> list[tuple[int, Text]]:
    if body.count(">") <= MAX_QUOTE_DEPTH:
        return []
    for index, line in enumerate(body.split("\n")):
        depth = _PREFIX.match(line).group(0).count(">")
        if depth > MAX_QUOTE_DEPTH:
            return [(index + 1, say(
                "this line begins with {count} quote marks ('>'), a quote inside a quote "
                "{count} deep, more than the {limit} the site can show; remove the '>' "
                "marks at its start that are not needed.", count=f"{depth:,}",
                limit=f"{MAX_QUOTE_DEPTH:,}"))]
    return []
