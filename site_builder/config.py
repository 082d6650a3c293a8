"""Site settings and departments, and the field checks every validator shares.

Stage: validate (settings). May import: stdlib, errors, model, load.

`Fields` reads one YAML mapping: each accessor returns a clean value or None and
records a `Problem` naming the file, the line of the key and the fix.
"""

from __future__ import annotations

import calendar
import difflib
import re
import unicodedata
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import Problem, Text, say
from .load import LineDict, LineList
from .model import LICENSES, Department, PressOffice, SiteConfig, frozen_map

ID_PATTERN = re.compile(r"\A[a-z0-9]+(-[a-z0-9]+)*\Z")
"""Use with fullmatch: '$' would also match before a final newline ('abc\\n')."""
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
"""Bidirectional overrides and isolates, and zero-width characters: unseen, they reverse
or hide the text around them (a title that reads otherwise than it is written)."""
LABELS = frozenset({"title", "subtitle", "name", "role", "tags", "programs", "slug"})
"""Fields that name something, shown in titles, lists, feeds and addresses: refused
with an invisible character rather than changed (`INVISIBLE`). Summaries and bodies
are running text and are left as written."""
MAX_TAGS = 30
MAX_TAG_LENGTH = 100
"""Keywords per notice, and characters per keyword: every tag is a link and a feed
category on each page of the notice."""
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\^`{|}?#]")
"""What a base_url cannot hold: every address starts with it, so nothing that needs
escaping in HTML, XML or a regex replacement, and no query or fragment."""
SUPPORTED_LANGUAGES = ("ko", "en")
"""Languages the generator ships UI strings for."""


def invisible(text: str) -> dict[str, str] | None:
    """{code: 'U+202E', name: 'RIGHT-TO-LEFT OVERRIDE'} of the first invisible character
    in `text`, or None."""
    found = INVISIBLE.search(text)
    if found is None:
        return None
    char = found.group()
    return {"code": f"U+{ord(char):04X}", "name": unicodedata.name(char, "")}


def nearest(word: str, choices) -> Text | str:
    """' Did you mean X?' for the closest choice, or ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return say(" Did you mean '{match}'?", match=match[0]) if match else ""


_TYPE_NAMES = {str: say("text"), bool: say("true/false"), int: say("a number"),
               float: say("a number"), list: say("a list"), LineList: say("a list"),
               dict: say("a group of fields"), LineDict: say("a group of fields"),
               type(None): say("empty")}


def _type_name(value: Any) -> Text | str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


_UNKNOWN = {
    "field": "'{key}' is not a known field.{suggestion} Known fields: {known}.",
    "setting": "'{key}' is not a known setting.{suggestion} Known settings: {known}.",
    "language": "'{key}' is not a known language.{suggestion} Known languages: {known}.",
}


class Fields:
    """Typed access to one front-matter or YAML mapping, collecting problems."""

    def __init__(self, data: Any, name: str, problems: list[Problem],
                 what: Text | str = say("this"), line: int | None = None):
        self.name, self.problems = name, problems
        self.where = getattr(data, "line", None) or line
        if isinstance(data, dict):
            self.data = data
        else:
            self.data = {}
            problems.append(Problem(name, self.where, say(
                "{what} should be a group of 'key: value' lines, not {kind}.",
                what=what, kind=_type_name(data))))

    def line(self, key: str) -> int | None:
        return getattr(self.data, "key_lines", {}).get(key, self.where)

    def error(self, key: str | None, message: Text, line: int | None = None) -> None:
        self.problems.append(Problem(self.name, line or (self.line(key) if key else self.where),
                                     message))

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def reject_unknown(self, allowed, what: str = "field") -> None:
        for key in self.data:
            if key not in allowed:
                self.error(key, say(_UNKNOWN[what], key=key, suggestion=nearest(key, allowed),
                                    known=", ".join(allowed)))

    def require(self, key: str) -> bool:
        if self.has(key):
            return True
        self.error(None, say("'{key}' is missing; it is required.", key=key),
                   self.line(key) if key in self.data else self.where)
        return False

    def text(self, key: str, required: bool = False, label: bool | None = None
             ) -> str | None:
        """A text; with `label` (by default for the keys in LABELS) one with an invisible
        character is refused."""
        if not self.has(key):
            if required:
                self.require(key)
            return None
        value = self.data[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(key, say("'{key}' should be text, not {kind}.", key=key,
                                kind=_type_name(value)))
            return None
        value = value.strip()
        if not value:
            self.error(key, say("'{key}' is empty; write a value or remove the line.", key=key))
            return None
        if (key in LABELS if label is None else label) and not self.visible(key, value):
            return None
        return value

    def visible(self, key: str, value: str, line: int | None = None) -> bool:
        hidden = invisible(value)
        if hidden is not None:
            self.error(key, say("'{key}' contains the invisible character {code} ({name}), "
                                "which can reverse or hide the text around it; remove it.",
                                key=key, **hidden), line)
        return hidden is None

    def ident(self, key: str, required: bool = False) -> str | None:
        value = self.text(key, required, label=True)
        if value is not None and not ID_PATTERN.fullmatch(value):
            self.error(key, say("'{key}: {value}' is not a valid id: use lowercase letters a-z, "
                                "digits and single hyphens, e.g. 'welfare-policy'.",
                                key=key, value=value))
            return None
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        if not self.has(key):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            self.error(key, say("'{key}' should be true or false.", key=key))
            return default
        return value

    def integer(self, key: str, default: int, minimum: int = 1) -> int:
        if not self.has(key):
            return default
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(key, say("'{key}' should be a whole number of at least {minimum}.",
                                key=key, minimum=minimum))
            return default
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.text(key)
        if value is None:
            return default
        if value not in choices:
            self.error(key, say("'{key}: {value}' is not allowed; use one of: {choices}.",
                                key=key, value=value, choices=", ".join(choices)))
            return default
        return value

    def date(self, key: str, required: bool = False) -> date | None:
        moment = self.moment(key, None, required)
        return moment.date() if moment else None

    def moment(self, key: str, tz: ZoneInfo | None, required: bool = False) -> datetime | None:
        """A date or datetime; a date means 00:00 and a time without offset is in `tz`."""
        if not self.has(key):
            if required:
                self.require(key)
            return None
        value = parse_moment(self.data[key], tz)
        if value is None:
            impossible = impossible_date(self.data[key])
            self.error(key, say("'{key}: {value}' is not a real date: {reason}. Check the "
                                "date and write it as 2016-05-03.", key=key,
                                value=self.data[key], reason=impossible) if impossible else
                       say("'{key}' is not a valid date: write it as 2016-05-03, "
                           "or 2016-05-03T10:00:00+09:00 with a time.", key=key))
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        """A single text or a list of texts."""
        if not self.has(key):
            return ()
        value = self.data[key]
        items = value if isinstance(value, list) else [value]
        lines = getattr(value, "item_lines", None)
        result = []
        for index, item in enumerate(items):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                kind = _type_name(item) if not isinstance(item, str) else say("empty")
                self.error(key, say("'{key}' should be a list of texts; item {number} is {kind}.",
                                    key=key, number=index + 1, kind=kind),
                           lines[index] if lines else None)
                continue
            if key in LABELS and not self.visible(key, item, lines[index] if lines else None):
                continue
            result.append(item.strip())
        return tuple(result)

    def mapping_list(self, key: str) -> list[tuple["Fields", int | None]]:
        """A list of groups, each as its own `Fields`, with the item's line."""
        if not self.has(key):
            return []
        value = self.data[key]
        if not isinstance(value, list):
            self.error(key, say("'{key}' should be a list, each item starting with '- '.",
                                key=key))
            return []
        lines = getattr(value, "item_lines", [None] * len(value))
        return [(Fields(item, self.name, self.problems,
                        say("item {number} of '{key}'", number=i + 1, key=key), lines[i]),
                 lines[i]) for i, item in enumerate(value)]

    def localized(self, key: str, languages: tuple[str, ...], required: bool = False
                  ) -> dict[str, str]:
        """{ko: ..., en: ...} with every site language; a plain text counts for all."""
        if not self.has(key):
            if required:
                self.require(key)
            return {}
        value = self.data[key]
        label = key in LABELS
        if isinstance(value, str) and value.strip():
            if label and not self.visible(key, value):
                return {}
            return {lang: value.strip() for lang in languages}
        sub = Fields(value, self.name, self.problems, f"'{key}'")
        sub.reject_unknown(languages, "language")
        result = {lang: sub.text(lang, label=label) for lang in languages}
        missing = [lang for lang, text in result.items() if text is None and not (
            label and isinstance(sub.data.get(lang), str) and invisible(sub.data[lang]))]
        if missing and isinstance(value, dict):
            self.error(key, say("'{key}' has no text for {missing}; give one per language, "
                                "e.g. {example}.", key=key, missing=", ".join(missing),
                                example="{" + ", ".join(f"{l}: ..." for l in languages) + "}"))
        return {lang: text for lang, text in result.items() if text is not None}


_MONTHS = (say("January"), say("February"), say("March"), say("April"), say("May"),
           say("June"), say("July"), say("August"), say("September"), say("October"),
           say("November"), say("December"))
_DAY = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]|\s*\Z)")


def impossible_date(value: Any) -> Text | None:
    """Which part of a date shaped like 2024-13-01 does not exist, or None."""
    match = _DAY.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day = map(int, match.groups())
    if not 1 <= month <= 12:
        return say("month {month} does not exist", month=month)
    days = calendar.monthrange(year, month)[1] if year else 31
    if not 1 <= day <= days:
        return say("{month} {year} has {days} days", month=_MONTHS[month - 1], year=year,
                   days=days) if day else say("day 0 does not exist")
    return None


def parse_moment(value: Any, tz: ZoneInfo | None) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if not datetime.min.year < moment.year < datetime.max.year:
        return None  # year 1 or 9999: no time zone can be applied without overflowing
    if moment.tzinfo is None and tz is not None:
        moment = moment.replace(tzinfo=tz)
    return moment


SITE_KEYS = ("title", "description", "base_url", "languages", "timezone", "per_page",
             "feed_items", "untranslated", "press_office", "official", "address", "phone",
             "privacy_policy", "copyright_policy", "license", "logo")
LICENSE_CHOICES = tuple(LICENSES) + ("none",)
LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")
_LINK_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\^`{|}]")


