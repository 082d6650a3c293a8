"""The site graph: every page and feed with its URL and what it shows.

Stage: graph. May import: stdlib, model, romanize, markdown, urls.

`build_graph` decides what is published at `now` (embargo, drafts), turns model
values into template-facing views, paginates, pairs translations and lists feeds.
The result is a plain value: rendering and writing are functions that take it.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Callable, Mapping
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from .markdown import render_body
from .model import LICENSES, Attachment, Contact, Notice, Site, frozen_map
from .romanize import romanize_name
from .urls import Urls, search_shard

FEED_LABELS = ("machine_translation", "original_text", "corrections")
"""The UI strings a feed item shows, as its page does."""
HOME_LATEST = 10
"""Notices on a home page."""
SHARD_PAGES = 500
"""Notices per part of the search index, at least (but the newest part)."""


@dataclass(frozen=True)
class AttachmentView:
    title: str
    url: str
    size: int
    media_type: str
    extension: str
    title_lang: str = ""
    """The language the title is in."""


@dataclass(frozen=True)
class ContactView:
    role: str
    name: str
    """In the page's language where known (`name: {ko, en}`) or romanized, else as written."""
    name_lang: str
    original: str | None
    """The name as written in the primary language, when `name` is another spelling."""
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class TagView:
    label: str
    lang: str


@dataclass(frozen=True)
class LicenseView:
    """A 공공누리 type: `kind` is its LICENSES key (kogl-1 ...), `number` its type (1-4)."""

    kind: str
    url: str

    @property
    def number(self) -> str:
        return self.kind.rsplit("-", 1)[-1]


@dataclass(frozen=True)
class LinkView:
    title: str
    url: str
    lang: str


@dataclass(frozen=True)
class NoticeView:
    """One notice in one language, everything a page or feed item shows."""

    lang: str
    url: str
    permalink: str
    """Absolute."""
    guid: str
    """The feed guid: `guid:` as written, else the first alias in this language (the
    address the notice had before it moved), else the permalink."""
    title: str
    subtitles: tuple[str, ...]
    summary: str
    body_html: str
    department: LinkView
    contacts: tuple
    provided: datetime | None
    release: datetime
    updated: datetime | None
    corrections: tuple
    attachments: tuple[AttachmentView, ...]
    programs: tuple[LinkView, ...]
    tags: tuple[str, ...]
    translation: str
    draft: bool
    embargoed: bool
    original: str | None = None
    """Absolute URL of the primary-language page, for a translation."""
    license: LicenseView | None = None
    tag_views: tuple[TagView, ...] = ()
    """The tags as shown in this language (tags.yaml), each with the language it is in."""


@dataclass(frozen=True)
class ListEntry:
    """A notice in a list: in the list's language, or the primary one if untranslated."""

    title: str
    url: str
    lang: str
    release: datetime
    department: str
    summary: str
    untranslated: bool


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str
    media_type: str = "application/rss+xml"


@dataclass(frozen=True)
class Page:
    kind: str
    lang: str
    url: str
    template: str
    context: Mapping
    alternates: Mapping[str, str]
    """Language -> URL of this page in that language (itself included)."""
    switch: Mapping[str, str]
    """Language -> where the language switch goes (the translation or that home)."""
    feeds: tuple[FeedLink, ...]
    in_sitemap: bool = True
    notice: Notice | None = field(default=None, repr=False, compare=False)
    """The notice a notice page shows (what its recipe is made from)."""


@dataclass(frozen=True)
class FeedSpec:
    lang: str
    kind: str
    """rss | atom"""
    url: str
    title: str
    page_url: str
    items: tuple[NoticeView, ...]
    updated: datetime
    description: str = ""
    """The channel's description (RSS) or subtitle (Atom)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """UI text the items need (FEED_LABELS) in the feed's language."""
    license: str | None = None
    """The site's 공공누리 type (a LICENSES key), the feed's own rights."""
    rights: Mapping[str, str] = field(default_factory=dict)
    """Each licence's statement in the feed's language, by LICENSES key ('' for none),
    with the address of its terms: RSS `copyright`, Atom `rights`."""


