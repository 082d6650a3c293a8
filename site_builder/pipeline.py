"""The build, as a script: load -> validate -> graph -> render -> write.

Stage: pipeline. May import: every stage above, jinja2, babel.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Callable, Iterator, Mapping
from zoneinfo import ZoneInfo

import babel
import jinja2
import jinja2.meta

from .cache import Cache, digest
from .errors import ContentError, Problem, say
from .feeds import render_feed
from .graph import Bodies, Page, SiteGraph, build_graph
from .load import load_content, load_strings, static_source
from .markdown import ENGINE, render_body
from .model import Site
from .parallel import fork_map, workers_available
from .render import make_environment, render_page, site_context
from .search import index_site, indexed_digest
from .sitemap import render_robots, render_sitemap
from .urls import Urls
from .validate import validate_site
from .lock import hold
from .write import (Content, Made, check_output_dir, real_output, remove_now, sources_of,
                    write_site)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
GENERATOR = digest(*(f"{p.name}\0{p.read_text('utf-8')}"
                     for p in sorted(Path(__file__).resolve().parent.glob("*.py"))),
                   jinja2.__version__, babel.__version__, ENGINE)
"""This generator's code: a new version of it may render other bytes."""
SEARCH_STAMP = "<search index>"
"""The cache's name (+ the shard's) for the stamp of a search index shard."""


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


def load_site(content: Path, templates: Path = TEMPLATES, cache: Cache | None = None):
    """Read and validate: (site, UI strings, warnings), or ContentError with every problem.

    With a `cache`, front matter parsed by an earlier build is taken from it."""
    known = cache.fronts() if cache is not None else {}
    raw = load_content(content, known)
    if cache is not None:
        cache.store_fronts(raw.fronts, known)
    strings, string_problems = load_strings(templates / "strings")
    site, problems = validate_site(raw)
    problems += string_problems
    if site is not None:
        problems += _check_strings(site.config.languages, strings)
    errors = [p for p in problems if p.severity == "error"]
    if errors or site is None:
        raise ContentError(errors)
    return site, strings, tuple(p for p in problems if p.severity != "error")


def _check_strings(languages, strings) -> list[Problem]:
    keys = {lang: set(strings.get(lang, {})) for lang in languages}
    everything = set().union(*keys.values())
    return [Problem(f"templates/strings/{lang}.yaml", None,
                    say("UI text is missing for: {keys}.", keys=", ".join(sorted(everything - have))))
            for lang, have in keys.items() if everything - have]


def site_graph(content: Path, templates: Path, cache: Cache | None, now: datetime,
               include_drafts: bool = False, include_unreleased: bool = False
               ) -> tuple[SiteGraph, Mapping, tuple[Problem, ...]]:
    """Read, check and link up the site as published at `now` (a time without an offset
    is in the site's time zone): (graph, UI strings, warnings), or ContentError."""
    site, strings, warnings = load_site(content, templates, cache)
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo(site.config.timezone))
    # Publication is decided once, here, from `now`: nothing later looks at a clock.
    bodies = render_bodies(site, Urls(site.config).base, cache)
    return (build_graph(site, now, include_drafts, include_unreleased, bodies, strings),
            strings, warnings)


def render_site(graph: SiteGraph, strings, templates: Path = TEMPLATES,
                workers: int | None = None, made_from: Mapping[str, str] | None = None
                ) -> Iterator[tuple[str, Content]]:
    """Every generated file as (path under output/, bytes or `Made`).

    Pages are rendered on all cores, except those whose source (a digest of the page,
    the site settings and UI text, its templates and this generator) is the one
    `made_from` records for its path: the last build made it from the same inputs,
    so it is not rendered again unless the old file cannot be kept."""
    env = make_environment(templates)
    common = site_context(graph, strings)
    urls = graph.urls
    made_from = made_from or {}
    sources = page_sources(graph, strings, env, templates)

    def render(page: Page) -> bytes:
        return render_page(env, page, common)  # a template's mistake: BuildError, file:line

    paths = [urls.output_path(page.url) for page in graph.pages]
    kept = [made_from.get(path) == source for path, source in zip(paths, sources)]
    fresh = fork_map(render, [p for p, k in zip(graph.pages, kept) if not k], workers)
    for page, path, source, keep in zip(graph.pages, paths, sources, kept):
        yield path, (_kept(source, lambda page=page: render(page)) if keep
                     else _made(source, next(fresh)))
    feeds = digest(GENERATOR, repr(graph.site.config))
    for spec in graph.feeds:
        path, source = urls.output_path(spec.url), digest(feeds, repr(spec))
        make = lambda spec=spec: render_feed(spec, urls)  # noqa: E731
        yield path, _kept(source, make) if made_from.get(path) == source else _made(source, make())
    yield "sitemap.xml", render_sitemap(graph)
    yield "robots.txt", render_robots(graph)


