"""A press release read from a Hancom document -> the front matter and Markdown of a notice.

Stage: import (mapping). May import: stdlib, errors, hancom.

Pure functions over `hancom.Document`: the header table is read by its labels wherever
its cells sit (담당부서, 과장/팀장/담당자, 제공일자/배포일시, 보도일자/보도일시, 엠바고), the
title box and subtitle lines are found after it, and the □/o/- body becomes paragraphs
and lists, with bold runs, tables, 붙임 and photos. Nothing is invented: a value the
document does not have is left out, and `Release.note` keeps what the document said about
print editions, for the import to print.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, time

from .errors import Text, say
from .hancom import Block, Cell, Document, Paragraph, Picture, Run, Table


# -- the header table ------------------------------------------------------------------

LABELS = {
    "department": ("담당부서", "담당과", "담당부처", "부서", "담당기관", "소관부서"),
    "director": ("과장", "담당과장", "국장", "담당국장", "부서장"),
    "team_lead": ("팀장", "담당팀장", "계장"),
    "officer": ("담당자", "담당", "실무자", "실무담당", "주무관", "담당직원"),
    "responsible": ("책임자",),
    "provided": ("제공일자", "제공일시", "배포일시", "배포일자", "배포", "자료제공",
                 "배포시간", "제공"),
    "release": ("보도일자", "보도일시", "보도시점", "보도", "보도시간", "보도일"),
    "embargo": ("엠바고", "보도유예", "엠바고시간", "보도제한"),
    "ignored": ("총매수", "매수", "분량", "사진", "사진유무", "자료", "페이지", "문의"),
}
_LABEL_OF = {label: key for key, labels in LABELS.items() for label in labels}
ROLES = {"director": "director", "team_lead": "team_lead", "officer": "officer"}

JOB_TITLES = ("주무관", "사무관", "서기관", "부이사관", "이사관", "행정사무관", "행정주사",
              "주사보", "주사", "서기보", "서기", "실무관", "연구관", "연구사", "전문관",
              "전문위원", "조사관", "사서", "기술서기관", "공업주사", "담당관", "과장",
              "팀장", "국장", "계장", "담당자", "담당", "소장", "센터장", "관장", "실장",
              "부장", "차장", "대리", "주임", "사원", "선임", "책임", "연구원", "위원")
_TITLE_WORDS = sorted(JOB_TITLES, key=len, reverse=True)

PHONE = re.compile(r"(?<!\d)(?:\+82[-. ]?|0)(\d{1,2})[-.) ]{0,2}(\d{3,4})[-. ]?(\d{4})(?!\d)"
                   r"|(?<!\d)(1[5-9]\d{2})[-. ]?(\d{4})(?!\d)")


def _key(text: str) -> str:
    return re.sub(r"[\s:：·ㆍ]", "", unicodedata.normalize("NFC", text))


def label_of(text: str) -> str | None:
    """The header field a cell names, or None: '담 당 자' and '담당자:' are 'officer'."""
    return _LABEL_OF.get(_key(text))


@dataclass(frozen=True)
class HeaderEntry:
    field: str
    label: str
    value: str


@dataclass(frozen=True)
class Header:
    entries: tuple[HeaderEntry, ...]

    def first(self, name: str) -> HeaderEntry | None:
        return next((e for e in self.entries if e.field == name and e.value.strip()), None)


def _grid(table: Table) -> dict[tuple[int, int], Cell]:
    """(row, column) -> the cell whose area covers it."""
    grid: dict[tuple[int, int], Cell] = {}
    for cell in table.cells:
        for r in range(cell.row, min(cell.row + cell.rowspan, table.rows)):
            for c in range(cell.col, min(cell.col + cell.colspan, table.cols)):
                grid.setdefault((r, c), cell)
    return grid


def _split_label(text: str) -> tuple[str, str] | None:
    """'담당부서: 복지정책과' or '담당자 신윤경(02-…)' in one cell -> (label, value)."""
    match = re.match(r"\s*([가-힣 ]{1,12}?)\s*[:：]\s*(.+)", text, re.S)
    if match and label_of(match.group(1)):
        return match.group(1), match.group(2)
    return None


def read_header(table: Table) -> Header:
    """The labelled values of a table, by label; an empty Header when it is not one."""
    grid = _grid(table)
    entries: list[HeaderEntry] = []
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        text = cell.text.strip()
        field_name = label_of(text)
        if field_name is None:
            split = _split_label(text)
            if split:
                entries.append(HeaderEntry(label_of(split[0]), split[0], split[1].strip()))
            continue
        values: list[str] = []
        seen = {id(cell)}
        for c in range(cell.col + cell.colspan, table.cols):
            other = grid.get((cell.row, c))
            if other is None or id(other) in seen:
                continue
            seen.add(id(other))
            if label_of(other.text) or _split_label(other.text):
                break
            if other.text.strip():
                values.append(other.text.strip())
        if not values:
            below = grid.get((cell.row + cell.rowspan, cell.col))
            if below is not None and below.text.strip() and not label_of(below.text) \
                    and not _split_label(below.text) and below.col == cell.col:
                values.append(below.text.strip())
        entries.append(HeaderEntry(field_name, text, " ".join(values)))
    return Header(tuple(entries))


def is_header(header: Header) -> bool:
    """A table is the release's header when it names at least two of its fields."""
    fields = {e.field for e in header.entries if e.field != "ignored"}
    return len(fields) >= 2 or ("department" in fields and len(header.entries) >= 2)


