"""Raw documents -> the typed `Site`, with every problem found in one pass.

Stage: validate. May import: stdlib, errors, model, load, config, limits.

The bilingual rule lives in `_merge_translation`: a translation carries only its
own words; every language-neutral fact comes from the primary file, and a
translation that states one differently is an error, so there is one source of truth.
"""

from __future__ import annotations

import mimetypes
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable, Mapping
from zoneinfo import ZoneInfo

from .config import (ID_PATTERN, MAX_TAG_LENGTH, MAX_TAGS, Fields, invisible, license_choice,
                     nearest, validate_config, validate_departments,
                     validate_tag_labels)
from .errors import Problem, Text, say
from .limits import body_problems
from .load import RawContent, RawDocument, display_name, printable, read_text
from .model import (Alias, Attachment, Contact, Correction, Notice, NoticeText, Program,
                    ProgramText, Site, frozen_map)

NEUTRAL_NOTICE_KEYS = ("department", "contacts", "provided", "release", "updated",
                       "corrections", "programs", "tags", "attachments", "draft", "slug",
                       "aliases", "license")
FEED_KEYS = ("guid",)
"""Per language: each language's feed item has its own guid."""
TEXT_KEYS = ("title", "subtitle", "summary")
TRANSLATION_KEYS = ("translation", "translated")
NEUTRAL_PROGRAM_KEYS = ("department", "started", "ended")
FRONT_MATTER_LINE = 2
"""The front matter starts on the line after the opening '---'."""
PLACEHOLDER_BODY = "보도자료 본문을 여기에 씁니다."
"""The body `build.py new` writes: a notice that still says it is not published."""


@dataclass(frozen=True)
class NoticeCheck:
    """What checking one notice's files (its primary and translations) gave, when it
    found no error: a cache keeps it, so that unchanged files are not read and checked
    again. The rules across notices (slugs per month, aliases) are not in it: they are
    checked again on every notice each time."""

    notice: Notice
    problems: tuple[Problem, ...]
    """Its warnings, in the order they were found."""
    phones: tuple[tuple[str, tuple[Problem, ...]], ...]
    """Each file (its name in messages) with the warnings about its contacts' phones."""
    slug_line: int | None = None
    """The line of the primary's `slug:`, where a clash with another notice is reported."""


Group = tuple[str, str]
"""A notice's files: their folder and their name without the language (`Listed.group`)."""


def validate_site(raw: RawContent, reused: Mapping[Group, NoticeCheck] | None = None,
                  checked: dict[Group, NoticeCheck] | None = None,
                  read_again: Callable[[Group], list[RawDocument]] | None = None
                  ) -> tuple[Site | None, list[Problem]]:
    """Everything the content says, checked; `None` with problems if anything is wrong.

    `reused` gives what an earlier check found for the notices whose files were not
    read (`raw.skipped`); one whose department, programs or attachments changed is read
    with `read_again` and checked now. `checked` receives what checking gave for each notice
    checked now without an error. The problems are the ones, in the order, of checking
    every file."""
    reused = reused or {}
    phones = {doc.name: doc_phones(doc) for doc in raw.documents}
    for entry in reused.values():
        phones.update(entry.phones)
    problems = list(raw.problems) + _site_phones(raw, phones)
    site_name = display_name(raw.root / "site.yaml", raw.root)
    config = validate_config(raw.site, site_name, problems, raw.static_files) \
        if raw.site is not None else None
    if config is None:
        return None, problems
    departments = validate_departments(
        raw.departments, display_name(raw.root / "departments.yaml", raw.root),
        config.languages, problems)
    tag_labels = validate_tag_labels(raw.tags, display_name(raw.root / "tags.yaml", raw.root),
                                     config.languages, problems) if raw.tags is not None else {}
    tz = ZoneInfo(config.timezone)
    context = _Context(config.languages, departments, raw.static_files, tz, problems,
                       config.base_url)
    context.unread = {p.path for p in raw.problems if p.severity == "error"}
    programs = _validate_programs([d for d in raw.documents if d.kind == "program"], context)
    context.programs = programs
    notices = _validate_notices([d for d in raw.documents if d.kind == "notice"], context,
                                reused, checked, phones, read_again)
    if any(p.severity == "error" for p in problems):
        return None, problems
    notices.sort(key=lambda n: (n.release, n.slug), reverse=True)
    return Site(config, frozen_map(departments), frozen_map(programs), tuple(notices),
                tuple(sorted(raw.static_files)),
                frozen_map({tag: frozen_map(l) for tag, l in tag_labels.items()})), problems