@dataclass(frozen=True)
class SiteGraph:
    site: Site
    urls: Urls
    now: datetime
    pages: tuple[Page, ...]
    feeds: tuple[FeedSpec, ...]
    static_files: tuple[str, ...]
    """Files under static/ to publish."""
    embargoed: tuple[Notice, ...]
    """Unpublished because `release` is after `now`, soonest first."""
    drafts: int
    withheld: tuple[tuple[str, tuple[Notice, ...]], ...] = ()
    """Files under static/ held back: each with the unpublished notices that use it
    (attached or linked from a body), soonest released first."""
    search_shards: tuple[str, ...] = ()
    """The search index's parts: one per language and year of the published notices."""


def is_published(notice: Notice, now: datetime, include_drafts: bool) -> bool:
    return notice.release <= now and (include_drafts or not notice.draft)


Bodies = Callable[[str], tuple[str, str]]
"""Markdown body -> (HTML, summary): `markdown.render_body`, or a cache of its results."""


def build_graph(site: Site, now: datetime, include_drafts: bool = False,
                include_unreleased: bool = False, bodies: Bodies | None = None,
                strings: Mapping[str, Mapping] | None = None) -> SiteGraph:
    """All pages and feeds of the site as published at `now`; `strings`, the UI text by
    language, gives the feed items the notes their pages show."""
    urls = _NoticeUrls(site.config)
    bodies = bodies or _rendered_once(urls.base)
    tz = ZoneInfo(site.config.timezone)
    visible = [n for n in site.notices if include_unreleased and (include_drafts or not n.draft)
               or is_published(n, now, include_drafts)]
    # A draft published by `--drafts` waits for its release time like any notice.
    embargoed = sorted((n for n in site.notices
                        if n.release > now and (include_drafts or not n.draft)),
                       key=lambda n: n.release)
    views = _Views(site, urls, tz, now, bodies, visible)
    builder = _PageBuilder(site, urls, tz, now, visible, views, bodies)
    builder.strings = strings or {}
    pages = builder.pages()
    withheld = _withheld_static(site, urls, visible, bodies)
    return SiteGraph(site, urls, now, tuple(pages), tuple(builder.feed_specs()),
                     tuple(path for path in site.static_files if path not in withheld),
                     tuple(embargoed), sum(1 for n in site.notices if n.draft),
                     withheld=tuple(withheld.items()),
                     search_shards=tuple(shard for lang in site.config.languages
                                         for shard in builder.search_shards(lang)))


class _Views(dict):
    """(a notice's primary address, language) -> its view, made when first asked for:
    a build shows few of them (the pages it renders, the feeds' items); the lists are
    made from the notices, and the pages' recipes from `Notice.digests`."""

    def __init__(self, site: Site, urls: Urls, tz: ZoneInfo, now: datetime, bodies: Bodies,
                 notices: list[Notice]):
        super().__init__()
        self.make = lambda notice, lang: notice_view(site, urls, tz, notice, lang, now,
                                                     bodies(notice.texts[lang].body))
        self.notices = {urls.notice(site.config.primary, n): n for n in notices}

    def __missing__(self, key: tuple[str, str]) -> NoticeView:
        view = self[key] = self.make(self.notices[key[0]], key[1])
        return view


class _ViewContext(Mapping):
    """A notice page's context, {"notice": its view}, with the view made when the page
    is rendered (or its context read otherwise)."""

    __slots__ = ("_views", "_key", "_made")

    def __init__(self, views: Mapping, key: tuple[str, str]):
        self._views, self._key, self._made = views, key, None

    def _context(self) -> Mapping:
        if self._made is None:
            self._made = frozen_map({"notice": self._views[self._key]})
        return self._made

    def __getitem__(self, key):
        return self._context()[key]

    def __iter__(self):
        return iter(self._context())

    def __len__(self) -> int:
        return 1

    def __repr__(self) -> str:
        return repr(self._context())