# -- contacts --------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    role: str
    name: str
    phone: str | None


_LOCAL_PHONE = re.compile(r"(?<![\d-])\d{3,4}-\d{4}(?!\d)")


def normalize_phone(text: str) -> str | None:
    """The first phone number in `text`, written as the content format wants; a number
    without its area code ('330-1629') is kept as written, for the build to point out."""
    match = PHONE.search(text)
    if not match:
        local = _LOCAL_PHONE.search(text)
        return local.group(0) if local else None
    if match.group(4):
        return f"{match.group(4)}-{match.group(5)}"
    area, middle, last = match.group(1), match.group(2), match.group(3)
    return f"0{area}-{middle}-{last}"


def parse_contacts(role: str, value: str) -> list[Contact]:
    """'석동훈 주무관(02-960-2217)', '과 장 박정숙 ☎ 02-330-1280', '홍길동, 김철수' ->
    contacts; the job title is dropped from the name."""
    people = []
    for chunk in re.split(r"\s*[,/;、]\s*|\n", value):
        if not chunk.strip():
            continue
        phone = normalize_phone(chunk)
        rest = _LOCAL_PHONE.sub(" ", PHONE.sub(" ", chunk))
        squeezed = re.sub(r"\s+", "", rest)
        who = role
        for title in _TITLE_WORDS:
            if title in squeezed:
                if role == "responsible":
                    who = {"과장": "director", "국장": "director", "팀장": "team_lead",
                           "계장": "team_lead"}.get(title, who)
                rest = re.sub(r"\s*".join(title), " ", rest)
        words = re.findall(r"[가-힣]{2,5}|[A-Za-z][A-Za-z .'-]+[A-Za-z]", rest)
        name = words[0] if words else ""
        if name:
            people.append(Contact("director" if who == "responsible" else who, name, phone))
        elif phone and people and people[-1].phone is None:
            people[-1] = Contact(people[-1].role, people[-1].name, phone)
    return people


# -- dates -----------------------------------------------------------------------------

_DATE = re.compile(r"(?:(\d{4}|'\d{2}|’\d{2})\s*[.년/-]\s*)?(\d{1,2})\s*[.월/-]\s*(\d{1,2})\s*"
                   r"(?:[.일]\s*)?(?:[(（]\s*[월화수목금토일]\s*[)）])?")
_TIME = re.compile(r"(오전|오후|AM|PM|am|pm)?\s*(\d{1,2})\s*(?::\s*(\d{2})|시\s*(?:(\d{1,2})\s*분)?)"
                   r"(?!\s*[.월/])")


@dataclass(frozen=True)
class Moment:
    day: date
    at: time | None

    def iso(self, offset: str) -> str:
        if self.at is None:
            return self.day.isoformat()
        return f"{self.day.isoformat()}T{self.at.strftime('%H:%M:%S')}{offset}"