def validate_notice_alone(site: Site, docs: list[RawDocument], static_files: dict[str, int]
                          ) -> tuple[Notice | None, list[Problem]]:
    """One notice's files (its primary and translations) checked against a site that
    was valid: for the preview's quick showing of an edit. Only the full check can tell
    whether it clashes with another notice."""
    problems: list[Problem] = []
    context = _Context(site.config.languages, site.departments, static_files,
                       ZoneInfo(site.config.timezone), problems, site.config.base_url)
    context.programs = dict(site.programs)
    groups = list(_group_translations(docs, context, say("press release")))
    if len(groups) != 1:
        return None, problems
    notice = _validate_notice(*groups[0], context)
    return (notice if not problems else None), problems


class _Context:
    """What a document is checked against."""

    def __init__(self, languages, departments, static_files, tz, problems, base_url="/"):
        self.languages, self.departments = languages, departments
        self.static_files, self.tz, self.problems = static_files, tz, problems
        path = "/" + base_url.split("://", 1)[-1].partition("/")[2]
        self.base = path if path.endswith("/") else path + "/"
        self.programs: dict[str, Program] = {}
        self.unread: set[str] = set()
        """Files that could not be read (their errors are reported already)."""
        self.placeholders: dict[str, set[str]] = {}
        """A department's names, which a new notice's contact has until it is written."""


def _group_translations(docs: list[RawDocument], ctx: _Context, what: str,
                        reused: Mapping[Group, NoticeCheck] | None = None):
    """(primary, translations) per folder and file stem; orphans and odd languages reported.
    A group in `reused` (whose files were not read) comes as (None, its check)."""
    groups: dict[tuple, dict[str, RawDocument]] = defaultdict(dict)
    for doc in docs:
        if doc.lang not in ctx.languages:
            ctx.problems.append(Problem(doc.name, None, say(
                "'{lang}' in the file name is not a site language; use one of: {known}.",
                lang=doc.lang, known=", ".join(ctx.languages))))
            continue
        ctx.problems.extend(body_problems(doc))
        groups[(str(doc.path.parent), doc.stem)][doc.lang] = doc
    primary = ctx.languages[0]
    for key in sorted(groups.keys() | (reused or {}).keys()):
        if key not in groups:
            yield None, (key, reused[key])  # type: ignore[index]
            continue
        by_lang = groups[key]
        if primary not in by_lang:
            for doc in by_lang.values():
                if doc.name[: -len(f"{doc.lang}.md")] + f"{primary}.md" in ctx.unread:
                    continue  # its primary's own error is the one to fix
                ctx.problems.append(Problem(doc.name, None, say(
                    "this translation has no {what} in the primary language; add "
                    "{stem}.{primary}.md next to it, or rename this file.",
                    what=what, stem=doc.stem, primary=primary)))
            continue
        yield by_lang[primary], [by_lang[l] for l in ctx.languages[1:] if l in by_lang]


def _check_inherited(primary: RawDocument, fields: Fields, keys) -> None:
    """A translation may repeat a language-neutral field only with the primary's value."""
    given = primary.front if isinstance(primary.front, dict) else {}
    defaults = {"slug": primary.stem, "draft": False}
    for key in keys:
        if key in fields.data and fields.data[key] != given.get(key, defaults.get(key)):
            fields.error(key, say("'{key}' is taken from {primary} and must not differ in a "
                                  "translation; remove this line.", key=key,
                                  primary=PurePosixPath(primary.name).name))


def _still_holds(notice: Notice, ctx: _Context) -> bool:
    """Whether a notice checked before, against the same settings, would pass again as
    it did: its department, programs and attachments (with their sizes) exist, and no
    contact of a notice that is not a draft is named as its department (`_contacts`)."""
    department = ctx.departments.get(notice.department)
    if department is None:
        return False
    if not notice.draft and notice.contacts:
        names = ctx.placeholders.get(department.id)
        if names is None:
            names = ctx.placeholders[department.id] = set(department.name.values()) | {
                department.id}
        if any(contact.name in names for contact in notice.contacts):
            return False
    return all(program in ctx.programs for program in notice.programs) and all(
        ctx.static_files.get(a.file) == a.size for a in notice.attachments)


