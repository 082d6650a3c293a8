"""`python build.py new --department ID [--program ID] [--slug SLUG] "제목"`: start a notice.

Stage: cli (authoring). May import: stdlib, yaml, errors, options, model, romanize, load,
config, validate.

Writes content/notices/<YYYY>/<slug>.<primary>.md with today's date (in the site's
time zone) as `provided` and `release`, the department and its phone as the first
contact, and `draft: true`, so that a half-written release is never published by
accident: the writer previews it with `--drafts` and removes the draft line when it
is ready. The new file builds as it is. Nothing is ever overwritten: the file is
opened with mode 'x', and a slug already used in the same month gets -2, -3, ...

Only site.yaml (languages, time zone) and departments.yaml have to be readable;
mistakes in other notices or programs do not stop a writer from starting a new one.

Messages (errors and the notes on stderr) are in English or Korean (`--lang`, default
from the locale); their Korean wording is in messages/ko/scaffold.yaml. The new file's
comments are always Korean: they are for the staff who fill it in.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from .config import ID_PATTERN, nearest, parse_moment, validate_config, validate_departments
from .errors import Problem, SiteError, Text, say
from .options import CommandParser, add_content_option, add_lang_option, add_now_option
from .load import RawContent, display_name, load_content
from .model import Department, SiteConfig
from .romanize import romanize
from .validate import PLACEHOLDER_BODY, validate_site

MAX_SLUG = 60
"""A derived slug is cut to at most this many characters, at a word boundary."""
SLUG_RULE = say("a slug uses lowercase letters a-z, digits and single hyphens between them, "
                "e.g. 'kimjang-sharing'")


def slugify(title: str, limit: int = MAX_SLUG) -> str:
    """A title -> an address slug: romanized, lowercase, words joined by single hyphens.

    ASCII words are kept; accents are dropped (café -> cafe); anything else (Hanja,
    punctuation, symbols) separates words. Cut at a word boundary to at most `limit`
    characters. May be '' when nothing in the title can be written in a-z and 0-9.
    """
    plain = []
    for char in romanize(title):
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char))
        plain.append("".join(c for c in folded if not unicodedata.combining(c)))
    words = re.findall(r"[a-z0-9]+", "".join(plain).lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    if not slug and words:  # one very long word: cut it
        slug = words[0][:limit]
    return slug


# -- the command ---------------------------------------------------------------------


class _Failure(SiteError):
    """A reason to stop with exit status 1; the message says what to do, followed by
    the problems to fix first, if any."""

    def __init__(self, message: Text, problems: list[Problem] = ()):
        self.problems = sorted(set(problems))
        super().__init__(message)

    def say(self, lang: str = "en") -> str:
        headline = super().say(lang)
        if not self.problems:
            return headline
        return "\n".join([f"{headline}:"] + [f"  {p.format(lang)}" for p in self.problems])


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = CommandParser(
        "build.py new", say("Start a new press release: writes content/notices/<YYYY>/<slug>.ko.md "
                            "with today's date, the department and its phone number, as a "
                            "draft, and prints its path."), argv)
    parser.add_argument("title", help=say("the title of the press release, in the primary "
                                          "language"))
    parser.add_argument("--department", required=True, metavar="ID",
                        help=say("the department id, as in departments.yaml"))
    parser.add_argument("--program", action="append", default=[], metavar="ID",
                        help=say("a program id (content/programs/<id>.ko.md); may be repeated"))
    parser.add_argument("--slug", metavar="SLUG",
                        help=say("the file name and address; default: the title in Revised "
                                 "Romanization, e.g. chajaganeun-dongjuminsenteo"))
    add_content_option(parser)
    add_now_option(parser, say("today, as an ISO 8601 date and time (default: the clock); "
                               "the date is taken in the site's time zone"))
    add_lang_option(parser)
    return parser


def run_new(argv: list[str]) -> int:
    """The `new` command: 0 written, 1 content or naming problem, 2 wrong usage."""
    args = _parser(argv).parse_args(argv)
    try:
        path, notes = _new_notice(args)
    except _Failure as failure:
        print(say("error: {message}", message=failure.say(args.lang)).render(args.lang),
              file=sys.stderr)
        return 1
    print(path)
    for note in notes:
        print(note, file=sys.stderr)
    return 0


def _new_notice(args: argparse.Namespace) -> tuple[Path, list[str]]:
    title = " ".join(args.title.split())
    if not title:
        raise _Failure(say("the title is empty; give it in quotes, e.g. "
                           "python build.py new --department welfare-policy \"제목\"."))
    root: Path = args.content
    if not root.is_dir():
        raise _Failure(say("the content directory {root} does not exist; give it with "
                           "--content.", root=root))
    raw = load_content(root)
    config, departments = _settings(raw)
    department = departments.get(args.department)
    if department is None:
        raise _Failure(unknown_department(args.department, departments))
    primary = config.languages[0]
    programs = _program_ids(raw, primary)
    for program in args.program:
        if program not in programs:
            raise _Failure(say("program '{program}' does not exist.{suggestion} "
                               "Known: {known} (files in {folder}/).",
                               program=program, suggestion=nearest(program, programs),
                               known=", ".join(sorted(programs)) or say("none yet"),
                               folder=root / "programs"))

    tz = ZoneInfo(config.timezone)
    now = args.now or datetime.now(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=tz)
    today = now.astimezone(tz).date()
    folder = root / "notices" / f"{today.year:04d}"
    taken = _slugs_in_month(raw, tz, today)

    if args.slug is not None:
        if not ID_PATTERN.fullmatch(args.slug):
            raise _Failure(say("'{slug}' cannot be a slug: {rule}.", slug=args.slug,
                               rule=SLUG_RULE))
        candidates = iter([args.slug])
    else:
        base = slugify(title)
        if not base:
            raise _Failure(say("the title has no letters or digits that can be written in "
                               "an address; give one with --slug ({rule}).", rule=SLUG_RULE))
        candidates = (base if n == 1 else f"{base}-{n}" for n in range(1, 1000))

    text = notice_text(title, department, config, today, list(dict.fromkeys(args.program)))
    for slug in candidates:
        path = folder / f"{slug}.{primary}.md"
        if slug in taken or _any_language(folder, slug):
            if args.slug is not None:
                where = (say("in {month} ({file})", month=f"{today:%Y-%m}", file=taken[slug])
                         if slug in taken
                         else say("in {folder}/", folder=display_name(folder, root)))
                raise _Failure(say("a notice with the slug '{slug}' already exists {where}; "
                                   "choose another --slug. Nothing was written.",
                                   slug=slug, where=where))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:  # written by someone else since we looked
            if args.slug is not None:
                raise _Failure(say("{path} already exists; choose another --slug. "
                                   "Nothing was written.", path=path))
            continue
        return path, _notes(root, path, department, args.lang)
    raise _Failure(say("no free slug was found; give one with --slug."))  # pragma: no cover


def unknown_department(department: str, departments: dict[str, Department]) -> Text:
    return say("'{department}' is not a known department.{suggestion} "
               "Known: {known} (see departments.yaml).", department=department,
               suggestion=nearest(department, departments), known=", ".join(sorted(departments)))


def _settings(raw: RawContent) -> tuple[SiteConfig, dict[str, Department]]:
    """site.yaml and departments.yaml, or a failure listing what to fix in them."""
    site_name = display_name(raw.root / "site.yaml", raw.root)
    dept_name = display_name(raw.root / "departments.yaml", raw.root)
    problems = [p for p in raw.problems if p.path in (site_name, dept_name)]
    config = validate_config(raw.site, site_name, problems) if raw.site is not None else None
    if config is None:
        raise _Failure(say("{file} has to be fixed first", file="site.yaml"), problems)
    departments = validate_departments(raw.departments, dept_name, config.languages, problems)
    if not departments:
        raise _Failure(say("{file} has to be fixed first", file="departments.yaml"), problems)
    return config, departments


def _program_ids(raw: RawContent, primary: str) -> set[str]:
    return {doc.stem for doc in raw.documents
            if doc.kind == "program" and doc.lang == primary and ID_PATTERN.fullmatch(doc.stem)}


def _slugs_in_month(raw: RawContent, tz: ZoneInfo, day: date) -> dict[str, str]:
    """Slug -> file of every notice released in the month of `day`, read leniently."""
    taken: dict[str, str] = {}
    for doc in raw.documents:
        if doc.kind != "notice":
            continue
        front = doc.front if isinstance(doc.front, dict) else {}
        slug = front.get("slug") if isinstance(front.get("slug"), str) else doc.stem
        release = parse_moment(front.get("release"), tz)
        if release is None:
            continue
        local = release.astimezone(tz)
        if (local.year, local.month) == (day.year, day.month):
            taken.setdefault(slug.strip(), doc.name)
    return taken


def _any_language(folder: Path, slug: str) -> bool:
    """A file for this slug in any language (or none) is already in the year's folder."""
    return (folder / f"{slug}.md").exists() or any(folder.glob(f"{_glob_escape(slug)}.*.md"))


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _scalar(value: str) -> str:
    """A YAML scalar for one line of front matter: plain when that reads back the same."""
    try:
        if yaml.safe_load(f"key: {value}") == {"key": value}:
            return value
    except (yaml.YAMLError, RecursionError):  # RecursionError: a title of many '['
        pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def notice_text(title: str, department: Department, config: SiteConfig, today: date,
                programs: list[str]) -> str:
    """The new file: front matter that builds as it is, with comments saying what to fill in."""
    primary = config.languages[0]
    dept_name = department.name.get(primary) or department.id
    lines = [
        "---",
        f"title: {_scalar(title)}",
        "# subtitle: [부제]                # 부제가 있으면 앞의 '#'을 지우고 씁니다.",
        "# summary: 한두 문장 요약          # 없으면 본문 첫 문단이 요약으로 쓰입니다.",
        f"department: {department.id}",
        "contacts:",
        "  # 담당자 이름과 직통 번호로 바꾸세요. 과장(director), 팀장(team_lead)도 더할 수 있습니다.",
    ]
    contact = f"role: officer, name: {_scalar(dept_name)}"
    if department.phone:
        contact += f", phone: {_scalar(department.phone)}"
    else:
        lines.append("  # departments.yaml에 이 부서의 전화번호가 없습니다: phone: 02-000-0000 을 더하세요.")
    lines.append(f"  - {{{contact}}}")
    lines += [f"provided: {today.isoformat()}", f"release: {today.isoformat()}"]
    example = datetime.combine(today + timedelta(days=1), time(6), ZoneInfo(config.timezone))
    lines.append(f"# release에 시각을 쓰면 그때까지 엠바고: {example.isoformat()}")
    if programs:
        lines.append(f"programs: [{', '.join(programs)}]")
    lines += [
        "# tags: [복지]",
        "draft: true                       # 다 쓰고 확인했으면 이 줄을 지웁니다. 초안은 게시되지 않습니다.",
        "---",
        f"{PLACEHOLDER_BODY} 첫 문단은 목록과 피드에 요약으로 나갑니다.",
        "",
    ]
    return "\n".join(lines)


def _notes(root: Path, path: Path, department: Department, lang: str = "en") -> list[str]:
    """What to do next, and whether the site builds with the new file, in `lang`."""
    notes = [say("Started a draft press release for {department}. Fill in the contacts "
                 "and the body, preview it with `python build.py serve` (the preview shows "
                 "drafts; the published site never does), then delete the line 'draft: true' "
                 "to publish.", department=department.id)]
    _, problems = validate_site(load_content(root))
    errors = [p for p in problems if p.severity == "error"]
    name = display_name(path, root)
    mine = [p for p in errors if p.path == name]
    for problem in mine:  # should not happen: the new file is meant to build as written
        notes.append(say("warning: {message}", message=problem.format(lang)))
    count = len(errors) - len(mine)
    if count == 1:
        notes.append(say("note: 1 problem elsewhere in {root}/ will stop the build; "
                         "`python build.py` lists it.", root=root))
    elif count > 1:
        notes.append(say("note: {count} problems elsewhere in {root}/ will stop the build; "
                         "`python build.py` lists them.", count=count, root=root))
    return [note.render(lang) for note in notes]
