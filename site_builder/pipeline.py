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

from .errors import BuildError, ContentError, Problem, say
from .feeds import render_feed
from .graph import SiteGraph, build_graph
from .load import load_content, load_strings
from .render import make_environment, render_page, site_context
from .search import index_site
from .sitemap import render_robots, render_sitemap
from .validate import validate_site
from .write import write_site

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


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


def render_site(graph: SiteGraph, strings, templates: Path = TEMPLATES
                ) -> Iterator[tuple[str, bytes]]:
    """Every generated file as (path under output/, bytes)."""
    env = make_environment(templates)
    common = site_context(graph, strings)
    urls = graph.urls
    try:
        for page in graph.pages:
            yield urls.output_path(page.url), render_page(env, page, common)
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(say("templates/{name}:{line}: template error: {message}", name=exc.name,
                             line=exc.lineno, message=exc.message)) from exc
    except jinja2.TemplateError as exc:
        raise BuildError(say("template error while rendering {template}: {message}",
                             template=page.template, message=str(exc))) from exc
    for spec in graph.feeds:
        yield urls.output_path(spec.url), render_feed(spec, urls)
    yield "sitemap.xml", render_sitemap(graph)
    yield "robots.txt", render_robots(graph)


def assets(content: Path, graph: SiteGraph, templates: Path = TEMPLATES
           ) -> list[tuple[str, Path]]:
    """Files copied as they are: the theme's assets and the content's static files."""
    theme = [(f"assets/{p.relative_to(templates / 'assets').as_posix()}", p)
             for p in sorted((templates / "assets").rglob("*")) if p.is_file()]
    return theme + [(f"static/{path}", content / "static" / path) for path in graph.static_files]


def build(content: Path, output: Path, now: datetime, include_drafts: bool = False,
          templates: Path = TEMPLATES, progress: Callable | None = None) -> BuildReport:
    """The whole build; `progress(files, total)` may wrap the rendering to show progress."""
    site, strings, warnings = load_site(content, templates)
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo(site.config.timezone))
    # Publication is decided once, here, from `now`: nothing later looks at a clock.
    graph = build_graph(site, now, include_drafts)
    # Rendering is lazy; write_site consumes it into the staging directory, so an
    # error in any page leaves the previous output untouched.
    rendered = render_site(graph, strings, templates)
    if progress is not None:
        rendered = progress(rendered, len(graph.pages) + len(graph.feeds) + 2)
    # The search index is built over the complete new site, before it replaces the old one.
    files = write_site(output, rendered, assets(content, graph, templates), finish=index_site)
    primary = site.config.primary
    return BuildReport(
        notices=sum(1 for p in graph.pages if p.kind == "notice" and p.lang == primary),
        pages=len(graph.pages), feeds=len(graph.feeds), files=files,
        embargoed=graph.embargoed, drafts=graph.drafts, warnings=warnings)
