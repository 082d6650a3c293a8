"""`python build.py check`: everything a build validates, plus the rendered site, written nowhere.

Stage: check (a command beside the build). May import: stdlib, errors, load, config, model,
markdown, urls, graph, pipeline.

`check_site` loads and validates the content exactly as a build does (`pipeline.load_site`;
its problems are errors). If that fails, those errors are the whole report: there is no
site to render. Otherwise it renders the site as published at `now` in memory
(`pipeline.render_site`, never written) and looks at it as a reader would:

- every internal link and image (href/src under the site's base path, relative ones, and
  absolute ones on the site's own address) leads to a generated page, a static file or a
  theme asset (error), and its `#anchor` to an id on that page (warning);
- images in notice and program bodies have alt text (warning);
- contact phone numbers look like Korean numbers (warning);
- a translation whose primary file was `updated` after its `translated` date is stale
  (warning); notices without a version in a site language are listed (info).

Links are checked on the site as published at `now` (embargoed notices and drafts have no
pages yet). The checks of what a file says (phones, alt text, translations) cover every
notice, published or not, so a release is checked before it goes out.

Each problem names the content file and the line where the author can fix it: links and
images in a body are found back in the Markdown by their address; a broken link that does
not come from a body (a template's) names the generated page by its URL path, e.g.
"/ko/notices/page/2/".
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path, PurePath
from typing import Iterable
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from .options import add_content_option, add_now_option
from .errors import ContentError, Problem, SiteError
from .load import RawContent, RawDocument, load_content, read_text
from .markdown import render_markdown
from .model import Site
from .graph import SiteGraph, build_graph
from .pipeline import TEMPLATES, assets, load_site, render_site
from .urls import Urls

LANGUAGE_NAMES = {"ko": "Korean", "en": "English"}
SEVERITIES = ("error", "warning", "info")


# -- the result ---------------------------------------------------------------------------

@dataclass
class CheckResult:
    problems: list[Problem]
    rendered: bool = False
    """False when validation failed and the rendered site could not be checked."""
    pages: int = 0
    """HTML pages checked."""
    other_files: int = 0
    """Feeds, sitemap, robots.txt, static files and assets."""


def check_site(content: Path, now: datetime, templates: Path = TEMPLATES) -> list[Problem]:
    """Every problem of the content and of the site it renders at `now`, sorted by file and line.

    Reads the content and the templates; writes nothing and prints nothing. Severity
    "error" means the build fails or a reader meets a broken link; "warning" and "info"
    do not stop anything.
    """
    return run_checks(content, now, templates).problems


def run_checks(content: Path, now: datetime, templates: Path = TEMPLATES) -> CheckResult:
    """`check_site` with what was checked, for the report's summary line."""
    try:
        site, strings, warnings = load_site(content, templates)
    except ContentError as exc:
        return CheckResult(_sorted(exc.problems))
    except SiteError as exc:
        return CheckResult([Problem(str(content), None, str(exc))])
    raw = load_content(content)
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo(site.config.timezone))
    problems: set[Problem] = set(warnings)
    graph = build_graph(site, now)
    problems.update(graph.problems)
    sources = _Sources(raw)
    problems.update(check_phones(raw))
    problems.update(check_translations(site, sources))
    problems.update(check_alt_text(site, Urls(site.config), sources))
    try:
        files = dict(render_site(graph, strings, templates))
    except SiteError as exc:
        problems.add(Problem("templates", None, str(exc)))
        return CheckResult(_sorted(problems), rendered=False)
    static = {path for path, _ in assets(content, graph, templates)}
    problems.update(check_links(graph, files, static, sources))
    pages = sum(1 for path in files if path.endswith(".html"))
    return CheckResult(_sorted(problems), rendered=True, pages=pages,
                       other_files=len(files) - pages + len(static))


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    """By file (content files first, generated pages after), then line."""
    return sorted(problems, key=lambda p: (p.path.startswith("/"), p.path, p.line or 0,
                                           SEVERITIES.index(p.severity)
                                           if p.severity in SEVERITIES else 9, p.message))


# -- where things are in the source -------------------------------------------------------

