"""Read the content directory into raw documents with line numbers.

Stage: load (the first of the two stages that touch the file system).
May import: stdlib, yaml, errors.

Nothing here knows what a field means: it splits front matter from the body,
parses YAML keeping the line of every key and list item, and reports files it
cannot read as problems instead of raising.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
        # An impossible date (2016-02-30) stays text, so validation can name its key's line.
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
    loader = _LOADERS.setdefault(line_offset, _make_loader(line_offset))
    try:
        return yaml.load(text, Loader=loader), []
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


def display_name(path: Path, root: Path) -> str:
    try:
        return (Path(root.name) / path.relative_to(root)).as_posix()
    except ValueError:
        return str(path)


def read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text with a BOM accepted and CRLF folded; a problem otherwise."""
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
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


_FENCE = re.compile(r"^---[ \t]*$", re.M)


def split_front_matter(text: str, name: str) -> tuple[Any, str, list[Problem]]:
    """'---' YAML '---' body -> (front matter, body, problems)."""
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
    front, problems = parse_yaml(front_text, name, line_offset=0)
    if front is None and not problems:
        front = LineDict()
        front.line, front.key_lines = 1, {}
    return front, body, problems


def _language_of(path: Path) -> tuple[str, str] | None:
    parts = path.name[: -len(".md")].rsplit(".", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _read_documents(root: Path, kind: str, pattern: str) -> tuple[list[RawDocument], list[Problem]]:
    docs, problems = [], []
    folder = root / ("notices" if kind == "notice" else "programs")
    for path in sorted(folder.glob(pattern)):
        if not path.is_file():
            continue
        name = display_name(path, root)
        stem_lang = _language_of(path)
        if stem_lang is None:
            problems.append(Problem(name, None, say(
                "the file name has no language code; name it like {stem}.ko.md or "
                "{stem}.en.md.", stem=path.stem)))
            continue
        text, read_problems = read_text(path, name)
        problems += read_problems
        if text is None:
            continue
        front, body, split_problems = split_front_matter(text, name)
        problems += split_problems
        if split_problems:
            continue
        docs.append(RawDocument(path, name, kind, stem_lang[0], stem_lang[1], front, body))
    return docs, problems


def _read_yaml_file(path: Path, root: Path) -> tuple[Any, list[Problem]]:
    name = display_name(path, root)
    if not path.is_file():
        return None, [Problem(name, None, say("{file} is missing; every site needs one.",
                                                   file=path.name))]
    text, problems = read_text(path, name)
    if text is None:
        return None, problems
    return parse_yaml(text, name)


def _static_files(root: Path) -> dict[str, int]:
    static = root / "static"
    files = {}
    for path in sorted(static.rglob("*")) if static.is_dir() else ():
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(static).as_posix()] = path.stat().st_size
    return files


def load_content(root: Path) -> RawContent:
    """Read site.yaml, departments.yaml, notices, programs and the static file list."""
    if not root.is_dir():
        return RawContent(root, None, None, (), {}, (Problem(str(root), None,
                          say("the content directory does not exist.")),))
    site, p1 = _read_yaml_file(root / "site.yaml", root)
    if site is None and not p1:
        p1 = [Problem(display_name(root / "site.yaml", root), None,
                      say("site.yaml is empty; it needs at least title, base_url and "
                          "languages."))]
    departments, p2 = _read_yaml_file(root / "departments.yaml", root)
    notices, p3 = _read_documents(root, "notice", "*/*.md")
    programs, p4 = _read_documents(root, "program", "*.md")
    problems = p1 + p2 + p3 + p4
    return RawContent(root, site, departments, tuple(notices + programs),
                      _static_files(root), tuple(problems))


def load_strings(folder: Path) -> tuple[dict[str, dict], list[Problem]]:
    """UI strings by language code, from <folder>/<lang>.yaml."""
    strings, problems = {}, []
    for path in sorted(folder.glob("*.yaml")):
        value, file_problems = _read_yaml_file(path, folder)
        problems += file_problems
        if isinstance(value, dict):
            strings[path.stem] = value
    return strings, problems