def _validate_notices(docs: list[RawDocument], ctx: _Context,
                      reused: Mapping[Group, NoticeCheck] | None = None,
                      checked: dict[Group, NoticeCheck] | None = None,
                      phones: Mapping[str, list[Problem] | tuple[Problem, ...]] | None = None,
                      read_again: Callable[[Group], list[RawDocument]] | None = None
                      ) -> list[Notice]:
    notices: list[Notice] = []
    seen: dict[tuple[int, int, str], str] = {}
    early: set[str] | None = None
    for primary, translations in _group_translations(docs, ctx, say("press release"), reused):
        if early is None:  # the files with an error before their group is checked (a body's)
            early = {p.path for p in ctx.problems if p.severity == "error"}
        before = len(ctx.problems)
        if primary is None:
            group, entry = translations  # type: ignore[misc]
            if not _still_holds(entry.notice, ctx):  # what it names changed
                assert read_again is not None, "reused checks need a way to read again"
                again = list(_group_translations(read_again(group), ctx, say("press release")))
                if not again:
                    continue
                primary, translations = again[0]
        if primary is None:
            ctx.problems.extend(entry.problems)
            notice: Notice | None = entry.notice
            name, slug_line = notice.texts[ctx.languages[0]].source, entry.slug_line
        else:
            notice = _validate_notice(primary, translations, ctx)
            name = primary.name
            slug_line = getattr(primary.front, "key_lines", {}).get("slug")
            files = [primary] + translations
            if checked is not None and notice is not None and not any(
                    p.severity == "error" for p in ctx.problems[before:]) and \
                    not any(doc.name in early for doc in files):
                checked[(str(primary.path.parent), primary.stem)] = NoticeCheck(
                    notice, tuple(ctx.problems[before:]),
                    tuple((doc.name, tuple((phones or {}).get(doc.name, ())))
                          for doc in files), slug_line)
        if notice is None:
            continue
        key = _month_slug(notice, ctx.tz)
        if key in seen:
            ctx.problems.append(Problem(name, slug_line, say(
                "the slug '{slug}' is already used by {other} in the same month; give one of "
                "them another file name or a 'slug:' line.", slug=notice.slug, other=seen[key])))
            continue
        seen[key] = name
        notices.append(notice)
    _check_aliases(notices, ctx)
    return notices


def _month_slug(notice: Notice, tz: ZoneInfo) -> tuple[int, int, str]:
    """What must be a notice's own: its slug in the month of its release."""
    local = notice.release.astimezone(tz)
    return local.year, local.month, notice.slug


def notices_apart(site: Site, notices: list[Notice]) -> bool:
    """Whether notices checked one by one (`validate_notice_alone`, or taken from an
    earlier check) keep the rules across notices: no slug twice in a month, no alias
    that is an address of another notice or another's alias. When they do not, only
    the full check says where."""
    problems: list[Problem] = []
    ctx = _Context(site.config.languages, site.departments, {},
                   ZoneInfo(site.config.timezone), problems, site.config.base_url)
    if len({_month_slug(notice, ctx.tz) for notice in notices}) != len(notices):
        return False
    _check_aliases(notices, ctx)
    return not problems


def _own_paths(notice: Notice, ctx: _Context) -> list[str]:
    local = notice.release.astimezone(ctx.tz)
    return [f"{ctx.base}{lang}/notices/{local.year:04d}/{local.month:02d}/{notice.slug}/"
            for lang in notice.texts]


def _check_aliases(notices: list[Notice], ctx: _Context) -> None:
    """An alias is written as a page of its own: it must not be the address of a
    notice (this one's or another's) nor another alias."""
    pages = {path: notice for notice in notices for path in _own_paths(notice, ctx)}
    taken: dict[str, Alias] = {}
    for notice in notices:
        for alias in notice.aliases:
            owner = pages.get(alias.path)
            if owner is notice:
                message = say("'{path}' is the current address of this press release; an "
                              "alias is an old address, remove this line.", path=alias.path)
            elif owner is not None:
                message = say("'{path}' is the address of another press release, {other}; "
                              "remove this alias.", path=alias.path,
                              other=owner.texts[ctx.languages[0]].source)
            elif alias.path in taken:
                first = taken[alias.path]
                message = say("the alias '{path}' is also given in {other} (line {line}); an "
                              "old address can lead to one press release only: remove one.",
                              path=alias.path, other=first.source, line=first.line or 1)
            else:
                taken[alias.path] = alias
                continue
            ctx.problems.append(Problem(alias.source, alias.line, message))


