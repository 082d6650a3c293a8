"""Feed specs -> RSS 2.0 and Atom bytes with feedgen.

Stage: feeds. May import: stdlib, feedgen, graph, urls.

Deterministic: the feed's own date is its newest item's, never the wall clock.
The guid is the notice's permalink, or the address it had before it moved
(`NoticeView.guid`), so a reader does not show a moved notice twice. An item
starts with what its page shows above the text: the machine-translation notice
and the corrections, newest first. Relative links in the content become
absolute, resolved as a browser resolves them on the notice's page, since a feed
reader has no page to resolve them against. RSS `description` is HTML to every
reader, so the plain summary (and the channel's description) goes
in escaped. The channel describes itself with site.yaml's `description` when given.
The site's 공공누리 licence is the feed's RSS `copyright` and Atom `rights`; in Atom, a
notice with another one (or none) states it in its entry.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from .graph import FeedSpec, NoticeView, plain_to_html
from .urls import Urls

# The sanitizer writes every attribute as name="value", with '"' escaped inside: a start
# tag of an a or img is matched whole, never text that merely looks like an attribute.
_LINK_TAG = re.compile(r'<(?:a|img)(?:\s+[^\s"=>/]+="[^"]*")*\s*/?>')
_ATTRIBUTE = re.compile(r'(\s+([^\s"=>/]+)=")([^"]*)"')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_SPACE = " \t\n\r\f"
"""What a browser trims from both ends of a URL attribute."""


def _absolute(ref: str, page: str, urls: Urls) -> str:
    """`ref` as written in an attribute (escaped), absolute and escaped again."""
    bare = ref.strip(_SPACE)
    if _SCHEME.match(bare):
        return ref
    if bare.startswith("/") and not bare.startswith("//"):
        return urls.origin + bare
    return html.escape(urljoin(page, html.unescape(bare)), quote=False).replace('"', "&quot;")


def absolutize(fragment: str, urls: Urls, page: str) -> str:
    """Every href and src of a body absolute: root-relative ones on the site's origin,
    the others ('photo.jpg', '../a', '#x') against `page`, the notice's own address."""
    def attribute(a: re.Match) -> str:
        return f'{a[1]}{_absolute(a[3], page, urls)}"' if a[2] in ("href", "src") else a[0]

    return _LINK_TAG.sub(lambda tag: _ATTRIBUTE.sub(attribute, tag[0]), fragment)


def item_notes(item: NoticeView, labels) -> str:
    """The HTML put before an item's body: the notes its page shows with the text."""
    notes = ""
    if item.translation == "machine" and labels.get("machine_translation"):
        link = (f' <a href="{html.escape(item.original)}">{html.escape(labels["original_text"])}</a>'
                if item.original and labels.get("original_text") else "")
        notes += f"<p><em>{html.escape(labels['machine_translation'])}</em>{link}</p>\n"
    if item.corrections:
        heading = html.escape(labels.get("corrections", "Corrections"))
        rows = "".join(f"<li>{c.date.isoformat()}: {html.escape(c.note)}</li>"
                       for c in item.corrections)
        notes += f"<p><strong>{heading}</strong></p>\n<ul>{rows}</ul>\n"
    return notes


def _entry(fg: FeedGenerator, item: NoticeView, urls: Urls, kind: str, labels,
           license: str | None = None, rights=None) -> None:
    """One item; in Atom, a notice whose licence is not the site's states its own."""
    rights = rights or {}
    entry = fg.add_entry(order="append")
    entry.id(item.guid)
    entry.guid(item.guid, permalink=item.guid == item.permalink)
    entry.title(item.title)
    entry.link(href=item.permalink, rel="alternate")
    entry.published(item.release)
    entry.updated(item.updated or item.release)
    entry.author({"name": item.department.title})
    body = item_notes(item, labels) + absolutize(item.body_html, urls, item.permalink)
    if kind == "rss":
        entry.description(plain_to_html(item.summary))
        entry.content(body, type="CDATA")
    else:
        entry.summary(item.summary, type="text")
        entry.content(body, type="html")
    own = item.license.kind if item.license else ""
    if kind == "atom" and own != (license or "") and own in rights:
        entry.rights(rights[own])
    if item.tags:
        # One call: feedgen rebuilds its RSS category list on every call.
        entry.category([{"term": tag} for tag in item.tags])


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
        fg.description(plain_to_html(spec.description or spec.title))
    else:
        fg.subtitle(spec.description or spec.title)
    fg.language(spec.lang)
    if spec.license and spec.license in spec.rights:
        # feedgen keeps RSS copyright and Atom rights in one field.
        fg.rights(spec.rights[spec.license])
    fg.generator("site_builder")
    fg.lastBuildDate(spec.updated)
    fg.updated(spec.updated)
    for item in spec.items:
        _entry(fg, item, urls, spec.kind, spec.labels, spec.license, spec.rights)
    if spec.kind == "rss":
        return fg.rss_str(pretty=True)
    return fg.atom_str(pretty=True)
