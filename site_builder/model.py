"""The validated content, as frozen values.

Stage: model. May import: stdlib, errors.

Everything here is filled in completely by `validate`; later stages read it and
never change it. The split between language-neutral facts (`Notice`) and what
each language says (`NoticeText`) is the bilingual rule of the content contract.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Mapping

ROLES = ("director", "team_lead", "officer")
"""Contact roles with translated labels; any other text is shown as written."""
LICENSES = {"kogl-1": "https://www.kogl.or.kr/info/licenseType1.do",
            "kogl-2": "https://www.kogl.or.kr/info/licenseType2.do",
            "kogl-3": "https://www.kogl.or.kr/info/licenseType3.do",
            "kogl-4": "https://www.kogl.or.kr/info/licenseType4.do"}
"""공공누리 (Korea Open Government License) types, with the page of each on kogl.or.kr;
`none` in site.yaml or a notice means no licence is stated."""


def frozen_map(items: Mapping) -> Mapping:
    """A read-only mapping, so that a model value cannot be changed after validation."""
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class Department:
    id: str
    name: Mapping[str, str]
    """Name by language code; every site language is present."""
    phone: str | None = None


@dataclass(frozen=True)
class Contact:
    role: str
    """director | team_lead | officer, or a label of the writer's own."""
    name: str
    phone: str | None = None
    email: str | None = None
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """`name: {ko: ..., en: ...}`: the name by language, as written; empty for a plain
    name (the primary's, romanized on English pages)."""


@dataclass(frozen=True)
class Correction:
    date: date
    note: str


@dataclass(frozen=True)
class Attachment:
    file: str
    """Path under content/static/, with forward slashes."""
    title: str
    size: int
    """Bytes, read when the content was loaded."""
    media_type: str
    titles: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """`title: {ko: ..., en: ...}`: the title by language; empty for a plain title."""


@dataclass(frozen=True)
class Alias:
    """An old address of a notice (root-relative, base path included), where a
    redirect to its page is written."""

    path: str
    lang: str
    """The language whose page it leads to: the one its path starts with."""
    source: str
    line: int | None


@dataclass(frozen=True)
class NoticeText:
    """What one language says about a notice."""

    lang: str
    source: str
    """The file it came from, for messages."""
    title: str
    subtitles: tuple[str, ...]
    summary: str | None
    """As written; when absent the first paragraph of the body is used."""
    body: str
    """Markdown."""
    translation: str = "human"
    """human | machine (a machine translation shows a disclaimer)."""
    translated: date | None = None
    guid: str | None = None
    """The feed guid of this language's item, as written (`guid:`)."""


@dataclass(frozen=True)
class Notice:
    slug: str
    department: str
    release: datetime
    """Aware datetime: the embargo moment and the URL's year and month."""
    provided: datetime | None
    updated: datetime | None
    contacts: tuple[Contact, ...]
    corrections: tuple[Correction, ...]
    """Newest first."""
    programs: tuple[str, ...]
    tags: tuple[str, ...]
    attachments: tuple[Attachment, ...]
    draft: bool
    texts: Mapping[str, NoticeText]
    """By language; the primary language is always present."""
    aliases: tuple[Alias, ...] = ()
    """Old addresses, in the order written."""
    license: str | None = None
    """`license:` of this notice (a LICENSES key or 'none'); None: the site's."""

    @functools.cached_property
    def digests(self) -> Mapping[str, str]:
        """By language: a SHA-256 of what the notice says in that language and of all
        that its languages share (worked out once: it travels with a notice the cache
        keeps, so that its pages' recipes need not read it again)."""
        shared = repr(replace(self, texts=MappingProxyType(dict.fromkeys(self.texts))))
        return frozen_map({lang: hashlib.sha256(f"{shared}\0{text!r}".encode(
            "utf-8", "surrogatepass")).hexdigest() for lang, text in self.texts.items()})


@dataclass(frozen=True)
class ProgramText:
    lang: str
    source: str
    title: str
    summary: str | None
    body: str


@dataclass(frozen=True)
class Program:
    id: str
    department: str | None
    started: date | None
    ended: date | None
    texts: Mapping[str, ProgramText]

    def status(self, today: date) -> str:
        """upcoming | ongoing | ended, as of the build date."""
        if self.started and today < self.started:
            return "upcoming"
        if self.ended and today > self.ended:
            return "ended"
        return "ongoing"


@dataclass(frozen=True)
class PressOffice:
    name: Mapping[str, str]
    phone: str | None


@dataclass(frozen=True)
class SiteConfig:
    title: Mapping[str, str]
    base_url: str
    """Absolute, ending in a slash."""
    languages: tuple[str, ...]
    """The first is the primary language."""
    timezone: str
    per_page: int
    feed_items: int
    untranslated: str
    """show | hide"""
    press_office: PressOffice | None
    description: Mapping[str, str]
    official: bool = False
    """Show the official e-government masthead (KRDS); only for a public body's own site."""
    address: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    phone: str | None = None
    """The main phone number (대표전화)."""
    privacy_policy: str | None = None
    copyright_policy: str | None = None
    """Addresses of the body's own policy pages, as written (absolute or from '/')."""
    license: str | None = None
    """A LICENSES key for every notice, or None (`none`, or not given)."""
    logo: str | None = None
    """The emblem: a path under content/static/."""

    @property
    def primary(self) -> str:
        return self.languages[0]


@dataclass(frozen=True)
class Site:
    """The whole validated content: what every later stage starts from."""

    config: SiteConfig
    departments: Mapping[str, Department]
    programs: Mapping[str, Program]
    notices: tuple[Notice, ...]
    """Every notice, published or not, newest first."""
    static_files: tuple[str, ...]
    """Paths under content/static/, sorted."""
    tag_labels: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({}))
    """tags.yaml: a tag (as written in the primary language) -> its label by language."""
