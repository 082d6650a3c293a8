"""Pages -> HTML bytes with Jinja2.

Stage: render. May import: stdlib, jinja2, markupsafe, babel, errors, model, urls,
graph.

Templates get everything in their context (no global that queries the graph), so a
page is a function of its `Page` value, the UI strings and the site settings.
Dates are formatted by Babel per locale: ko `2016년 5월 3일(화)`, en `Tue, May 3, 2016`.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from jinja2 import (Environment, FileSystemLoader, StrictUndefined, TemplateError,
                    TemplateNotFound, TemplateSyntaxError, select_autoescape)
from markupsafe import Markup

from .errors import BuildError, Text, say
from .graph import NoticeView, Page, SiteGraph
from .model import SiteConfig

if TYPE_CHECKING:  # the graph's Urls, for annotations only
    from .urls import Urls

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


_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'\b(src|alt)="([^"]*)"')
_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                               "\u2028": "\\u2028", "\u2029": "\\u2029"})


def first_image(body_html: str) -> dict | None:
    """The first image of a rendered body as {"src", "alt"} (unescaped), or None."""
    tag = _IMG.search(body_html)
    if not tag:
        return None
    attrs = {name: html.unescape(value) for name, value in _ATTR.findall(tag.group(0))}
    return {"src": attrs["src"], "alt": attrs.get("alt", "")} if attrs.get("src") else None


def json_ld(data: Mapping) -> Markup:
    """JSON for a <script type="application/ld+json"> block. `<`, `>` and `&` are written
    as \\u escapes, so no text in it (a title with `</script>`) can end the block."""
    return Markup(json.dumps(data, ensure_ascii=False).translate(_JSON_IN_HTML))


def news_article(notice: NoticeView, config: SiteConfig, urls: Urls) -> dict:
    """schema.org NewsArticle of a notice: the department wrote it and the district (the
    site, with its press office) published it, both government organizations."""
    lang = notice.lang
    publisher = {"@type": "GovernmentOrganization", "name": config.title[lang],
                 "url": urls.absolute(urls.home(lang))}
    if config.press_office:
        contact = {"@type": "ContactPoint", "contactType": "press",
                   "name": config.press_office.name[lang]}
        if config.press_office.phone:
            contact["telephone"] = config.press_office.phone
        publisher["contactPoint"] = contact
    article = {"@context": "https://schema.org", "@type": "NewsArticle",
               "headline": notice.title, "description": notice.summary, "inLanguage": lang,
               "url": notice.permalink, "mainEntityOfPage": notice.permalink,
               "datePublished": notice.release.isoformat(),
               "dateModified": (notice.updated or notice.release).isoformat(),
               "author": {"@type": "GovernmentOrganization", "name": notice.department.title,
                          "url": urls.absolute(notice.department.url)},
               "publisher": publisher}
    image = first_image(notice.body_html)
    if image:
        article["image"] = [absolute_url(urls, image["src"])]
    if notice.tags:
        article["keywords"] = ", ".join(notice.tags)
    if notice.license:
        article["license"] = notice.license.url
    return article


def absolute_url(urls: Urls, url: str) -> str:
    """A root-relative address made absolute; absolute ones as they are."""
    return urls.absolute(url) if url.startswith("/") and not url.startswith("//") else url


def make_environment(templates: Path) -> Environment:
    """Templates compiled once per build: each build makes its own environment, so
    Jinja need not look at every template file again for each page (auto_reload: 140,000
    `stat` calls for a 10,000-notice site)."""
    if not templates.is_dir():
        raise BuildError(say("The templates folder {folder} was not found: --templates takes a "
                             "copy of the templates/ folder of this generator.",
                             folder=shown_path(templates)))
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=select_autoescape(
        enabled_extensions=("html", "xml"), default=True), undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
    env.filters.update(day=format_day, moment=format_moment, size=format_size,
                       iso=lambda m: m.isoformat(), first_image=first_image, json_ld=json_ld)
    return env


def icons(urls: Urls, config: SiteConfig) -> dict:
    """The emblem (`logo`) and the tab and home-screen icons: the logo, or the theme's
    generic ones (a PNG for the home screen, which does not take SVG)."""
    logo = urls.static(config.logo) if config.logo else None
    return {"logo": logo, "icon": logo or urls.root_file("assets/icon.svg"),
            "touch_icon": logo if logo and not logo.endswith(".svg")
            else urls.root_file("assets/apple-touch-icon.png")}


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
                     "search": {l: graph.urls.search(l) for l in config.languages},
                     "base": graph.urls.base,
                     "search_script": graph.urls.root_file("assets/search.js"),
                     "css": graph.urls.root_file("assets/site.css"),
                     "kogl": graph.urls.root_file("assets/kogl/"), **icons(graph.urls, config)},
            "absolute": graph.urls.absolute,
            "absolute_url": lambda url: absolute_url(graph.urls, url),
            "news_article": lambda notice: news_article(notice, config, graph.urls)}


def render_page(env: Environment, page: Page, common: Mapping) -> bytes:
    """One page's HTML. Pure: the same page and context give the same bytes.

    A mistake in a template (a misspelt name, a missing template) is a BuildError that
    names the template's file and line, for whoever edits the theme."""
    strings = common["strings"].get(page.lang)
    if strings is None:  # a theme without its strings/ folder
        raise BuildError(say("The templates folder {folder} has no UI text in '{lang}': copy "
                             "strings/{lang}.yaml from the templates/ folder of this generator.",
                             folder=shown_path(_folders(env)[0]), lang=page.lang))
    try:
        html = env.get_template(page.template).render(common, page=page, lang=page.lang,
                                                      t=strings, **page.context)
    except Exception as exc:  # noqa: BLE001 - re-raised unless a template made it
        problem = template_problem(env, exc)
        if problem is None:
            raise
        raise BuildError(problem) from exc
    return html.encode("utf-8")


_MODULE_PATH = re.compile(r"'(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w* object)'")
"""Jinja's `'site_builder.graph.NoticeView object'`: the class's name is enough."""


def template_problem(env: Environment, exc: Exception) -> Text | None:
    """What went wrong in which template file and line; None for an error that no
    template made (a fault of the generator itself, left to show as one).

    Jinja gives the frames of a running template the template's file name and line in
    the traceback; a syntax error carries them itself."""
    folders = _folders(env)
    where = None
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        where = (exc.filename, exc.lineno)
    else:
        frame = exc.__traceback__
        while frame is not None:
            name = frame.tb_frame.f_code.co_filename
            if any(folder in Path(name).resolve().parents for folder in folders):
                where = (name, frame.tb_lineno)
            frame = frame.tb_next
    if isinstance(exc, TemplateNotFound):
        message: Text | str = say("The templates folder {folder} has no {name}: copy it from "
                                  "the templates/ folder of this generator.",
                                  folder=shown_path(folders[0]), name=exc.name)
        if where is None:
            return message
    elif where is None:
        return None
    elif isinstance(exc, TemplateSyntaxError):
        message = exc.message or str(exc)
    elif isinstance(exc, TemplateError):
        message = _MODULE_PATH.sub(r"'\1'", str(exc))
    else:
        message = f"{type(exc).__name__}: {exc}"
    return say("{file}:{line}: template error: {message}", file=shown_path(Path(where[0])),
               line=where[1], message=message)


def _folders(env: Environment) -> list[Path]:
    return [Path(folder).resolve() for folder in env.loader.searchpath]  # type: ignore[union-attr]


def shown_path(path: Path) -> str:
    """A path as the reader can find it: from the working folder when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)
