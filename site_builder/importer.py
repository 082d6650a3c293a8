"""`python build.py import [--department ID] [--slug SLUG] [--publish] FILE|FOLDER...`:
press releases written in Hancom Office (.hwpx, .hwp) -> draft notices.

Stage: cli (authoring). May import: stdlib, errors, options, load, config, limits, model,
scaffold, hancom, hancom_notice, tqdm.

Each document becomes content/notices/<year>/<slug>.<primary>.md (the year of its release;
the slug romanized from its title as `new` makes it, unique in its month), a draft unless
--publish. The document itself is copied to static/attachments/<year>/<slug>/ and listed
first under `attachments`, with its web pictures beside it, shown in the body where they
stood. A document that cannot be imported gets an error naming it and what to do, and
nothing of it is written; the others in the batch are still imported. A document imported
before (the same bytes are already under static/attachments/) is not imported again.

Front matter is written so that it reads back as meant: every value is checked by reading
the file back with the loader the build uses before it is written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import ID_PATTERN
from .errors import SiteError, Text, say
from .hancom import MAX_DOCUMENT_BYTES, HancomError, read_document, refuse_size
from .hancom_notice import ImportedNotice, NotAPressRelease, read_notice, with_pictures
from .limits import MAX_CHARACTERS
from .load import display_name, load_content, split_front_matter
from .model import Department, SiteConfig
from .options import CommandParser, add_content_option, add_lang_option, add_now_option
from .scaffold import (SLUG_RULE, _any_language, _scalar, _settings, _Failure, slugify,
                       unknown_department)

SUFFIXES = (".hwpx", ".hwp")


class _Refused(SiteError):
    """One document that is not imported; the batch goes on."""


@dataclass(frozen=True)
class Imported:
    path: Path
    notes: tuple[Text, ...]
    pictures: int
    copy: Path
    """The document's copy under static/attachments/."""


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = CommandParser(
        "build.py import", say("Import press releases written in Hancom Office (.hwpx or "
                               ".hwp): each becomes a draft notice in content/notices/<year>/, "
                               "with the document and its photos kept as attachments."), argv)
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help=say("a .hwpx or .hwp document, or a folder: every .hwpx and "
                                 ".hwp under it"))
    parser.add_argument("--department", metavar="ID",
                        help=say("the department id (departments.yaml) to use when the "
                                 "document's 담당부서 is missing or matches none"))
    parser.add_argument("--slug", metavar="SLUG",
                        help=say("the file name and address (only with one document); "
                                 "default: the title in Revised Romanization"))
    parser.add_argument("--publish", action="store_true",
                        help=say("publish the notices at their release time instead of "
                                 "importing them as drafts to review in `serve` first"))
    add_content_option(parser)
    add_now_option(parser, say("today, as an ISO 8601 date and time (default: the clock): "
                               "the year folder of a document without a date"))
    add_lang_option(parser)
    return parser


def documents(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, Text]]]:
    """The documents named on the command line (folders searched), and what is wrong with
    the names that are not documents."""
    found: list[Path] = []
    wrong: list[tuple[Path, Text]] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*")
                            if p.suffix.lower() in SUFFIXES and p.is_file())
            if not inside:
                wrong.append((path, say("the folder has no .hwpx or .hwp documents")))
            found.extend(inside)
        elif not path.exists():
            wrong.append((path, say("there is no such file")))
        elif path.suffix.lower() not in SUFFIXES:
            wrong.append((path, say("only Hancom documents (.hwpx, .hwp) can be imported; "
                                    "save it from Hancom Office as .hwpx")))
        else:
            found.append(path)
    return list(dict.fromkeys(found)), wrong


