"""`python build.py check`: everything a build validates, plus the rendered site, written nowhere.

Stage: check (a command beside the build). May import: stdlib, errors, options, load, config,
model, markdown, urls, graph, pipeline, engine, validate.

`check_site` plans the site exactly as a build does (the engine's `plan`; its problems
are errors). If that fails, those errors are the whole report: there is no site to
render. Otherwise it renders the site as published at `now` in memory (never written) and looks at it as a reader would:

- every internal link and image (href/src under the site's base path, relative ones, and
  absolute ones on the site's own address) leads to a generated page, a static file or a
  theme asset (error), and its `#anchor` to an id on that page (warning);
- images in notice and program bodies have alt text (warning);
- contact phone numbers look like Korean numbers (warning; validation finds it, so a
  build warns of it too);
- drafts and embargoed notices are listed, each with when it will be published (info);
- static files held back because only notices not yet published use them are listed,
  with when they will be published (info);
- a translation whose primary file was `updated` after its `translated` date is stale
  (warning); notices without a version in a site language are listed (info);
- tags that tags.yaml gives no label for in another site language are listed, once each,
  at the first notice that uses them (info): those pages show them in the original.

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
from typing import Callable, Iterable
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from .options import CommandParser, add_content_option, add_lang_option, add_now_option
from .errors import ContentError, Problem, SiteError, Text, say
from .engine import Session
from .load import RawContent, RawDocument, read_text
from .markdown import render_markdown
from .model import Site
from .graph import SiteGraph
from .pipeline import TEMPLATES
from .urls import Urls
from .validate import check_phones, phone_problem  # noqa: F401 - phones are checked there

LANGUAGE_NAMES = {"ko": say("Korean"), "en": say("English")}
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
    session = Session(content, templates)
    try:
        planned = session.plan(now, keep_raw=True)
    except ContentError as exc:
        return CheckResult(_sorted(exc.problems))
    except SiteError as exc:
        return CheckResult([Problem(str(content), None, exc.text or str(exc))])
    graph, raw, site = planned.graph, planned.raw, planned.graph.site
    now = graph.now
    problems: set[Problem] = set(planned.warnings)
    sources = _Sources(raw)
    problems.update(check_translations(site, sources))
    problems.update(check_tag_labels(site, sources))
    problems.update(check_alt_text(site, Urls(site.config), sources))
    problems.update(check_withheld(graph, raw.root))
    problems.update(check_unpublished(graph, now, sources))
    try:
        files = session.render(planned)
    except SiteError as exc:
        problems.add(Problem("templates", None, exc.text or str(exc)))
        return CheckResult(_sorted(problems), rendered=False)
    static = {path for path, _ in planned.static}
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


def _display(root: Path, file: str) -> str:
    return (Path(root.name) / file).as_posix()


# -- translations -------------------------------------------------------------------------

def check_tag_labels(site: Site, sources: _Sources) -> list[Problem]:
    """Each tag without a tags.yaml label in a language its notices are shown in."""
    problems, seen = [], set()
    primary = site.config.primary
    for notice in reversed(site.notices):  # oldest first: where the tag was first used
        source = notice.texts[primary].source
        for tag in notice.tags:
            missing = [lang for lang in site.config.languages[1:]
                       if lang not in site.tag_labels.get(tag, {})]
            if not missing or tag in seen:
                continue
            seen.add(tag)
            problems.append(Problem(source, sources.front_line(source, "tags"), say(
                "the tag '{tag}' has no {language} label in tags.yaml, so {language} pages "
                "show it as written; add a line like '{tag}: ...' to tags.yaml.", tag=tag,
                language=", ".join(str(LANGUAGE_NAMES.get(l, l)) for l in missing)), "info"))
    return problems


def check_translations(site: Site, sources: _Sources) -> list[Problem]:
    """Stale translations (warning) and notices missing a site language (info)."""
    problems = []
    tz = ZoneInfo(site.config.timezone)
    primary = site.config.primary
    for notice in site.notices:
        original = notice.texts[primary]
        stem = PurePath(original.source).name[:-len(f".{primary}.md")]
        for lang in site.config.languages:
            if lang in notice.texts:
                continue
            language = LANGUAGE_NAMES.get(lang, lang)
            if site.config.untranslated == "show":
                message = say("there is no {language} version of this notice ({file}); "
                              "{language} lists show it in the original language.",
                              language=language, file=f"{stem}.{lang}.md")
            else:
                message = say("there is no {language} version of this notice ({file}); "
                              "{language} lists leave it out.",
                              language=language, file=f"{stem}.{lang}.md")
            problems.append(Problem(original.source, None, message, "info"))
        if notice.updated is None:
            continue
        updated = notice.updated.astimezone(tz)
        for lang, text in notice.texts.items():
            if lang == primary:
                continue
            if text.translated is None:
                problems.append(Problem(
                    text.source, sources.front_line(text.source, "title"),
                    say("{original} was updated on {updated} and this translation has no "
                        "'translated:' date; check that it is current and add "
                        "'translated: <date>'.", original=PurePath(original.source).name,
                        updated=updated.date().isoformat()), "info"))
            elif updated.date() > text.translated:
                line = (sources.front_line(text.source, "translated")
                        or sources.front_line(text.source, "title"))
                problems.append(Problem(
                    text.source, line,
                    say("this translation is out of date: {original} was updated on {updated}, "
                        "after it was translated on {translated}. Bring the translation up to "
                        "date and change 'translated:' to the day you did.",
                        original=PurePath(original.source).name,
                        updated=updated.date().isoformat(),
                        translated=text.translated.isoformat()), "warning"))
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
                text.source, line, say("the image '{image}' has no alt text; describe it for "
                                       "readers who cannot see it: "
                                       "![what the picture shows]({image}).", image=written),
                "warning"))
    return problems


# -- drafts and embargoes ---------------------------------------------------------------

def check_unpublished(graph: SiteGraph, now: datetime, sources: _Sources) -> list[Problem]:
    """A note for each draft and each embargoed notice: what a build at `now` leaves
    out, and until when, so nobody is surprised that a page is not there (yet)."""
    tz = ZoneInfo(graph.site.config.timezone)
    primary = graph.site.config.primary
    problems = []
    for notice in graph.site.notices:
        source = notice.texts[primary].source
        if notice.draft:
            problems.append(Problem(source, sources.front_line(source, "draft"), say(
                "a draft, not published; remove the line 'draft: true' when it is ready."),
                "info"))
        elif notice.release > now:
            moment = notice.release.astimezone(tz).isoformat(timespec="minutes")
            problems.append(Problem(source, sources.front_line(source, "release"), say(
                "embargoed until {release}: the first build from then on publishes it.",
                release=moment), "info"))
    return problems


# -- static files held back --------------------------------------------------------------

def check_withheld(graph: SiteGraph, root: Path) -> list[Problem]:
    """A note for each static file that is not published yet: only embargoed notices or
    drafts use it, so a reader sees it only from the first release on."""
    tz = ZoneInfo(graph.site.config.timezone)
    primary = graph.site.config.primary
    problems = []
    for path, notices in graph.withheld:
        names = ", ".join(n.texts[primary].source for n in notices)
        releases = [n.release for n in notices if not n.draft]
        file = f"static/{path}"
        if releases:
            moment = min(releases).astimezone(tz).isoformat(timespec="minutes")
            message = say("{file} is used only by notices not yet released ({notices}); it "
                          "will be published with them at {release}.", file=file,
                          notices=names, release=moment)
        else:
            message = say("{file} is used only by drafts ({notices}); it will be published "
                          "with the first of them that you publish.", file=file,
                          notices=names)
        problems.append(Problem(_display(root, file), None, message, "info"))
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

    def report(self, path: str, line: int | None, found: tuple[Text, str] | None,
               note: Callable[[Text], Text] | None = None) -> bool:
        """Record a (message, severity) from `problem`, with `note` added to the message;
        False when there was none."""
        if found is None:
            return False
        message, severity = found
        self.problems.add(Problem(path, line, note(message) if note else message, severity))
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
                written: str | None = None) -> tuple[Text, str] | None:
        """(message, severity) of what is wrong with one address, or None.

        A missing page or file is an error; a missing anchor on an existing page, a warning.
        `written` is how the author wrote the address.
        """
        resolved = self.resolve(ref, page_url)
        if resolved is None:
            return None
        path, fragment = resolved
        target = self.urls.output_path(path)
        image = tag == "img"
        shown = written or ref
        if target not in self.targets:
            if target + "/index.html" in self.targets:
                return _missing_slash(image, shown, path), "error"
            match = difflib.get_close_matches(path, self._known_urls(), n=1, cutoff=0.8)
            suggestion = match[0] if match else ""
            base = self.urls.base
            if suggestion and base != "/" and not shown.startswith(base) and shown.startswith("/"):
                suggestion = "/" + suggestion[len(base):]  # as the body writes it
            return _leads_nowhere(image, shown, path, suggestion), "error"
        if fragment and target in self.ids and fragment not in self.ids[target]:
            if image:
                return say("the image '{ref}' points to '#{fragment}', but the page {path} has "
                           "no element with id '{fragment}'.", ref=shown, fragment=fragment,
                           path=path), "warning"
            return say("the link '{ref}' points to '#{fragment}', but the page {path} has no "
                       "element with id '{fragment}'.", ref=shown, fragment=fragment,
                       path=path), "warning"
        return None

    def _known_urls(self) -> list[str]:
        if self._known is None:
            self._known = sorted(self.urls.base + (t[: -len("index.html")]
                                 if t == "index.html" or t.endswith("/index.html") else t)
                                 for t in self.targets)
        return self._known


def _missing_slash(image: bool, ref: str, path: str) -> Text:
    if image:
        return say("the image '{ref}' leads nowhere: the site has no page or file {path}. "
                   "Add a '/' at the end: {path}/.", ref=ref, path=path)
    return say("the link '{ref}' leads nowhere: the site has no page or file {path}. "
               "Add a '/' at the end: {path}/.", ref=ref, path=path)


def _leads_nowhere(image: bool, ref: str, path: str, suggestion: str) -> Text:
    if image and suggestion:
        return say("the image '{ref}' leads nowhere: the site has no page or file {path}. "
                   "Did you mean '{suggestion}'?", ref=ref, path=path, suggestion=suggestion)
    if image:
        return say("the image '{ref}' leads nowhere: the site has no page or file {path}.",
                   ref=ref, path=path)
    if suggestion:
        return say("the link '{ref}' leads nowhere: the site has no page or file {path}. "
                   "Did you mean '{suggestion}'?", ref=ref, path=path, suggestion=suggestion)
    return say("the link '{ref}' leads nowhere: the site has no page or file {path}.",
               ref=ref, path=path)


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
                    from_content.add(checker.resolve(ref, page.url))
        for (tag, ref), count in remaining.items():
            if count > 0:
                checker.report(page.url, None, checker.problem(ref, tag, page.url),
                               _made_by_generator)
    for path, data in files.items():
        if path.endswith(".html"):
            continue
        url = urls.root_file(path)
        for tag, ref, embedded in _xml_refs(path, data):
            if embedded and _covered(ref, from_content, checker):
                continue
            checker.report(url, None, checker.problem(ref, tag, None),
                           _in_feed_text if embedded else _made_by_generator)
    return sorted(checker.problems)


def _made_by_generator(message: Text) -> Text:
    """For an address that no content file has: the generator's templates made it."""
    return say("{message} (this address is made by the generator, not written in a content "
               "file)", message=message)


