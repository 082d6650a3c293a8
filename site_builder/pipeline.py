"""The stages up to the graph: load -> validate -> bodies -> graph, and what a page's
bytes are made from. `engine` composes them; nothing else does.

Stage: pipeline. May import: stdlib, jinja2, babel, errors, cache, load, validate, model,
markdown, parallel, urls, graph.
"""

from __future__ import annotations

import copyreg
import functools
import io
import os
import pickle
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Mapping
from zoneinfo import ZoneInfo

import babel
import jinja2
import jinja2.meta

from .cache import Cache, digest
from .errors import ContentError, Problem, say
from .graph import Bodies, ListEntry, Page, SiteGraph, build_graph
from .load import (Listed, RawContent, RawDocument, display_name, load_content, load_notice,
                   load_strings, nfc, read_listed, static_source)
from .markdown import ENGINE, render_body
from .model import Notice, Site, frozen_map
from .parallel import fork_map
from .urls import Urls
from .validate import (Group, NoticeCheck, doc_phones, notices_apart, validate_notice_alone,
                       validate_site)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
GENERATOR = digest(*(f"{p.name}\0{p.read_text('utf-8')}"
                     for p in sorted(Path(__file__).resolve().parent.glob("*.py"))),
                   jinja2.__version__, babel.__version__, ENGINE)
"""This generator's code: a new version of it may render other bytes."""


def load_site(content: Path, templates: Path = TEMPLATES, cache: Cache | None = None):
    """Read and validate: (site, UI strings, warnings), or ContentError with every problem.

    With a `cache`, front matter parsed by an earlier build is taken from it."""
    return read_site(content, templates, cache)[1:]


def read_site(content: Path, templates: Path = TEMPLATES, cache: Cache | None = None,
              reuse: bool = True) -> tuple[RawContent, Site, Mapping, tuple[Problem, ...]]:
    """`load_site` with the raw documents it read (for `check`'s line numbers).

    With a cache (and `reuse`), a notice whose files are as the last reading found them
    is not read nor checked again: what checking it gave comes from the cache (see
    `_Reuse`); `raw.documents` then holds only the files read."""
    if cache is None or cache.db is None:
        raw = load_content(content)
        site, problems = validate_site(raw)
    else:
        reusing = _Reuse(content, cache, reuse)
        raw, site, problems = reusing.read()
    strings, string_problems = load_strings(templates / "strings")
    problems += string_problems
    if site is not None:
        problems += _check_strings(site.config.languages, strings)
    errors = [p for p in problems if p.severity == "error"]
    if errors or site is None:
        raise ContentError(errors)
    return raw, site, strings, tuple(p for p in problems if p.severity != "error")


UNSURE_NS = 2_000_000_000
"""A file changed this close before it was read may change again with the same size and
time (file times are coarse on some file systems): what checking it gave is not kept."""


