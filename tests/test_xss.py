"""Hostile HTML: no text a writer types can run script in a resident's browser.

Every vector of fixtures/xss_vectors.txt is put in every field a writer fills in: the
title, subtitle, summary, body, tags, contact role, name, phone and email, correction
note and attachment title of a notice (in Korean and English), the name and phone of a
department, the title, summary and body of a program, and the site's own title,
description and press office. One site (a notice per vector; departments, programs and
translations five vectors each) is built once with `python build.py`, and proven safe
twice:

(a) statically, file by file: in the HTML no element or attribute that a vector could
    bring (only the templates' own elements, and in bodies only what the sanitizer
    allows; no `on*` attribute; no URL with a scheme other than http, https, mailto or
    tel; no script but the site's search script and its JSON-LD blocks, which parse and
    hold no `<`), and the same for the HTML inside the feeds; the sitemap and the feeds
    parse as XML; the search index (Pagefind's gzip fragments) holds escaped text only;
(b) in Chromium: every page loads without a dialog and without any injected script
    having run (the vectors set window.__xss or call alert/confirm/prompt), its live DOM
    has no event handler attributes, foreign scripts or javascript: URLs, and searches
    that find the vectors show them as text.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, Element, Page, write_files
from served_site import CHROMIUM, CHROMIUM_ARGS, build_site, require, serve
from site_builder.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def load_vectors() -> list[str]:
    lines = (FIXTURES / "xss_vectors.txt").read_text(encoding="utf-8").splitlines()
    return [line.replace("\\u2028", "\u2028") for line in lines
            if line.strip() and not line.startswith("# ")]


VECTORS = load_vectors()


def test_the_corpus_has_at_least_50_vectors():
    assert len(VECTORS) >= 50 and len(set(VECTORS)) == len(VECTORS)


# -- the site --------------------------------------------------------------------------

def q(value: str) -> str:
    """A YAML value that reads back as exactly `value`: JSON's string is YAML's too."""
    return json.dumps(value)


def hostile_content() -> dict[str, str | bytes]:
    site = {"title": {"ko": "</title><script>window.__xss=1</script> 구청",
                      "en": '"><img src=x onerror=window.__xss=1> District'},
            "description": "</script><script>window.__xss=1</script>",
            "base_url": "https://news.example.go.kr/", "languages": ["ko", "en"], "per_page": 20,
            "press_office": {"name": "<svg onload=alert(1)>",
                             "phone": '" onmouseover="window.__xss=1'}}
    files: dict[str, str | bytes] = {
        "site.yaml": yaml.safe_dump(site, allow_unicode=True, width=10**6),
        "static/attachments/2026/plan.pdf": b"%PDF-1.4 test\n",
    }
    # Notices hold one vector each, in every field. Departments, programs and English
    # translations hold GROUP vectors each (the text fields all of them, the body one
    # paragraph each), which keeps every vector in every field with a quarter of the pages.
    groups = [VECTORS[i:i + GROUP] for i in range(0, len(VECTORS), GROUP)]
    departments = {}
    for g, group in enumerate(groups):
        joined, paragraphs = " ".join(group), "\n\n".join(group)
        departments[f"d{g}"] = {"name": {"ko": f"부서 {joined}", "en": f"Division {joined}"},
                                "phone": joined}
        files[f"programs/p{g}.ko.md"] = (f"---\ntitle: {q('사업 ' + joined)}\n"
                                         f"summary: {q(joined)}\ndepartment: d{g}\n---\n"
                                         f"사업 소개.\n\n{paragraphs}\n\n끝.\n")
        files[f"programs/p{g}.en.md"] = (f"---\ntitle: {q('Program ' + joined)}\n"
                                         f"summary: {q(joined)}\n---\nAbout.\n\n{paragraphs}\n")
    for i, vector in enumerate(VECTORS):
        g = i // GROUP
        day = f"2026-{1 + i % 10:02d}-{1 + i % 27:02d}"
        files[f"notices/2026/n{i}.ko.md"] = (
            f"---\ntitle: {q('보도자료 ' + vector)}\nsubtitle: [{q(vector)}]\n"
            f"summary: {q(vector)}\ndepartment: d{g}\n"
            f"contacts:\n  - {{role: {q(vector)}, name: {q(vector)}, phone: {q(vector)}, "
            f"email: {q(vector)}}}\n"
            f"release: {day}\nupdated: {day}T10:00:00+09:00\n"
            f"corrections:\n  - {{date: {day}, note: {q(vector)}}}\n"
            f"programs: [p{g}]\ntags: [{q(vector)}, 복지]\n"
            f"attachments:\n  - {{file: attachments/2026/plan.pdf, title: {q(vector)}}}\n"
            f"---\n본문 첫 문단입니다. {vector}\n\n{vector}\n\n## {vector}\n\n"
            f"- {vector}\n\n| 구분 | {vector} |\n|---|---|\n| {vector} | x |\n\n끝.\n")
        if i % GROUP == 0:
            group = groups[g]
            files[f"notices/2026/n{i}.en.md"] = (
                f"---\ntitle: {q('Notice ' + ' '.join(group))}\nsubtitle: {q(' '.join(group))}\n"
                f"summary: {q(' '.join(group))}\ntranslation: machine\n---\nFirst paragraph.\n\n"
                + "\n\n".join(group) + "\n")
    files["departments.yaml"] = yaml.safe_dump(departments, allow_unicode=True, width=10**6)
    return files


GROUP = 5


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("xss")
    content = write_files(root / "content", hostile_content())
    return build_site(root / "out", content)


# -- (a) the files ---------------------------------------------------------------------

def template_tags() -> set[str]:
    tags = set()
    for path in TEMPLATES.rglob("*.html"):
        tags |= set(re.findall(r"<([a-z][a-z0-9]*)\b", path.read_text(encoding="utf-8")))
    return tags


SITE_TAGS = template_tags() | {"h2", "h3", "h4"}  # entries.html: <h{{ level }}>
BODY_TAGS = set(ALLOWED_TAGS) | {"div"}  # div: the scrolling box around tables
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset",
                  "background", "data", "cite", "ping", "manifest", "codebase", "lowsrc",
                  "dynsrc", "longdesc", "usemap", "icon", "srcdoc"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def unsafe_url(value: str) -> bool:
    """A URL that could run script: any scheme but http(s), mailto and tel, after the
    browser has dropped whitespace and control characters."""
    scheme = _SCHEME.match(_INVISIBLE.sub("", value))
    return bool(scheme) and scheme.group(1).lower() not in SAFE_SCHEMES


def in_body(element: Element) -> bool:
    """Inside a notice or program body: the box whose </div> ends it."""
    return any(e.tag == "div" and "notice-body" in e.attrs.get("class", "").split()
               for e in element.ancestors)


class Scan:
    """Every problem with one HTML document or fragment (read as the inside of a body)."""

    def __init__(self, name: str, fragment: bool = False):
        self.name, self.problems, self.fragment = name, [], fragment
        self.line = 0
        self.scripts = []

    def problem(self, what: str) -> None:
        self.problems.append(f"{self.name}:{self.line}: {what}")

    def feed(self, text: str) -> None:
        page = Page(f'<div class="notice-body">{text}' if self.fragment else text)
        for element in page.elements[1:] if self.fragment else page.elements:
            self.line = element.line
            self.check(element.tag, element.pairs, in_body(element))
        self.scripts = [(dict(s.pairs), s.text) for s in page.find("script")]

    def check(self, tag, attrs, body: bool):
        attributes = dict(attrs)
        if body:
            if tag not in BODY_TAGS:
                self.problem(f"<{tag}> in a body")
            allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"] | (
                {"class", "tabindex"} if tag == "div" else set())
            for name in attributes:
                if name not in allowed:
                    self.problem(f"<{tag} {name}> in a body")
        elif tag not in SITE_TAGS:
            self.problem(f"<{tag}>, which the templates do not have")
        for name, value in attrs:
            if name.startswith("on"):
                self.problem(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value and unsafe_url(value):
                self.problem(f"<{tag} {name}={value!r}>")
            if name == "style" and not re.fullmatch(r"text-align:\s*(left|right|center)", value or ""):
                self.problem(f"<{tag} style={value!r}>")
            if name == "http-equiv":
                self.problem(f"<{tag} http-equiv>")
        if tag == "meta" and (attributes.get("property") or attributes.get("name") or "").endswith(
                ("image", ":url")) and attributes.get("content") and unsafe_url(attributes["content"]):
            self.problem(f"<meta content={attributes['content']!r}>")


def scan_html(name: str, text: str, fragment: bool = False) -> list[str]:
    scan = Scan(name, fragment)
    scan.feed(text)
    problems = scan.problems
    for attributes, body in scan.scripts:
        if attributes == {"type": "application/ld+json"}:
            if "<" in body:
                problems.append(f"{name}: a '<' inside the JSON-LD block")
            try:
                json.loads(body)
            except ValueError as exc:
                problems.append(f"{name}: the JSON-LD does not parse: {exc}")
        elif not (set(attributes) == {"src", "defer"} and attributes["src"] == "/assets/search.js"
                  and not body.strip()):
            problems.append(f"{name}: a script {attributes} {body[:60]!r}")
    # A second look, by bytes: every '<script' is one of the site's own.
    own = len(re.findall(r'<script (?:src="/assets/search\.js" defer|type="application/ld\+json")>',
                         text))
    if len(re.findall(r"<\s*script", text, re.I)) != own:
        problems.append(f"{name}: a <script that is not the site's own")
    return problems


HTML_IN_FEEDS = {"description", "{http://purl.org/rss/1.0/modules/content/}encoded"}
ATOM = "{http://www.w3.org/2005/Atom}"


def scan_feed(name: str, data: bytes) -> list[str]:
    problems = []
    root = ET.fromstring(data)  # well-formed, or this raises
    for element in root.iter():
        if element.tag in HTML_IN_FEEDS or (element.tag.startswith(ATOM) and
                                            element.get("type") in ("html", "xhtml")):
            problems += scan_html(f"{name} <{element.tag}>", element.text or "", fragment=True)
        elif element.tag.startswith(ATOM) and element.tag != ATOM + "link" and \
                element.get("type") not in (None, "text"):
            problems.append(f"{name}: <{element.tag} type={element.get('type')}>")
        for attribute in ("href", "url", "domain"):
            if element.get(attribute) and unsafe_url(element.get(attribute)):
                problems.append(f"{name}: <{element.tag} {attribute}={element.get(attribute)!r}>")
        if element.tag in ("link", "guid", "comments", f"{ATOM}id", "loc") and \
                element.text and unsafe_url(element.text):
            problems.append(f"{name}: <{element.tag}>{element.text!r}")
    return problems


PAGEFIND_META = {"title", "date", "department", "department_url", "year", "program_urls",
                 "image", "image_alt", "helpers"}


def scan_fragment(name: str, data: bytes) -> list[str]:
    """A search index fragment holds the page's text as plain text; Pagefind's script
    escapes it into each result's excerpt, with <mark> around the words found, and the
    search page shows results only as text (the browser test below searches for the
    vectors). Here: its addresses are the site's, and its metadata are the ones the
    templates set, none added by a name with commas in it."""
    text = gzip.decompress(data).decode("utf-8")
    assert text.startswith("pagefind_dcd"), name
    fragment = json.loads(text[len("pagefind_dcd"):])
    problems = []
    meta = fragment.get("meta", {})
    for key in meta:
        if key not in PAGEFIND_META:
            problems.append(f"{name}: metadata {key!r} that the templates do not set")
    if not meta.get("helpers", "0").isdigit():  # how many hidden words search.js leaves out
        problems.append(f"{name}: helpers {meta['helpers']!r}")
    if not fragment["url"].startswith("/"):
        problems.append(f"{name}: the address {fragment['url']!r}")
    # image: Pagefind's own pick of the page's first image (relative ones stay relative).
    urls = [fragment["url"], meta.get("department_url"), meta.get("image"),
            *meta.get("program_urls", "").strip("|").split("|")]
    for url in filter(None, urls):
        if unsafe_url(url):
            problems.append(f"{name}: the address {url!r}")
    return problems


def test_no_vector_survives_in_any_output_file(site):
    problems, counts = [], {"html": 0, "xml": 0, "fragments": 0}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            problems += scan_html(name, path.read_text(encoding="utf-8"))
            counts["html"] += 1
        elif path.suffix == ".xml":
            problems += scan_feed(name, path.read_bytes())
            counts["xml"] += 1
        elif path.suffix == ".pf_fragment":
            problems += scan_fragment(name, path.read_bytes())
            counts["fragments"] += 1
    assert problems == []
    vectors = len(VECTORS)
    # A page per notice, more for departments, programs and translations; their feeds.
    assert counts["html"] >= 1.5 * vectors and counts["xml"] >= 0.8 * vectors
    assert counts["fragments"] >= 1.2 * vectors
    print(f"\nXSS: {vectors} vectors; scanned {counts['html']} HTML files, {counts['xml']} "
          f"feeds and sitemaps, {counts['fragments']} search index fragments")


def test_the_vectors_are_there_as_text(site):
    """The safety above is not from dropping the text: a title shows its vector as text."""
    page = (site / "ko/notices/2026/01/n0/index.html").read_text(encoding="utf-8")
    assert "보도자료 &lt;script&gt;window.__xss=1&lt;/script&gt;</h1>" in page
    assert '"headline": "보도자료 \\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e"' in page


# -- (b) in a browser ------------------------------------------------------------------

HOOKS = """
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const original = window[name];
  window[name] = function () { window.__xss_dialog = name; return original.apply(this, arguments); };
}
"""

LIVE_DOM = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) found.push(el.tagName + " " + attr.name);
      if (["href", "src", "action", "formaction", "xlink:href", "srcdoc"].includes(attr.name) &&
          /^\\s*(javascript|vbscript|data):/i.test(attr.value.replace(/[\\x00-\\x20]/g, "")))
        found.push(el.tagName + " " + attr.name + "=" + attr.value);
    }
  }
  for (const el of document.querySelectorAll("iframe, object, embed, style, svg, math, base, meta[http-equiv]"))
    found.push(el.tagName);
  for (const el of document.scripts)
    if (!(el.type === "application/ld+json" || el.getAttribute("src") === "/assets/search.js"))
      found.push("script " + el.outerHTML.slice(0, 80));
  return found;
}"""


