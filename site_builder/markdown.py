"""Markdown body -> safe HTML, and the plain-text summary.

Stage: markdown. May import: stdlib, limits, comrak, nh3.

CommonMark plus tables, by comrak (the Rust CommonMark/GFM library). Korean emphasis
next to quotes and particles (`**'찾아가는 동주민센터'**를`) needs the CJK-friendly
flanking rule: comrak's `cjk_friendly_emphasis`. Hangul words are separated by spaces,
so unlike Chinese and Japanese a line break between Hangul must stay a space: comrak
marks every line break for us (`hardbreaks`, with source positions) and we join only
the soft ones between Chinese or Japanese characters. Source positions also tell the
Markdown's own elements from raw HTML, which is allowed and then sanitized by nh3 (the
Ammonia sanitizer): no script, style, iframe, event handlers or javascript: URLs.
An `id` written in a body gets the prefix `content-` (and so do the body's links to it),
so that it never repeats one of the page's own ids, such as `main`.
tests/test_markdown_differential.py holds this renderer to the markdown-it-py one it
replaced, and lists the differences that are intended.
"""

from __future__ import annotations

import re
from html import unescape
from importlib.metadata import version
from urllib.parse import unquote

import comrak
import nh3

from .limits import body_limits

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"}, "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "style"}, "th": {"colspan", "rowspan", "scope", "style"},
    "ol": {"start"}, "time": {"datetime"}, "abbr": {"title"}, "*": {"id", "lang"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

ENGINE = "|".join(["comrak", version("comrak"), "nh3", version("nh3"), "rules", "1"])
"""What a rendered body depends on besides its text: cached bodies are keyed on it.
Bump the last number when the rules in this module change."""


def _options() -> tuple:
    extension = comrak.ExtensionOptions()
    extension.cjk_friendly_emphasis = True
    extension.table = True
    render = comrak.RenderOptions()
    # Raw HTML and every link's address go through, and nh3 decides what is safe: comrak's
    # own filter would drop raw HTML the site allows.
    render.unsafe_ = True
    render.sourcepos = True
    render.hardbreaks = True
    return extension, None, render


_OPTIONS = _options()

_CJK = re.compile("[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                  "\uff00-\uff60\uffe0-\uffe6\U00020000-\U0002a6df]")
"""Chinese and Japanese characters and punctuation (Hangul is not among them)."""
_BREAK = re.compile(r'<br data-sourcepos="(\d+:\d+)-(\d+:\d+)" />\n')
"""A line break of the Markdown (raw HTML has no source position). A soft one is the
newline alone, one position; a hard one also spans its two spaces or backslash."""
_CELL_ALIGN = re.compile(r'(<t[hd] data-sourcepos="[^"]*") align="(left|right|center)"')
_H1 = '<h1 data-sourcepos="'
_SOURCEPOS = re.compile(r' data-sourcepos="[^"]*"')
_LAST_CLOSING = re.compile(r"\n((?:</(?:li|ul|ol|blockquote)>\n)*)\Z")
"""The end of comrak's HTML: a newline, then the lists and quotes the last block closes."""
_CONTAINERS = re.compile(r"^(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*")
"""The quote marks and list markers a line starts with."""
_CODE_OPEN = re.compile(r'<code data-sourcepos="[^"]*">')


def _break(match: re.Match) -> str:
    """A soft break between two Chinese or Japanese characters joins them: the text's or
    an inline code's own, as the old engine judged it (not through other tags)."""
    if match.group(1) != match.group(2):
        return "<br />\n"
    text, start, end = match.string, match.start(), match.end()
    if text.startswith("</code>", start - 7):
        start -= 7
    code = _CODE_OPEN.match(text, end)
    if code:
        end = code.end()
    if start and end < len(text) and _CJK.match(text[start - 1]) and _CJK.match(text[end]):
        return ""
    return "\n"


_INLINE_TAG = re.compile(r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<![A-Za-z][^>]*>"
                         r"""|</?[A-Za-z][^"'>]*(?:(?:"[^"]*"|'[^']*')[^"'>]*)*>""", re.S)
"""A tag or comment in comrak's HTML (comrak escapes every '<' of the text)."""
_TIGHT_SCAN = re.compile(r'</li>|\n|<br data-sourcepos="[^"]*" />\n|' + _INLINE_TAG.pattern,
                         re.S)
_RAW_LINE = re.compile(r" {0,3}<(?![a-z0-9]+ data-sourcepos=)")
"""A line of raw HTML: comrak's own block tags carry their source position."""


def _tight_end(html: str, start: int) -> re.Match | None:
    """Where the text that opens a tight list's item at `start` ends: at the item's end or
    at the newline before the next block (its line breaks end in `<br ... />`)."""
    for stop in _TIGHT_SCAN.finditer(html, start):
        if stop.group(0) in ("</li>", "\n"):
            return stop
    return None


def _join_tight_raw(html: str) -> str:
    """markdown-it puts raw HTML right after the text of a tight list's item; comrak puts
    a newline between them."""
    cuts = []
    for opening in _PARAGRAPH.finditer(html):
        if opening.group(0).startswith("<li"):
            end = _tight_end(html, opening.end())
            if end and end.group(0) == "\n" and _RAW_LINE.match(html, end.end()):
                cuts.append(end.start())
    if not cuts:
        return html
    starts = [0] + [cut + 1 for cut in cuts]
    return "".join(html[start:end] for start, end in zip(starts, cuts + [len(html)]))


def _rules(html: str, body: str) -> str:
    """comrak's HTML, before sanitizing, with the rules of this site: soft breaks between
    Chinese or Japanese characters joined, h1 (the page title's) as h2, cells' `align` as
    the `style` the sanitizer keeps; a body's last raw HTML, as written, without the
    newline comrak adds after it when the file does not end in one."""
    if body and not body.endswith("\n"):
        closing = _LAST_CLOSING.search(html)
        last = _CONTAINERS.sub("", body[body.rfind("\n") + 1:])
        if last and closing and html[: closing.start()].endswith(last):
            html = html[: closing.start()] + closing.group(1)
    if "<li " in html:
        html = _join_tight_raw(html)
    html = _BREAK.sub(_break, html)
    if _H1 in html:
        html = html.replace(_H1, '<h2 data-sourcepos="').replace("</h1>", "</h2>")
    if "align=" in html:
        html = _CELL_ALIGN.sub(r'\1 style="text-align:\2"', html)
    # The sanitizer would drop them too, but it compares the attributes of every open
    # <em> and <strong>: all different, deeply nested emphasis takes it time in the square.
    return _SOURCEPOS.sub("", html)


def _style_filter(element: str, attribute: str, value: str) -> str | None:
    """Table cells carry text-align only; any other inline style goes."""
    if attribute == "style":
        return value if re.fullmatch(r"text-align:\s*(left|right|center)", value) else None
    return value


def sanitize(fragment: str) -> str:
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True,
                     attribute_filter=_style_filter)


