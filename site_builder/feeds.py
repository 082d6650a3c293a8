"""Feed specs -> RSS 2.0 and Atom bytes with feedgen.

Stage: feeds. May import: stdlib, feedgen, graph.

Deterministic: the feed's own date is its newest item's, never the wall clock.
The guid is the notice's permalink. Relative links in the content become
absolute, since a feed reader has no page to resolve them against. RSS
`description` is HTML to every reader, so the plain summary (and the channel's
title, as its description) goes in escaped.
"""

from __future__ import annotations

import re

from feedgen.feed import FeedGenerator

from .graph import FeedSpec, NoticeView, plain_to_html
from .urls import Urls

_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolutize(fragment: str, urls: Urls) -> str:
    return _ROOT_RELATIVE.sub(rf"\1{urls.origin}/", fragment)


def _entry(fg: FeedGenerator, item: NoticeView, urls: Urls, kind: str) -> None:
    entry = fg.add_entry(order="append")
    entry.id(item.permalink)
    entry.guid(item.permalink, permalink=True)
    entry.title(item.title)
    entry.link(href=item.permalink, rel="alternate")
    entry.published(item.release)
    entry.updated(item.updated or item.release)
    entry.author({"name": item.department.title})
    body = absolutize(item.body_html, urls)
    if kind == "rss":
        entry.description(plain_to_html(item.summary))
        entry.content(body, type="CDATA")
    else:
        entry.summary(item.summary, type="text")
        entry.content(body, type="html")
    for tag in item.tags:
        entry.category(term=tag)


def render_feed(spec: FeedSpec, urls: Urls, language_name: str = "") -> bytes:
    fg = FeedGenerator()
    fg.id(urls.absolute(spec.url if spec.kind == "atom" else spec.page_url))
    fg.title(spec.title)
    # feedgen takes the RSS <link> from the last link given: the page, not the feed.
    fg.link(href=urls.absolute(spec.url), rel="self")
    fg.link(href=urls.absolute(spec.page_url), rel="alternate")
    # The RSS channel's description, like an item's, is HTML to readers: a department or
    # program name in it goes in escaped. Atom's subtitle is text. (feedgen keeps the two
    # in one field, so only the one of this feed's kind is set.)
    if spec.kind == "rss":
        fg.description(plain_to_html(spec.title))
    else:
        fg.subtitle(spec.title)
    fg.language(spec.lang)
    fg.generator("site_builder")
    fg.lastBuildDate(spec.updated)
    fg.updated(spec.updated)
    for item in spec.items:
        _entry(fg, item, urls, spec.kind)
    if spec.kind == "rss":
        return fg.rss_str(pretty=True)
    return fg.atom_str(pretty=True)