def parse_moment(text: str, year: int | None = None) -> Moment | None:
    """'2016. 5. 3.(화)', '2018. 9. 3.(월) 09:00', '2018년 9월 3일 14시' -> a Moment."""
    match = _DATE.search(text)
    if not match:
        return None
    year_text, month, day = match.groups()
    if year_text:
        digits = re.sub(r"\D", "", year_text)
        found_year = int(digits) + (2000 if len(digits) == 2 else 0)
    elif year is not None:
        found_year = year
    else:
        return None
    try:
        when = date(found_year, int(month), int(day))
    except ValueError:
        return None
    clock = _TIME.search(text, match.end())
    at = None
    if clock:
        hour, minute = int(clock.group(2)), int(clock.group(3) or clock.group(4) or 0)
        if clock.group(1) in ("오후", "PM", "pm") and hour < 12:
            hour += 12
        if clock.group(1) in ("오전", "AM", "am") and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            at = time(hour, minute)
    return Moment(when, at)


@dataclass(frozen=True)
class Release:
    moment: Moment | None
    note: str | None
    """What the document says beyond the online moment (조간/석간, '배포 즉시')."""


_ONLINE = re.compile(r"(?:온라인|인터넷|방송|온라인·방송|인터넷·방송|방송·인터넷|통신)[^0-9]{0,12}"
                     r"((?:\d{4}\s*[.년]\s*)?\d{1,2}\s*[.월]\s*\d{1,2}.*)")


def parse_release(text: str, provided: Moment | None) -> Release:
    """보도일자/보도일시 -> the moment the notice may be on the web."""
    plain = " ".join(text.split())
    if re.search(r"즉시|배포\s*시", plain):
        return Release(provided, plain)
    main = parse_moment(plain, provided.day.year if provided else None)
    online = _ONLINE.search(plain)
    if online:
        base_year = main.day.year if main else (provided.day.year if provided else None)
        moment = parse_moment(online.group(1), base_year)
        if moment and main and moment.day > main.day and moment.day.month - main.day.month > 6:
            moment = Moment(moment.day.replace(year=moment.day.year - 1), moment.at)
        if moment:
            return Release(moment, plain)
    if main is None:
        return Release(None, plain)
    note = plain if re.search(r"조간|석간|방송|까지|부터", plain) else None
    return Release(main, note)


# -- the notice ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedNotice:
    title: str
    subtitles: tuple[str, ...]
    department_text: str | None
    contacts: tuple[Contact, ...]
    provided: Moment | None
    release: Release | None
    body: str
    """Markdown; picture N stands as NUL N NUL (a character no document text holds), until
    `with_pictures` puts its figure there."""
    pictures: tuple[Picture, ...]
    captions: tuple[str | None, ...]
    skipped_pictures: tuple[str, ...] = ()
    """Pictures in formats browsers do not show (BMP, WMF…), by their name in the document."""


class NotAPressRelease(Exception):
    def __init__(self, text: Text):
        self.text = text
        super().__init__(str(text))


_BANNER = re.compile(r"^\s*(?:보\s*도\s*(?:참\s*고\s*|설\s*명\s*|해\s*명\s*)?자\s*료|"
                     r"press\s+release)\s*$", re.I)
_BOILERPLATE = re.compile(r"(?:자세한|상세한)\s*(?:내용|사항).{0,60}(?:연락|문의)|"
                          r"^\s*[(\[]?\s*총\s*\d+\s*(?:매|쪽|면|장)\s*[)\]]?\s*$|"
                          r"^\s*-\s*\d+\s*-\s*$|^\s*끝\s*\.?\s*$")
_CAPTION = re.compile(r"^\s*[\[<(〈【]?\s*사\s*진\s*(\d*)\s*[\]>)〉】]?\s*[:.]?\s*")
_SUBTITLE = re.compile(r"^\s*(?:[-–—]\s*(.+?)\s*[-–—]|[○◇◆]\s*(.+?))\s*$")