_TAG = re.compile(r'<[a-z][a-z0-9]*(?:\s+[^\s"=>/]+(?:="[^"]*")?)*\s*/?>')
_ID = re.compile(r'(\sid=")([^"]*)"')
_FRAGMENT_HREF = re.compile(r'(\shref="#)([^"]*)"')
ID_PREFIX = "content-"


def _prefix_ids(fragment: str) -> str:
    """`id="x"` -> `id="content-x"`, and `href="#x"` to it likewise, in sanitized HTML
    (where attribute values are double-quoted and hold no '"'). A link to an id the body
    does not define (the page's own `#attachments-heading`) is left as it is."""
    if ' id="' not in fragment:
        return fragment
    ids = {unescape(m.group(2)) for tag in _TAG.findall(fragment) for m in _ID.finditer(tag)}

    def href(match: re.Match) -> str:
        target = unquote(unescape(match.group(2)))
        return f'{match.group(1)}{ID_PREFIX}{match.group(2)}"' if target in ids else match.group(0)

    def tag(match: re.Match) -> str:
        text = _ID.sub(rf'\1{ID_PREFIX}\2"', match.group(0))
        return _FRAGMENT_HREF.sub(href, text) if text.startswith("<a") else text

    return _TAG.sub(tag, fragment)


def _prefix_site_links(fragment: str, base_path: str) -> str:
    """Root-relative links in a body ('/static/x.pdf') follow the site's base path."""
    if base_path == "/":
        return fragment
    return re.sub(r'(\s(?:href|src)=")/(?!/)', rf"\1{base_path}", fragment)


_UNPUBLISHABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""What XML cannot carry. The files have none (load refuses them), but a character
reference in raw HTML (`&#1;`) decodes to one, and the body goes into the feeds too."""


def render_body(body: str, base_path: str = "/", limit: int = 300) -> tuple[str, str]:
    """(sanitized HTML, plain summary of the first paragraph) from one parse of a body.

    Pure: same input, same output; the cache keys its results on exactly these inputs.
    A body over `limits.body_limits` is refused (validation reports it first)."""
    _refuse_over_limits(body)
    raw = comrak.render_markdown(body, *_OPTIONS)
    summary = _summary(raw, limit)
    fragment = _prefix_ids(sanitize(_rules(raw, body)))
    fragment = _UNPUBLISHABLE.sub("\ufffd", fragment)
    fragment = fragment.replace("<table>", '<div class="table-scroll" tabindex="0"><table>')
    fragment = fragment.replace("</table>", "</table></div>")
    return _prefix_site_links(fragment, base_path), summary


def render_markdown(body: str, base_path: str = "/") -> str:
    """Sanitized HTML for a notice or program body."""
    return render_body(body, base_path)[0]


def first_paragraph_text(body: str, limit: int = 300) -> str:
    """Plain text of the first paragraph, for summaries and descriptions."""
    _refuse_over_limits(body)
    return _summary(comrak.render_markdown(body, *_OPTIONS), limit)


def _refuse_over_limits(body: str) -> None:
    found = body_limits(body)
    if found:
        line, message = found[0]
        raise ValueError(f"line {line} of the body: {message}")


_PARAGRAPH = re.compile(r'<p data-sourcepos="[^"]*">|<li data-sourcepos="[^"]*">(?!\n|</li>)')
"""A paragraph: its own element, or the text that opens an item of a tight list (a block
there starts on a new line)."""
_P_END = re.compile(r"</p>\n")
_IMAGE_ALT = re.compile(r'<img data-sourcepos="[^"]*" src="[^"]*" alt="([^"]*)"')


def _summary(html: str, limit: int) -> str:
    """The first paragraph's text, from comrak's HTML: the Markdown's text, code and image
    descriptions, each line break a space; raw HTML tags left out, their text kept."""
    for opening in _PARAGRAPH.finditer(html):
        end = (_P_END.search(html, opening.end()) if opening.group(0).startswith("<p ")
               else _tight_end(html, opening.end()))
        inner = html[opening.end(): end.start() if end else len(html)]
        text = _UNPUBLISHABLE.sub("\ufffd", _plain(inner))
        if text:
            return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return ""


def _tag_text(match: re.Match) -> str:
    tag = match.group(0)
    if tag.startswith("<br data-sourcepos="):
        return " "
    image = _IMAGE_ALT.match(tag)
    return image.group(1) if image else ""


def _plain(inner: str) -> str:
    return re.sub(r"\s+", " ", unescape(_INLINE_TAG.sub(_tag_text, inner))).strip()
