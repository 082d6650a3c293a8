"""The Markdown renderer the site used before comrak (markdown-it-py with the
CJK-friendly emphasis plug-in), kept as the oracle of tests/test_markdown_differential.py.

The parser and its rules are the old `site_builder/markdown.py`'s, as they were; the
sanitizer and the steps after it are the site's own, imported, so that the test compares
the two parsers and nothing else. Only tests import this (markdown-it-py is a dev
dependency).
"""

from __future__ import annotations

import re
from functools import lru_cache

import mdit_py_cjk_friendly as cjk
from markdown_it import MarkdownIt
from markdown_it.token import Token

from site_builder.markdown import (_UNPUBLISHABLE, _prefix_ids, _prefix_site_links,
                                   _refuse_over_limits, sanitize)

_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
if _HANGUL not in cjk._CJK_RE.pattern:
    cjk._CJK_RE = re.compile(cjk._CJK_RE.pattern[:-1] + _HANGUL + "]")
_HANGUL_RE = re.compile(f"[{_HANGUL}]")


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
