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
from pathlib import Path
from typing import Any, Mapping

import yaml

from .errors import Problem, say

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


def parse_yaml(text: str, name: str, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    """YAML text -> (value with line marks, problems). Never raises for bad YAML."""
    loader = _LOADERS.get(line_offset)
    if loader is None:
        loader = _LOADERS[line_offset] = _make_loader(line_offset)
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
        return None, [Problem(name, line, say(
            "this is not valid YAML ({what}). Check the colons, quotes and indentation on "
            "this line.", what=what))]
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as exc:
        return None, [Problem(name, None, say("the YAML could not be read ({reason}).", reason=str(exc)))]
    problems = _check_values(value, name)
    return (None, problems) if problems else (value, [])


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


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def display_name(path: Path, root: Path) -> str:
    """How messages name a file: content/notices/2016/x.ko.md, in NFC."""
    text, top = str(path), str(root)
    if text.startswith(top + os.sep):
        return nfc(f"{root.name}/{text[len(top) + 1:]}".replace(os.sep, "/"))
    try:
        return nfc((Path(root.name) / path.relative_to(root)).as_posix())
    except ValueError:
        return nfc(str(path))


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


FRONT_FORMAT = "front-matter-json-1"


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
                       fronts: dict[str, str] | None = None
                       ) -> tuple[Any, str, list[Problem]]:
    """'---' YAML '---' body -> (front matter, body, problems).

    A front matter whose key is in `known` is decoded from there instead of parsed;
    every sound one read is added to `fronts`."""
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
    if known and key in known:
        try:
            front = decode_front(known[key])
            if fronts is not None:
                fronts[key] = known[key]
            return front, body, []
        except (ValueError, TypeError, KeyError, IndexError):
            pass  # a damaged entry: parse the text
    front, problems = parse_yaml(front_text, name, line_offset=0)
    if fronts is not None and not problems:
        encoded = encode_front(front)
        if encoded is not None:
            fronts[key] = encoded
    if front is None and not problems:
        front = LineDict()
        front.line, front.key_lines = 1, {}
    return front, body, problems


def _language_of(path: Path) -> tuple[str, str] | None:
    parts = nfc(path.name)[: -len(".md")].rsplit(".", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _read_documents(root: Path, kind: str, pattern: str, known: Mapping[str, str],
                    fronts: dict[str, str]) -> tuple[list[RawDocument], list[Problem]]:
    docs, problems = [], []
    folder = root / ("notices" if kind == "notice" else "programs")
    folders: dict[Path, bool] = {}
    for path in sorted(folder.glob(pattern), key=lambda path: path.parts):
        try:
            mode = path.lstat().st_mode
        except OSError:
            continue  # gone since it was listed
        link = stat.S_ISLNK(mode)
        if _outside(path, root, folders, link):
            problems.append(_link_out(path, root))
            continue
        if not (stat.S_ISREG(mode) or link and path.is_file()):
            continue
        name = display_name(path, root)
        stem_lang = _language_of(path)
        if stem_lang is None:
            problems.append(Problem(name, None, say(
                "the file name has no language code; name it like {stem}.ko.md or "
                "{stem}.en.md.", stem=nfc(path.stem))))
            continue
        text, read_problems = read_text(path, name)
        problems += read_problems
        if text is None:
            continue
        front, body, split_problems = split_front_matter(text, name, known, fronts)
        problems += split_problems
        if split_problems:
            continue
        docs.append(RawDocument(path, name, kind, stem_lang[0], stem_lang[1], front, body))
    return docs, problems


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
    """Path under static/ (in NFC) -> size; a link leading out of content/ is a problem."""
    static = root / "static"
    files, problems = {}, []
    if static.is_dir() and _outside(static, root):
        return files, [_link_out(static, root)]
    for path in sorted(static.rglob("*")) if static.is_dir() else ():
        if path.is_symlink() and _outside(path, root):
            problems.append(_link_out(path, root))
        elif path.is_file():
            files[nfc(path.relative_to(static).as_posix())] = path.stat().st_size
    return files, problems


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


def load_content(root: Path, known_fronts: Mapping[str, str] | None = None) -> RawContent:
    """Read site.yaml, departments.yaml, notices, programs and the static file list.

    `known_fronts` holds front matter parsed before (the `fronts` of an earlier
    RawContent, kept in a cache): a file whose front matter is there is not parsed."""
    if not root.is_dir():
        return RawContent(root, None, None, (), {}, (Problem(str(root), None,
                          say("the content directory does not exist.")),))
    site, p1 = _read_yaml_file(root / "site.yaml", root)
    if site is None and not p1:
        p1 = [Problem(display_name(root / "site.yaml", root), None,
                      say("site.yaml is empty; it needs at least title, base_url and "
                          "languages."))]
    departments, p2 = _read_yaml_file(root / "departments.yaml", root)
    known, fronts = known_fronts or {}, {}
    notices, p3 = _read_documents(root, "notice", "*/*.md", known, fronts)
    programs, p4 = _read_documents(root, "program", "*.md", known, fronts)
    static_files, p5 = _static_files(root)
    problems = p1 + p2 + p3 + p4 + p5
    return RawContent(root, site, departments, tuple(notices + programs),
                      static_files, tuple(problems), fronts)


def load_notice(root: Path, path: Path) -> RawContent | None:
    """The files of the one notice `path` belongs to (its primary and translations) and
    the static file list; None if `path` is not a notice file. For the preview."""
    notices = root / "notices"
    names = _language_of(path) if path.suffix == ".md" else None
    if names is None or path.parent.parent != notices:
        return None
    pattern = f"{glob.escape(path.parent.name)}/{glob.escape(names[0])}.*.md"
    docs, problems = _read_documents(root, "notice", pattern, {}, {})
    static_files, more = _static_files(root)
    return RawContent(root, None, None, tuple(d for d in docs if d.stem == nfc(names[0])),
                      static_files, tuple(problems + more))


def load_strings(folder: Path) -> tuple[dict[str, dict], list[Problem]]:
    """UI strings by language code, from <folder>/<lang>.yaml."""
    strings, problems = {}, []
    for path in sorted(folder.glob("*.yaml")):
        value, file_problems = _read_yaml_file(path, folder)
        problems += file_problems
        if isinstance(value, dict):
            strings[path.stem] = value
    return strings, problems