class _Sources:
    """The raw documents by the name messages use, and where each body starts in its file."""

    def __init__(self, raw: RawContent):
        self.raw = raw
        self.documents: dict[str, RawDocument] = {d.name: d for d in raw.documents}
        self._body_lines: dict[str, int] = {}

    def body_line(self, name: str) -> int | None:
        """The file line of the body's first character."""
        if name not in self._body_lines:
            doc = self.documents.get(name)
            text = read_text(doc.path, name)[0] if doc else None
            if text is None or not text.endswith(doc.body):
                return None
            self._body_lines[name] = text[: len(text) - len(doc.body)].count("\n") + 1
        return self._body_lines[name]

    def lines_of(self, name: str, body: str, ref: str, base: str) -> tuple[list[int], str]:
        """File lines where `ref` (as rendered) is written in a body, in order, and how
        it is written there; ([], ref) when it cannot be found."""
        start = self.body_line(name)
        if start is None:
            return [], ref
        for candidate in _spellings(ref, base):
            positions = [m.start() for m in re.finditer(re.escape(candidate), body)]
            if positions:
                return [start + body.count("\n", 0, pos) for pos in positions], candidate
        return [], ref

    def front_line(self, name: str, key: str) -> int | None:
        front = getattr(self.documents.get(name), "front", None)
        return getattr(front, "key_lines", {}).get(key)


def _spellings(ref: str, base: str) -> list[str]:
    """How an address may be written in Markdown, given how it came out in HTML."""
    forms = [ref]
    if base != "/" and ref.startswith(base):
        forms.append("/" + ref[len(base):])  # the body's '/x' got the base path prepended
    for form in list(forms):
        forms += [unquote(form), form.replace("&", "&amp;")]
    return list(dict.fromkeys(f for f in forms if f))


def _nth(lines: list[int], index: int) -> int | None:
    return lines[min(index, len(lines) - 1)] if lines else None


# -- phone numbers ------------------------------------------------------------------------

_KOREAN_PHONE = re.compile(r"""^(?:
      02-\d{3,4}-\d{4}                              # Seoul
    | 0(?:3[1-3]|4[1-4]|5[1-5]|6[1-4])-\d{3,4}-\d{4}  # other regions
    | 0(?:70|80|50[2-8])-\d{3,4}-\d{4}              # internet, toll-free, personal numbers
    | 010-\d{4}-\d{4}                               # mobile
    | 01[16-9]-\d{3,4}-\d{4}                        # older mobile
    | 1[5-9]\d{2}-\d{4}                             # nationwide numbers: 1588-1234
    | 1\d{2}                                        # public service numbers: 120, 110
)$""", re.X)

_EXAMPLES = "02-330-1280 (Seoul), 031-123-4567, 010-1234-5678 or 1588-1234"


def phone_problem(value: object) -> str | None:
    """Why `value` does not look like a Korean phone number, or None when it does."""
    phone = str(value).strip()
    domestic = re.sub(r"^\+82[- ]?", "0", phone) if phone.startswith("+82") else phone
    if _KOREAN_PHONE.match(domestic):
        return None
    if re.fullmatch(r"\d{3,4}-\d{4}", phone):
        return (f"the phone number '{phone}' has no area code; write it like 02-{phone} "
                f"for Seoul.")
    digits = re.sub(r"\D", "", domestic)
    hint = "write it with hyphens" if digits == domestic else "write it"
    return (f"the phone number '{phone}' does not look like a Korean phone number; "
            f"{hint} like {_EXAMPLES}.")


def check_phones(raw: RawContent) -> list[Problem]:
    """Contact phones of notices (primary files), departments and the press office."""
    problems = []

    def check(name: str, value, line) -> None:
        message = phone_problem(value) if value not in (None, "") else None
        if message:
            problems.append(Problem(name, line, message, "warning"))

    for doc in raw.documents:
        contacts = doc.front.get("contacts") if isinstance(doc.front, dict) else None
        if doc.kind != "notice" or not isinstance(contacts, list):
            continue
        item_lines = getattr(contacts, "item_lines", [])
        for index, item in enumerate(contacts):
            if isinstance(item, dict) and "phone" in item:
                line = getattr(item, "key_lines", {}).get("phone") or (
                    item_lines[index] if index < len(item_lines) else None)
                check(doc.name, item["phone"], line)
    root = raw.root
    if isinstance(raw.departments, dict):
        name = _display(root, "departments.yaml")
        for entry in raw.departments.values():
            if isinstance(entry, dict) and "phone" in entry:
                check(name, entry["phone"], getattr(entry, "key_lines", {}).get("phone"))
    office = raw.site.get("press_office") if isinstance(raw.site, dict) else None
    if isinstance(office, dict) and "phone" in office:
        check(_display(root, "site.yaml"), office["phone"],
              getattr(office, "key_lines", {}).get("phone"))
    return problems