def _flat(blocks) -> list[Block]:
    """Blocks with one-cell tables (title boxes, framed text) replaced by their contents."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and len(block.cells) == 1:
            out.extend(_flat(block.cells[0].blocks))
        else:
            out.append(block)
    return out


def _body_size(blocks: list[Block]) -> int:
    sizes: Counter[int] = Counter()
    for block in blocks:
        if isinstance(block, Paragraph):
            for run in block.runs:
                sizes[run.size] += len(run.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 1000


def _is_title_like(paragraph: Paragraph, body_size: int) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return False
    return all(run.bold for run in runs) or max(run.size for run in runs) > body_size


def _style(paragraph: Paragraph) -> tuple:
    runs = [run for run in paragraph.runs if run.text.strip()]
    return (all(run.bold for run in runs), max((run.size for run in runs), default=0))


def read_notice(document: Document) -> ImportedNotice:
    """The notice a press release holds; NotAPressRelease when it has no header table."""
    blocks = _flat(document.blocks)
    header_at = []
    entries: list[HeaderEntry] = []
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            header = read_header(block)
            if is_header(header):
                header_at.append(index)
                entries.extend(header.entries)
    if not header_at:
        raise NotAPressRelease(say("the document has no header table of a press release "
                                   "(a table with 담당부서, 보도일자 or 배포일시 and the "
                                   "contacts); only press releases (보도자료) can be imported"))
    header = Header(tuple(entries))
    rest = [(i, b) for i, b in enumerate(blocks) if i not in header_at]
    body_size = _body_size([b for _, b in rest])

    def texts(after: int):
        return [(i, b) for i, b in rest if i > after]

    candidates = texts(header_at[0]) or texts(-1)
    title_lines: list[str] = []
    used: set[int] = set()
    title_style = None
    position = -1
    for i, block in candidates:
        if not isinstance(block, Paragraph):
            if title_lines:
                break
            continue
        text = " ".join(block.text.split())
        if not text:
            if title_lines:
                break
            continue
        if _BANNER.match(text) or _BOILERPLATE.search(text):
            used.add(i)
            continue
        if title_lines:
            if _is_title_like(block, body_size) and _style(block) == title_style:
                title_lines.append(text)
                used.add(i)
                position = i
                continue
            break
        if _is_title_like(block, body_size):
            title_lines.append(text)
            title_style = _style(block)
            used.add(i)
            position = i
    if not title_lines:
        first = next(((i, b) for i, b in candidates if isinstance(b, Paragraph)
                      and b.text.strip() and not _BANNER.match(b.text)), None)
        if first is None:
            raise NotAPressRelease(say("the document has no title after its header table"))
        title_lines = [" ".join(first[1].text.split())]
        used.add(first[0])
        position = first[0]
    subtitles: list[str] = []
    for i, block in rest:
        if i <= position:
            continue
        if not isinstance(block, Paragraph):
            break
        text = " ".join(block.text.split())
        if not text:
            if subtitles:
                break
            used.add(i)
            continue
        match = _SUBTITLE.match(text)
        if not match:
            break
        subtitles.append((match.group(1) or match.group(2)).strip())
        used.add(i)
        position = i
    body_blocks = [b for i, b in rest if i > position and i not in used]
    provided_entry = header.first("provided")
    provided = parse_moment(provided_entry.value) if provided_entry else None
    release = None
    for name in ("embargo", "release"):
        entry = header.first(name)
        if entry is not None:
            candidate = parse_release(entry.value, provided)
            if candidate.moment is not None or release is None:
                release = candidate
            if candidate.moment is not None:
                break
    contacts: list[Contact] = []
    for entry in header.entries:
        if entry.field in ("director", "team_lead", "officer", "responsible"):
            contacts.extend(parse_contacts(entry.field, entry.value))
    department = header.first("department")
    markdown, pictures, captions, skipped = body_markdown(body_blocks)
    return ImportedNotice(" ".join(title_lines), tuple(subtitles),
                          " ".join(department.value.split()) if department else None,
                          tuple(dict.fromkeys(contacts)), provided, release, markdown,
                          tuple(pictures), tuple(captions), tuple(skipped))


# -- the body --------------------------------------------------------------------------

_MARKS = (
    (re.compile(r"^\s*[□■◆◇▣▶►]\s*"), "paragraph", 0),
    (re.compile(r"^\s*[oㅇ○◦●•]\s+"), "item", 1),
    (re.compile(r"^\s*[-–·∙‧]\s+"), "item", 2),
    (re.compile(r"^\s*\*\s+"), "item", 2),
)
_NOTE = re.compile(r"^\s*※")
_ATTACHED = re.compile(r"^\s*붙\s*임\s*[:.]?\s*")
_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.)]\s*")
_END = re.compile(r"\s*끝\s*\.?\s*$")


def escape_text(text: str) -> str:
    """Text that Markdown shows exactly as written (no emphasis, link, HTML or entity)."""
    text = re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", text)
    text = re.sub(r"([`*_\[])", r"\\\1", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)
    text = re.sub(r"&(?=#?\w+;)", r"\\&", text)
    if text.count("~") >= 2:
        text = text.replace("~", r"\~")
    return text


def escape_start(text: str) -> str:
    """A line's start that Markdown would read as a heading, quote, list or rule."""
    text = re.sub(r"^(\s*)([#>+=|-])", r"\1\\\2", text)
    return re.sub(r"^(\s*\d{1,9})([.)])", r"\1\\\2", text)


