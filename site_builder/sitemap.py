"""sitemap.xml with hreflang alternates, and robots.txt.

Stage: sitemap. May import: stdlib, graph.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr, escape

from .graph import SiteGraph, last_modified


SitemapEntry = tuple[str, str, tuple[tuple[str, str], ...]]
"""A page's address, when it last changed ('' if unknown), its language versions."""


def sitemap_entries(graph: SiteGraph) -> list[SitemapEntry]:
    """What the sitemap says of each page, in its order: cheap to compare with the last
    build's, so that the sitemap is written again only when one of them changed."""
    entries = []
    urls = graph.urls
    for page in sorted((p for p in graph.pages if p.in_sitemap), key=lambda p: p.url):
        moment = last_modified(page, urls)
        alternates = tuple(page.alternates.items()) if len(page.alternates) > 1 else ()
        entries.append((page.url, moment.isoformat() if moment else "", alternates))
    return entries


def render_sitemap(graph: SiteGraph, entries: list[SitemapEntry] | None = None) -> bytes:
    urls = graph.urls
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for url, moment, alternates in sitemap_entries(graph) if entries is None else entries:
        lines.append(f"  <url><loc>{escape(urls.absolute(url))}</loc>")
        if moment:
            lines.append(f"    <lastmod>{moment}</lastmod>")
        for lang, other in alternates:
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{lang}" '
                         f"href={quoteattr(urls.absolute(other))}/>")
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def render_robots(graph: SiteGraph) -> bytes:
    return (f"User-agent: *\nAllow: /\n\n"
            f"Sitemap: {graph.urls.absolute(graph.urls.root_file('sitemap.xml'))}\n").encode()