def _display(root: Path, file: str) -> str:
    return (Path(root.name) / file).as_posix()


# -- translations -------------------------------------------------------------------------

def check_translations(site: Site, sources: _Sources) -> list[Problem]:
    """Stale translations (warning) and notices missing a site language (info)."""
    problems = []
    tz = ZoneInfo(site.config.timezone)
    primary = site.config.primary
    for notice in site.notices:
        original = notice.texts[primary]
        missing = [lang for lang in site.config.languages if lang not in notice.texts]
        if missing:
            names = " and ".join(LANGUAGE_NAMES.get(lang, lang) for lang in missing)
            files = ", ".join(f"{PurePath(original.source).name[:-len(f'.{primary}.md')]}"
                              f".{lang}.md" for lang in missing)
            shown = ("show it in the original language" if site.config.untranslated == "show"
                     else "leave it out")
            problems.append(Problem(original.source, None, f"there is no {names} version of "
                                    f"this notice ({files}); {names} lists {shown}.", "info"))
        if notice.updated is None:
            continue
        updated = notice.updated.astimezone(tz)
        for lang, text in notice.texts.items():
            if lang == primary:
                continue
            if text.translated is None:
                problems.append(Problem(
                    text.source, sources.front_line(text.source, "title"),
                    f"{PurePath(original.source).name} was updated on {updated.date()} and this "
                    "translation has no 'translated:' date; check that it is current and add "
                    "'translated: <date>'.", "info"))
            elif updated.date() > text.translated:
                line = (sources.front_line(text.source, "translated")
                        or sources.front_line(text.source, "title"))
                problems.append(Problem(
                    text.source, line,
                    f"this translation is out of date: {PurePath(original.source).name} was "
                    f"updated on {updated.date()}, after it was translated on "
                    f"{text.translated}. Bring the translation up to date and change "
                    "'translated:' to the day you did.", "warning"))
    return problems


# -- images -------------------------------------------------------------------------------

def check_alt_text(site: Site, urls: Urls, sources: _Sources) -> list[Problem]:
    """Images in notice and program bodies without alt text, at their line in the Markdown."""
    problems = []
    texts = [t for n in site.notices for t in n.texts.values()]
    texts += [t for p in site.programs.values() for t in p.texts.values()]
    for text in texts:
        seen: Counter = Counter()
        for tag, attrs in _Html.parse(render_markdown(text.body, urls.base)).elements:
            if tag != "img":
                continue
            src = attrs.get("src") or ""
            if (attrs.get("alt") or "").strip():
                seen[src] += 1
                continue
            lines, written = sources.lines_of(text.source, text.body, src, urls.base)
            line = _nth(lines, seen[src])
            seen[src] += 1
            problems.append(Problem(
                text.source, line, f"the image '{written}' has no alt text; describe it for "
                f"readers who cannot see it: ![what the picture shows]({written}).", "warning"))
    return problems


# -- links --------------------------------------------------------------------------------