def inline(runs, cell: bool = False) -> str:
    """Runs -> Markdown: bold runs as **…**, with their spaces outside the stars."""
    pieces: list[tuple[str, bool]] = []
    for run in runs:
        text = " ".join(run.text.split("\n")) if not cell else run.text
        if pieces and pieces[-1][1] == run.bold:
            pieces[-1] = (pieces[-1][0] + text, run.bold)
        else:
            pieces.append((text, run.bold))
    out = []
    for text, bold in pieces:
        escaped = escape_text(text)
        if cell:
            escaped = escaped.replace("|", r"\|").replace("\n", "<br>")
        core = escaped.strip()
        if bold and re.search(r"[^\W_]", core):
            lead = escaped[:len(escaped) - len(escaped.lstrip())]
            trail = escaped[len(escaped.rstrip()):]
            out.append(f"{lead}**{core}**{trail}")
        else:
            out.append(escaped)
    return re.sub(r"[ \t]+", " ", "".join(out)).strip()


def _cut(runs, count: int) -> list[Run]:
    """The runs without their first `count` characters."""
    out = []
    for run in runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(Run(run.text[count:], run.bold, run.size))
        count = 0
    return out


def _cut_end(runs, count: int) -> list[Run]:
    return [Run(r.text[::-1], r.bold, r.size) for r in _cut(
        [Run(r.text[::-1], r.bold, r.size) for r in reversed(runs)], count)][::-1]


def _table(table: Table) -> str:
    grid = {(c.row, c.col): c for c in table.cells}
    cols = min(table.cols, 64)
    rows = []
    for r in range(min(table.rows, 2000)):
        row = []
        for c in range(cols):
            cell = grid.get((r, c))
            if cell is None:
                row.append("")
                continue
            parts = [inline(b.runs, cell=True) for b in cell.blocks
                     if isinstance(b, Paragraph) and b.text.strip()]
            parts += [_table_text(b) for b in cell.blocks if isinstance(b, Table)]
            row.append("<br>".join(p for p in parts if p))
        rows.append(row)
    if not rows or not cols:
        return ""
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * cols]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(line.replace("|  |", "| |") for line in lines)


def _table_text(table: Table) -> str:
    return " ".join(inline(b.runs, cell=True) for c in table.cells for b in c.blocks
                    if isinstance(b, Paragraph) and b.text.strip())


def _has_pictures(table: Table) -> bool:
    return any(isinstance(b, Picture) or (isinstance(b, Table) and _has_pictures(b))
               for c in table.cells for b in c.blocks)


