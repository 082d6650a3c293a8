"""sitemap.xml with hreflang alternates, and robots.txt.

Stage: sitemap. May import: stdlib, graph.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr, escape

from .graph import SiteGraph, last_modified


def render_sitemap(graph: SiteGraph) -> bytes:
    urls = graph.urls
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for page in sorted((p for p in graph.pages if p.in_sitemap), key=lambda p: p.url):
        lines.append(f"  <url><loc>{escape(urls.absolute(page.url))}</loc>")
        moment = last_modified(page, urls)
        if moment is not None:
            lines.append(f"    <lastmod>{moment.isoformat()}</lastmod>")
        if len(page.alternates) > 1:
            for lang, url in page.alternates.items():
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{lang}" '
                             f"href={quoteattr(urls.absolute(url))}/>")
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def render_robots(graph: SiteGraph) -> bytes:
    return (f"User-agent: *\nAllow: /\n\n"
            f"Sitemap: {graph.urls.absolute(graph.urls.root_file('sitemap.xml'))}\n").encode()
