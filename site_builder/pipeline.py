"""The stages up to the graph: load -> validate -> bodies -> graph, and what a page's
bytes are made from. `engine` composes them; nothing else does.

Stage: pipeline. May import: stdlib, jinja2, babel, errors, cache, load, validate, model,
markdown, parallel, urls, graph.
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo

import babel
import jinja2
import jinja2.meta

from .cache import Cache, digest
from .errors import ContentError, Problem, say
from .graph import Bodies, SiteGraph, build_graph
from .load import RawContent, load_content, load_strings, static_source
from .markdown import ENGINE, render_body
from .model import Site
from .parallel import fork_map
from .urls import Urls
from .validate import validate_site

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
GENERATOR = digest(*(f"{p.name}\0{p.read_text('utf-8')}"
                     for p in sorted(Path(__file__).resolve().parent.glob("*.py"))),
                   jinja2.__version__, babel.__version__, ENGINE)
"""This generator's code: a new version of it may render other bytes."""


def load_site(content: Path, templates: Path = TEMPLATES, cache: Cache | None = None):
    """Read and validate: (site, UI strings, warnings), or ContentError with every problem.

    With a `cache`, front matter parsed by an earlier build is taken from it."""
    return read_site(content, templates, cache)[1:]


def read_site(content: Path, templates: Path = TEMPLATES, cache: Cache | None = None
              ) -> tuple[RawContent, Site, Mapping, tuple[Problem, ...]]:
    """`load_site` with the raw documents it read (for `check`'s line numbers)."""
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
    return raw, site, strings, tuple(p for p in problems if p.severity != "error")


def _check_strings(languages, strings) -> list[Problem]:
    keys = {lang: set(strings.get(lang, {})) for lang in languages}
    everything = set().union(*keys.values())
    return [Problem(f"templates/strings/{lang}.yaml", None,
                    say("UI text is missing for: {keys}.", keys=", ".join(sorted(everything - have))))
            for lang, have in keys.items() if everything - have]


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