def run_import(argv: list[str]) -> int:
    """The `import` command: 0 all imported, 1 some not (each named), 2 wrong usage."""
    parser = _parser(argv)
    args = parser.parse_args(argv)
    lang = args.lang
    if args.slug is not None and not ID_PATTERN.fullmatch(args.slug):
        parser.error_text(say("'{slug}' cannot be a slug: {rule}.", slug=args.slug,
                              rule=SLUG_RULE))
    files, wrong = documents(args.files)
    if args.slug is not None and len(files) + len(wrong) > 1:
        parser.error_text(say("--slug names one notice; give it with one document only"))
    root: Path = args.content
    try:
        if not root.is_dir():
            raise _Failure(say("the content directory {root} does not exist; give it with "
                               "--content.", root=root))
        raw = load_content(root)
        config, departments = _settings(raw)
        if args.department is not None and args.department not in departments:
            raise _Failure(unknown_department(args.department, departments))
    except _Failure as failure:
        print(say("error: {message}", message=failure.say(lang)).render(lang), file=sys.stderr)
        return 1
    failed = 0
    for path, reason in wrong:
        print(say("error: {file}: {reason}", file=path, reason=reason).render(lang),
              file=sys.stderr)
        failed += 1
    tz = ZoneInfo(config.timezone)
    now = args.now or datetime.now(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=tz)
    made: list[Imported] = []
    existing = Existing.of(raw, tz)
    for path in _progress(files, lang):
        try:
            imported = import_document(path, existing, config, departments, args.department,
                                       args.slug, not args.publish, now.astimezone(tz))
        except _Refused as refused:
            print(say("error: {file}: {reason}", file=path,
                      reason=refused.say(lang)).render(lang), file=sys.stderr)
            failed += 1
            continue
        made.append(imported)
        print(imported.path, flush=True)
        for note in imported.notes:
            print("  " + note.render(lang), file=sys.stderr)
    print(_summary(made, failed, not args.publish).render(lang))
    return 1 if failed else 0


def _progress(files: list[Path], lang: str):
    """A progress bar for a batch on a terminal; nothing in CI or when piped."""
    if len(files) < 2 or not sys.stderr.isatty() or os.environ.get("CI"):
        return files
    from tqdm import tqdm

    return tqdm(files, unit=say("document").render(lang), leave=False, file=sys.stderr)


def _summary(made: list[Imported], failed: int, drafts: bool) -> Text:
    pictures = sum(i.pictures for i in made)
    if drafts:
        return say("Imported {count} of {total} documents as drafts ({pictures} photos); "
                   "{failed} not imported. Review them with `python build.py serve`, then "
                   "delete the line 'draft: true' to publish.", count=len(made),
                   total=len(made) + failed, pictures=pictures, failed=failed)
    return say("Imported {count} of {total} documents ({pictures} photos), published at "
               "their release time; {failed} not imported.", count=len(made),
               total=len(made) + failed, pictures=pictures, failed=failed)


# -- one document ----------------------------------------------------------------------