class _Reuse:
    """One reading of the content that takes the notices whose files did not change
    from the cache's `checked` entries.

    An entry is kept per notice (its folder and name) for one context: this generator's
    code, the content folder, and the bytes of site.yaml (the languages, time zone and
    address a notice is checked against; a change there checks every notice again). It
    holds each of its files' name, size, time and inode, and what checking them gave
    (`NoticeCheck`, pickled). It is used only while every file of the notice is as
    recorded (a new translation or a link makes it unused); a notice whose department,
    programs or attachments changed is read again (`validate._still_holds`). Only
    notices checked without an error are kept, so the problems are those of reading
    every file."""

    def __init__(self, content: Path, cache: Cache, reuse: bool):
        self.content, self.cache, self.reuse = content, cache, reuse
        self.context = self._context()
        self.scope = f"{self.content.absolute()}\0"
        """The start of the keys of this content folder's rows (a cache may serve several)."""
        self.started = time.time_ns()
        self.entries = cache.checked(self.context) if reuse and self.context else {}
        self.groups: dict[Group, list[Listed]] = {}
        self.reused: dict[Group, NoticeCheck] = {}
        self.front_keys: dict[Group, tuple[str, ...]] = {}
        self.again: list[RawDocument] = []
        self.known = _Fronts(cache)
        self.fronts: dict[str, str] = {}

    def _context(self) -> str:
        try:
            return digest(GENERATOR, CHECKED_FORMAT, str(self.content.absolute()),
                          (self.content / "site.yaml").read_bytes())
        except OSError:
            return ""

    def row(self, group: Group) -> str:
        """A notice's key in the cache: the content folder, the notice's folder under it
        (however the content folder was written) and its name."""
        folder, stem = group
        top = str(self.content) + os.sep
        inside = folder[len(top):] if folder.startswith(top) else os.path.relpath(folder, top)
        return f"{self.scope}{inside}\0{stem}"

    def skip(self, listed: list[Listed]) -> set[str]:
        for item in listed:
            self.groups.setdefault(item.group, []).append(item)
        chosen: set[str] = set()
        for group, items in self.groups.items():
            found = self.entries.get(self.row(group))
            if found is None or found[0] != _files(items):
                continue
            value = found[1].value()
            try:
                check, keys = pickle.loads(value) if value is not None else (None, ())
            except Exception:  # a row of another version: read the files
                continue
            if isinstance(check, NoticeCheck):
                self.reused[group] = check
                self.front_keys[group] = tuple(keys)
                chosen.update(str(item.path) for item in items)
        if len(chosen) < len(listed) / 2:  # most are read: the front matter all at once
            self.known.preload()
        return chosen

    def read_again(self, group: Group) -> list[RawDocument]:
        docs = []
        for item in self.groups.get(group, ()):
            doc, _ = read_listed(item, "notice", self.known, self.fronts)
            if doc is not None:
                docs.append(doc)
        self.again += docs
        return docs

    def read(self, retry: bool = True) -> tuple[RawContent, Site | None, list[Problem]]:
        raw = load_content(self.content, self.known, self.skip)
        checked: dict[Group, NoticeCheck] = {}
        site, problems = validate_site(raw, self.reused, checked, self.read_again)
        if self.context != self._context():  # the settings changed while they were read
            if retry:
                return _Reuse(self.content, self.cache, False).read(retry=False)
            return raw, site, problems
        if self.again:
            again = {doc.path for doc in self.again}
            raw = replace(raw, documents=raw.documents + tuple(self.again),
                          skipped=tuple(i for i in raw.skipped if i.path not in again))
        if self.context:
            self.store(raw, checked)
        return raw, site, problems

    def store(self, raw: RawContent, checked: dict[Group, NoticeCheck]) -> None:
        docs = {doc.path: doc for doc in raw.documents}
        rows: dict[str, tuple[str, bytes]] = {}
        kept = {group for group in self.reused if group not in checked}
        for group, check in checked.items():
            items = self.groups.get(group, [])
            names = {name for name, _ in check.phones}
            if {item.name for item in items} != names or any(
                    item.stamp is None or item.stamp[1] > self.started - UNSURE_NS
                    for item in items):
                continue  # another file in the group, a link, or a file just changed
            keys = tuple(docs[item.path].front_key for item in items if item.path in docs)
            check.notice.digests  # kept with it, so that its pages' recipes are quick
            rows[self.row(group)] = (_files(items), pickled((check, keys)))
            self.front_keys[group] = keys
        self.cache.store_checked(self.context, rows, {self.row(g) for g in kept}, self.scope)
        fronts = {**raw.fronts, **self.fronts}
        self.cache.keep_fronts({k: v for k, v in fronts.items() if k not in self.known.sound},
                               {key for keys in self.front_keys.values() for key in keys} |
                               self.known.sound)


@dataclass(frozen=True)
class ReadNotice:
    """A notice as a build read and checked it, without a problem: what the next build
    of the same output takes while its files are as they were (`read_changed`)."""

    notice: Notice
    files: tuple[tuple[str, tuple[int, int, int]], ...]
    """Its files (under the content folder), each with its size, time and inode."""
    read_at: int
    """When those were taken (ns): a file changed less than `UNSURE_NS` before is read
    again."""