_ALIAS = re.compile(r"(?P<lang>[a-z]{2,3})/notices/[0-9]{4}/[0-9]{2}/(?P<slug>[^/]+)/")


def _aliases(f: Fields, ctx: _Context) -> tuple[Alias, ...]:
    """`aliases:` old addresses of the notice, each the address of a notice page as
    this site makes them (a release moved to another month, a slug renamed)."""
    if not f.has("aliases"):
        return ()
    value = f.data["aliases"]
    items = value if isinstance(value, list) else [value]
    lines = getattr(value, "item_lines", None) or []
    example = f"{ctx.base}{ctx.languages[0]}/notices/2016/04/hongeun-support-team/"
    found: list[Alias] = []
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else f.line("aliases")
        if not isinstance(item, str) or not item.strip():
            f.error("aliases", say("each alias is the old address of this press release, "
                                   "written like {example}.", example=example), line)
            continue
        path = item.strip()
        match = _ALIAS.fullmatch(path[len(ctx.base):]) if path.startswith(ctx.base) else None
        if "://" in path or not path.startswith("/"):
            message = say("the alias '{path}' must be an address on this site starting with "
                          "'/', without the domain, like {example}.", path=path, example=example)
        elif ".." in path.split("/"):
            message = say("the alias '{path}' must not contain '..'; write the old address "
                          "in full, like {example}.", path=path, example=example)
        elif not path.startswith(ctx.base):
            message = say("the alias '{path}' is outside this site, whose addresses start "
                          "with {base}; write it like {example}.", path=path, base=ctx.base,
                          example=example)
        elif match is None or match["lang"] not in ctx.languages or \
                not ID_PATTERN.fullmatch(match["slug"]):
            message = say("the alias '{path}' is not the address of a press release; write "
                          "it like {example} (language, year, month, name, and a '/' at the "
                          "end).", path=path, example=example)
        else:
            found.append(Alias(path, match["lang"], f.name, line))
            continue
        f.error("aliases", message, line)
    return tuple(found)


