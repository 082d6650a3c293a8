"""The build, as a script: load -> validate -> graph -> render -> write.

Stage: pipeline. May import: every stage above.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator
from zoneinfo import ZoneInfo

import jinja2

from .cache import Cache, digest
from .errors import BuildError, ContentError, Problem, say
from .feeds import render_feed
from .graph import Bodies, Page, SiteGraph, build_graph
from .load import load_content, load_strings, static_source
from .markdown import ENGINE, render_body
from .model import Site
from .parallel import fork_map
from .render import make_environment, render_page, site_context
from .search import index_site, pages_fingerprint
from .sitemap import render_robots, render_sitemap
from .urls import Urls
from .validate import validate_site
from .write import write_site

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SEARCH_STAMP = "<search index>"
"""The cache's name for the fingerprint of the pages the search index was built from."""


@dataclass(frozen=True)
class BuildReport:
    notices: int
    """Published notices."""
    pages: int
    feeds: int
    files: int
    embargoed: tuple
    """Embargoed notices, soonest first."""
    drafts: int
    warnings: tuple[Problem, ...]


def load_site(content: Path, templates: Path = TEMPLATES):
    """Read and validate: (site, UI strings, warnings), or ContentError with every problem."""
    raw = load_content(content)
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


def render_site(graph: SiteGraph, strings, templates: Path = TEMPLATES,
                workers: int | None = None) -> Iterator[tuple[str, bytes]]:
    """Every generated file as (path under output/, bytes), pages rendered on all cores."""
    env = make_environment(templates)
    common = site_context(graph, strings)
    urls = graph.urls

    def render(page: Page) -> tuple[str, bytes]:
        try:
            return urls.output_path(page.url), render_page(env, page, common)
        except jinja2.TemplateSyntaxError as exc:
            raise BuildError(say("templates/{name}:{line}: template error: {message}",
                                 name=exc.name, line=exc.lineno, message=exc.message)) from exc
        except jinja2.TemplateError as exc:
            raise BuildError(say("template error while rendering {template}: {message}",
                                 template=page.template, message=str(exc))) from exc

    yield from fork_map(render, graph.pages, workers)
    for spec in graph.feeds:
        yield urls.output_path(spec.url), render_feed(spec, urls)
    yield "sitemap.xml", render_sitemap(graph)
    yield "robots.txt", render_robots(graph)


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
          cache: Cache | None = None) -> BuildReport:
    """The whole build; `progress(files, total)` may wrap the rendering to show progress.

    With a `cache`, work whose inputs did not change is taken from it."""
    cache = cache or Cache(None)
    site, strings, warnings = load_site(content, templates)
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo(site.config.timezone))
    # Publication is decided once, here, from `now`: nothing later looks at a clock.
    bodies = render_bodies(site, Urls(site.config).base, cache)
    graph = build_graph(site, now, include_drafts, bodies=bodies)
    # Rendering is lazy; write_site consumes it into the staging directory, so an
    # error in any page leaves the previous output untouched.
    rendered = render_site(graph, strings, templates)
    if progress is not None:
        rendered = progress(rendered, len(graph.pages) + len(graph.feeds) + 2)
    # The search index is built over the complete new site, before it replaces the old one.
    site_key = str(output.absolute())
    previous, record = cache.pages(site_key), {}

    def finish(new_site: Path, old_site: Path) -> None:
        record[SEARCH_STAMP] = index_site(new_site, old_site, pages_fingerprint(record),
                                          previous.get(SEARCH_STAMP))

    files = write_site(output, rendered, assets(content, graph, templates), finish=finish,
                       previous=previous, record=record)
    cache.store_pages(site_key, record)
    primary = site.config.primary
    return BuildReport(
        notices=sum(1 for p in graph.pages if p.kind == "notice" and p.lang == primary),
        pages=len(graph.pages), feeds=len(graph.feeds), files=files,
        embargoed=graph.embargoed, drafts=graph.drafts, warnings=warnings)