def notice_group(path: str) -> str | None:
    """The notice a file under the content folder is read into, as its folder and name
    without the language (notices/2016/x.ko.md -> 2016/x); None for a file no notice is
    read from."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != "notices" or not parts[2].endswith(".md"):
        return None
    stem = parts[2][: -len(".md")].rsplit(".", 1)
    return nfc(f"{parts[1]}/{stem[0]}") if len(stem) == 2 else None


def _grouped(files: Mapping[str, tuple[int, int, int]]
             ) -> tuple[dict[str, list[str]], dict[str, tuple[int, int, int]]]:
    """The notice files by `notice_group`, and the files no notice is read from."""
    groups: dict[str, list[str]] = defaultdict(list)
    others = {}
    for rel, stamp in files.items():
        key = notice_group(rel)
        if key is None:
            others[rel] = stamp
        else:
            groups[key].append(rel)
    return groups, others


def read_notices(content: Path, site: Site, files: Mapping[str, tuple[int, int, int]],
                 read_at: int) -> dict[str, ReadNotice] | None:
    """The site's notices by `notice_group`, with `files` (the notice files as listed
    at `read_at`, before they were read): what `read_changed` takes. None unless each
    notice is the files of one group and each group one notice."""
    shown = {display_name(content / rel, content): rel for rel in files}
    groups, _ = _grouped(files)
    found: dict[str, ReadNotice] = {}
    for notice in site.notices:
        mine = sorted(shown.get(text.source, "") for text in notice.texts.values())
        key = notice_group(mine[0]) if mine and all(mine) else None
        if key is None or key in found or sorted(groups.get(key, ())) != mine:
            return None
        found[key] = ReadNotice(notice, tuple((rel, files[rel]) for rel in mine), read_at)
    return found if found.keys() == groups.keys() else None


def read_changed(content: Path, site: Site, known: Mapping[str, ReadNotice],
                 static_files: Mapping[str, int], files: Mapping[str, tuple[int, int, int]],
                 last: Mapping[str, tuple[int, int, int]], read_at: int, most: int = 100
                 ) -> tuple[Site, dict[str, ReadNotice | None], tuple[str, ...]] | None:
    """The site a build that reads every file finds, made from what the last build found:
    `site` (valid without a warning, its notices left out, and with `static_files`), its
    notices (`known`) and notice files (`last`). Only the notices whose files are not
    as `known` holds them are read and checked again (against `site`), with the rules
    across notices checked on all of them. Gives the site, the notices read again or
    gone (by group, gone as None) and the files read; None when only reading every file
    can tell the site: a problem or a warning, a notice file in another place, or more
    than `most` notices to read."""
    groups, others = _grouped(files)
    if any(last.get(rel) != stamp for rel, stamp in others.items()) or any(
            rel not in files and notice_group(rel) is None for rel in last):
        return None  # a file no notice is read from changed: the full reading says what
    again = []
    for key, rels in groups.items():
        entry = known.get(key)
        if entry is None or entry.files != tuple((rel, files[rel]) for rel in sorted(rels)) or \
                any(stamp[1] > entry.read_at - UNSURE_NS for _, stamp in entry.files):
            again.append(key)
    if len(again) > most:
        return None
    changed: dict[str, ReadNotice | None] = dict.fromkeys(known.keys() - groups.keys())
    read: list[str] = []
    for key in sorted(again):
        rels = sorted(groups[key])
        raw = load_notice(content, content / rels[0], static_files)
        if raw is None or raw.problems or not raw.documents or \
                any(doc_phones(doc) for doc in raw.documents):
            return None
        notice, problems = validate_notice_alone(site, list(raw.documents), raw.static_files)
        if notice is None or problems:
            return None
        changed[key] = ReadNotice(notice, tuple((rel, files[rel]) for rel in rels), read_at)
        read += [doc.name for doc in raw.documents]
    notices = [entry.notice for key, entry in {**known, **changed}.items() if entry is not None]
    if not notices_apart(site, notices):
        return None
    notices.sort(key=lambda n: (n.release, n.slug), reverse=True)
    return replace(site, notices=tuple(notices)), changed, tuple(read)


CHECKED_FORMAT = "checked-1"
"""Changed whenever what a `checked` entry holds changes shape."""


def _files(items: list[Listed]) -> str:
    """The files of a notice as found (in the order found, which is the same each time),
    with their size, time and inode; a link has none (it is never reused)."""
    return "\0".join(f"{item.name}|{item.stamp}" for item in items)


class _Pickler(pickle.Pickler):
    """The model's read-only mappings (`frozen_map`) are pickled as what they are."""

    dispatch_table = {**copyreg.dispatch_table,
                      MappingProxyType: lambda mapping: (frozen_map, (dict(mapping),))}