class _NoticeUrls(Urls):
    """Urls that work out each notice page's address once: the views, lists, feeds and
    search parts of a build ask for it many times."""

    def __init__(self, config):
        super().__init__(config)
        self._known: dict[tuple[int, str], tuple[Notice, str]] = {}

    def notice(self, lang: str, notice: Notice) -> str:
        known = self._known.get((id(notice), lang))
        if known is None:  # the notice is kept with its address: its id stays its own
            known = self._known[(id(notice), lang)] = (notice, super().notice(lang, notice))
        return known[1]


def notice_pages(site: Site, now: datetime, notice: Notice, bodies: Bodies) -> list[Page]:
    """One notice's own pages, as build_graph makes them, without the rest of the site:
    for the preview, to show an edit before the lists and feeds are built again."""
    urls = Urls(site.config)
    tz = ZoneInfo(site.config.timezone)
    views = {(urls.notice(site.config.primary, notice), lang):
             notice_view(site, urls, tz, notice, lang, now, bodies(notice.texts[lang].body))
             for lang in notice.texts}
    builder = _PageBuilder(site, urls, tz, now, [notice], views, bodies)
    return [builder.notice_page(lang, notice) for lang in site.config.languages
            if lang in notice.texts]


def _rendered_once(base_path: str) -> Bodies:
    results: dict[str, tuple[str, str]] = {}

    def bodies(body: str) -> tuple[str, str]:
        if body not in results:
            results[body] = render_body(body, base_path)
        return results[body]
    return bodies


def _withheld_static(site: Site, urls: Urls, visible: list[Notice], bodies: Bodies
                     ) -> dict[str, tuple[Notice, ...]]:
    """Static files that only unpublished notices use, attached or linked from a body
    in any language, with those notices. A file a published notice or a program page
    uses, or that no notice uses (a site-wide image), is published."""
    links = StaticLinks(urls, site.static_files)
    shown = {id(n) for n in visible}
    public: set[str] = set()
    private: dict[str, list[Notice]] = {}
    for notice in site.notices:
        used = {a.file for a in notice.attachments}
        for lang, text in notice.texts.items():
            used |= links.of(bodies(text.body)[0], urls.notice(lang, notice))
        if id(notice) in shown:
            public |= used
        else:
            for path in used:
                private.setdefault(path, []).append(notice)
    for program in site.programs.values():
        for lang, text in program.texts.items():
            public |= links.of(bodies(text.body)[0], urls.program(lang, program.id))
    return {path: tuple(sorted(private[path], key=lambda n: (n.draft, n.release)))
            for path in sorted(private) if path not in public}


_TAG_START = re.compile(r"<(?:a|img)[\s/>]")
_TAG = re.compile(r"""<(?:a|img)((?:\s+[^\s"'>/=]+(?:="[^"]*")?)*)\s*/?>""")
_ATTRIBUTE = re.compile(r"""\s+([^\s"'>/=]+)(?:="([^"]*)")?""")
_NEEDS_RESOLVING = re.compile(r"[\s%?#\\]|(^|/)\.\.?(/|$)")
_URL_NOISE = re.compile(r"[\t\n\r]")
"""What a browser drops from a URL before reading it."""


class StaticLinks:
    """The static files a rendered body links to (a href, img src), as a browser
    resolves the address on the page that shows it: '/static/...' (with the base path
    the renderer puts in front), relative ones, the site's own absolute URL; with
    percent-encoding, '..' and NFD names read as the server reads them."""

    def __init__(self, urls: Urls, static_files):
        self.files = set(static_files)
        self.prefix = urls.base + "static/"
        self.host = (urlsplit(urls.origin).hostname or "").lower()
        # The usual address, written as the file is named, needs no resolving.
        self.direct = {self.prefix + path: path for path in self.files
                       if not _NEEDS_RESOLVING.search(path)}

    def of(self, body_html: str, page_url: str) -> set[str]:
        if "<a" not in body_html and "<img" not in body_html:
            return set()
        found = set()
        for ref in _addresses(body_html):
            path = self.target(ref, page_url)
            if path is not None:
                found.add(path)
        return found

    def target(self, ref: str, page_url: str) -> str | None:
        """The static file `ref` fetches on the page at `page_url`, or None."""
        if ref in self.direct:
            return self.direct[ref]
        try:
            parts = urlsplit(_URL_NOISE.sub("", ref).strip().replace("\\", "/"))
            host = parts.hostname
        except ValueError:
            return None
        if parts.scheme.lower() not in ("", "http", "https") or \
                parts.netloc and (host or "").lower() != self.host:
            return None
        path = parts.path
        if not path:
            return None
        if not path.startswith("/"):
            path = page_url.rsplit("/", 1)[0] + "/" + path
        path = _without_dots(unicodedata.normalize("NFC", unquote(path)))
        if not path.startswith(self.prefix):
            return None
        file = path[len(self.prefix):]
        return file if file in self.files else None


