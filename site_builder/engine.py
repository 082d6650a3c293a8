"""The engine: the one way every command goes through the stages.

Stage: engine. May import: stdlib, errors, cache, lock, load, model, validate, markdown,
parallel, urls, graph, render, feeds, sitemap, search, write, pipeline, words.

`plan` reads, checks and links up the site (pipeline: load -> validate -> bodies ->
graph) and lists its targets: every file of the site, with a digest of what it is made
from (its recipe) and how to make its bytes. A `Session` owns the cache and what the
last build wrote, and turns a plan into an output: `build` (staged and swapped in whole,
for build.py and publish), `refresh` and `update` (in place, for the preview: the whole
site, or at once the pages of the one notice just edited), `check` (rendered in memory,
written nowhere). No command composes the stages itself.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import pickle
import secrets
import shutil
import stat
import threading
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from time import time_ns
from typing import Callable, Iterable, Iterator, Mapping
from zoneinfo import ZoneInfo

from .cache import Cache, digest
from .errors import ContentError, Problem, SiteError, Text
from .feeds import render_feed
from .graph import Page, SiteGraph, build_graph, notice_pages
from .load import RawContent, load_notice
from .markdown import ENGINE, render_body
from .model import Site
from .parallel import fork_map, workers_available
from .pipeline import (GENERATOR, TEMPLATES, ReadNotice, assets, feed_sources, page_sources,
                       pickled, read_changed, read_notices, read_site, render_bodies,
                       view_digests)
from .render import make_environment, render_page, site_context
from .search import (ChangedIndex, EarlyIndex, Guess, IndexRecord, guess_part, index_site,
                     indexed_digest)
from .sitemap import render_robots, render_sitemap, sitemap_entries
from .urls import Urls, search_shard_pages
from .validate import validate_notice_alone
from .lock import hold
from .words import SearchWords, start_early
from .write import (FileBytes, FileRecord, Made, check_output_dir, file_record, real_output,
                    recipes_of, remove_now, replace_file, spare_of, spare_usable,
                    staging_folder, update_site, write_site)

@dataclass(frozen=True)
class Target:
    """One file of the site."""

    path: str
    """Where it goes, under the output folder."""
    recipe: str
    """A digest of everything its bytes are made from ('' for a file always made)."""
    make: Callable[[], bytes]
    indexed: bool
    """Whether the search index reads it (a notice's page)."""
    page: Page | None = None
    """The page it renders (None for a feed, the sitemap...)."""


@dataclass(frozen=True)
class Plan:
    """The site as published at one moment, and every file it is made of."""

    graph: SiteGraph
    strings: Mapping
    warnings: tuple[Problem, ...]
    targets: tuple[Target, ...]
    static: tuple[tuple[str, Path], ...]
    """Files copied as they are: (path under the output, the file copied)."""
    raw: RawContent | None = None
    read: tuple[str, ...] = ()
    """The notice and program files read (the others were unchanged: their checks came
    from the cache)."""
    words: SearchWords | None = None
    """The Korean notice pages' helper words, for the pages made (`prepare` them first)."""
    bodies: int = 0
    """Markdown bodies rendered (the others came from the cache)."""
    static_sizes: Mapping[str, int] = field(default_factory=dict)
    """The content's static files (under static/) with their sizes."""
    changed: Mapping[str, ReadNotice | None] | None = None
    """When the notices came from the last build's (`Known`): those read again, by
    `pipeline.notice_group` (None: gone). None when every notice file was listed and
    checked."""

    @functools.cached_property
    def uses(self) -> Mapping[str, frozenset[str]]:
        """A notice's primary file, or `department:<id>` / `program:<id>` -> the paths of
        the targets made from it (its pages, the lists, term pages and feeds that show
        it). Worked out when asked: a build that compares recipes does not need it."""
        return uses_of(self.graph)


def targets(graph: SiteGraph, strings: Mapping, templates: Path = TEMPLATES,
            words: SearchWords | None = None) -> tuple[Target, ...]:
    """Every generated file of the graph, in the order they are written. With `words`,
    each Korean notice page gets its helper words as it is made (a page's recipe does
    not name them: they are made from what its notice's digest covers)."""
    env = make_environment(templates)
    common = site_context(graph, strings)
    urls = graph.urls
    helped = words.helped if words is not None else (lambda page: page)

    def page_maker(page: Page) -> Callable[[], bytes]:
        # a template's mistake: file:line
        return lambda: render_page(env, helped(page), common)

    views = view_digests(graph)
    found = [Target(urls.output_path(page.url), recipe, page_maker(page), page.kind == "notice",
                    page)
             for page, recipe in zip(graph.pages,
                                     page_sources(graph, strings, env, templates, views))]
    found += [Target(urls.output_path(spec.url), recipe,
                     lambda spec=spec: render_feed(spec, urls), False)
              for spec, recipe in zip(graph.feeds, feed_sources(graph, views))]
    entries = sitemap_entries(graph)
    found += [Target("sitemap.xml", digest(GENERATOR, repr(graph.site.config), repr(entries)),
                     lambda: render_sitemap(graph, entries), False),
              Target("robots.txt", "", lambda: render_robots(graph), False)]
    return tuple(found)


def uses_of(graph: SiteGraph) -> dict[str, frozenset[str]]:
    """For each notice, department and program, the targets made from it."""
    site, urls, primary = graph.site, graph.urls, graph.site.config.primary
    notice_of = {urls.notice(lang, n): n.texts[primary].source
                 for n in site.notices for lang in n.texts}
    used: dict[str, set[str]] = {}

    def mentioned(value, found: set[str]) -> None:
        if isinstance(value, (tuple, list)):
            for item in value:
                mentioned(item, found)
        elif isinstance(value, Mapping):
            for item in value.values():
                mentioned(item, found)
        elif hasattr(value, "__dataclass_fields__"):
            url = getattr(value, "url", None)
            if url in notice_of:
                found.add(notice_of[url])

    for page in graph.pages:
        found: set[str] = set()
        if page.url in notice_of:
            found.add(notice_of[page.url])
        mentioned(page.context, found)
        for key in found:
            used.setdefault(key, set()).add(urls.output_path(page.url))
    for spec in graph.feeds:
        for item in spec.items:
            used.setdefault(notice_of.get(item.url, item.url), set()).add(
                urls.output_path(spec.url))
    for notice in site.notices:
        key = notice.texts[primary].source
        for program in notice.programs:
            used.setdefault(f"program:{program}", set()).update(used.get(key, ()))
        used.setdefault(f"department:{notice.department}", set()).update(used.get(key, ()))
    return {key: frozenset(paths) for key, paths in sorted(used.items())}


def plan(content: Path, now: datetime, templates: Path = TEMPLATES, cache: Cache | None = None,
         include_drafts: bool = False, include_unreleased: bool = False,
         keep_raw: bool = False, known: Known | None = None) -> Plan:
    """The site as published at `now` (a time without an offset is in the site's time
    zone), or ContentError with every problem of the content. With `known` (what the
    last build found), only the notices whose files changed are read, if that can tell."""
    cache = cache or Cache(None)
    analyzer = start_early(cache)  # loads while the content is read, if words are to split
    try:
        changed = known.read(content) if known is not None and not keep_raw else None
        if changed is not None:
            site, notices_read, names = changed
            raw, strings, warnings = RawContent(content, None, None, (), dict(
                known.static_files)), known.strings, ()
        else:
            # `check` needs every document for its line numbers: it reads them all.
            raw, site, strings, warnings = read_site(content, templates, cache,
                                                     reuse=not keep_raw)
            notices_read, names = None, tuple(doc.name for doc in raw.documents)
        if now.tzinfo is None:
            now = now.replace(tzinfo=ZoneInfo(site.config.timezone))
        # Publication is decided once, here, from `now`: nothing later looks at a clock.
        bodies, rendered = render_bodies(site, Urls(site.config).base, cache)
        graph = build_graph(site, now, include_drafts, include_unreleased, bodies, strings)
    except BaseException:
        if analyzer is not None:
            analyzer.stop()
        raise
    words = SearchWords(site, cache, pages=sum(map(SearchWords.wanted, graph.pages)),
                        early=analyzer)
    return Plan(graph, strings, warnings, targets(graph, strings, templates, words),
                tuple(assets(content, graph, templates)), raw if keep_raw else None,
                names, words, rendered, raw.static_files, notices_read)


def render_files(graph: SiteGraph, strings, templates: Path = TEMPLATES) -> dict[str, bytes]:
    """Every generated file's bytes, all rendered (for `check`, which writes nothing)."""
    return {target.path: target.make() for target in targets(graph, strings, templates)}


def _contents(plan: Plan, made_from: Mapping[str, str], made: list[str],
              workers: int | None = None) -> Iterator[tuple[str, FileBytes]]:
    """Every target as the writer takes it. A target whose recipe is the one the last
    build recorded for its path is not made: the old file is kept (and made only if it
    cannot be); the others are made on all cores. `made` receives the path of each
    target with a recipe that was made."""
    kept = [bool(t.recipe) and made_from.get(t.path) == t.recipe for t in plan.targets]
    _prepare(plan, [t for t, k in zip(plan.targets, kept) if not k])
    fresh = fork_map(lambda target: target.make(),
                     [t for t, k in zip(plan.targets, kept) if not k and t.recipe], workers)
    for target, keep in zip(plan.targets, kept):
        if not target.recipe:
            yield target.path, target.make()
        elif keep:
            yield target.path, Made(target.recipe, make=lambda target=target: _made(
                target, target.make(), made))
        else:
            yield target.path, _made(target, next(fresh), made)


def _prepare(plan: Plan, made: Iterable[Target]) -> None:
    """What the targets about to be made need worked out before the render workers are
    forked: their pages' helper words."""
    if plan.words is not None:
        plan.words.prepare(t.page for t in made if t.page is not None)
        plan.words.close()  # the analyzer started early, if no word needed it


def _made(target: Target, data: bytes, made: list[str]) -> Made:
    made.append(target.path)
    return Made(target.recipe, data, search=indexed_digest(data) if target.indexed else "")


@dataclass(frozen=True)
class BuildReport:
    notices: int
    """Published notices."""
    pages: int
    feeds: int
    files: int
    embargoed: int
    """Notices waiting for their release time."""
    next_release: datetime | None
    """When the first of them is released."""
    drafts: int
    warnings: tuple[Problem, ...]
    unchanged: bool = False
    """Nothing had changed since the last build: nothing was done."""
    made: tuple[str, ...] = ()
    """The pages and feeds whose bytes this build made (the others were kept)."""
    bodies: int = 0
    """Markdown bodies this build rendered (the others came from the cache)."""
    read: tuple[str, ...] = ()
    """The content files this build read and checked (what checking the others gave
    came from the last build or the cache)."""


@dataclass(frozen=True)
class Memory:
    """What a preview's last good build leaves for the updates after it (it travels
    pickled from the process that built it)."""

    files: Mapping[str, FileRecord]
    """What the writer recorded of every file it wrote."""
    static: tuple[tuple[str, Path], ...]
    site: Site
    """The site without its notices: what one edited notice is checked against."""
    strings: Mapping
    notice_urls: Mapping[str, str]
    """The address of each notice page -> the notice's primary file."""
    parts: Mapping[str, IndexRecord]
    """The search index's parts in the preview."""
    made: tuple[str, ...] = ()
    """The pages and feeds this refresh made (the others were kept)."""
    bodies: int = 0
    """Markdown bodies this refresh rendered (the others came from the cache)."""


@dataclass(frozen=True)
class Refreshed:
    """A preview build: its memory, or why it failed."""

    memory: Memory | None
    problems: tuple[Problem, ...] = ()
    error: Text | str | None = None
    """A fault that is not the content's (a template's mistake, a full disk)."""


@dataclass(frozen=True)
class Checked:
    """The site rendered in memory, for `check`."""

    plan: Plan
    files: Mapping[str, bytes]


class Session:
    """One content folder built again and again: owns the cache and what the last build
    of each output wrote, so that each build does only the work whose inputs changed."""

    def __init__(self, content: Path, templates: Path = TEMPLATES, cache: Cache | None = None,
                 include_drafts: bool = False):
        self.content, self.templates = content, templates
        self.cache = cache or Cache(None)
        self.include_drafts = include_drafts
        self.memory: Memory | None = None
        """The preview's last good build (None before it, and while it shows errors)."""
        self._memory_lock = threading.Lock()

    def plan(self, now: datetime, include_unreleased: bool = False, keep_raw: bool = False,
             known: Known | None = None) -> Plan:
        return plan(self.content, now, self.templates, self.cache, self.include_drafts,
                    include_unreleased, keep_raw, known)

    # -- build.py and publish: staged, swapped in whole ---------------------------------
    def build(self, output: Path, now: datetime, progress: Callable | None = None,
              discard: Callable[[Path], None] = remove_now, wait: bool = True,
              waiting: Callable[[Path, int | None], None] | None = None) -> BuildReport:
        """The whole site into `output`; `progress(files, total)` may wrap the rendering.

        One build at a time writes an output and a cache: a second one waits for the
        first (`waiting` is told once), or with `wait` false fails at once."""
        output = real_output(output)
        check_output_dir(output)
        cache = self.cache
        cache_lock = hold(cache.path, wait, waiting) if cache.path and cache.db else \
            contextlib.nullcontext()
        with hold(output, wait, waiting), cache_lock:
            return self._build(output, now, progress, discard)

    def _build(self, output: Path, now: datetime, progress: Callable | None,
               discard: Callable[[Path], None]) -> BuildReport:
        cache, site_key = self.cache, str(output)
        listed = input_stamp(self.content, self.templates, self.include_drafts)
        inputs = listed.stamp
        # Nothing to do when no file changed, the output is as it was left, and no
        # release time or new day (program status) has come since the last build.
        last = cache.last_build(site_key)
        previous = cache.files(site_key)
        if last is not None and last["inputs"] == inputs and _still_valid(last, now) and \
                _untouched(output, previous):
            return replace(BuildReport(**{k: v for k, v in last["report"].items()
                                          if k != "next_release"}, warnings=(), unchanged=True,
                                       next_release=_moment(last["report"]["next_release"])))
        cache.forget_build(site_key)
        # The spare (the site before the last) is brought up to date when its records
        # say what it holds; they are forgotten before it is touched, so that a build
        # stopped meanwhile leaves a spare the next one discards.
        spare_key = f"spare:{site_key}"
        spare, spare_parts = cache.files(spare_key), cache.parts(spare_key)
        spare_folder = spare_of(output)
        # One notice edited since the last build: its part of the search index starts
        # now, on the pages the edit is guessed to give, beside the plan (the spare's
        # records forgotten first, as it is touched).
        tree = output.parent / f".{output.name}.quick-{os.getpid()}"
        sketch = self._sketch(site_key, listed) if previous else None
        guesses = self._guess(output, sketch, listed, previous, cache.parts(site_key), tree,
                              spare_folder, now, lambda: cache.forget_records(spare_key)) \
            if sketch is not None and spare and spare_usable(output) else {}
        with collector_spared() as model_made:
            try:
                known = self._known(site_key, sketch, listed)
                planned = self.plan(now, known=known)
            except BaseException:
                _drop(guesses, tree)
                raise
            model_made()
            graph = planned.graph
            old_parts = cache.parts(site_key)
            cache.forget_records(spare_key)
            # Where the spare's replaced search-index parts go, removed after the build.
            trash = output.parent / f".{output.name}.old-{os.getpid()}"
            # Rendering is lazy; write_site consumes it into the staging directory, so an
            # error in any page leaves the previous output untouched.
            # The search index is built over the new site before it replaces the old one:
            # each part that cannot be reused as soon as its pages are written, the rest
            # when the whole site is.
            # (Only into a new staging folder: a spare's parts are replaced when its
            # pages are all written.)
            # One Pagefind run fewer than the cores beside the render workers: a second
            # run would hold its part's index in memory without finishing sooner.
            # (Into a spare: the parts whose pages changed, as soon as they are written.)
            early = EarlyIndex(staging_folder(output), graph.search_shards,
                               [t.path for t in planned.targets if t.indexed], old_parts,
                               max(1, workers_available() - 1)) \
                if not (spare and spare_usable(output)) else \
                _changed_index(spare_folder, planned, previous, spare, old_parts, spare_parts,
                               guesses)
            # And the cores it leaves to the render workers: Pagefind is the longer part
            # of a build that indexes as it writes, so a render worker beside it would
            # only add its copy of the site's memory (a few hundred MB at 10,000).
            render_workers = max(1, workers_available() - early.workers) \
                if early is not None and not isinstance(early, ChangedIndex) and early.parts \
                else None
            made: list[str] = []
            files: Iterable = _contents(planned, recipes_of(previous), made, render_workers)
            if progress is not None:
                files = progress(files, len(planned.targets))

            def finish(new_site: Path, old_site: Path, records) -> dict[str, IndexRecord]:
                started = early
                if early is not None and early.root != new_site:  # the spare was in the way
                    early.stop()
                    started = None
                return index_site(new_site, list(graph.search_shards), records, old_site,
                                  old_parts, workers=workers_available(),
                                  present=spare_parts if new_site == spare_folder else None,
                                  trash=trash, early=started)

            if early is not None:
                files = early.watch(files)
            try:
                written = write_site(output, files, planned.static, finish=finish,
                                     previous=previous, discard=discard, spare=spare,
                                     keep_spare=True, stop=early.stop if early else None)
            finally:
                planned.words.close()
                if early is not None:
                    early.stop()  # what still runs after an error
                _drop(guesses, tree)
                if trash.is_dir():
                    discard(trash)
            report = replace(_report(planned, written.count), made=tuple(made),
                             bodies=planned.bodies, read=planned.read)
            published = any(page.kind == "notice" for page in graph.pages)
            summary = {k: v for k, v in asdict(report).items()
                       if k not in ("warnings", "unchanged", "made", "bodies", "read")}
            parts = {shard: part for shard, part in written.finished.items() if part}
            if written.spare:
                cache.store_records(spare_key, previous, old_parts)
            cache.store_build(site_key, dict(written.files), parts, {
                "inputs": inputs if published and not planned.warnings else "",
                "from": graph.now.isoformat(),
                "until": _valid_until(graph.now, graph, graph.site.config.timezone),
                "report": {**summary, "next_release": report.next_release.isoformat()
                           if report.next_release else None}})
            base, newer = self._remember(site_key, listed, planned, known)
            cache.store_sketch(site_key, pickled(Sketch(
                listed.rest, listed.notices, replace(graph.site, notices=()),
                planned.strings, _notice_urls(graph), tuple(graph.search_shards), base,
                newer)))
            return report

    def _sketch(self, site_key: str, listed: Inputs) -> Sketch | None:
        """The sketch the last build of the output left, if it was made from the same
        files but the notices'."""
        value = self.cache.sketch(site_key)
        try:
            sketch = pickle.loads(value) if value else None
        except Exception:  # a sketch of another version
            return None
        return sketch if isinstance(sketch, Sketch) and sketch.rest == listed.rest else None

    def _known(self, site_key: str, sketch: Sketch | None, listed: Inputs) -> Known | None:
        """What the last build found of the site, for this one to read only the notices
        whose files changed (None: every file is read)."""
        if sketch is None or not sketch.base or listed.links:
            return None
        value = self.cache.sketch(f"{KNOWN_PREFIX}{site_key}")
        try:
            base = pickle.loads(value) if value else None
        except Exception:
            return None
        if not isinstance(base, KnownNotices) or base.id != sketch.base:
            return None
        notices = {**base.notices, **sketch.newer}
        return Known(sketch.site, sketch.strings,
                     {key: entry for key, entry in notices.items() if entry is not None},
                     base.static_files, sketch.notices, listed.notices, listed.taken,
                     base.id, sketch.newer)

    def _remember(self, site_key: str, listed: Inputs, planned: Plan, known: Known | None
                  ) -> tuple[str, Mapping[str, ReadNotice | None]]:
        """What the next build takes of this one's notices: the base they are stored in
        (a new one is stored after a build that read every notice, or when many changed
        since the last) and those changed since it. ('', {}): none, as after a warning,
        which only a full reading reports as it should."""
        if planned.warnings or listed.links:
            return "", {}
        if planned.changed is not None and known is not None:
            newer = {**known.newer, **planned.changed}
            if len(newer) <= NEWER_MOST:
                return known.base, newer
            notices = {key: entry for key, entry in {**known.notices, **planned.changed}.items()
                       if entry is not None}
        else:
            found = read_notices(self.content, planned.graph.site, listed.notices, listed.taken)
            if found is None:
                return "", {}
            notices = found
        base = secrets.token_hex(8)
        self.cache.store_sketch(f"{KNOWN_PREFIX}{site_key}", pickled(
            KnownNotices(base, notices, planned.static_sizes)))
        return base, {}

    def _guess(self, output: Path, sketch: Sketch, listed: Inputs,
               previous: Mapping[str, FileRecord], parts: Mapping[str, IndexRecord],
               tree: Path, spare: Path, now: datetime, touching: Callable[[], None]
               ) -> dict[str, Guess]:
        """The parts of the search index started on the pages of the one notice file
        changed since the last build (`Sketch`), as `update` makes them: a guess, which
        the build takes only if its pages are those it writes (`ChangedIndex`).
        `touching()` is called before the first is started in the spare."""
        if now.tzinfo is None:
            return {}
        changed = [path for path in set(sketch.notices) | set(listed.notices)
                   if sketch.notices.get(path) != listed.notices.get(path)]
        if len(changed) != 1 or changed[0] not in listed.notices:
            return {}
        quick = quick_pages(self.content, self.templates, self.cache, sketch.site,
                            sketch.strings, sketch.notice_urls, self.content / changed[0], now)
        if quick is None:
            return {}
        _, made, pages = quick
        if any(page.notice is None or page.notice.draft or page.notice.release > now
               for page in pages):
            return {}  # not published: a build makes no page of it
        guesses: dict[str, Guess] = {}
        for shard in sketch.shards:
            prefixes = tuple(search_shard_pages(shard))
            mine = {path: (data, indexed_digest(data)) for (path, data), page in
                    zip(made, pages) if page.kind == "notice" and path.startswith(prefixes)}
            part = parts.get(shard)
            if not mine:
                continue
            if not guesses:
                touching()
            guess = guess_part(output, tree / shard, spare, shard, previous, mine,
                               part.fingerprint if part is not None else None)
            if guess is not None:
                guesses[shard] = guess
        return guesses

    # -- the preview: in place -------------------------------------------------------
    def refresh(self, output: Path, now: datetime) -> Refreshed:
        """The whole preview (drafts and embargoed notices included) written over
        `output` in place: only files that changed are written. The memory is kept
        only of a preview that built."""
        memory = self.memory
        previous = memory.files if memory is not None else {}
        try:
            with collector_spared() as model_made:
                planned = self.plan(now, include_unreleased=True)
                model_made()
                made: list[str] = []
                try:
                    written = update_site(output, _contents(planned, recipes_of(previous),
                                                            made),
                                          planned.static, previous=previous)
                finally:
                    planned.words.close()
                # The search page of the preview searches the preview: its index is
                # made as a build's, only the parts whose pages changed.
                parts = index_site(output.absolute(), list(planned.graph.search_shards),
                                   written.files, previous=memory.parts if memory else None,
                                   workers=workers_available(), in_place=True)
        except ContentError as exc:
            return Refreshed(None, tuple(exc.problems))
        except SiteError as exc:
            return Refreshed(None, error=exc.text or str(exc))
        graph = planned.graph
        self.memory = Memory(written.files, planned.static, replace(graph.site, notices=()),
                             planned.strings, _notice_urls(graph),
                             {shard: part for shard, part in parts.items() if part},
                             tuple(made), planned.bodies)
        return Refreshed(self.memory)

    def adopt(self, memory: Memory | None) -> None:
        """Take on what a refresh in another process left (None: forget the last one)."""
        with self._memory_lock:
            self.memory = memory

    def update(self, output: Path, changes: Iterable[Path], now: datetime) -> tuple[str, ...]:
        """The pages of the one notice just edited, written at once over a preview that
        built; the paths written, or () when the change is not that simple (then only
        `refresh` brings the preview up to date).

        The notice is read and checked against the last good site, and its pages made
        as a build makes them. Files in the notice folders that are not notices (an
        editor's swap and backup files) do not count. A notice whose address is another
        notice's (the same slug in the same month) is left to the refresh, which reports
        it: its page must not replace the other's, the last good page."""
        memory = self.memory
        notices = (self.content / "notices").absolute()
        changed = [path for path in changes if path.suffix == ".md" and
                   not path.name.startswith(".") or notices not in path.absolute().parents]
        if memory is None or len(changed) != 1:
            return ()
        quick = quick_pages(self.content, self.templates, self.cache, memory.site,
                            memory.strings, memory.notice_urls, changed[0], now)
        if quick is None:
            return ()  # the refresh that follows reports it
        source, made, pages = quick
        files = {}
        for (path, data), page in zip(made, pages):
            replace_file(output, path, data)
            # What is there now, made from no recipe the refresh knows: it makes the
            # page again, and keeps the file if the bytes are the same.
            files[path] = file_record(output, path, data, indexed_digest(data)
                                      if page.kind == "notice" else "")
        with self._memory_lock:
            latest = self.memory
            if latest is not None:
                self.memory = replace(latest, files={**latest.files, **files}, notice_urls={
                    **latest.notice_urls, **{page.url: source for page in pages}})
        return tuple(path for path, _ in made)

    def index_update(self, output: Path, written: Iterable[str]) -> tuple[str, ...]:
        """The parts of the preview's search index holding pages that `update` wrote,
        made again over the preview and put in place, so that an edit can be searched
        for seconds before the refresh (which then makes those parts as a build makes
        them, or keeps them if its pages are the same). The parts made, or () when there
        is nothing to do or it could not be done (the refresh then does it)."""
        memory = self.memory
        if memory is None:
            return ()
        written = [path for path in written if memory.files.get(path, _NO_RECORD).indexed]
        shards = sorted({shard for shard in memory.parts for path in written
                         if path.startswith(tuple(search_shard_pages(shard)))})
        if not shards:
            return ()
        try:
            parts = index_site(output.absolute(), shards, memory.files, previous=memory.parts,
                               workers=1, in_place=True, only=True)
        except (SiteError, OSError):
            return ()
        with self._memory_lock:
            latest = self.memory
            # A refresh that ended meanwhile recorded the parts it left: those stand.
            if latest is not None and all(latest.parts.get(s) == memory.parts.get(s)
                                          for s in shards):
                self.memory = replace(latest, parts={**latest.parts, **parts})
        return tuple(shard for shard in shards if parts.get(shard) != memory.parts.get(shard))

    # -- check: in memory ------------------------------------------------------------
    def check(self, now: datetime) -> Checked:
        """The site as published at `now`, every file rendered, none written;
        ContentError as a build gives it, SiteError for a template's mistake."""
        planned = self.plan(now, keep_raw=True)
        try:
            return Checked(planned, self.render(planned))
        finally:
            planned.words.close()

    @staticmethod
    def render(planned: Plan) -> dict[str, bytes]:
        """Every generated file's bytes, none written."""
        _prepare(planned, planned.targets)
        return {t.path: t.make() for t in planned.targets}


def build(content: Path, output: Path, now: datetime, include_drafts: bool = False,
          templates: Path = TEMPLATES, progress: Callable | None = None,
          cache: Cache | None = None, discard: Callable[[Path], None] = remove_now,
          wait: bool = True, waiting: Callable[[Path, int | None], None] | None = None
          ) -> BuildReport:
    """One build of `content` into `output` (build.py's, publish's)."""
    return Session(content, templates, cache, include_drafts).build(
        output, now, progress, discard, wait, waiting)


_NO_RECORD = FileRecord("", "", "", 0, 0, 0)


def quick_pages(content: Path, templates: Path, cache: Cache, site: Site, strings: Mapping,
                notice_urls: Mapping[str, str], path: Path, now: datetime
                ) -> tuple[str, list[tuple[str, bytes]], list[Page]] | None:
    """The pages of the notice `path` belongs to, read and checked against `site` (a
    site that was valid, without its notices) and made as a build makes them: its
    primary file, (output path, bytes) of each page, and the pages. None if they cannot
    be made so (a problem, or an address that is another notice's): only a plan can
    tell what is wrong."""
    try:
        raw = load_notice(content.absolute(), path.absolute())
        if raw is None or raw.problems or not raw.documents:
            return None
        notice, problems = validate_notice_alone(site, list(raw.documents), raw.static_files)
        if notice is None or problems:
            return None
        urls = Urls(site.config)
        pages = notice_pages(site, now, notice, lambda body: render_body(body, urls.base))
        source = notice.texts[site.config.primary].source
        if any(notice_urls.get(page.url, source) != source for page in pages):
            return None
        graph = SiteGraph(site, urls, now, tuple(pages), (), (), (), 0)
        words = SearchWords(site, cache, analyze=False)
        env = make_environment(templates)
        made = [(urls.output_path(page.url),
                 render_page(env, words.helped(page), site_context(graph, strings)))
                for page in graph.pages]
    except (SiteError, OSError):
        return None
    return source, made, pages


@dataclass(frozen=True)
class Sketch:
    """What a build leaves for the next build of its output to guess an edited notice's
    pages before its plan (`Session._guess`)."""

    rest: str
    """`Inputs.rest` of the build."""
    notices: Mapping[str, tuple[int, int, int]]
    """`Inputs.notices` of the build."""
    site: Site
    """The site without its notices."""
    strings: Mapping
    notice_urls: Mapping[str, str]
    """The address of each notice page -> the notice's primary file."""
    shards: tuple[str, ...]
    base: str = ""
    """The `KnownNotices` the build's notices are in, with `newer` ('': none)."""
    newer: Mapping[str, ReadNotice | None] = field(default_factory=dict)
    """The notices read since the base was stored, by group (None: gone)."""


KNOWN_PREFIX = "notices:"
"""Where a `KnownNotices` is kept: the output's sketch key, with this before it."""
NEWER_MOST = 200
"""Notices changed since the base was stored beyond which a build stores a new one."""


@dataclass(frozen=True)
class KnownNotices:
    """The notices of a build that read them all, kept for the builds after it (which
    store only the notices they read again, in their `Sketch`)."""

    id: str
    notices: Mapping[str, ReadNotice]
    """By `pipeline.notice_group`."""
    static_files: Mapping[str, int]
    """The content's static files with their sizes, which a notice is checked against."""


@dataclass(frozen=True)
class Known:
    """What the last build of an output found of the site, with this build's notice
    files: a plan reads only the notices whose files changed (`pipeline.read_changed`)."""

    site: Site
    """Without its notices."""
    strings: Mapping
    notices: Mapping[str, ReadNotice]
    static_files: Mapping[str, int]
    last: Mapping[str, tuple[int, int, int]]
    """The last build's notice files (`Inputs.notices`)."""
    files: Mapping[str, tuple[int, int, int]]
    """This build's."""
    read_at: int
    base: str
    """The `KnownNotices` the notices come from, with `newer` (the sketch's)."""
    newer: Mapping[str, ReadNotice | None]

    def read(self, content: Path
             ) -> tuple[Site, dict[str, ReadNotice | None], tuple[str, ...]] | None:
        return read_changed(content, self.site, self.notices, self.static_files, self.files,
                            self.last, self.read_at)


def _notice_urls(graph: SiteGraph) -> dict[str, str]:
    primary = graph.site.config.primary
    return {graph.urls.notice(lang, notice): notice.texts[primary].source
            for notice in graph.site.notices for lang in notice.texts}


def _drop(guesses: Mapping[str, Guess], tree: Path) -> None:
    """Guessed parts stopped if still running, and the pages they were made over."""
    for guess in guesses.values():
        if guess.process.poll() is None:
            guess.drop()
    shutil.rmtree(tree, ignore_errors=True)


def _changed_index(spare_folder: Path, planned: Plan, previous: Mapping[str, FileRecord],
                   spare: Mapping[str, FileRecord], old_parts: Mapping[str, IndexRecord],
                   spare_parts: Mapping[str, IndexRecord],
                   guesses: Mapping[str, Guess]) -> ChangedIndex:
    """The parts of the index to start as soon as their pages are in the spare: those
    neither the spare nor the output holds as wanted (one Pagefind run, beside the few
    pages an edit renders)."""
    paths = [t.path for t in planned.targets]
    have = {shard: {part.fingerprint for part in (old_parts.get(shard), spare_parts.get(shard))
                    if part is not None} for shard in planned.graph.search_shards}
    wanted = set(paths)
    return ChangedIndex(spare_folder, planned.graph.search_shards, paths, previous, have,
                        [path for path in spare if path not in wanted], workers=1,
                        guesses=guesses)


def _report(planned: Plan, files: int) -> BuildReport:
    graph = planned.graph
    primary = graph.site.config.primary
    return BuildReport(
        notices=sum(1 for p in graph.pages if p.kind == "notice" and p.lang == primary),
        pages=len(graph.pages), feeds=len(graph.feeds), files=files,
        embargoed=len(graph.embargoed),
        next_release=graph.embargoed[0].release if graph.embargoed else None,
        drafts=graph.drafts, warnings=planned.warnings)


@contextlib.contextmanager
def collector_spared() -> Iterator[Callable[[], None]]:
    """Keep Python's cycle collector off the site model.

    Reading, checking and linking up the site makes hundreds of thousands of small
    objects that hold no cycles and live to the end of the build; the collector would
    walk them all again and again (a third of the time of a one-notice edit at 10,000
    notices), and in forked render workers walking them would copy their memory. So it
    is off until the model is made (reference counting still frees garbage), then runs
    again with the model set aside (`gc.freeze`) for the rendering; the model is handed
    back at the end, for `serve`, which builds again and again in one process."""
    enabled = gc.isenabled()
    gc.disable()

    def made() -> None:
        gc.freeze()
        if enabled:
            gc.enable()
    try:
        yield made
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Inputs:
    """What a build's output is made from, as the file system lists it."""

    stamp: str
    """Every input file's path, size and time, and what else decides the output."""
    rest: str
    """The same but the notice files' (and the folders they are in)."""
    notices: Mapping[str, tuple[int, int, int]]
    """Each notice file (under content/notices/) -> its size, time and inode."""
    taken: int = 0
    """When the listing started (ns)."""
    links: bool = False
    """Whether anything under content/notices/ is a symbolic link (its target may
    change under it)."""


def input_stamp(content: Path, templates: Path, include_drafts: bool) -> Inputs:
    taken = time_ns()
    parts = [ENGINE, str(include_drafts), str(content.absolute()), str(templates.absolute())]
    rest = list(parts)
    notices: dict[str, tuple[int, int, int]] = {}
    links = False
    # The generator's own code too: a new version of it may write other bytes.
    for root in (content, templates, Path(__file__).resolve().parent):
        found, others = [], []
        for folder, folders, files in os.walk(root):
            relative = os.path.relpath(folder, root)
            for name in folders + files:
                try:
                    info = os.lstat(os.path.join(folder, name))
                except OSError:
                    continue
                path = name if relative == "." else f"{relative}/{name}"
                entry = f"{path}|{info.st_size}|{info.st_mtime_ns}"
                found.append(entry)
                if root is content and (path == "notices" or path.startswith("notices/")):
                    links = links or stat.S_ISLNK(info.st_mode)
                    if path.endswith(".md"):
                        notices[path] = (info.st_size, info.st_mtime_ns, info.st_ino)
                        continue
                    if stat.S_ISDIR(info.st_mode):
                        continue  # its time changes with the notices in it, which count
                others.append(entry)
        parts += sorted(found)
        rest += sorted(others)
    return Inputs(digest(*parts), digest(*rest), notices, taken, links)


def _valid_until(now: datetime, graph: SiteGraph, timezone: str) -> str:
    """The build's output holds until the next release time or the next day."""
    local = now.astimezone(ZoneInfo(timezone))
    midnight = datetime.combine(local.date() + timedelta(days=1), time(), local.tzinfo)
    until = min([midnight] + [n.release for n in graph.embargoed])
    return until.isoformat()


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _still_valid(last: dict, now: datetime) -> bool:
    try:
        start, until = datetime.fromisoformat(last["from"]), datetime.fromisoformat(last["until"])
        if now.tzinfo is None:
            return False
        return start <= now < until
    except (KeyError, TypeError, ValueError):
        return False


def _untouched(output: Path, records: Mapping[str, FileRecord]) -> bool:
    """Every file of the last build still where, and as, it was left."""
    if not records:
        return False
    root = str(output)
    for relative, record in records.items():
        try:
            if not record.left_as(os.lstat(f"{root}/{relative}")):
                return False
        except OSError:
            return False
    return True