def pickled(value) -> bytes:
    """`value` pickled, the model's read-only mappings as what they are."""
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


class _Fronts(Mapping):
    """The cache's parsed front matter, looked up one by one (a build that reads few
    files asks for few); `sound` is every key found."""

    def __init__(self, cache: Cache):
        self.cache, self.sound = cache, set()
        self.found: dict[str, str | None] = {}
        self.everything = False

    def preload(self) -> None:
        """Every sound entry at once (quicker when most files are read)."""
        if not self.everything:
            self.everything = True
            self.found.update(self.cache.fronts())
            self.sound.update(self.found)

    def __getitem__(self, key: str) -> str:
        if key not in self.found:
            if self.everything:
                raise KeyError(key)
            self.found[key] = self.cache.front(key)
            if self.found[key] is not None:
                self.sound.add(key)
        value = self.found[key]
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __bool__(self) -> bool:
        return True

    def __iter__(self):
        return iter(k for k, v in self.found.items() if v is not None)

    def __len__(self) -> int:
        return len(self.sound)


def _check_strings(languages, strings) -> list[Problem]:
    keys = {lang: set(strings.get(lang, {})) for lang in languages}
    everything = set().union(*keys.values())
    return [Problem(f"templates/strings/{lang}.yaml", None,
                    say("UI text is missing for: {keys}.", keys=", ".join(sorted(everything - have))))
            for lang, have in keys.items() if everything - have]


def page_sources(graph: SiteGraph, strings, env: jinja2.Environment, templates: Path,
                 views: Mapping[str, str] | None = None) -> list[str]:
    """For each page, a digest of everything its bytes are made from.

    A notice page's is a digest of digests: its notice's in its language (`Notice.digests`, kept with the
    notice in the cache) and the site's but its notices (`_shown_with`), with its
    language and whether it is embargoed, which is all its view, addresses and feed
    links are made from (`graph.notice_view`, `_PageBuilder.notice_page`). Any other
    page's is a digest of all it holds."""
    common = digest(GENERATOR, repr(graph.site.config), repr(sorted(strings.items())))
    closures: dict[str, str] = {}
    for page in graph.pages:
        if page.template not in closures:
            closures[page.template] = digest(common, *template_sources(env, templates,
                                                                       page.template))
    views = view_digests(graph) if views is None else views
    entries: dict[int, tuple[ListEntry, str]] = {}
    return [digest(closures[page.template], page.kind, views[page.url])
            if page.notice is not None and page.url in views else
            digest(closures[page.template], *_listing_parts(page, entries))
            for page in graph.pages]


def _listing_parts(page: Page, known: dict[int, tuple[ListEntry, str]]) -> list[str]:
    """What a page other than a notice's is made from: all it holds, a list of notices
    (`ListEntry`, one object for every list in a language that shows the notice) by
    each entry's digest, worked out once."""
    parts = [repr(replace(page, context=frozen_map({})))]
    for key, value in page.context.items():
        if isinstance(value, (list, tuple)) and value and all(
                type(item) is ListEntry for item in value):
            parts += [key, type(value).__name__]
            for item in value:
                found = known.get(id(item))
                if found is None:  # kept with its digest, so that its id stays its own
                    found = known[id(item)] = (item, digest(repr(item)))
                parts.append(found[1])
        else:
            parts += [key, repr(value)]
    return parts