def _guid(f: Fields) -> str | None:
    guid = f.text("guid")
    if guid is not None and (any(c.isspace() for c in guid) or
                             not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", guid)):
        f.error("guid", say("'guid: {guid}' should be an address without spaces, usually this "
                            "press release's old address in full, e.g. "
                            "https://example.go.kr/ko/notices/2016/04/my-notice/.", guid=guid))
        return None
    return guid


def _validate_notice(doc: RawDocument, translations: list[RawDocument], ctx: _Context
                     ) -> Notice | None:
    before = len(ctx.problems)
    f = Fields(doc.front, doc.name, ctx.problems, say("the front matter"), FRONT_MATTER_LINE)
    f.reject_unknown(TEXT_KEYS + FEED_KEYS + NEUTRAL_NOTICE_KEYS)
    slug = f.ident("slug") if f.has("slug") else _slug_from_file(doc, f)
    department = f.ident("department", required=True)
    if department and department not in ctx.departments:
        f.error("department", say("'department: {value}' is not a known department."
                                  "{suggestion} Known: {known} (see departments.yaml).",
                                  value=department, suggestion=nearest(department, ctx.departments),
                                  known=", ".join(sorted(ctx.departments))))
    release = f.moment("release", ctx.tz, required=True)
    programs = f.text_list("programs")
    item_lines = getattr(f.data.get("programs"), "item_lines", None)
    for index, program in enumerate(programs):
        if program not in ctx.programs:
            f.error("programs", say("program '{program}' does not exist; add content/programs/"
                                    "{program}.{primary}.md or fix the id.{suggestion}",
                                    program=program, primary=ctx.languages[0],
                                    suggestion=nearest(program, ctx.programs)),
                    item_lines[index] if item_lines and index < len(item_lines) else None)
    draft = f.boolean("draft")
    contacts = tuple(_contacts(f, ctx, None if draft else ctx.departments.get(department or "")))
    if not draft:
        _placeholder_body(doc, f)
    texts = {doc.lang: _notice_text(doc, f)}
    for translation in translations:
        tf = Fields(translation.front, translation.name, ctx.problems, say("the front matter"),
                    FRONT_MATTER_LINE)
        tf.reject_unknown(TEXT_KEYS + TRANSLATION_KEYS + FEED_KEYS + NEUTRAL_NOTICE_KEYS)
        _check_inherited(doc, tf, NEUTRAL_NOTICE_KEYS)
        texts[translation.lang] = _notice_text(translation, tf)
    notice = Notice(
        slug=slug or "", department=department or "", release=release,  # type: ignore[arg-type]
        provided=f.moment("provided", ctx.tz), updated=f.moment("updated", ctx.tz),
        contacts=contacts, corrections=tuple(_corrections(f)),
        programs=programs, tags=_tags(f), attachments=tuple(_attachments(f, ctx)),
        draft=draft, texts=frozen_map(texts), aliases=_aliases(f, ctx),
        license=license_choice(f))
    if len(ctx.problems) > before or None in texts.values():
        return None
    return notice


def _tags(f: Fields) -> tuple[str, ...]:
    tags = f.text_list("tags")
    if len(tags) > MAX_TAGS:
        f.error("tags", say("there are {count} tags; keep the {limit} that matter most, or fewer.",
                            count=len(tags), limit=MAX_TAGS))
    lines = getattr(f.data.get("tags"), "item_lines", None)
    for index, tag in enumerate(tags):
        if len(tag) > MAX_TAG_LENGTH:
            f.error("tags", say("the tag '{tag}' is {length} characters long; a tag is a keyword "
                                "of at most {limit} characters.", tag=tag[:MAX_TAG_LENGTH] + "…",
                                length=len(tag), limit=MAX_TAG_LENGTH),
                    lines[index] if lines and index < len(lines) else None)
    return tags


def _stem_hidden(doc: RawDocument, f: Fields) -> bool:
    """A file name with an invisible character, named by its code (shown as it is, it
    would turn the message around)."""
    hidden = invisible(doc.stem)
    if hidden is not None:
        f.error(None, say("the file name contains the invisible character {code} ({name}), "
                          "which can reverse or hide the text around it; rename the file "
                          "without it.", **hidden), 1)
    return hidden is not None


def _slug_from_file(doc: RawDocument, f: Fields) -> str | None:
    if ID_PATTERN.fullmatch(doc.stem):
        return doc.stem
    if _stem_hidden(doc, f):
        return None
    f.error(None, say("the file name '{stem}' cannot be used in an address: rename the file "
                      "using a-z, 0-9 and hyphens, or add a line like 'slug: my-notice'.",
                      stem=printable(doc.stem)), 1)
    return None


def _notice_text(doc: RawDocument, f: Fields) -> NoticeText | None:
    title = f.text("title", required=True)
    translation = f.choice("translation", ("human", "machine"), "human")
    translated = f.date("translated")
    if title is None:
        return None
    return NoticeText(lang=doc.lang, source=doc.name, title=title,
                      subtitles=f.text_list("subtitle"), summary=f.text("summary"),
                      body=doc.body, translation=translation, translated=translated,
                      guid=_guid(f))


def _per_language(item: Fields, key: str, ctx: _Context) -> tuple[str | None, dict]:
    """A text, or `{ko: ..., en: ...}` with one per site language: (the primary's text,
    the texts by language, empty for a plain text)."""
    if isinstance(item.data.get(key), dict):
        texts = item.localized(key, ctx.languages, required=True)
        if len(texts) < len(ctx.languages):
            return None, {}
        return texts[ctx.languages[0]], texts
    return item.text(key, required=True), {}


def _contacts(f: Fields, ctx: _Context, department=None):
    """The contacts; with the notice's `department` (not a draft), one still named as
    `build.py new` writes it, by the department's name, is an error."""
    placeholders = set(department.name.values()) | {department.id} if department else set()
    for item, line in f.mapping_list("contacts"):
        item.where = item.where or line
        item.reject_unknown(("role", "name", "phone", "email"))
        role = item.text("role", required=True)
        name, names = _per_language(item, "name", ctx)
        if name in placeholders:
            item.error("name", say("this contact is still the placeholder of a new notice "
                                   "(the department's name, '{name}'): write the name of the "
                                   "person to call and their direct number, e.g. 'name: "
                                   "홍길동, phone: 02-330-1234'.", name=name))
        if role and name:
            yield Contact(role, name, item.text("phone"), item.text("email"), frozen_map(names))


def _placeholder_body(doc: RawDocument, f: Fields) -> None:
    """A body still starting with the placeholder of `build.py new` is an error, at its line."""
    if not doc.body.lstrip().startswith(PLACEHOLDER_BODY):
        return
    text = read_text(doc.path, doc.name)[0] or ""
    line = text[: text.find(PLACEHOLDER_BODY)].count("\n") + 1 if PLACEHOLDER_BODY in text \
        else None
    f.error(None, say("the body is still the placeholder of a new notice ('{placeholder}…'): "
                      "write the text of the press release in its place, or put back "
                      "'draft: true' until it is written.",
                      placeholder=PLACEHOLDER_BODY.rstrip(".")), line)


def _corrections(f: Fields):
    found = []
    for item, line in f.mapping_list("corrections"):
        item.where = item.where or line
        item.reject_unknown(("date", "note"))
        day, note = item.date("date", required=True), item.text("note", required=True)
        if day and note:
            found.append(Correction(day, note))
    return sorted(found, key=lambda c: c.date, reverse=True)


def _attachments(f: Fields, ctx: _Context):
    for item, line in f.mapping_list("attachments"):
        item.where = item.where or line
        item.reject_unknown(("file", "title"))
        path = item.text("file", required=True)
        title, titles = _per_language(item, "title", ctx)
        if path is None or title is None:
            continue
        clean = path.lstrip("/").removeprefix("static/")
        if ".." in PurePosixPath(clean).parts or "\\" in clean:
            item.error("file", say("'file: {path}' must be a path inside content/static/ "
                                   "without '..'.", path=path))
        elif clean not in ctx.static_files:
            item.error("file", say("the attachment 'static/{path}' does not exist; put the file "
                                   "in content/static/{folder}/ or fix the path.{suggestion}",
                                   path=clean, folder=str(PurePosixPath(clean).parent),
                                   suggestion=nearest(clean, ctx.static_files)))
        else:
            media_type = mimetypes.guess_type(clean)[0] or "application/octet-stream"
            yield Attachment(clean, title, ctx.static_files[clean], media_type,
                             frozen_map(titles))


def _validate_programs(docs: list[RawDocument], ctx: _Context) -> dict[str, Program]:
    programs = {}
    for primary, translations in _group_translations(docs, ctx, say("program")):
        before = len(ctx.problems)
        f = Fields(primary.front, primary.name, ctx.problems, say("the front matter"),
                   FRONT_MATTER_LINE)
        f.reject_unknown(("title", "summary") + NEUTRAL_PROGRAM_KEYS)
        if not ID_PATTERN.fullmatch(primary.stem) and not _stem_hidden(primary, f):
            f.error(None, say("'{stem}' cannot be a program id: rename the file using "
                              "a-z, 0-9 and hyphens, e.g. visiting-community-center.ko.md.",
                              stem=printable(primary.stem)), 1)
        department = f.ident("department")
        if department and department not in ctx.departments:
            f.error("department", say("'department: {value}' is not a known department."
                                      "{suggestion}", value=department,
                                      suggestion=nearest(department, ctx.departments)))
        texts = {primary.lang: _program_text(primary, f)}
        for translation in translations:
            tf = Fields(translation.front, translation.name, ctx.problems, say("the front matter"),
                        FRONT_MATTER_LINE)
            tf.reject_unknown(("title", "summary") + NEUTRAL_PROGRAM_KEYS)
            _check_inherited(primary, tf, NEUTRAL_PROGRAM_KEYS)
            texts[translation.lang] = _program_text(translation, tf)
        started, ended = f.date("started"), f.date("ended")
        if started and ended and ended < started:
            f.error("ended", say("'ended' is before 'started'; check the two dates."))
        if len(ctx.problems) == before and None not in texts.values():
            programs[primary.stem] = Program(primary.stem, department, started, ended,
                                             frozen_map(texts))
    return programs


def _program_text(doc: RawDocument, f: Fields) -> ProgramText | None:
    title = f.text("title", required=True)
    return ProgramText(doc.lang, doc.name, title, f.text("summary"), doc.body) if title else None


# Contact phones: a number a reader cannot dial is published as a broken tel: link, so
# every build warns of it, not only `check`.

_KOREAN_PHONE = re.compile(r"""^(?:
      02-\d{3,4}-\d{4}                              # Seoul
    | 0(?:3[1-3]|4[1-4]|5[1-5]|6[1-4])-\d{3,4}-\d{4}  # other regions
    | 0(?:70|80|50[2-8])-\d{3,4}-\d{4}              # internet, toll-free, personal numbers
    | 010-\d{4}-\d{4}                               # mobile
    | 01[16-9]-\d{3,4}-\d{4}                        # older mobile
    | 1[5-9]\d{2}-\d{4}                             # nationwide numbers: 1588-1234
    | 1\d{2}                                        # public service numbers: 120, 110
)$""", re.X)


def phone_problem(value: object) -> Text | None:
    """Why `value` does not look like a Korean phone number, or None when it does."""
    phone = str(value).strip()
    domestic = re.sub(r"^\+82[- ]?", "0", phone) if phone.startswith("+82") else phone
    if _KOREAN_PHONE.match(domestic):
        return None
    if re.fullmatch(r"\d{3,4}-\d{4}", phone):
        return say("the phone number '{phone}' has no area code; write it like 02-{phone} "
                   "for Seoul.", phone=phone)
    if re.sub(r"\D", "", domestic) == domestic:  # digits only
        return say("the phone number '{phone}' does not look like a Korean phone number; "
                   "write it with hyphens like 02-330-1280 (Seoul), 031-123-4567, "
                   "010-1234-5678 or 1588-1234.", phone=phone)
    return say("the phone number '{phone}' does not look like a Korean phone number; "
               "write it like 02-330-1280 (Seoul), 031-123-4567, 010-1234-5678 or 1588-1234.",
               phone=phone)


def _phone_warning(problems: list[Problem], name: str, value, line) -> None:
    message = phone_problem(value) if value not in (None, "") else None
    if message:
        problems.append(Problem(name, line, message, "warning"))


def doc_phones(doc: RawDocument) -> list[Problem]:
    """The contact phones of one notice file."""
    problems: list[Problem] = []
    contacts = doc.front.get("contacts") if isinstance(doc.front, dict) else None
    if doc.kind != "notice" or not isinstance(contacts, list):
        return problems
    item_lines = getattr(contacts, "item_lines", [])
    for index, item in enumerate(contacts):
        if isinstance(item, dict) and "phone" in item:
            line = getattr(item, "key_lines", {}).get("phone") or (
                item_lines[index] if index < len(item_lines) else None)
            _phone_warning(problems, doc.name, item["phone"], line)
    return problems


def check_phones(raw: RawContent) -> list[Problem]:
    """Contact phones of notices (primary files), departments and the press office."""
    return _site_phones(raw, {doc.name: doc_phones(doc) for doc in raw.documents})


def _site_phones(raw: RawContent, phones: Mapping[str, list[Problem] | tuple[Problem, ...]]
                 ) -> list[Problem]:
    """`check_phones`, with each notice file's warnings given by its name (those of the
    files not read as well, in the order of the files)."""
    problems: list[Problem] = []
    if any(phones.values()):
        notices = [(doc.path.parts, doc.name) for doc in raw.documents if doc.kind == "notice"]
        if raw.skipped:
            notices = sorted(notices + [(item.path.parts, item.name) for item in raw.skipped])
        problems = [problem for _, name in notices for problem in phones.get(name, ())]

    def check(name: str, value, line) -> None:
        _phone_warning(problems, name, value, line)

    root = raw.root
    if isinstance(raw.departments, dict):
        name = display_name(root / "departments.yaml", root)
        for entry in raw.departments.values():
            if isinstance(entry, dict) and "phone" in entry:
                check(name, entry["phone"], getattr(entry, "key_lines", {}).get("phone"))
    office = raw.site.get("press_office") if isinstance(raw.site, dict) else None
    if isinstance(office, dict) and "phone" in office:
        check(display_name(root / "site.yaml", root), office["phone"],
              getattr(office, "key_lines", {}).get("phone"))
    if isinstance(raw.site, dict) and "phone" in raw.site:
        check(display_name(root / "site.yaml", root), raw.site["phone"],
              getattr(raw.site, "key_lines", {}).get("phone"))
    return problems