def license_choice(fields: Fields) -> str | None:
    """`license:` as written (a LICENSES key or 'none'), or None when absent or wrong."""
    value = fields.text("license")
    if value is None:
        return None
    if value not in LICENSE_CHOICES:
        fields.error("license", say("'license: {value}' is not a 공공누리 type; use one of: "
                                    "{choices} (none: no licence is shown).", value=value,
                                    choices=", ".join(LICENSE_CHOICES)))
        return None
    return value


def _policy_link(fields: Fields, key: str) -> str | None:
    """The address of a policy page: absolute (http, https) or on this site ('/...')."""
    value = fields.text(key)
    if value is None:
        return None
    scheme = urlparse(value).scheme if not _LINK_UNSAFE.search(value) else "bad"
    if scheme in ("http", "https") and urlparse(value).netloc or \
            not scheme and value.startswith("/") and not value.startswith("//"):
        return value
    fields.error(key, say("'{key}: {value}' must be the address of the page, like "
                          "https://www.example.go.kr/privacy/ or /privacy/.", key=key,
                          value=value))
    return None


def _logo(fields: Fields, static_files) -> str | None:
    """`logo:` a picture under content/static/ (with or without 'static/' in front)."""
    value = fields.text("logo", label=True)
    if value is None:
        return None
    clean = value.lstrip("/").removeprefix("static/")
    if not clean.lower().endswith(LOGO_TYPES):
        fields.error("logo", say("'logo: {value}' should be a picture: an SVG, PNG, JPEG, GIF "
                                 "or WebP file under content/static/.", value=value))
        return None
    if static_files is not None and clean not in static_files:
        fields.error("logo", say("the logo 'static/{path}' does not exist; put the file in "
                                 "content/static/ or fix the path.{suggestion}", path=clean,
                                 suggestion=nearest(clean, static_files)))
        return None
    return clean