class Existing:
    """What the content already holds that an import must not repeat (notices by title,
    release day and slug; documents under static/attachments by size): read once per run
    and grown by each import, so a batch of a thousand documents does not re-read the site."""

    def __init__(self, root: Path, tz: ZoneInfo):
        self.root, self.tz = root, tz
        self.notices: list[tuple[str, str, object, str]] = []
        self.by_size: dict[int, list[Path]] = {}
        self.refs: dict[str, str] = {}

    @classmethod
    def of(cls, raw, tz: ZoneInfo) -> "Existing":
        from .config import parse_moment

        existing = cls(raw.root, tz)
        for doc in raw.documents:
            front = doc.front if isinstance(doc.front, dict) else {}
            if doc.kind != "notice":
                continue
            moment = parse_moment(front.get("release"), tz)
            slug = front.get("slug") if isinstance(front.get("slug"), str) else doc.stem
            title = front.get("title") if isinstance(front.get("title"), str) else ""
            existing.notices.append((doc.name, " ".join(title.split()),
                                     moment.astimezone(tz).date() if moment else None,
                                     slug.strip()))
            for item in front.get("attachments") or []:
                if isinstance(item, dict) and isinstance(item.get("file"), str):
                    existing.refs.setdefault(item["file"].strip().lstrip("/"), doc.name)
        attachments = raw.root / "static" / "attachments"
        for path in sorted(attachments.rglob("*")) if attachments.is_dir() else ():
            if path.suffix.lower() in SUFFIXES and path.is_file() and not path.is_symlink():
                existing.by_size.setdefault(path.stat().st_size, []).append(path)
        return existing

    def copy_of(self, data: bytes) -> tuple[str, str] | None:
        """(its copy, ', listed by …') of an earlier import of the same bytes, or None."""
        digest = hashlib.sha256(data).digest()
        for path in self.by_size.get(len(data), ()):
            try:
                if hashlib.sha256(path.read_bytes()).digest() != digest:
                    continue
            except OSError:
                continue
            notice = self.refs.get(path.relative_to(self.root / "static").as_posix())
            return (display_name(path, self.root),
                    say(", listed by {notice}", notice=notice).render() if notice else "")
        return None

    def same_title(self, title: str, release) -> str | None:
        """The notice with this title released the same day, or None."""
        wanted = " ".join(title.split())
        for name, other, day, _ in self.notices:
            if other == wanted and (release is None or day is None or day == release.day):
                return name
        return None

    def slugs_in_month(self, day) -> set[str]:
        return {slug for _, _, other, slug in self.notices
                if other is not None and (other.year, other.month) == (day.year, day.month)}

    def add(self, imported: "Imported", title: str, release, slug: str, copy: Path) -> None:
        self.notices.append((display_name(imported.path, self.root), " ".join(title.split()),
                             release.day if release else None, slug))
        self.by_size.setdefault(copy.stat().st_size, []).append(copy)
        self.refs[copy.relative_to(self.root / "static").as_posix()] = \
            display_name(imported.path, self.root)


