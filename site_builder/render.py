"""Pages -> HTML bytes with Jinja2.

Stage: render. May import: stdlib, jinja2, babel, errors, model, graph.

Templates get everything in their context (no global that queries the graph), so a
page is a function of its `Page` value, the UI strings and the site settings.
Dates are formatted by Babel per locale: ko `2016년 5월 3일(화)`, en `Tue, May 3, 2016`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Mapping

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .graph import Page, SiteGraph

DATE_FORMATS = {"ko": "y년 M월 d일(E)", "en": "EEE, MMM d, y"}


def format_day(moment, lang: str) -> str:
    return format_date(moment, DATE_FORMATS[lang], locale=lang)


def format_moment(moment: datetime, lang: str) -> str:
    """The date, and the time with the zone's abbreviation when it is not midnight."""
    day = format_day(moment, lang)
    if (moment.hour, moment.minute) == (0, 0):
        return day
    zone = moment.tzname() if moment.tzname() and moment.tzname()[0].isalpha() else ""
    return f"{day} {format_time(moment, 'HH:mm', locale=lang)} {zone}".rstrip()


def format_size(size: int, lang: str) -> str:
    for unit, factor in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{format_decimal(round(size / factor, 1), locale=lang)} {unit}"
    return f"{size} B"


def make_environment(templates: Path) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=select_autoescape(
        enabled_extensions=("html", "xml"), default=True), undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(day=format_day, moment=format_moment, size=format_size,
                       iso=lambda m: m.isoformat())
    return env


def site_context(graph: SiteGraph, strings: Mapping[str, Mapping]) -> dict:
    """What every page shows about the site, once per build."""
    config = graph.site.config
    return {"site": config, "strings": strings, "languages": config.languages,
            "urls": {"home": {l: graph.urls.home(l) for l in config.languages},
                     "notices": {l: graph.urls.notices(l) for l in config.languages},
                     "departments": {l: graph.urls.departments(l) for l in config.languages},
                     "programs": {l: graph.urls.programs(l) for l in config.languages},
                     "rss": {l: graph.urls.rss(l) for l in config.languages},
                     "atom": {l: graph.urls.atom(l) for l in config.languages},
                     "css": graph.urls.root_file("assets/site.css")},
            "absolute": graph.urls.absolute}


def render_page(env: Environment, page: Page, common: Mapping) -> bytes:
    """One page's HTML. Pure: the same page and context give the same bytes."""
    template = env.get_template(page.template)
    html = template.render(common, page=page, lang=page.lang, t=common["strings"][page.lang],
                           **page.context)
    return html.encode("utf-8")