def _in_feed_text(message: Text) -> Text:
    """For a feed item's address that is not reported at its notice already."""
    return say("{message} (in the text of a feed item: fix the notice's body)", message=message)


def _covered(ref: str, from_content: set[str], checker: _LinkChecker) -> bool:
    """A feed item's broken link that is already reported at its notice's line (the
    feeds write a body's addresses out in full, resolved against the notice's page)."""
    return checker.resolve(ref, None) in from_content


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

def _parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = CommandParser(
        "build.py check", say("Check the content and every internal link of the site it "
                              "builds, without writing anything."), argv)
    add_content_option(parser)
    add_lang_option(parser)
    add_now_option(parser, say("check the site as published at this time, ISO 8601 (default: "
                               "now); a time without an offset is in the site's time zone"))
    parser.add_argument("--strict", action="store_true",
                        help=say("exit with status 1 on warnings too"))
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help=say("a readable report (default) or JSON for tools"))
    return parser


def run_check(argv: list[str]) -> int:
    """`build.py check`: prints the report; 1 on errors (or warnings with --strict), else 0."""
    args = _parser(argv).parse_args(argv)
    now = args.now or datetime.now(ZoneInfo("UTC"))
    result = run_checks(args.content, now)
    counts = Counter(p.severity for p in result.problems)
    if args.format == "json":
        report = {"errors": [], "warnings": [], "info": []}
        for problem in result.problems:
            key = {"error": "errors", "warning": "warnings"}.get(problem.severity, "info")
            report[key].append({"path": problem.path, "line": problem.line,
                                "message": problem.say(args.lang),
                                "severity": problem.severity})
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(result, strict=args.strict, lang=args.lang))
    failed = counts["error"] > 0 or (args.strict and counts["warning"] > 0)
    return 1 if failed else 0