def _unfold(blocks) -> list[Block]:
    """Tables that hold photos (a photo and its caption in cells) -> their contents."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and _has_pictures(block):
            for cell in sorted(block.cells, key=lambda c: (c.row, c.col)):
                out.extend(_unfold(cell.blocks))
        else:
            out.append(block)
    return out


def figure(src: str, caption: str | None) -> str:
    """A photo with its caption: one raw HTML block, every text escaped."""
    alt = _CAPTION.sub("", caption).strip() if caption else ""
    lines = ["<figure>", f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">']
    if caption:
        lines.append(f"<figcaption>{html.escape(caption)}</figcaption>")
    lines.append("</figure>")
    return "\n".join(lines)


def body_markdown(blocks) -> tuple[str, list[Picture], list[str | None], list[str]]:
    """The body blocks -> Markdown with picture marks, the pictures, their captions,
    and the names of pictures left out (formats browsers cannot show)."""
    blocks = _unfold(blocks)
    pictures: list[Picture] = []
    captions: list[str | None] = []
    skipped: list[str] = []
    taken: set[int] = set()
    for index, block in enumerate(blocks):
        if not isinstance(block, Picture):
            continue
        caption = None
        for step in (1, -1):
            j = index + step
            while 0 <= j < len(blocks) and isinstance(blocks[j], Paragraph) \
                    and not blocks[j].text.strip():
                j += step
            if 0 <= j < len(blocks) and j not in taken and isinstance(blocks[j], Paragraph) \
                    and _CAPTION.match(blocks[j].text) and re.search(r"사\s*진", blocks[j].text[:8]):
                caption = " ".join(blocks[j].text.split())
                taken.add(j)
                break
        if not block.extension:
            skipped.append(block.stored_as)
            continue
        pictures.append(block)
        captions.append(caption)

    out: list[str] = []
    list_open = False
    attached = False
    picture_number = 0

    def add(text: str, item: bool = False):
        nonlocal list_open
        if item and list_open:
            out[-1] += "\n" + text
        else:
            out.append(text)
        list_open = item

    for index, block in enumerate(blocks):
        if index in taken:
            continue
        if isinstance(block, Picture):
            if block.extension:
                add(f"\x00{picture_number}\x00")
                picture_number += 1
            continue
        if isinstance(block, Table):
            attached = False
            table = _table(block)
            if table:
                add(table)
            continue
        plain = " ".join(block.text.split())
        if not plain:
            list_open = False
            attached = False
            continue
        if _BANNER.match(plain) or _BOILERPLATE.search(plain):
            continue
        runs = list(block.runs)
        lead = len(block.text) - len(block.text.lstrip())
        runs = _cut(runs, lead)
        text_now = "".join(r.text for r in runs)
        match = _ATTACHED.match(text_now)
        if match:
            out.append("**붙임**")
            list_open = False
            attached = True
            runs = _cut(runs, match.end())
            text_now = "".join(r.text for r in runs)
            if not text_now.strip():
                continue
        if attached:
            end = _END.search(text_now)
            if end:
                runs = _cut_end(runs, len(text_now) - end.start())
                text_now = "".join(r.text for r in runs)
            number = _NUMBERED.match(text_now)
            content = inline(_cut(runs, number.end()) if number else runs)
            marker = f"{number.group(1)}." if number else "-"
            add(f"{marker} {escape_start(content)}", item=True)
            if end:
                attached = False
            continue
        if block.bullet == "bullet":
            add("  " * min(block.level, 3) + "- " + escape_start(inline(runs)), item=True)
            continue
        if block.bullet == "number":
            add("  " * min(block.level, 3) + "1. " + escape_start(inline(runs)), item=True)
            continue
        for pattern, kind, level in _MARKS:
            found = pattern.match(text_now)
            if found:
                content = escape_start(inline(_cut(runs, found.end())))
                if kind == "paragraph":
                    add(content)
                else:
                    depth = "  " if (level == 2 and list_open) else ""
                    add(f"{depth}- {content}", item=True)
                break
        else:
            if _NOTE.match(text_now) and list_open:
                out[-1] += "\n\n  " + escape_start(inline(runs))
            else:
                add(escape_start(inline(runs)))
    return "\n\n".join(out) + "\n", pictures, captions, skipped


def with_pictures(body: str, sources: list[str], captions) -> str:
    """The body with each picture mark replaced by its figure."""
    def replace(match: re.Match) -> str:
        number = int(match.group(1))
        return figure(sources[number], captions[number])
    return re.sub(r"\x00(\d+)\x00", replace, body)
