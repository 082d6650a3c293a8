"""Read the content directory into raw documents with line numbers.

Stage: load (the first of the two stages that touch the file system).
May import: stdlib, yaml, errors.

Nothing here knows what a field means: it splits front matter from the body,
parses YAML keeping the line of every key and list item, and reports files it
cannot read as problems instead of raising.

Everything read is text that can be published: Unicode in NFC (macOS writes Korean
file names, and some editors Korean text, decomposed), without the control characters
that HTML and XML cannot carry, and only from files inside the content directory (a
link that leads out of it is refused, so content cannot publish the machine's files).
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Mapping
from xml.parsers import expat

import yaml

from .errors import Problem, Text, say

try:  # The C loader is several times faster; the pure one gives the same values.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class LineDict(dict):
    """A YAML mapping that remembers the line of each key."""

    line: int = 0
    key_lines: dict


class LineList(list):
    """A YAML sequence that remembers the line of each item."""

    line: int = 0
    item_lines: list


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int):
        self.key, self.line = key, line


def _make_loader(line_offset: int):
    class Loader(_BaseLoader):  # type: ignore[misc, valid-type]
        pass

    def construct_mapping(loader, node):
        loader.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1 + line_offset
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + 1 + line_offset
            if key in result:
                raise _DuplicateKey(key, line)
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_sequence(loader, node):
        result = LineList(loader.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1 + line_offset
        result.item_lines = [child.start_mark.line + 1 + line_offset for child in node.value]
        return result

    def construct_timestamp(loader, node):
        # An impossible date (2016-02-30) stays text, so validation can name its key's line;
        # so does anything tagged !!timestamp that is not shaped like one.
        if not loader.timestamp_regexp.match(loader.construct_scalar(node)):
            return loader.construct_scalar(node)
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, construct_sequence)
    return Loader


_LOADERS: dict[int, type] = {}


def _loader(line_offset: int) -> type:
    loader = _LOADERS.get(line_offset)
    if loader is None:
        loader = _LOADERS[line_offset] = _make_loader(line_offset)
    return loader


MAX_DEPTH = 50
"""Lists and groups inside one another in one YAML file: real files use four or five.
The C parser builds the nodes by recursion on the C stack, and a few kilobytes of '['
would crash the process, so deeper text is refused before it is built."""

_LEADING = re.compile(r"^[ \t?:-]*", re.M)


def _too_deep(text: str) -> int | None:
    """The 0-based line where nesting deeper than MAX_DEPTH starts, or None.

    A cheap bound first: every '[' or '{' opens at most two levels (a flow list and a
    one-pair group inside it), and block nesting is at most two levels per column of
    indentation and '- '/'? ' indicators. Only text over that bound is read as a
    stream of parser events, which needs no recursion, and only up to MAX_DEPTH."""
    openers = text.count("[") + text.count("{")
    leading = max(map(len, _LEADING.findall(text)), default=0)
    if 2 * openers + 2 * (leading + 1) <= MAX_DEPTH:
        return None
    starts: list[int] = []
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                starts.append(event.start_mark.line)
                if len(starts) > MAX_DEPTH:
                    return starts[1]  # the value that nests, not the whole file
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                starts.pop()
    except yaml.YAMLError:
        return None  # loading reports it, and stops at the same point within the limit
    return None


def parse_yaml(text: str, name: str, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    """YAML text -> (value with line marks, problems). Never raises for bad YAML."""
    loader = _loader(line_offset)
    deep = _too_deep(text)
    if deep is not None:
        return None, [Problem(name, deep + 1 + line_offset, say(
            "the YAML is nested too deeply: more than {limit} lists or groups inside one "
            "another, starting on this line. Write the value out plainly, e.g. "
            "tags: [복지, 문화].", limit=MAX_DEPTH))]
    try:
        value = yaml.load(text, Loader=loader)
    except _DuplicateKey as dup:
        return None, [Problem(name, dup.line, say("'{key}' is given twice; keep one of them.", key=dup.key))]
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the broken construct starts (an unclosed '['),
        # which is the line to fix; the problem mark is where the parser gave up.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 + line_offset if mark else None
        what = exc.problem or "this is not valid YAML"
        tab = _tab_at(text, exc.problem_mark)
        if tab is not None:
            return None, [Problem(name, tab[0] + 1 + line_offset, say(
                "this line has a tab character (column {column}), which YAML does not "
                "accept here. Replace the tab with spaces.", column=tab[1] + 1))]
        fix = _quoted_fix(text, mark) if isinstance(
            exc, (yaml.scanner.ScannerError, yaml.parser.ParserError)) else None
        if fix is not None:
            return None, [Problem(name, line, say(
                "this is not valid YAML ({what}). If the value on this line is text, put it "
                "in double quotes: {fix}", what=what, fix=fix))]
        return None, [Problem(name, line, say(
            "this is not valid YAML ({what}). Check the colons, quotes and indentation on "
            "this line.", what=what))]
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as exc:
        return None, [Problem(name, None, say("the YAML could not be read ({reason}).", reason=str(exc)))]
    problems = _check_values(value, name)
    return (None, problems) if problems else (value, [])


TEXT_LINES = ("title", "summary", "subtitle")
"""Top-level front matter keys whose value is one line of text (subtitle: or a list)."""
ITEM_TEXT_LINES = {"contacts": ("name", "role"), "attachments": ("title",),
                   "corrections": ("note",)}
"""Text keys inside the groups of these lists, when written one per line (not `{...}`)."""
_KEY_LINE = re.compile(r"(?P<indent> *)(?P<dash>(?:- +)?)(?P<key>[A-Za-z_]+) *:(?:[ \t]+|\Z)"
                       r"(?P<value>.*)\Z")
_FLOW_HASH = re.compile(r"[{,][ \t]*(?P<key>[A-Za-z_]+)[ \t]*:[ \t]+(?P<value>[^,{}\"']*[ \t]#"
                        r"[^,{}]*?)(?=[ \t]*[,}])")
"""In a group written `{role: 팀장, name: 정지현 #1}`, a value with ` #` (a note to YAML)."""
_ITEM_LINE = re.compile(r"(?P<indent> *)- +(?P<value>.*)\Z")
_BLOCK_HEADER = re.compile(r"[|>][-+1-9]{0,2}([ \t]+#.*)?\Z")
_NOT_PLAIN = re.compile("[ \t]#|:[ \t]|:\\Z|[\x85\u2028\u2029\ufeff]")
"""What ends or breaks a plain YAML text: a comment, a key's colon, YAML's other line breaks."""
_WORDS = frozenset("yes no true false on off null".split())
"""Words YAML reads as true/false or as nothing."""
_QUOTE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\x85": "\\N", "\u2028": "\\L",
                  "\u2029": "\\P"}


def quoted(text: str) -> str:
    """`text` as a double-quoted YAML string that reads back exactly."""
    return '"' + "".join(_QUOTE_ESCAPES.get(char, char) for char in text) + '"'


def _read_alone(value: str) -> Any:
    """What YAML makes of `key: value` on its own; _UNREADABLE if it refuses it."""
    if (value[0].isalpha() or value[0] > "\x7f") and value.lower() not in _WORDS and \
            not _NOT_PLAIN.search(value):
        return value  # plain text that YAML reads as written: most lines, without parsing
    if value.count("[") + value.count("{") > MAX_DEPTH // 2:
        return _UNREADABLE  # not parsed: the C parser recurses on nesting
    try:
        return yaml.load(f"k: {value}", Loader=_loader(0))["k"]
    except (yaml.YAMLError, TypeError, KeyError, ValueError, OverflowError, RecursionError):
        return _UNREADABLE


_UNREADABLE = object()


def _quote_end(value: str) -> int | None:
    """Where the quoted text that `value` starts with ends, if it ends on this line."""
    mark, index = value[0], 1
    while index < len(value):
        char = value[index]
        if mark == '"' and char == "\\":
            index += 2
            continue
        if char == mark:
            if mark == "'" and value[index + 1:index + 2] == "'":
                index += 2
                continue
            return index + 1
        index += 1
    return None


def quote_text_values(text: str, name: str) -> tuple[str, list[Problem]]:
    """Front matter with each one-line text value (title, summary, subtitle items, names)
    that YAML would cut or refuse written as a double-quoted string of the whole line.

    Staff write `title: 서대문구, 복지플래너 20명 배치 #복지사각지대 해소` and mean every
    character; YAML would take ` #…` as a comment (a shorter title, published without a
    word), or refuse `: `, a leading quote, `[`, `*`… Lines keep their numbers. A value
    whose meaning is unclear (quoted text followed by `# …`, a subtitle list that cannot
    be read) is refused instead, with the fix written out."""
    lines = text.split("\n")
    problems: list[Problem] = []
    parent, changed = None, False
    for number, line in enumerate(lines):
        if line[:1] not in (" ", "-", "#", ""):
            parent = line.split(":", 1)[0].strip()
        match = _KEY_LINE.match(line)
        top = bool(match) and not match["indent"] and not match["dash"]
        if top:
            if match["key"] == "tags":
                problem = _cut_tags(match["value"])
                if problem is not None:
                    problems.append(Problem(name, number + 1, problem))
                continue
            if match["key"] not in TEXT_LINES:
                continue
            key, column = match["key"], 0
        elif parent == "subtitle" and (item := _ITEM_LINE.match(line)):
            match, key, column = item, "subtitle", len(item["indent"])
        elif match and match["key"] in ITEM_TEXT_LINES.get(parent, ()):
            key, column = match["key"], match.start("key")
        else:
            if parent in ITEM_TEXT_LINES and (hashed := _FLOW_HASH.search(line)):
                fixed = f"{hashed['key']}: {quoted(hashed['value'].strip())}"
                problems.append(Problem(name, number + 1, say(
                    "'#' inside {{...}} on this line would start a note and drop the rest of "
                    "the line. Put the text in double quotes: {fix}", fix=line[
                        :hashed.start("key")].lstrip() + fixed + line[hashed.end("value"):])))
            continue
        value = match["value"].rstrip(" \t")
        if not value or value[0] in "|>" and _BLOCK_HEADER.match(value) and _indented_next(
                lines, number, column):
            continue  # nothing, or a block of text on the lines below
        if _continues(lines, number, column):
            after = next(n for n in range(number + 1, len(lines) + 1) if n == len(lines) or
                         not _continues(lines, n - 1, column))
            if any(re.search(r"(?:\A|[ \t])#", part.strip()) for part in lines[number:after]):
                problems.append(Problem(name, number + 1, say(
                    "'{key}' goes on over several lines and one of them has '#', which would "
                    "drop the rest of that line from the text. Write it on one line.",
                    key=key)))
            continue
        problem = _unclear(value, key, top)
        if problem is not None:
            problems.append(Problem(name, number + 1, problem))
            continue
        if _as_written(value, key == "subtitle" and top) or \
                not top and key in ("name", "title") and _by_language(value):
            continue
        lines[number] = line[:match.start("value")] + quoted(value)
        changed = True
    return ("\n".join(lines) if changed else text), problems


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')
_NOTE = re.compile(r"(?:\A|[\s\[,])#")


def _cut_tags(value: str) -> Text | None:
    """Why a `tags:` line would lose a tag to a '#' (YAML's note), with the fix; None if
    none would. A note after a closed list, `tags: [복지]  # 메모`, stays a note."""
    plain = _QUOTED.sub(lambda m: "x" * len(m.group()), value.strip())
    note = _NOTE.search(plain)
    if note is None:
        return None
    if plain.startswith("[") and "]" in plain[:note.start()]:
        return None
    words = [w.strip() for w in value.strip().strip("[]").replace(",", " ").split() if w.strip()]
    return say("'#' on this line would start a note and drop the rest of the line from the "
               "tags. Write the tags as a list with the '#' ones in double quotes: {fix}",
               fix="tags: [" + ", ".join(quoted(w) if "#" in w else w for w in words) + "]")


def _unclear(value: str, key: str, top: bool) -> Text | None:
    """Why a text value cannot be read either way, with the fix; None if it can."""
    fix = f"{key}: {quoted(value)}"
    if value[0] in "\"'":
        end = _quote_end(value)
        if end is None:
            return say("'{key}' starts with a quote ({quote}) that is not closed on this line. "
                       "If the quote is part of the text, put the whole line in double "
                       "quotes: {fix} Otherwise add the closing quote at the end.", key=key,
                       quote=value[0], fix=fix)
        if re.match(r"[ \t]+#", value[end:]):
            return say("'{key}' is quoted text followed by '#'. If the part after '#' belongs "
                       "to the text, put the whole line in double quotes: {fix} If it is a "
                       "note, remove it.", key=key, fix=fix)
    if key == "subtitle" and top and value[0] == "[" and value.endswith("]") and \
            not isinstance(_read_alone(value), list):
        return say("'subtitle' starts with '[' and ends with ']' but is not a list that can "
                   "be read. For one line of text, put it in double quotes: {fix} For "
                   "several lines, separate them with commas: subtitle: [line 1, line 2]",
                   fix=fix)
    return None


def _as_written(value: str, listed: bool) -> bool:
    """Whether YAML reads the value as the author wrote it (or as the subtitle list they
    meant), so that the line is left alone."""
    if value[0] in "\"'":
        end = _quote_end(value)
        return not value[end:].strip()  # quoted whole
    read = _read_alone(value)
    if listed and value[0] == "[" and isinstance(read, list):
        return True
    return read == value and isinstance(read, str) or read is None and value.lower() in (
        "~", "null")


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def _by_language(value: str) -> bool:
    """Whether a contact's name or an attachment's title is written per language,
    `{ko: 송미란, en: Song Mi-ran}`: a group whose keys are all language codes."""
    if value[0] != "{":
        return False
    read = _read_alone(value)
    return isinstance(read, dict) and bool(read) and all(
        isinstance(k, str) and _LANGUAGE_CODE.fullmatch(k) for k in read)


def _continues(lines: list[str], number: int, column: int) -> bool:
    """Whether the next line carries on the value (plain text over several lines)."""
    following = lines[number + 1] if number + 1 < len(lines) else ""
    indent = len(following) - len(following.lstrip(" "))
    return bool(following.strip()) and indent > column and not following.lstrip().startswith(
        ("- ", "#")) and _KEY_LINE.match(following) is None


def _indented_next(lines: list[str], number: int, column: int) -> bool:
    following = next((line for line in lines[number + 1:] if line.strip()), "")
    return bool(following) and len(following) - len(following.lstrip(" ")) > column


def _tab_at(text: str, mark) -> tuple[int, int] | None:
    """(line, column), 0-based, of the tab that stopped the parser, if a tab did."""
    if mark is None:
        return None
    lines = text.split("\n")
    for row in (mark.line, mark.line - 1):
        if 0 <= row < len(lines):
            line = lines[row]
            at = mark.column if row == mark.line else -1
            if 0 <= at < len(line) and line[at] == "\t":
                return row, at
            lead = len(line) - len(line.lstrip(" \t"))
            if "\t" in line[:lead]:
                return row, line.index("\t")
    return None


def _quoted_fix(text: str, mark) -> str | None:
    """`key: "value"` for a refused `key: value` line of one-line text, or None."""
    lines = text.split("\n")
    if mark is None or not 0 <= mark.line < len(lines):
        return None
    match = _KEY_LINE.match(lines[mark.line])
    value = match["value"].strip() if match else ""
    if not value or value[0] in "[{|>" or value[0] in "\"'" and _quote_end(value) is None:
        return None
    return f"{match['key']}: {quoted(value)}"


_UNPUBLISHABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters that XML (the feeds) cannot carry: C0 controls but tab and newlines, and
U+FFFE/U+FFFF. They are invisible in an editor; YAML escapes ("\\x01") can write them."""


def _code(match: re.Match) -> str:
    return f"U+{ord(match.group()):04X}"


MAX_NODES = 100_000
"""Values in one YAML file, its aliases expanded: far above any real file, and low enough
that a few lines of nested aliases (a "billion laughs") cannot stall the build."""


def _check_values(value: Any, name: str) -> list[Problem]:
    """Problems with a parsed YAML value that no field can use: control characters in
    its text, and a value too large once its aliases are expanded. (A value that contains
    itself is refused by the parser already.)"""
    problems: list[Problem] = []
    sizes: dict[int, int] = {}

    def visit(value: Any, line: int | None, key: str | None) -> int:
        if isinstance(value, str):
            bad = _UNPUBLISHABLE.search(value)
            if bad is not None:
                problems.append(Problem(name, line, say(
                    "'{key}' contains an invisible control character ({code}); remove it.",
                    key=key, code=_code(bad)) if key is not None else say(
                    "a key contains an invisible control character ({code}); remove it.",
                    code=_code(bad))))
            return 1
        if not isinstance(value, (dict, list)):
            return 1
        if id(value) in sizes:  # an alias: checked already, counted again
            return sizes[id(value)]
        size = 1
        if isinstance(value, dict):
            key_lines = getattr(value, "key_lines", {})
            for item_key, item in value.items():
                item_line = key_lines.get(item_key, line)
                size += visit(item_key, item_line, None)
                size += visit(item, item_line, key if key is not None else item_key)
        else:
            item_lines = getattr(value, "item_lines", ())
            for index, item in enumerate(value):
                size += visit(item, item_lines[index] if index < len(item_lines) else line, key)
        sizes[id(value)] = size
        return size

    try:
        size = visit(value, getattr(value, "line", None) or None, None)
    except RecursionError:
        return [Problem(name, None, say("the YAML is nested too deeply to be read."))]
    if size > MAX_NODES:
        problems.append(Problem(name, None, say(
            "the YAML has {count} values once its aliases (*name) are expanded, more than "
            "{limit}; write the values out without aliases.", count=size, limit=MAX_NODES)))
    return problems


@dataclass(frozen=True)
class RawDocument:
    """A Markdown file with front matter, not yet validated."""

    path: Path
    name: str
    """How messages name the file, e.g. content/notices/2016/x.ko.md."""
    kind: str
    """notice | program"""
    stem: str
    """The file name without language and .md: the notice slug or program id."""
    lang: str
    front: Any
    """The parsed front matter: normally a LineDict."""
    body: str
    front_key: str = ""
    """`front_key` of its front matter's text, when it was worked out."""


@dataclass(frozen=True)
class RawContent:
    """Everything read from disk, before validation."""

    root: Path
    site: Any
    departments: Any
    documents: tuple[RawDocument, ...]
    static_files: dict[str, int] = field(default_factory=dict)
    """Path under static/ (forward slashes) -> size in bytes."""
    problems: tuple[Problem, ...] = ()
    fronts: dict[str, str] = field(default_factory=dict)
    """Every sound front matter read, as `front_key(text)` -> `encode_front(value)`:
    what a cache needs so that the next reading does not parse them again."""
    tags: Any = None
    """tags.yaml (optional): a tag's label in the other languages."""
    skipped: tuple["Listed", ...] = ()
    """Notice files found but not read, as `load_content`'s `skip` chose (in file order)."""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def printable(name: str) -> str:
    """A file name as one line of a message: a line break in it is shown as \\n."""
    return name.replace("\n", "\\n").replace("\r", "\\r")


def display_name(path: Path, root: Path) -> str:
    """How messages name a file: content/notices/2016/x.ko.md, in NFC, on one line."""
    text, top = str(path), str(root)
    if text.startswith(top + os.sep):
        return printable(nfc(f"{root.name}/{text[len(top) + 1:]}".replace(os.sep, "/")))
    try:
        return printable(nfc((Path(root.name) / path.relative_to(root)).as_posix()))
    except ValueError:
        return printable(nfc(str(path)))


def _outside(path: Path, root: Path, folders: dict[Path, bool] | None = None,
             link: bool | None = None) -> bool:
    """Whether `path`, its links followed, is outside the directory `root`.

    `folders` remembers, for one reading of many files in few folders, whether each
    folder leads outside (a file that is not a link is where its folder is); `link`
    says whether `path` is a link, when that is known already."""
    if path.is_symlink() if link is None else link:
        return not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    if folders is None:
        return _leads_outside(path.parent, root)
    verdict = folders.get(path.parent)
    if verdict is None:
        verdict = folders[path.parent] = _leads_outside(path.parent, root)
    return verdict


def _leads_outside(folder: Path, root: Path) -> bool:
    return not Path(os.path.realpath(folder)).is_relative_to(os.path.realpath(root))


def _link_out(path: Path, root: Path) -> Problem:
    return Problem(display_name(path, root), None, say(
        "this is a link to {target}, outside the content folder; links out of content/ are "
        "not followed. Copy the file into content/ instead.",
        target=os.path.realpath(path)))


def read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text in NFC with a BOM accepted and CRLF folded; a problem otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, None, say("the file cannot be read ({reason}).",
                                                   reason=exc.strerror))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, say("the file is not UTF-8 text. Save it as UTF-8 in "
                                              "your editor and build again."))]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(name, line, say("the file contains a NUL character; remove it."))]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _UNPUBLISHABLE.search(text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        return None, [Problem(name, line, say("the file contains an invisible control character "
                                              "({code}) on this line; remove it.",
                                              code=_code(bad)))]
    return unicodedata.normalize("NFC", text), []


_FENCE = re.compile(r"^---[ \t]*$", re.M)


FRONT_FORMAT = "front-matter-json-2"
"""Changed whenever the same text reads as another value (2: text values quoted)."""


def front_key(front_text: str) -> str:
    """What a parsed front matter depends on: its text, the parser, and our encoding."""
    return hashlib.sha256(f"{FRONT_FORMAT}|{yaml.__version__}\0{front_text}".encode(
        "utf-8", "surrogatepass")).hexdigest()


def encode_front(value: Any) -> str | None:
    """A parsed front matter, line marks included, as JSON; None if it holds a kind of
    value JSON cannot say exactly (it is then parsed again each time)."""
    def plain(v: Any) -> Any:
        if isinstance(v, LineDict):
            return {"m": [[k, v.key_lines.get(k, 0), plain(x)] for k, x in v.items()],
                    "l": v.line}
        if isinstance(v, LineList):
            return {"s": [[line, plain(x)] for line, x in zip(v.item_lines, v)], "l": v.line}
        if isinstance(v, dt.datetime):
            return {"dt": v.isoformat()}
        if isinstance(v, dt.date):
            return {"d": v.isoformat()}
        if v is None or isinstance(v, (str, bool, int)) or type(v) is float and v == v:
            return v
        raise TypeError(type(v).__name__)
    try:
        return json.dumps(plain(value), ensure_ascii=False, allow_nan=False,
                          separators=(",", ":"))
    except (TypeError, ValueError):
        return None


def decode_front(text: str) -> Any:
    """encode_front's JSON back to the value parse_yaml gave."""
    def value(v: dict) -> Any:  # called for each JSON object, innermost first
        if "m" in v:
            d = LineDict((key, item) for key, _, item in v["m"])
            d.line, d.key_lines = v["l"], {key: line for key, line, _ in v["m"]}
            return d
        if "s" in v:
            items = LineList(item for _, item in v["s"])
            items.line, items.item_lines = v["l"], [line for line, _ in v["s"]]
            return items
        if "dt" in v:
            return dt.datetime.fromisoformat(v["dt"])
        return dt.date.fromisoformat(v["d"])
    return json.loads(text, object_hook=value)


def split_front_matter(text: str, name: str, known: Mapping[str, str] | None = None,
                       fronts: dict[str, str] | None = None, keys: list[str] | None = None
                       ) -> tuple[Any, str, list[Problem]]:
    """'---' YAML '---' body -> (front matter, body, problems).

    A front matter whose key is in `known` is decoded from there instead of parsed;
    every sound one read is added to `fronts`, and its key to `keys`."""
    if not text.startswith("---"):
        return None, text, [Problem(name, 1, say(
            "the file must start with a line '---', then the front matter (title, "
            "department, ...), then '---'."))]
    first = _FENCE.match(text)
    closing = _FENCE.search(text, first.end()) if first else None
    if not first or not closing:
        return None, text, [Problem(name, 1, say(
            "the front matter has no closing '---' line; add one after the last field."))]
    front_text = text[first.end():closing.start()]
    body = text[closing.end():].lstrip("\n")
    key = front_key(front_text) if fronts is not None or known else ""
    if keys is not None and key:
        keys.append(key)
    if known and key in known:
        try:
            front = decode_front(known[key])
            if front is not None:  # None: an empty one cached by an older version
                if fronts is not None:
                    fronts[key] = known[key]
                return front, body, []
        except (ValueError, TypeError, KeyError, IndexError):
            pass  # a damaged entry: parse the text
    readable, problems = quote_text_values(front_text, name)
    if problems:
        return None, body, problems
    front, problems = parse_yaml(readable, name, line_offset=0)
    if front is None and not problems:
        # Before caching: a cached front matter must read back as this one does.
        front = LineDict()
        front.line, front.key_lines = 1, {}
    if fronts is not None and not problems:
        encoded = encode_front(front)
        if encoded is not None:
            fronts[key] = encoded
    return front, body, problems


def _language_of(path: Path) -> tuple[str, str] | None:
    parts = nfc(path.name)[: -len(".md")].rsplit(".", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else None


@dataclass(frozen=True)
class Listed:
    """A document file found, not yet read."""

    path: Path
    name: str
    stem: str
    lang: str
    stamp: tuple[int, int, int] | None
    """(size, mtime_ns, inode) of a plain file; None for a link (its target may change
    under an unchanged link)."""

    @property
    def group(self) -> tuple[str, str]:
        """Its notice or program: the folder and the name without the language."""
        return os.path.dirname(str(self.path)), self.stem


Skip = Callable[[list[Listed]], set[str]]
"""Given every document file found, the ones not to read (a cache holds what they say)."""


def _read_documents(root: Path, kind: str, pattern: str, known: Mapping[str, str],
                    fronts: dict[str, str], skip: Skip | None = None
                    ) -> tuple[list[RawDocument], list[Problem], list[Listed]]:
    """The documents read, the problems in the order of the files, and the files that
    `skip` said not to read."""
    docs, problems = [], []
    found: list[Listed | Problem] = []
    folder = root / ("notices" if kind == "notice" else "programs")
    folders: dict[Path, bool] = {}
    for path in sorted(folder.glob(pattern), key=lambda path: path.parts):
        try:
            info = path.lstat()
        except OSError:
            continue  # gone since it was listed
        mode = info.st_mode
        link = stat.S_ISLNK(mode)
        if _outside(path, root, folders, link):
            found.append(_link_out(path, root))
            continue
        if not (stat.S_ISREG(mode) or link and path.is_file()):
            continue
        name = display_name(path, root)
        stem_lang = _language_of(path)
        if stem_lang is None:
            found.append(Problem(name, None, say(
                "the file name has no language code; name it like {stem}.ko.md or "
                "{stem}.en.md.", stem=printable(nfc(path.stem)))))
            continue
        found.append(Listed(path, name, stem_lang[0], stem_lang[1], None if link else
                            (info.st_size, info.st_mtime_ns, info.st_ino)))
    listed = [item for item in found if isinstance(item, Listed)]
    skipped = skip(listed) if skip is not None else set()
    for item in found:
        if isinstance(item, Problem):
            problems.append(item)
        elif str(item.path) not in skipped:
            doc, read_problems = read_listed(item, kind, known, fronts)
            problems += read_problems
            if doc is not None:
                docs.append(doc)
    return docs, problems, [item for item in listed if str(item.path) in skipped]


def read_listed(item: Listed, kind: str, known: Mapping[str, str] | None = None,
                fronts: dict[str, str] | None = None) -> tuple[RawDocument | None, list[Problem]]:
    """One document file found: its text split and its front matter parsed."""
    text, problems = read_text(item.path, item.name)
    if text is None:
        return None, problems
    keys: list[str] = []
    front, body, split_problems = split_front_matter(text, item.name, known or {},
                                                     {} if fronts is None else fronts, keys)
    if split_problems:
        return None, problems + split_problems
    return RawDocument(item.path, item.name, kind, item.stem, item.lang, front, body,
                       keys[0] if keys else ""), problems


_MARKDOWN = re.compile(r"\.(md|markdown)\Z", re.I)


def _unread_documents(root: Path) -> list[Problem]:
    """A warning for each Markdown file under notices/ or programs/ that is not read (in
    the wrong folder, or not named <name>.<language>.md in small letters), so that a
    press release is not left off the site without a word. Hidden files (an editor's)
    and README files (notes, as the contract allows) are not counted."""
    problems = []
    for folder, depth in ((root / "notices", 2), (root / "programs", 1)):
        for top, folders, names in os.walk(folder):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            # How deep a file here is under the folder, its own name counted.
            level = 1 if top == str(folder) else os.path.relpath(top, folder).count(os.sep) + 2
            for file_name in sorted(names):
                if file_name.startswith(".") or file_name.endswith(".md") and level == depth \
                        or not _MARKDOWN.search(file_name) or \
                        _MARKDOWN.sub("", file_name).lower() == "readme":
                    continue
                path = Path(top) / file_name
                parts = path.relative_to(folder).parts
                base, _, lang = _MARKDOWN.sub("", nfc(file_name)).rpartition(".")
                fixed = f"{base}.{lang.lower()}.md" if base else f"{lang}.<language>.md"
                if depth == 2:
                    year = parts[0] if len(parts) > 1 else "<year>"
                    problems.append(Problem(display_name(path, root), None, say(
                        "this file is not read: press releases are read only as "
                        "notices/<folder>/<name>.<language>.md, in small letters. Move or "
                        "rename it to {suggestion}.",
                        suggestion=f"{root.name}/notices/{nfc(year)}/{fixed}"), "warning"))
                else:
                    problems.append(Problem(display_name(path, root), None, say(
                        "this file is not read: program pages are read only as "
                        "programs/<id>.<language>.md, in small letters. Move or rename it "
                        "to {suggestion}.", suggestion=f"{root.name}/programs/{fixed}"),
                        "warning"))
    return problems


def _read_yaml_file(path: Path, root: Path) -> tuple[Any, list[Problem]]:
    name = display_name(path, root)
    if path.is_symlink() and _outside(path, root):
        return None, [_link_out(path, root)]
    if not path.is_file():
        return None, [Problem(name, None, say("{file} is missing; every site needs one.",
                                                   file=path.name))]
    text, problems = read_text(path, name)
    if text is None:
        return None, problems
    return parse_yaml(text, name)


def _static_files(root: Path) -> tuple[dict[str, int], list[Problem]]:
    """Path under static/ (in NFC) -> size; a link leading out of content/ is a problem,
    and so is a file a browser would run as a page or a script (`static_problems`)."""
    static = root / "static"
    files, problems = {}, []
    if static.is_dir() and _outside(static, root):
        return files, [_link_out(static, root)]
    for path in sorted(static.rglob("*")) if static.is_dir() else ():
        if path.is_symlink() and _outside(path, root):
            problems.append(_link_out(path, root))
        elif path.is_file():
            # Still listed when refused: an attachment naming it gets no second error.
            problems += static_problems(path, display_name(path, root))
            files[nfc(path.relative_to(static).as_posix())] = path.stat().st_size
    return files, problems


ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".xml", ".xsl", ".xslt", ".js", ".mjs",
                   ".svgz", ".shtml", ".php", ".phtml")
"""Files that a browser runs as a page or a script when they are opened from the site
(or a web server runs as a program), so that one in static/ would run on the site's
own address. Any part of the name counts (`x.html.pdf`): some servers read them all."""
ACTIVE_NAMES = (".htaccess",)
"""Files that change how an Apache server treats the files beside them."""


def static_problems(path: Path, name: str) -> list[Problem]:
    """Why a file in static/ cannot be published: its type by name, and an SVG image
    that is not plain graphics (`svg_problems`). The contents of other files are not
    looked at."""
    file_name = nfc(path.name).lower()
    active = [suffix for suffix in PurePosixPath(file_name).suffixes if suffix in ACTIVE_SUFFIXES]
    if active or file_name in ACTIVE_NAMES:
        return [Problem(name, None, say(
            "files of this type ({kind}) are not published from static/: a browser would "
            "run them as a page or a script on the site's own address. Publish the content "
            "as a PDF or an image instead, or remove the file.",
            kind=active[0] if active else file_name))]
    if file_name.endswith(".svg"):
        return svg_problems(path, name)
    return []


SVG_NS = "http://www.w3.org/2000/svg"
_XHTML_NS = "http://www.w3.org/1999/xhtml"
_SVG_REFUSED = {"script", "foreignobject", "iframe", "embed", "object", "a", "handler",
                "listener"}
"""Elements that run script, hold a web page or link out, in any namespace."""
_ANIMATIONS = {"animate", "animatemotion", "animatetransform", "animatecolor", "set"}
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_UNSAFE = re.compile(r"@import|javascript:|expression\(|\\|url\((?!['\"]?#)")
"""In a style, or any attribute: an import, a script address, a CSS escape (which can
spell either), and url() other than a local '#id' (gradients use url(#id))."""
MAX_SVG_PROBLEMS = 10


class _SvgStop(Exception):
    pass


def svg_problems(path: Path, name: str) -> list[Problem]:
    """Problems that keep an SVG image from being published: anything but plain graphics.

    An SVG opened from the site is a document on the site's own address, so it must
    not carry script, event handlers, links, frames, other documents, animations of
    links, addresses of other files (only '#id' inside the image), styles that import
    or load, processing instructions, or a <!DOCTYPE> (which can declare entities).
    Read with expat, with no DTD and no entities."""
    problems: list[Problem] = []
    state = {"root": True, "style": 0, "text": []}
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(what, stop: bool = False) -> None:
        problems.append(Problem(name, parser.CurrentLineNumber, say(
            "this SVG image contains {what}, which could run script or load other files on "
            "the site's own address. Export the image as PNG, or remove it from the SVG.",
            what=what)))
        if stop or len(problems) >= MAX_SVG_PROBLEMS:
            raise _SvgStop

    def local(qualified: str) -> tuple[str, str]:
        space, _, tag = qualified.rpartition(" ")
        return space, tag

    def start(qualified: str, attributes: dict) -> None:
        space, tag = local(qualified)
        element = tag.lower()
        if state["root"]:
            state["root"] = False
            if element != "svg" or space not in ("", SVG_NS):
                problems.append(Problem(name, parser.CurrentLineNumber, say(
                    "this file is not an SVG image (it starts with <{element}>); export "
                    "the image as SVG or PNG.", element=tag)))
                raise _SvgStop
        if element in _SVG_REFUSED or space == _XHTML_NS:
            refuse(say("the element <{element}>", element=tag))
        if element == "style":
            state["style"] += 1
        for attribute_name, value in attributes.items():
            attribute = local(attribute_name)[1].lower()
            plain = "".join(value.split()).lower()
            if attribute.startswith("on"):
                refuse(say("the event attribute '{attribute}' on <{element}>",
                           attribute=local(attribute_name)[1], element=tag))
            elif attribute in ("href", "src") and not value.strip().startswith("#"):
                refuse(say("the address '{target}' in '{attribute}' on <{element}> (only "
                           "'#id' inside the image is allowed)", target=value,
                           attribute=local(attribute_name)[1], element=tag))
            elif element in _ANIMATIONS and attribute == "attributename" and (
                    local(plain.replace(":", " "))[1] == "href" or plain.startswith("on")):
                refuse(say("an animation of '{attribute}' on <{element}>",
                           attribute=value, element=tag))
            elif _CSS_UNSAFE.search(_CSS_COMMENT.sub("", plain)):
                refuse(say("'{text}' in '{attribute}' on <{element}>", text=value[:80],
                           attribute=local(attribute_name)[1], element=tag))

    def end(qualified: str) -> None:
        if local(qualified)[1].lower() == "style":
            state["style"] -= 1
            text = "".join(state["text"])
            state["text"] = []
            if _CSS_UNSAFE.search(_CSS_COMMENT.sub("", "".join(text.split()).lower())):
                refuse(say("a <style> element that imports or loads other files (@import, "
                           "url() or a CSS escape)"))

    def characters(data: str) -> None:
        if state["style"]:
            state["text"].append(data)

    def doctype(*_args) -> None:
        refuse(say("a <!DOCTYPE> declaration"), stop=True)

    def instruction(target: str, _data: str) -> None:
        refuse(say("the instruction <?{target}?>", target=target))

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except _SvgStop:
        pass
    except expat.ExpatError as exc:
        problems.append(Problem(name, exc.lineno, say(
            "this SVG image cannot be read ({reason}); export it again as SVG, or as PNG.",
            reason=expat.ErrorString(exc.code))))
    except OSError as exc:
        problems.append(Problem(name, None, say("the file cannot be read ({reason}).",
                                                reason=exc.strerror)))
    return problems


def static_source(root: Path, relative: str) -> Path:
    """The file on disk for a static path as listed (NFC): the names on disk may be NFD."""
    path = root / "static" / relative
    if path.exists():
        return path
    folder = root / "static"
    for part in relative.split("/"):
        names = {nfc(child.name): child for child in folder.iterdir()} if folder.is_dir() else {}
        folder = names.get(part, folder / part)
    return folder


def load_content(root: Path, known_fronts: Mapping[str, str] | None = None,
                 skip: Skip | None = None) -> RawContent:
    """Read site.yaml, departments.yaml, tags.yaml (optional), notices, programs and the
    static file list.

    `known_fronts` holds front matter parsed before (the `fronts` of an earlier
    RawContent, kept in a cache): a file whose front matter is there is not parsed.
    `skip` chooses notice files not to read (listed in `skipped`)."""
    if not root.is_dir():
        return RawContent(root, None, None, (), {}, (Problem(str(root), None,
                          say("the content directory {path} does not exist.",
                                           path=Path(os.path.abspath(root)))),))
    site, p1 = _read_yaml_file(root / "site.yaml", root)
    if site is None and not p1:
        p1 = [Problem(display_name(root / "site.yaml", root), None,
                      say("site.yaml is empty; it needs at least title, base_url and "
                          "languages."))]
    departments, p2 = _read_yaml_file(root / "departments.yaml", root)
    known, fronts = known_fronts or {}, {}
    notices, p3, skipped = _read_documents(root, "notice", "*/*.md", known, fronts, skip)
    programs, p4, _ = _read_documents(root, "program", "*.md", known, fronts)
    static_files, p5 = _static_files(root)
    labels = root / "tags.yaml"
    tags, p6 = (_read_yaml_file(labels, root) if labels.exists() or labels.is_symlink()
                else (None, []))
    problems = p1 + p2 + p3 + p4 + p5 + p6 + _unread_documents(root)
    return RawContent(root, site, departments, tuple(notices + programs),
                      static_files, tuple(problems), fronts, tags, tuple(skipped))


def load_notice(root: Path, path: Path, static_files: Mapping[str, int] | None = None
                ) -> RawContent | None:
    """The files of the one notice `path` belongs to (its primary and translations) and
    the static file list (`static_files` when it is known); None if `path` is not a
    notice file. For the preview, and for a build that reads only what changed."""
    notices = root / "notices"
    names = _language_of(path) if path.suffix == ".md" else None
    if names is None or path.parent.parent != notices:
        return None
    pattern = f"{glob.escape(path.parent.name)}/{glob.escape(names[0])}.*.md"
    docs, problems, _ = _read_documents(root, "notice", pattern, {}, {})
    static, more = _static_files(root) if static_files is None else (dict(static_files), [])
    return RawContent(root, None, None, tuple(d for d in docs if d.stem == nfc(names[0])),
                      static, tuple(problems + more))


def load_strings(folder: Path) -> tuple[dict[str, dict], list[Problem]]:
    """UI strings by language code, from <folder>/<lang>.yaml."""
    strings, problems = {}, []
    for path in sorted(folder.glob("*.yaml")):
        value, file_problems = _read_yaml_file(path, folder)
        problems += file_problems
        if isinstance(value, dict):
            strings[path.stem] = value
    return strings, problems