def _marked(problem: Problem) -> Text | str:
    """The message with its severity in front (errors have none) and its line."""
    message: Text | str = problem.text or problem.message
    if problem.severity == "warning":
        message = say("warning: {message}", message=message)
    elif problem.severity == "info":
        message = say("note: {message}", message=message)
    elif problem.severity != "error":
        message = f"{problem.severity}: {problem.message}"
    if problem.line:
        message = say("line {line}: {message}", line=problem.line, message=message)
    return message


def format_report(result: CheckResult, strict: bool = False, lang: str = "en") -> str:
    """The problems grouped by file, each as `line N: message`, then a summary line, in
    `lang`."""
    def render(message: Text | str) -> str:
        return message.render(lang) if isinstance(message, Text) else message

    groups: dict[str, list[Problem]] = defaultdict(list)
    for problem in result.problems:
        groups[problem.path].append(problem)
    lines = []
    for path, problems in groups.items():
        generated = result.rendered and path.startswith("/")  # not an absolute --content
        lines.append(render(say("{path} (generated page)", path=path)) if generated else path)
        lines += ["  " + render(_marked(p)) for p in problems]
        lines.append("")
    counts = Counter(p.severity for p in result.problems)
    errors, warnings, notes = counts["error"], counts["warning"], counts["info"]
    tally = dict(
        errors=say("{count} error", count=errors) if errors == 1
        else say("{count} errors", count=errors),
        warnings=say("{count} warning", count=warnings) if warnings == 1
        else say("{count} warnings", count=warnings),
        notes=say("{count} note", count=notes) if notes == 1
        else say("{count} notes", count=notes))
    if not result.rendered:
        lines.append(render(say("{errors}, {warnings}, {notes}. The site was not rendered, so "
                                "its links were not checked: fix the errors above and run "
                                "check again.", **tally)))
        return "\n".join(lines)
    pages, others = result.pages, result.other_files
    checked = dict(
        pages=say("{count} page", count=pages) if pages == 1
        else say("{count} pages", count=pages),
        others=say("{count} other file", count=others) if others == 1
        else say("{count} other files", count=others))
    if groups:
        files = (say("{count} file", count=len(groups)) if len(groups) == 1
                 else say("{count} files", count=len(groups)))
        summary = say("{errors}, {warnings}, {notes} in {files}; checked {pages} and {others}.",
                      files=files, **tally, **checked)
    else:
        summary = say("{errors}, {warnings}, {notes}; checked {pages} and {others}.",
                      **tally, **checked)
    summary = render(summary)
    if strict and warnings:
        summary += " " + render(say("Warnings count as errors (--strict)."))
    lines.append(summary)
    return "\n".join(lines)