def import_document(path: Path, existing: Existing, config: SiteConfig,
                    departments: dict[str, Department], department_id: str | None,
                    slug: str | None, draft: bool, now: datetime) -> Imported:
    """Read, map and write one document; _Refused when it cannot be imported, with
    nothing of it written."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            # One byte more than a document may have, so that read_document refuses the
            # file by its size without reading a huge (or endless: /dev/zero) file whole.
            data = handle.read(min(size, MAX_DOCUMENT_BYTES) + 1) \
                if size <= MAX_DOCUMENT_BYTES else b""
    except OSError as exc:
        raise _Refused(say("the file cannot be read ({reason})", reason=exc.strerror))
    try:
        if size > MAX_DOCUMENT_BYTES:
            refuse_size(size)
        document = read_document(data)
        notice = read_notice(document)
    except (HancomError, NotAPressRelease) as exc:
        raise _Refused(exc.text)
    root = existing.root
    earlier = existing.copy_of(data)
    if earlier is not None:
        raise _Refused(say("this document was imported before: its copy is {copy}{notice}. "
                           "Nothing was written; delete that notice and its folder to "
                           "import it again.", copy=earlier[0], notice=earlier[1]))
    department, notes = _department(notice, departments, department_id)
    tz = ZoneInfo(config.timezone)
    release = notice.release.moment if notice.release else None
    same = existing.same_title(notice.title, release)
    if same is not None:
        raise _Refused(say("{notice} already has this title and release date (the same "
                           "release imported before, perhaps as .hwp and .hwpx); nothing was "
                           "written. Delete that notice to import it again.", notice=same))
    year = (release or notice.provided).day.year if (release or notice.provided) else now.year
    primary = config.languages[0]
    base = slug or slugify(notice.title)
    if not base:
        raise _Refused(say("the title has no letters or digits that can be written in an "
                           "address; give one with --slug ({rule})", rule=SLUG_RULE))
    offset = _offset(tz, release or notice.provided, now)
    if notice.release is None:
        notes.append(say("the header has no 보도일자; add 'release:' before publishing "
                         "(the build stops without it)"))
    elif release is None:
        notes.append(say("the 보도일자 '{text}' has no date that can be read; add "
                         "'release:' before publishing", text=notice.release.note or ""))
    elif notice.release.note:
        notes.append(say("release {moment}: the document says '{text}' (the online "
                         "release is used: this is a web site)",
                         moment=release.iso(offset), text=notice.release.note))
    if not notice.contacts:
        notes.append(say("the header names no contact (과장, 팀장, 담당자); add them under "
                         "'contacts:'"))
    for name in notice.skipped_pictures:
        notes.append(say("the picture {name} is in a format browsers do not show; it was "
                         "not imported: save it as PNG or JPEG and add it to the body",
                         name=name))
    folder_year = f"{year:04d}"
    notices = root / "notices" / folder_year
    attachments = root / "static" / "attachments" / folder_year
    taken = existing.slugs_in_month((release or notice.provided).day) \
        if (release or notice.provided) else set()
    for candidate in (base if n == 1 else f"{base}-{n}" for n in range(1, 1000)):
        if candidate in taken or _any_language(notices, candidate) \
                or (attachments / candidate).exists():
            if slug is not None:
                raise _Refused(say("a notice with the slug '{slug}' already exists; choose "
                                   "another --slug. Nothing was written.", slug=slug))
            continue
        imported = _write(root, notices, attachments, candidate, primary, notice, department,
                          data, offset, draft, tuple(notes))
        existing.add(imported, notice.title, release, candidate, imported.copy)
        return imported
    raise _Refused(say("no free slug was found; give one with --slug"))  # pragma: no cover


def _department(notice: ImportedNotice, departments: dict[str, Department],
                chosen: str | None) -> tuple[str, list[Text]]:
    if chosen is not None:
        return chosen, []
    found = notice.department_text
    if not found:
        raise _Refused(say("the header has no 담당부서; give the department with "
                           "--department ID (known: {known})", known=", ".join(sorted(departments))))
    key = "".join(found.split())
    names = [(dept_id, "".join(name.split())) for dept_id, d in departments.items()
             for name in d.name.values()]
    exact = sorted({dept_id for dept_id, name in names if name == key})
    if len(exact) == 1:
        return exact[0], []
    # '복지정책과' in a district's release; '서대문구 복지정책과' in departments.yaml
    within = sorted({dept_id for dept_id, name in names
                     if len(key) >= 3 and (name.endswith(key) or key.endswith(name))})
    if len(within) == 1:
        return within[0], [say("담당부서 '{found}' is read as the department '{id}' "
                               "({name})", found=found, id=within[0],
                               name=departments[within[0]].name.get("ko")
                               or next(iter(departments[within[0]].name.values())))]
    import difflib
    korean = {d.name.get("ko") or dept_id: dept_id for dept_id, d in departments.items()}
    close = difflib.get_close_matches(found, list(korean), n=3, cutoff=0.3)
    hint = ", ".join(f"{name} ({korean[name]})" for name in close) or say("none")
    raise _Refused(say("담당부서 '{found}' matches no department in departments.yaml "
                       "(closest: {close}); add it there, or give --department ID",
                       found=found, close=hint))


def _offset(tz: ZoneInfo, moment, now: datetime) -> str:
    when = datetime.combine(moment.day, moment.at) if moment is not None and moment.at \
        else now.replace(tzinfo=None)
    text = when.replace(tzinfo=tz).strftime("%z")
    return f"{text[:3]}:{text[3:]}"


# -- writing ---------------------------------------------------------------------------


def _yaml_text(value: str) -> str:
    """A value as one line of front matter that the loader reads back whole."""
    plain = _scalar(value)
    front, _, problems = split_front_matter(f"---\nx: {plain}\n---\n", "check")
    if not problems and isinstance(front, dict) and front.get("x") == value:
        return plain
    return json.dumps(value, ensure_ascii=False)


def front_matter(notice: ImportedNotice, department: str, attachment: str, offset: str,
                 draft: bool) -> str:
    lines = ["---", f"title: {_yaml_text(notice.title)}"]
    if len(notice.subtitles) == 1:
        lines.append(f"subtitle: {_yaml_text(notice.subtitles[0])}")
    elif notice.subtitles:
        lines.append("subtitle:")
        lines += [f"  - {_yaml_text(s)}" for s in notice.subtitles]
    lines.append(f"department: {department}")
    if notice.contacts:
        lines.append("contacts:")
        for contact in notice.contacts:
            lines.append(f"  - role: {contact.role}")
            lines.append(f"    name: {_yaml_text(contact.name)}")
            if contact.phone:
                lines.append(f"    phone: {contact.phone}")
    if notice.provided:
        lines.append(f"provided: {notice.provided.iso(offset)}")
    release = notice.release.moment if notice.release else None
    if release:
        lines.append(f"release: {release.iso(offset)}")
    lines.append("attachments:")
    lines.append(f"  - file: {attachment}")
    lines.append(f"    title: {_yaml_text(notice.title)}")
    if draft:
        lines.append("draft: true                       # 검토했으면 이 줄을 지웁니다. 초안은 "
                     "게시되지 않습니다.")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _write(root: Path, notices: Path, attachments: Path, slug: str, primary: str,
           notice: ImportedNotice, department: str, data: bytes, offset: str,
           draft: bool, notes: tuple[Text, ...]) -> Imported:
    """The attachment folder, then the notice (mode 'x'); on any failure, nothing."""
    folder = attachments / slug
    suffix = ".hwp" if data.startswith(bytes.fromhex("d0cf11e0a1b11ae1")) else ".hwpx"
    document_name = f"{slug}{suffix}"
    picture_names = [f"photo-{n + 1}.{p.extension}" for n, p in enumerate(notice.pictures)]
    relative = f"attachments/{folder.parent.name}/{slug}"
    body = with_pictures(notice.body, [f"/static/{relative}/{name}" for name in picture_names],
                         notice.captions)
    if len(body) > MAX_CHARACTERS:
        raise _Refused(say("its text is {count} characters, more than the {limit} a notice "
                           "may have; split it into several notices", count=len(body),
                           limit=MAX_CHARACTERS))
    text = front_matter(notice, department, f"{relative}/{document_name}", offset,
                        draft) + body
    _check_reads_back(text, notice)
    path = notices / f"{slug}.{primary}.md"
    created_folders = [p for p in (folder, attachments, attachments.parent, root / "static",
                                   notices) if not p.exists()]
    try:
        folder.mkdir(parents=True)
        (folder / document_name).write_bytes(data)
        for name, picture in zip(picture_names, notice.pictures):
            (folder / name).write_bytes(picture.data)
        notices.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        _undo(folder, created_folders, path, wrote_notice=False)
        raise _Refused(say("{path} appeared while importing; nothing was written", path=path))
    except OSError as exc:
        _undo(folder, created_folders, path, wrote_notice=False)
        raise _Refused(say("it could not be written ({reason}); nothing was written",
                           reason=exc.strerror or exc))
    except BaseException:
        _undo(folder, created_folders, path, wrote_notice=True)
        raise
    return Imported(path, notes, len(picture_names), folder / document_name)


def _undo(folder: Path, created: list[Path], notice: Path, wrote_notice: bool) -> None:
    """Remove what this import made, and only that."""
    if wrote_notice and notice.exists():
        notice.unlink()
    if folder in created:
        shutil.rmtree(folder, ignore_errors=True)
    for parent in created[1:]:
        try:
            parent.rmdir()
        except OSError:
            pass


def _check_reads_back(text: str, notice: ImportedNotice) -> None:
    """The file as the build will read it says what the document says."""
    front, body, problems = split_front_matter(text, "import")
    expected_subtitle = (notice.subtitles[0] if len(notice.subtitles) == 1
                         else list(notice.subtitles) or None)
    if problems or not isinstance(front, dict) or front.get("title") != notice.title or \
            front.get("subtitle") != expected_subtitle or \
            [c.get("name") for c in front.get("contacts") or []] != \
            [c.name for c in notice.contacts]:
        raise _Refused(say("its title or names could not be written so that they read back "
                           "as written; please report this document"))  # pragma: no cover