def _addresses(body_html: str) -> list[str]:
    """Every href and src of a body's links and images, entities decoded. The sanitizer
    writes tags one way (attributes in double quotes, '<' and '"' escaped inside them);
    a body that comes out otherwise is read by html.parser instead."""
    found = []
    for start in _TAG_START.finditer(body_html):
        tag = _TAG.match(body_html, start.start())
        if tag is None:
            return _parsed_addresses(body_html)
        for attribute in _ATTRIBUTE.finditer(tag.group(1)):
            if attribute.group(1).lower() in ("href", "src") and attribute.group(2):
                found.append(html.unescape(attribute.group(2)))
    return found


def _parsed_addresses(body_html: str) -> list[str]:
    found: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(value for name, value in attrs if name in ("href", "src") and value)
        handle_startendtag = handle_starttag

    parser = Parser(convert_charrefs=True)
    parser.feed(body_html)
    parser.close()
    return found


def _without_dots(path: str) -> str:
    """An absolute path with '.', '..' and repeated slashes resolved, as servers do."""
    parts: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if parts:
                parts.pop()
        elif segment not in ("", "."):
            parts.append(segment)
    return "/" + "/".join(parts)


def notice_view(site: Site, urls: Urls, tz: ZoneInfo, notice: Notice, lang: str,
                now: datetime, body: tuple[str, str]) -> NoticeView:
    """One notice in one language: a pure function of the notice, its rendered body
    (HTML, first-paragraph summary) and the site settings."""
    text = notice.texts[lang]
    department = site.departments[notice.department]
    url = urls.notice(lang, notice)
    programs = []
    for program_id in notice.programs:
        program = site.programs[program_id]
        program_lang = lang if lang in program.texts else site.config.primary
        programs.append(LinkView(program.texts[program_lang].title,
                                 urls.program(program_lang, program_id), program_lang))
    local = (lambda moment: moment.astimezone(tz) if moment else None)
    primary = site.config.primary
    return NoticeView(
        lang=lang, url=url, permalink=urls.absolute(url), guid=_guid(urls, notice, lang, url),
        original=urls.absolute(urls.notice(primary, notice)) if lang != primary else None,
        title=text.title,
        subtitles=text.subtitles,
        summary=_summary(text, body), body_html=body[0],
        department=LinkView(department.name[lang], urls.department(lang, department.id), lang),
        contacts=tuple(contact_view(c, lang, primary) for c in notice.contacts),
        provided=local(notice.provided), release=local(notice.release),
        updated=local(notice.updated), corrections=notice.corrections,
        attachments=tuple(_attachment_view(urls, a, lang, primary) for a in notice.attachments),
        programs=tuple(programs), tags=notice.tags, translation=text.translation,
        draft=notice.draft, embargoed=notice.release > now,
        license=license_view(notice.license or site.config.license),
        tag_views=tuple(tag_view(site, tag, lang) for tag in notice.tags))


def last_modified(page: Page, urls: Urls) -> datetime | None:
    """When a notice page last changed, as its view shows it (`updated`, else `release`,
    in the site's time zone), without making the view; None for other pages."""
    notice = page.notice
    if notice is None:
        return None
    return (notice.updated or notice.release).astimezone(urls.tz)


def _summary(text, body: tuple[str, str]) -> str:
    """A notice's summary in lists and on its page: as written, else its first paragraph."""
    return text.summary or body[1]


def license_view(kind: str | None) -> LicenseView | None:
    """The notice's 공공누리 type (its own `license:`, else the site's); None for none."""
    return LicenseView(kind, LICENSES[kind]) if kind in LICENSES else None