def _made(source: str, data: bytes) -> Made:
    return Made(source, data, search=indexed_digest(data))


def _kept(source: str, make: Callable[[], bytes]) -> Made:
    """A file made from the same inputs as last time: kept, and made only if it cannot be."""
    return Made(source, make=lambda: _made(source, make()))


def render_files(graph: SiteGraph, strings, templates: Path = TEMPLATES) -> dict[str, bytes]:
    """Every generated file's bytes, all rendered (for `check`, which writes nothing)."""
    return {path: item.data if isinstance(item, Made) else item  # type: ignore[misc]
            for path, item in render_site(graph, strings, templates)}


def page_sources(graph: SiteGraph, strings, env: jinja2.Environment, templates: Path
                 ) -> list[str]:
    """For each page, a digest of everything its bytes are made from."""
    common = digest(GENERATOR, repr(graph.site.config), repr(sorted(strings.items())))
    closures: dict[str, str] = {}
    for page in graph.pages:
        if page.template not in closures:
            closures[page.template] = digest(common, *template_sources(env, templates,
                                                                       page.template))
    return [digest(closures[page.template], repr(page)) for page in graph.pages]


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
                  ) -> Bodies:
    """Every Markdown body rendered once: from the cache when its text is unchanged,
    else on all cores; the cache then holds exactly the bodies of this site."""
    texts = sorted({t.body for n in site.notices for t in n.texts.values()} |
                   {t.body for p in site.programs.values() for t in p.texts.values()})
    keys = {body: digest(ENGINE, base_path, body) for body in texts}
    known = cache.bodies(keys.values())
    missing = [body for body in texts if keys[body] not in known]
    fresh = dict(zip((keys[body] for body in missing),
                     fork_map(lambda body: render_body(body, base_path), missing, workers)))
    cache.store_bodies(fresh, keep=set(keys.values()))
    results = {**known, **fresh}
    return lambda body: results[keys[body]]


def assets(content: Path, graph: SiteGraph, templates: Path = TEMPLATES
           ) -> list[tuple[str, Path]]:
    """Files copied as they are: the theme's assets and the content's static files."""
    theme = [(f"assets/{p.relative_to(templates / 'assets').as_posix()}", p)
             for p in sorted((templates / "assets").rglob("*")) if p.is_file()]
    return theme + [(f"static/{path}", static_source(content, path))
                    for path in graph.static_files]


def build(content: Path, output: Path, now: datetime, include_drafts: bool = False,
          templates: Path = TEMPLATES, progress: Callable | None = None,
          cache: Cache | None = None, discard: Callable[[Path], None] = remove_now,
          wait: bool = True, waiting: Callable[[Path, int | None], None] | None = None
          ) -> BuildReport:
    """The whole build; `progress(files, total)` may wrap the rendering to show progress.

    With a `cache`, work whose inputs did not change is taken from it. One build at a
    time writes an output and a cache: a second one waits for the first (`waiting` is
    told once), or with `wait` false fails at once."""
    cache = cache or Cache(None)
    output = real_output(output)
    check_output_dir(output)
    cache_lock = hold(cache.path, wait, waiting) if cache.path and cache.db else \
        contextlib.nullcontext()
    with hold(output, wait, waiting), cache_lock:
        return _build(content, output, now, include_drafts, templates, progress, cache,
                      discard)