TABS = 2
"""Pages load in this many tabs of the one browser at once."""


async def visit_all(base: str, urls: list[str]) -> tuple[list, list]:
    from playwright.async_api import async_playwright

    dialogs, problems = [], []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = await browser.new_context()
        await context.add_init_script(HOOKS)
        # Images and style sheets are not fetched: a failed fetch fires onerror at once.
        await context.route(re.compile(r".*\.(png|jpe?g|gif|svg|css|pdf|ico)(\?.*)?$|.*/x$"),
                            lambda route: route.abort())
        queue: asyncio.Queue = asyncio.Queue()
        for url in urls:
            queue.put_nowait(url)

        async def tab() -> None:
            page = await context.new_page()

            async def on_dialog(dialog):
                dialogs.append((page.url, dialog.message))
                await dialog.dismiss()
            page.on("dialog", on_dialog)
            while not queue.empty():
                url = queue.get_nowait()
                await page.goto(url, wait_until="load")
                ran, found = await page.evaluate(
                    f"[[typeof window.__xss, window.__xss_dialog || null], ({LIVE_DOM})()]")
                if ran != ["undefined", None] or page.url != url:
                    problems.append((url, ran, page.url))
                problems.extend((url, item) for item in found)
            await page.close()

        await asyncio.gather(*(tab() for _ in range(TABS)))
        # Searches that find the vectors: the results are shown as text, nothing runs.
        page = await context.new_page()
        page.on("dialog", lambda dialog: dialogs.append(("search", dialog.message)))
        for lang, words in SEARCHES:
            await page.goto(f"{base}/{lang}/search/?q={words}")
            await page.wait_for_function(
                "document.querySelectorAll('#search-results li').length > 0")
            await page.wait_for_timeout(300)
            ran, found = await page.evaluate(
                f"[[typeof window.__xss, window.__xss_dialog || null], ({LIVE_DOM})()]")
            if ran != ["undefined", None]:
                problems.append((f"search {words}", ran))
            problems.extend((f"search {words}", item) for item in found)
            shown = await page.inner_text("#search-results")
            assert "window.__xss" in shown or "onerror" in shown, shown[:300]
        await browser.close()
    return dialogs, problems


SEARCHES = (("ko", "window"), ("ko", "textarea"), ("en", "onerror"))


def test_no_page_runs_injected_script_in_chromium(site):
    require(CHROMIUM.exists(), "Debian's chromium")
    pytest.importorskip("playwright.async_api")
    pages = sorted(site.rglob("*.html"))
    with serve(site) as base:
        urls = [base + "/" + p.relative_to(site).as_posix().removesuffix("index.html")
                for p in pages]
        dialogs, problems = asyncio.run(visit_all(base, urls))
    assert dialogs == [] and problems == []
    print(f"\nXSS: {len(pages)} pages and {len(SEARCHES)} searches loaded in Chromium; no "
          "dialog, no injected script")