def tag_view(site: Site, tag: str, lang: str) -> TagView:
    """A tag in `lang`: its tags.yaml label, else as written (in the primary language)."""
    label = site.tag_labels.get(tag, {}).get(lang) if lang != site.config.primary else None
    return TagView(label, lang) if label else TagView(tag, site.config.primary)


def contact_view(contact: Contact, lang: str, primary: str) -> ContactView:
    """A contact on a page in `lang`: the name given for that language, or a Korean
    name romanized on a page in another language (송미란 -> Song Mi-ran), with the
    name as written beside it; anything else as written."""
    name, name_lang, original = contact.name, primary, None
    if lang != primary:
        given = contact.names.get(lang)
        shown = given if given else _romanized(contact.name) if primary == "ko" else None
        if shown and shown != contact.name:
            name, name_lang, original = shown, lang, contact.name
    return ContactView(contact.role, name, name_lang, original, contact.phone, contact.email)


_romanized = functools.lru_cache(maxsize=4096)(romanize_name)
"""The same names come back on notice after notice."""


def _guid(urls: Urls, notice: Notice, lang: str, url: str) -> str:
    """A feed item's id, kept when the notice moves: see NoticeView.guid."""
    text = notice.texts[lang]
    if text.guid:
        return text.guid
    moved = [alias.path for alias in notice.aliases if alias.lang == lang]
    return urls.absolute(moved[0] if moved else url)


def _attachment_view(urls: Urls, attachment: Attachment, lang: str, primary: str
                     ) -> AttachmentView:
    extension = attachment.file.rsplit(".", 1)[-1].upper() if "." in attachment.file else ""
    title = attachment.titles.get(lang)
    return AttachmentView(title or attachment.title, urls.static(attachment.file),
                          attachment.size, attachment.media_type, extension,
                          lang if title else primary)


def paginate(items: list, per_page: int) -> list[list]:
    """Pages of at most per_page items; one empty page when there are none."""
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


