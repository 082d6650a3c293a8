"""Markdown body -> safe HTML, and the plain-text summary.

Stage: markdown. May import: stdlib, limits, markdown_it, mdit_py_plugins, mdit_py_cjk_friendly, nh3.

CommonMark plus tables. Korean emphasis next to quotes and particles
(`**'찾아가는 동주민센터'**를`) needs the CJK-friendly flanking rule: the
`mdit-py-cjk-friendly` plugin implements it, but its character class leaves out
Hangul, so we add the Hangul blocks to it. Hangul words are separated by spaces,
so unlike Chinese and Japanese a line break between Hangul must stay a space:
our own softbreak rule keeps it. Raw HTML is allowed and then sanitized by nh3
(the Ammonia sanitizer): no script, style, iframe, event handlers or javascript: URLs.
An `id` written in a body gets the prefix `content-` (and so do the body's links to it),
so that it never repeats one of the page's own ids, such as `main`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from importlib.metadata import version
from urllib.parse import unquote

import markdown_it
import mdit_py_cjk_friendly as cjk
import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .limits import body_limits

_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
if _HANGUL not in cjk._CJK_RE.pattern:
    cjk._CJK_RE = re.compile(cjk._CJK_RE.pattern[:-1] + _HANGUL + "]")
_HANGUL_RE = re.compile(f"[{_HANGUL}]")

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


def _softbreak(renderer, tokens, idx, options, env) -> str:
    before = tokens[idx - 1].content[-1:] if idx > 0 else ""
    after = tokens[idx + 1].content[:1] if idx + 1 < len(tokens) else ""
    if cjk.is_cjk(before) and cjk.is_cjk(after) and not (
            _HANGUL_RE.match(before) or _HANGUL_RE.match(after)):
        return ""
    return "\n"


def _demote_h1(state) -> None:
    """The page title is the only h1; a '#' heading in a body becomes h2."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


def _fragments_join(state) -> None:
    """markdown-it's own rule, in linear time: it builds each run of text tokens by
    repeated concatenation and keeps every partial string alive until the run ends, so a
    paragraph with many unmatched `*` or `_` takes memory in the square of its length.
    Same tokens out: a run becomes its last token, holding the whole run's text."""
    tokens, joined, level, index = state.tokens, [], 0, 0
    while index < len(tokens):
        token = tokens[index]
        if token.nesting < 0:
            level -= 1
        token.level = level
        if token.nesting > 0:
            level += 1
        if token.type == "text":
            end = index
            while end + 1 < len(tokens) and tokens[end + 1].type == "text":
                end += 1
                tokens[end].level = level
            if end > index:
                tokens[end].content = "".join(t.content for t in tokens[index:end + 1])
                token, index = tokens[end], end
        joined.append(token)
        index += 1
    tokens[:] = joined


ENGINE = "|".join(["markdown-it-py", markdown_it.__version__, "mdit-py-cjk-friendly",
                   cjk.__version__, "nh3", version("nh3"), "rules", "2"])
"""What a rendered body depends on besides its text: cached bodies are keyed on it.
Bump the last number when the rules in this module change."""


@lru_cache(maxsize=None)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table").use(cjk.cjk_friendly)
    # Every link becomes a link, and nh3 decides which URLs are safe: otherwise a refused
    # [x](javascript:...) would be shown to residents as raw Markdown.
    md.validateLink = lambda url: True
    md.add_render_rule("softbreak", _softbreak)
    md.inline.ruler2.at("fragments_join", _fragments_join)
    md.core.ruler.push("demote_h1", _demote_h1)
    return md


def _style_filter(element: str, attribute: str, value: str) -> str | None:
    """Tables from markdown-it carry text-align only; any other inline style goes."""
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
    md = _parser()
    tokens: list[Token] = md.parse(body)
    fragment = _prefix_ids(sanitize(md.renderer.render(tokens, md.options, {})))
    fragment = _UNPUBLISHABLE.sub("\ufffd", fragment)
    fragment = fragment.replace("<table>", '<div class="table-scroll" tabindex="0"><table>')
    fragment = fragment.replace("</table>", "</table></div>")
    return _prefix_site_links(fragment, base_path), _summary(tokens, limit)


def render_markdown(body: str, base_path: str = "/") -> str:
    """Sanitized HTML for a notice or program body."""
    return render_body(body, base_path)[0]


def first_paragraph_text(body: str, limit: int = 300) -> str:
    """Plain text of the first paragraph, for summaries and descriptions."""
    _refuse_over_limits(body)
    return _summary(_parser().parse(body), limit)


def _refuse_over_limits(body: str) -> None:
    found = body_limits(body)
    if found:
        line, message = found[0]
        raise ValueError(f"line {line} of the body: {message}")


def _summary(tokens: list[Token], limit: int) -> str:
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and index + 1 < len(tokens):
            text = _UNPUBLISHABLE.sub("\ufffd", _plain(tokens[index + 1]))
            if text:
                return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return ""


def _plain(inline: Token) -> str:
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    # Text tokens are already plain (raw HTML comes as separate html_inline tokens).
    return re.sub(r"\s+", " ", "".join(parts)).strip()