def validate_config(data: Any, name: str, problems: list[Problem], static_files=None
                    ) -> SiteConfig | None:
    """site.yaml -> SiteConfig; None when it is too broken to build with. With
    `static_files` (the names under content/static/), the logo must be one of them."""
    fields = Fields(data, name, problems, "site.yaml")
    fields.reject_unknown(SITE_KEYS, "setting")
    languages = _languages(fields)
    # Titles and names are checked per language: without languages there is nothing to
    # check them against, and the languages problem is the one to fix first.
    title = fields.localized("title", languages, required=True) if languages else {}
    base_url = fields.text("base_url", required=True)
    if base_url:
        try:
            parsed = urlparse(base_url)
        except ValueError:  # an unclosed [IPv6 address
            parsed = urlparse("")
        # Every address of the site starts with it: no spaces, quotes, backslashes,
        # query or fragment, which would break out of an attribute or the address.
        if parsed.scheme not in ("http", "https") or not parsed.netloc or \
                _URL_UNSAFE.search(base_url):
            fields.error("base_url", say("'base_url: {value}' must be an absolute address "
                                         "like https://news.example.go.kr/.", value=base_url))
            base_url = None
        elif not base_url.endswith("/"):
            base_url += "/"
    timezone = fields.text("timezone") or "Asia/Seoul"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, like 'Asia'
        fields.error("timezone", say("'timezone: {value}' is not a known time zone; "
                                     "use a name like Asia/Seoul.", value=timezone))
        timezone = "Asia/Seoul"
    press_office = None
    if fields.has("press_office") and languages:
        office = Fields(fields.data["press_office"], name, problems, "'press_office'")
        office.reject_unknown(("name", "phone"))
        press_office = PressOffice(frozen_map(office.localized("name", languages, True)),
                                   office.text("phone"))
    config = SiteConfig(
        title=frozen_map(title), base_url=base_url or "", languages=languages,
        timezone=timezone, per_page=fields.integer("per_page", 20),
        feed_items=fields.integer("feed_items", 50),
        untranslated=fields.choice("untranslated", ("show", "hide"), "show"),
        press_office=press_office,
        description=frozen_map(fields.localized("description", languages) if languages else {}),
        official=fields.boolean("official"),
        address=frozen_map(fields.localized("address", languages) if languages else {}),
        phone=fields.text("phone"), privacy_policy=_policy_link(fields, "privacy_policy"),
        copyright_policy=_policy_link(fields, "copyright_policy"),
        license=(lambda chosen: None if chosen == "none" else chosen)(license_choice(fields)),
        logo=_logo(fields, static_files))
    if not languages or not base_url or len(title) < len(languages):
        return None
    return config