class _PageBuilder:
    """Builds the pages and feed specs of one site; a helper of `build_graph` only."""

    def __init__(self, site, urls, tz, now, notices, views, bodies):
        self.bodies = bodies
        self.site, self.urls, self.tz, self.now = site, urls, tz, now
        self.config = site.config
        self.notices, self.views = notices, views
        self.idents: dict[int, str] = {}
        self.listed: dict[tuple[int, str], ListEntry | None] = {}
        # Each department's and program's notices, newest first like `notices`.
        self.of_department: dict[str, list[Notice]] = {d: [] for d in site.departments}
        self.of_program: dict[str, list[Notice]] = {p: [] for p in site.programs}
        for notice in notices:
            self.of_department[notice.department].append(notice)
            for program_id in notice.programs:
                self.of_program[program_id].append(notice)
        self.shards: dict[str, list[str]] = {}
        self.strings: Mapping[str, Mapping] = {}
        self.lang_feeds: dict[str, tuple[FeedLink, ...]] = {}
        self.every_entry: dict[str, list[ListEntry]] = {}
        self.scoped: dict[tuple, tuple[FeedLink, ...]] = {}

    def ident(self, notice: Notice) -> str:
        """A notice's identity: its primary URL (slugs repeat across months)."""
        known = self.idents.get(id(notice))
        if known is None:
            known = self.idents[id(notice)] = self.urls.notice(self.config.primary, notice)
        return known

    # -- lists ---------------------------------------------------------------
    def entries(self, lang: str, notices) -> list[ListEntry]:
        """A list in `lang`: untranslated notices per the `untranslated` setting."""
        every = notices is self.notices
        if every and lang in self.every_entry:
            return self.every_entry[lang]
        listed = [self.entry(lang, notice) for notice in notices]
        found = [entry for entry in listed if entry is not None]
        if every:
            self.every_entry[lang] = found
        return found

    def entry(self, lang: str, notice: Notice) -> ListEntry | None:
        """A notice in lists in `lang` (one object for all of them); None if hidden."""
        key = (id(notice), lang)
        if key in self.listed:
            return self.listed[key]
        own = lang in notice.texts
        entry = None
        if own or self.config.untranslated != "hide":  # what its view shows (notice_view)
            shown = lang if own else self.config.primary
            text = notice.texts[shown]
            entry = ListEntry(text.title, self.urls.notice(shown, notice), shown,
                              notice.release.astimezone(self.tz),
                              self.site.departments[notice.department].name[lang],
                              _summary(text, self.bodies(text.body)), not own)
        self.listed[key] = entry
        return entry

    def page(self, kind, lang, url_of, template, context, langs=None, feeds=(), sitemap=True,
             notice=None):
        """A page that exists in `langs` (default: every language); url_of(lang) -> URL."""
        langs = langs or self.config.languages
        alternates = {l: url_of(l) for l in self.config.languages if l in langs}
        switch = {l: alternates[l] if l in alternates else self.urls.home(l)
                  for l in self.config.languages}
        lang_feeds = self.lang_feeds.get(lang)
        if lang_feeds is None:
            lang_feeds = self.lang_feeds[lang] = tuple(
                FeedLink(self.config.title[l], self.urls.rss(l))
                for l in sorted(self.config.languages, key=lambda l: l != lang))
        return Page(kind, lang, alternates[lang] if lang in alternates else url_of(lang), template,
                    context if isinstance(context, _ViewContext) else frozen_map(context),
                    frozen_map(alternates), frozen_map(switch),
                    tuple(feeds) + lang_feeds, sitemap, notice)

    def pages(self) -> list[Page]:
        pages = []
        for lang in self.config.languages:
            pages += self.language_pages(lang)
        pages += self.redirect_pages()
        pages.append(self.page("chooser", self.config.primary, lambda l: self.urls.chooser(),
                               "chooser.html", {}, sitemap=False))
        pages.append(self.page("not_found", self.config.primary,
                               lambda l: self.urls.root_file("404.html"), "404.html", {},
                               sitemap=False))
        return pages

    def language_pages(self, lang: str) -> list[Page]:
        urls, today = self.urls, self.now.astimezone(self.tz).date()
        all_entries = self.entries(lang, self.notices)
        programs = self.program_entries(lang, today)
        pages = [self.page("home", lang, urls.home, "home.html",
                           {"latest": all_entries[:HOME_LATEST], "programs": programs})]
        chunks = paginate(all_entries, self.config.per_page)
        # With untranslated: hide, languages can have different numbers of list pages.
        page_counts = {l: len(paginate(self.entries(l, self.notices), self.config.per_page))
                       for l in self.config.languages}
        for number, chunk in enumerate(chunks, 1):
            pager = {"number": number, "total": len(chunks),
                     "prev": urls.notices(lang, number - 1) if number > 1 else None,
                     "next": urls.notices(lang, number + 1) if number < len(chunks) else None}
            pages.append(self.page("notices", lang, lambda l, n=number: urls.notices(l, n),
                                   "notices.html", {"entries": chunk, "pager": pager},
                                   langs=tuple(l for l, c in page_counts.items() if c >= number)))
        pages += [self.notice_page(lang, notice) for notice in self.notices
                  if lang in notice.texts]
        pages.append(self.page("search", lang, urls.search, "search.html",
                               {**self.search_filters(lang),
                                "shards": [urls.root_file(f"pagefind/{shard}/")
                                           for shard in self.search_shards(lang)]}))
        pages += self.department_pages(lang)
        pages += self.program_pages(lang, today, programs)
        return pages

    def notice_page(self, lang: str, notice: Notice) -> Page:
        return self.page("notice", lang, lambda l: self.urls.notice(l, notice), "notice.html",
                         _ViewContext(self.views, (self.ident(notice), lang)),
                         langs=tuple(notice.texts), feeds=self.scoped_feeds(lang, notice),
                         notice=notice)

    def redirect_pages(self) -> list[Page]:
        """A page at each old address (alias) of a published notice that sends the reader
        to the notice in the alias's language (or the primary one if it has none): never
        in the sitemap, never in the search index."""
        pages = []
        for notice in self.notices:
            for alias in notice.aliases:
                lang = alias.lang if alias.lang in notice.texts else self.config.primary
                target = self.urls.notice(lang, notice)
                pages.append(self.page(
                    "redirect", alias.lang, lambda l, path=alias.path: path, "redirect.html",
                    {"target": target, "title": notice.texts[lang].title, "target_lang": lang},
                    langs=(alias.lang,), sitemap=False))
        return pages

    def search_shards(self, lang: str) -> list[str]:
        """The parts of `lang`'s search index, newest first (as the search page loads
        them): consecutive years, oldest first, grouped until a part has SHARD_PAGES
        notices. A year as large stands alone, so an edit re-indexes one year; small
        years share a part, as each part costs a Pagefind run and a download. Only the
        newest part changes as notices are added."""
        if lang in self.shards:
            return self.shards[lang]
        counts: dict[int, int] = {}
        for notice in self.notices:
            if lang in notice.texts:
                year = notice.release.astimezone(self.tz).year  # as its view shows it
                counts[year] = counts.get(year, 0) + 1
        shards, first, total = [], None, 0
        for year in sorted(counts):
            first = year if first is None else first
            total += counts[year]
            if total >= SHARD_PAGES:
                shards.append(search_shard(lang, first, year))
                first, total = None, 0
        if first is not None:
            shards.append(search_shard(lang, first, max(counts)))
        self.shards[lang] = shards[::-1]
        return self.shards[lang]

    def search_filters(self, lang: str) -> dict:
        """The choices of the search page's filters: what `lang`'s index can contain.

        Filtering happens in the browser on each result's metadata: Pagefind's own
        filter index is not byte-stable between builds, and builds must be."""
        own = [n for n in self.notices if lang in n.texts]
        departments = [self.site.departments[d] for d in {n.department for n in own}]
        programs = {p for n in own for p in n.programs if lang in self.site.programs[p].texts}
        years = {n.release.astimezone(self.tz).year for n in own}
        return {"filters": {
            "department_url": [(self.urls.department(lang, d.id), d.name[lang])
                               for d in sorted(departments, key=lambda d: d.name[lang])],
            "program_urls": sorted((self.urls.program(lang, p),
                                    self.site.programs[p].texts[lang].title) for p in programs),
            "year": [(str(y), str(y)) for y in sorted(years, reverse=True)]}}

    def department_pages(self, lang: str) -> list[Page]:
        urls, pages, summary = self.urls, [], []
        for dept in sorted(self.site.departments.values(), key=lambda d: d.name[lang]):
            entries = self.entries(lang, self.of_department[dept.id])
            summary.append({"name": dept.name[lang], "url": urls.department(lang, dept.id),
                            "phone": dept.phone, "count": len(entries)})
            feed = FeedLink(dept.name[lang], urls.rss(lang, f"departments/{dept.id}/"))
            pages.append(self.page("department", lang, lambda l, d=dept.id: urls.department(l, d),
                                   "department.html",
                                   {"department": dept, "name": dept.name[lang],
                                    "entries": entries, "feed": feed}, feeds=(feed,)))
        pages.insert(0, self.page("departments", lang, urls.departments, "departments.html",
                                  {"departments": summary}))
        return pages

    def program_entries(self, lang: str, today) -> list[dict]:
        result = []
        for program in sorted(self.site.programs.values(), key=lambda p: p.id):
            own = lang in program.texts
            text = program.texts[lang if own else self.config.primary]
            result.append({"id": program.id, "title": text.title, "lang": text.lang,
                           "summary": text.summary or self.bodies(text.body)[1],
                           "url": self.urls.program(text.lang, program.id),
                           "status": program.status(today), "untranslated": not own})
        return result

    def program_pages(self, lang: str, today, entries: list[dict]) -> list[Page]:
        urls = self.urls
        pages = [self.page("programs", lang, urls.programs, "programs.html",
                           {"programs": entries})]
        for program in sorted(self.site.programs.values(), key=lambda p: p.id):
            if lang not in program.texts:
                continue
            text = program.texts[lang]
            timeline = sorted(self.entries(lang, self.of_program[program.id]),
                              key=lambda e: (e.release, e.url))
            feed = FeedLink(text.title, urls.rss(lang, f"programs/{program.id}/"))
            dept = self.site.departments.get(program.department) if program.department else None
            pages.append(self.page(
                "program", lang, lambda l, p=program.id: urls.program(l, p), "program.html",
                {"program": program, "title": text.title, "summary": text.summary,
                 "body_html": self.bodies(text.body)[0],
                 "status": program.status(today), "timeline": timeline, "feed": feed,
                 "department": LinkView(dept.name[lang], urls.department(lang, dept.id), lang)
                 if dept else None},
                langs=tuple(program.texts), feeds=(feed,)))
        return pages

    def scoped_feeds(self, lang: str, notice: Notice) -> tuple[FeedLink, ...]:
        key = (lang, notice.department, notice.programs)
        if key not in self.scoped:
            self.scoped[key] = self._scoped_feeds(lang, notice)
        return self.scoped[key]

    def _scoped_feeds(self, lang: str, notice: Notice) -> tuple[FeedLink, ...]:
        dept = self.site.departments[notice.department]
        feeds = [FeedLink(dept.name[lang], self.urls.rss(lang, f"departments/{dept.id}/"))]
        for program_id in notice.programs:
            program = self.site.programs[program_id]
            if lang in program.texts:
                feeds.append(FeedLink(program.texts[lang].title,
                                      self.urls.rss(lang, f"programs/{program_id}/")))
        return tuple(feeds)

    # -- feeds ---------------------------------------------------------------
    def feed_items(self, lang: str, notices) -> tuple[NoticeView, ...]:
        """Only notices written in `lang`, newest first, at most feed_items."""
        own = []
        for notice in notices:
            if len(own) >= self.config.feed_items:
                break
            if lang in notice.texts:
                own.append(self.views[(self.ident(notice), lang)])
        return tuple(own)

    def feed_specs(self) -> list[FeedSpec]:
        specs, urls = [], self.urls
        fallback = max((n.release for n in self.notices), default=self.now).astimezone(self.tz)
        for lang in self.config.languages:
            title = self.config.title[lang]
            scopes = [("", title, urls.home(lang), self.notices)]
            for dept in sorted(self.site.departments.values(), key=lambda d: d.id):
                scopes.append((f"departments/{dept.id}/", f"{dept.name[lang]} · {title}",
                               urls.department(lang, dept.id),
                               self.of_department[dept.id]))
            for program in sorted(self.site.programs.values(), key=lambda p: p.id):
                if lang in program.texts:
                    scopes.append((f"programs/{program.id}/",
                                   f"{program.texts[lang].title} · {title}",
                                   urls.program(lang, program.id),
                                   self.of_program[program.id]))
            strings = self.strings.get(lang, {})
            labels = frozen_map({key: strings[key] for key in FEED_LABELS
                                 if isinstance(strings.get(key), str)})
            rights = frozen_map(license_statements(strings))
            for scope, feed_title, page_url, notices in scopes:
                items = self.feed_items(lang, notices)
                updated = max((i.updated or i.release for i in items), default=fallback)
                description = self.config.description.get(lang) or feed_title
                specs.append(FeedSpec(lang, "rss", urls.rss(lang, scope), feed_title, page_url,
                                      items, updated, description, labels, self.config.license,
                                      rights))
                if not scope:
                    specs.append(FeedSpec(lang, "atom", urls.atom(lang), feed_title, page_url,
                                          items, updated, description, labels,
                                          self.config.license, rights))
        return specs


def license_statements(strings: Mapping) -> dict[str, str]:
    """'공공누리 제1유형: 출처표시 (https://…)' per LICENSES key, and the
    words for none under '', from the UI text of one language."""
    words = strings.get("licenses") if isinstance(strings.get("licenses"), dict) else {}
    found = {kind: f"{words[kind]} ({url})" for kind, url in LICENSES.items()
             if isinstance(words.get(kind), str)}
    if isinstance(strings.get("license_none"), str):
        found[""] = strings["license_none"]
    return found


def plain_to_html(text: str) -> str:
    """Plain text as HTML for feed fields that readers treat as HTML."""
    return html.escape(text, quote=False)