def view_digests(graph: SiteGraph) -> dict[str, str]:
    """The address of each notice page -> a digest of what the page shows."""
    shared = _shown_with(graph.site)
    now = graph.now
    return {page.url: digest(shared, page.notice.digests[page.lang], page.lang,
                             "embargoed" if page.notice.release > now else "")
            for page in graph.pages if page.notice is not None}


def _shown_with(site: Site) -> str:
    """What a notice's page and feed items show of the rest of the site: the settings,
    departments, programs and tag labels (not the static files: a notice's own
    attachments, with their sizes, are in its digest)."""
    return digest(GENERATOR, repr(replace(site, notices=(), static_files=())))


def feed_sources(graph: SiteGraph, views: Mapping[str, str] | None = None) -> list[str]:
    """For each feed, a digest of everything its bytes are made from: its items by
    their pages' digests (`view_digests`)."""
    common = digest(GENERATOR, repr(graph.site.config))
    views = view_digests(graph) if views is None else views
    return [digest(common, repr(replace(spec, items=())),
                   *(views.get(item.url) or repr(item) for item in spec.items))
            for spec in graph.feeds]


def template_sources(env: jinja2.Environment, templates: Path, name: str) -> list[str]:
    """The text of a template and of every template it extends or includes; every
    template's when one of them names another by an expression."""
    seen: dict[str, str] = {}
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        try:
            source = env.loader.get_source(env, current)[0]  # type: ignore[union-attr]
            referenced = _references(source)
        except jinja2.TemplateError:
            referenced = [None]  # the render reports it
            source = ""
        seen[current] = source
        if None in referenced:
            return [f"{p.relative_to(templates).as_posix()}\0{p.read_text('utf-8', 'replace')}"
                    for p in sorted(templates.rglob("*.html")) + sorted(templates.rglob("*.xml"))]
        waiting.extend(r for r in referenced if r is not None)
    return [f"{n}\0{seen[n]}" for n in sorted(seen)]


@functools.lru_cache(maxsize=256)
def _references(source: str) -> tuple[str | None, ...]:
    """The templates a template's text names (None for a name given by an expression)."""
    return tuple(jinja2.meta.find_referenced_templates(_PARSER.parse(source)))


_PARSER = jinja2.Environment()
"""Only to find what templates name; our settings do not change that."""


def render_bodies(site: Site, base_path: str, cache: Cache, workers: int | None = None
                  ) -> tuple[Bodies, int]:
    """Every Markdown body rendered once: from the cache when its text is unchanged,
    else on all cores; the cache then holds exactly the bodies of this site. Gives the
    bodies and how many of them were rendered (not from the cache)."""
    texts = sorted({t.body for n in site.notices for t in n.texts.values()} |
                   {t.body for p in site.programs.values() for t in p.texts.values()})
    keys = {body: digest(ENGINE, base_path, body) for body in texts}
    known = cache.bodies(keys.values())
    missing = [body for body in texts if keys[body] not in known]
    fresh = dict(zip((keys[body] for body in missing),
                     fork_map(lambda body: render_body(body, base_path), missing, workers)))
    cache.store_bodies(fresh, keep=set(keys.values()))
    results = {**known, **fresh}
    return (lambda body: results[keys[body]]), len(missing)


def assets(content: Path, graph: SiteGraph, templates: Path = TEMPLATES
           ) -> list[tuple[str, Path]]:
    """Files copied as they are: the theme's assets and the content's static files."""
    theme = [(f"assets/{p.relative_to(templates / 'assets').as_posix()}", p)
             for p in sorted((templates / "assets").rglob("*")) if p.is_file()]
    return theme + [(f"static/{path}", static_source(content, path))
                    for path in graph.static_files]