class _Html(HTMLParser):
    """Elements with their attributes (entities decoded), and the ids of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()

    @classmethod
    def parse(cls, text: str) -> "_Html":
        parser = cls()
        parser.feed(text)
        parser.close()
        return parser

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(attributes["id"])

    handle_startendtag = handle_starttag

    def refs(self) -> list[tuple[str, str]]:
        """(tag, address) of every href and src, in document order."""
        return [(tag, attrs[name]) for tag, attrs in self.elements
                for name in ("href", "src") if name in attrs]


@dataclass
class _LinkChecker:
    urls: Urls
    targets: set[str]
    """Output paths of every generated and copied file."""
    ids: dict[str, set[str]]
    """Output path of each HTML page -> its ids."""
    netloc: str = ""
    problems: set[Problem] = field(default_factory=set)
    _known: list[str] | None = None

    def report(self, path: str, line: int | None, found: tuple[str, str] | None,
               note: str = "") -> bool:
        """Record a (message, severity) from `problem`; False when there was none."""
        if found is None:
            return False
        self.problems.add(Problem(path, line, found[0] + note, found[1]))
        return True

    def resolve(self, ref: str, page_url: str | None) -> tuple[str, str] | None:
        """(URL path, fragment) of an address inside the site, or None for anything else.

        `page_url` resolves relative addresses; None (feeds, sitemap) skips them.
        """
        ref = ref.strip()
        try:
            parts = urlsplit(ref)
        except ValueError:
            return None
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("", "http", "https") or parts.netloc != self.netloc:
                return None
            path = parts.path or "/"
        elif not parts.path:
            if page_url is None or not parts.fragment:
                return None
            path = page_url
        elif parts.path.startswith("/"):
            path = parts.path
        elif page_url is None:
            return None
        else:
            path = urljoin(page_url, parts.path)
        path = unquote(path)
        if not path.startswith(self.urls.base):
            return None
        return path, unquote(parts.fragment)

    def problem(self, ref: str, tag: str, page_url: str | None,
                written: str | None = None) -> tuple[str, str] | None:
        """(message, severity) of what is wrong with one address, or None.

        A missing page or file is an error; a missing anchor on an existing page, a warning.
        `written` is how the author wrote the address.
        """
        resolved = self.resolve(ref, page_url)
        if resolved is None:
            return None
        path, fragment = resolved
        target = self.urls.output_path(path)
        what = "image" if tag == "img" else "link"
        shown = written or ref
        if target not in self.targets:
            hint = ""
            if target + "/index.html" in self.targets:
                hint = f" Add a '/' at the end: {path}/."
            else:
                match = difflib.get_close_matches(path, self._known_urls(), n=1, cutoff=0.8)
                suggestion = match[0] if match else ""
                base = self.urls.base
                if (suggestion and base != "/" and not shown.startswith(base)
                        and shown.startswith("/")):
                    suggestion = "/" + suggestion[len(base):]  # as the body writes it
                hint = f" Did you mean '{suggestion}'?" if suggestion else ""
            return (f"the {what} '{shown}' leads nowhere: the site has no page or file "
                    f"{path}.{hint}", "error")
        if fragment and target in self.ids and fragment not in self.ids[target]:
            return (f"the {what} '{shown}' points to '#{fragment}', but the page {path} has no "
                    f"element with id '{fragment}'.", "warning")
        return None

    def _known_urls(self) -> list[str]:
        if self._known is None:
            self._known = sorted(self.urls.base + (t[: -len("index.html")]
                                 if t == "index.html" or t.endswith("/index.html") else t)
                                 for t in self.targets)
        return self._known


def check_links(graph: SiteGraph, files: dict[str, bytes], static: set[str],
                sources: _Sources) -> list[Problem]:
    """Every internal href/src of every rendered file: its target and anchor exist."""
    urls = graph.urls
    html_pages = {path: _Html.parse(data.decode("utf-8")) for path, data in files.items()
                  if path.endswith(".html")}
    checker = _LinkChecker(urls, set(files) | static,
                           {path: doc.ids for path, doc in html_pages.items()},
                           urlsplit(urls.origin).netloc)
    texts = {}  # URL -> NoticeText / ProgramText whose body the page shows
    for notice in graph.site.notices:
        for lang, text in notice.texts.items():
            texts[urls.notice(lang, notice)] = text
    for program in graph.site.programs.values():
        for lang, text in program.texts.items():
            texts[urls.program(lang, program.id)] = text
    from_content: set[str] = set()
    for page in graph.pages:
        path = urls.output_path(page.url)
        doc = html_pages.get(path)
        if doc is None:
            continue
        remaining = Counter(doc.refs())
        text = texts.get(page.url)
        body_html = (page.context.get("notice").body_html if page.kind == "notice"
                     else page.context.get("body_html")) if text is not None else None
        if body_html:
            seen: Counter = Counter()
            for tag, ref in _Html.parse(body_html).refs():
                remaining[(tag, ref)] -= 1
                index = seen[ref]
                seen[ref] += 1
                if checker.problem(ref, tag, page.url) is None:
                    continue
                lines, written = sources.lines_of(text.source, text.body, ref, urls.base)
                if checker.report(text.source, _nth(lines, index),
                                  checker.problem(ref, tag, page.url, written)):
                    from_content.add(ref)
        for (tag, ref), count in remaining.items():
            if count > 0:
                checker.report(page.url, None, checker.problem(ref, tag, page.url),
                               _TEMPLATE_NOTE)
    for path, data in files.items():
        if path.endswith(".html"):
            continue
        url = urls.root_file(path)
        for tag, ref, embedded in _xml_refs(path, data):
            if embedded and _covered(ref, from_content, checker):
                continue
            checker.report(url, None, checker.problem(ref, tag, None),
                           _FEED_TEXT_NOTE if embedded else _TEMPLATE_NOTE)
    return sorted(checker.problems)


_TEMPLATE_NOTE = " (this address is made by the generator, not written in a content file)"
_FEED_TEXT_NOTE = " (in the text of a feed item: fix the notice's body)"


def _covered(ref: str, from_content: set[str], checker: _LinkChecker) -> bool:
    """A feed item's broken link that is already reported at its notice's line."""
    resolved = checker.resolve(ref, None)
    return any(checker.resolve(r, "/") == resolved for r in from_content)


_LINK_TAGS = {"link", "loc", "guid", "id", "comments", "docs"}
_HTML_TAGS = {"description", "encoded", "content", "summary"}


def _xml_refs(path: str, data: bytes) -> list[tuple[str, str, bool]]:
    """(tag, address, inside embedded HTML) of a feed, the sitemap or robots.txt."""
    if not path.endswith(".xml"):
        return [("a", m.group(1).strip(), False)
                for m in re.finditer(r"(?im)^\s*sitemap:\s*(\S+)", data.decode("utf-8", "replace"))]
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return []
    found = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if "href" in element.attrib:
            found.append(("a", element.attrib["href"], False))
        text = (element.text or "").strip()
        if not text:
            continue
        if tag in _LINK_TAGS and "://" in text and " " not in text:
            found.append(("a", text, False))
        elif tag in _HTML_TAGS and "<" in text:
            found += [(t, ref, True) for t, ref in _Html.parse(text).refs()]
    return found


# -- the command --------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py check",
        description="Check the content and every internal link of the site it builds, "
                    "without writing anything.")
    add_content_option(parser)
    add_now_option(parser, "check the site as published at this time, ISO 8601 (default: "
                           "now); a time without an offset is in the site's time zone")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 on warnings too")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="a readable report (default) or JSON for tools")
    return parser


def run_check(argv: list[str]) -> int:
    """`build.py check`: prints the report; 1 on errors (or warnings with --strict), else 0."""
    args = _parser().parse_args(argv)
    now = args.now or datetime.now(ZoneInfo("UTC"))
    result = run_checks(args.content, now)
    counts = Counter(p.severity for p in result.problems)
    if args.format == "json":
        report = {"errors": [], "warnings": [], "info": []}
        for problem in result.problems:
            key = {"error": "errors", "warning": "warnings"}.get(problem.severity, "info")
            report[key].append({"path": problem.path, "line": problem.line,
                                "message": problem.message, "severity": problem.severity})
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(result, strict=args.strict))
    failed = counts["error"] > 0 or (args.strict and counts["warning"] > 0)
    return 1 if failed else 0


_MARKS = {"error": "", "warning": "warning: ", "info": "note: "}


def format_report(result: CheckResult, strict: bool = False) -> str:
    """The problems grouped by file, each as `line N: message`, then a summary line."""
    groups: dict[str, list[Problem]] = defaultdict(list)
    for problem in result.problems:
        groups[problem.path].append(problem)
    lines = []
    for path, problems in groups.items():
        lines.append(f"{path} (generated page)" if path.startswith("/") else path)
        for p in problems:
            where = f"line {p.line}: " if p.line else ""
            lines.append(f"  {where}{_MARKS.get(p.severity, p.severity + ': ')}{p.message}")
        lines.append("")
    counts = Counter(p.severity for p in result.problems)
    tally = ", ".join([_plural(counts["error"], "error"), _plural(counts["warning"], "warning"),
                       _plural(counts["info"], "note")])
    if not result.rendered:
        lines.append(f"{tally}. The site was not rendered, so its links were not checked: "
                     "fix the errors above and run check again.")
    else:
        where = f" in {_plural(len(groups), 'file')}" if groups else ""
        lines.append(f"{tally}{where}; checked {_plural(result.pages, 'page')} and "
                     f"{_plural(result.other_files, 'other file')}."
                     + (" Warnings count as errors (--strict)."
                        if strict and counts["warning"] else ""))
    return "\n".join(lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