def _build(content: Path, output: Path, now: datetime, include_drafts: bool,
           templates: Path, progress: Callable | None, cache: Cache,
           discard: Callable[[Path], None]) -> BuildReport:
    site_key = str(output)
    inputs = input_stamp(content, templates, include_drafts)
    # Nothing to do when no file changed, the output is as it was left, and no
    # release time or new day (program status) has come since the last build.
    last = cache.last_build(site_key)
    if last is not None and last["inputs"] == inputs and _still_valid(last, now) and \
            _untouched(output, cache.pages(site_key)):
        return replace(BuildReport(**{k: v for k, v in last["report"].items()
                                      if k != "next_release"}, warnings=(), unchanged=True,
                                   next_release=_moment(last["report"]["next_release"])))
    cache.forget_build(site_key)
    with collector_spared() as model_made:
        graph, strings, warnings = site_graph(content, templates, cache, now, include_drafts)
        model_made()
        site, now = graph.site, graph.now
        # Rendering is lazy; write_site consumes it into the staging directory, so an
        # error in any page leaves the previous output untouched.
        previous, record = cache.pages(site_key), {}
        rendered = render_site(graph, strings, templates, made_from=sources_of(previous))
        if progress is not None:
            rendered = progress(rendered, len(graph.pages) + len(graph.feeds) + 2)
        # The search index is built over the complete new site, before it replaces the old one.

        def finish(new_site: Path, old_site: Path) -> None:
            old = {k[len(SEARCH_STAMP):]: v for k, v in previous.items()
                   if k.startswith(SEARCH_STAMP)}
            stamps = index_site(new_site, list(graph.search_shards), record, old_site, old,
                                workers=workers_available())
            record.update({SEARCH_STAMP + shard: stamp for shard, stamp in stamps.items()})

        files = write_site(output, rendered, assets(content, graph, templates), finish=finish,
                           previous=previous, record=record, discard=discard)
        primary = site.config.primary
        report = BuildReport(
            notices=sum(1 for p in graph.pages if p.kind == "notice" and p.lang == primary),
            pages=len(graph.pages), feeds=len(graph.feeds), files=files,
            embargoed=len(graph.embargoed),
            next_release=graph.embargoed[0].release if graph.embargoed else None,
            drafts=graph.drafts, warnings=warnings)
        published = any(page.kind == "notice" for page in graph.pages)
        summary = {k: v for k, v in asdict(report).items() if k not in ("warnings", "unchanged")}
        cache.store_build(site_key, record, {
            "inputs": inputs if published and not warnings else "",
            "from": now.isoformat(), "until": _valid_until(now, graph, site.config.timezone),
            "report": {**summary, "next_release": report.next_release.isoformat()
                       if report.next_release else None}})
        return report


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


def input_stamp(content: Path, templates: Path, include_drafts: bool) -> str:
    """Every input file's path, size and time, and what else decides the output."""
    parts = [ENGINE, str(include_drafts), str(content.absolute()), str(templates.absolute())]
    # The generator's own code too: a new version of it may write other bytes.
    for root in (content, templates, Path(__file__).resolve().parent):
        found = []
        for folder, folders, files in os.walk(root):
            relative = os.path.relpath(folder, root)
            for name in folders + files:
                try:
                    info = os.lstat(os.path.join(folder, name))
                except OSError:
                    continue
                path = name if relative == "." else f"{relative}/{name}"
                found.append(f"{path}|{info.st_size}|{info.st_mtime_ns}")
        parts += sorted(found)
    return digest(*parts)


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


def _untouched(output: Path, stamps: dict[str, str]) -> bool:
    """Every file of the last build still where, and as, it was left."""
    if not stamps:
        return False
    root = str(output)
    for relative, stamp in stamps.items():
        if relative.startswith(SEARCH_STAMP):
            continue
        try:
            info = os.lstat(f"{root}/{relative}")
        except OSError:
            return False
        if stamp.split("|", 1)[1] != f"{info.st_size}|{info.st_mtime_ns}|{info.st_ino}":
            return False
    return True