def _languages(fields: Fields) -> tuple[str, ...]:
    if not fields.require("languages"):
        return ()
    value = fields.data["languages"]
    if not isinstance(value, list) or not value:
        fields.error("languages", say("'languages' should be a list of language codes, the primary "
                                      "one first, like [ko, en]."))
        return ()
    codes = fields.text_list("languages")
    unknown = [code for code in codes if code not in SUPPORTED_LANGUAGES]
    for code in unknown:
        fields.error("languages", say("language '{code}' is not supported; the generator has "
                                      "UI text for: {known}.", code=code,
                                      known=", ".join(SUPPORTED_LANGUAGES)))
    if len(set(codes)) != len(codes):
        fields.error("languages", say("a language is listed twice in 'languages'."))
    if not isinstance(value, list) or unknown or not codes or len(set(codes)) != len(codes):
        return ()
    return codes


def validate_departments(data: Any, name: str, languages: tuple[str, ...],
                         problems: list[Problem]) -> dict[str, Department]:
    fields = Fields(data or LineDict(), name, problems, "departments.yaml")
    departments = {}
    for dept_id in fields.data:
        hidden = invisible(dept_id)
        if hidden is not None:
            fields.error(dept_id, say("a department id contains the invisible character {code} "
                                      "({name}); remove it.", **hidden))
            continue
        if not ID_PATTERN.fullmatch(dept_id):
            fields.error(dept_id, say("'{id}' is not a valid department id: use lowercase "
                                      "letters a-z, digits and single hyphens.",
                                      id=dept_id.replace("\n", "\\n")))
            continue
        entry = Fields(fields.data[dept_id], name, problems, say("department '{id}'", id=dept_id),
                       fields.line(dept_id))
        entry.reject_unknown(("name", "phone"))
        names = entry.localized("name", languages, required=True)
        departments[dept_id] = Department(dept_id, frozen_map(names), entry.text("phone"))
    if not departments and not any(p.path == name for p in problems):
        problems.append(Problem(name, None, say("no departments are defined; add at least one.")))
    return departments


def validate_tag_labels(data: Any, name: str, languages: tuple[str, ...],
                        problems: list[Problem]) -> dict[str, dict[str, str]]:
    """tags.yaml: `복지: Welfare` (the label in every other language) or
    `복지: {en: Welfare}`, one line per tag as written in the primary language."""
    fields = Fields(data if data is not None else LineDict(), name, problems, "tags.yaml")
    others = languages[1:]
    labels: dict[str, dict[str, str]] = {}
    for tag in fields.data:
        if not isinstance(tag, str) or not tag.strip():
            fields.error(None, say("each line of tags.yaml is a tag, a colon and its "
                                   "label, like '복지: Welfare'."))
            continue
        if not fields.visible("tags", tag, fields.line(tag)):
            continue
        value = fields.data[tag]
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            label = fields.text(tag, label=True)
            if label is not None:
                labels[tag.strip()] = {lang: label for lang in others}
            continue
        entry = Fields(value, name, problems, say("the tag '{tag}'", tag=tag), fields.line(tag))
        entry.reject_unknown(others, "language")
        found = {lang: entry.text(lang, label=True) for lang in others if entry.has(lang)}
        if found and None not in found.values():
            labels[tag.strip()] = found
    return labels
