"""Read a Hancom document (HWPX, or binary HWP 5.0) into plain blocks: paragraphs, tables
and pictures in the order they stand in the document.

Stage: import (reading documents). May import: stdlib, lxml, hwpx, errors.

python-hwpx converts an HWP 5.0 file into the HWPX form (OWPML XML in a zip), so both
formats are read by one reader of that XML. The reader is ours rather than the library's
document model because the importer needs what the model leaves out or hides: the
paragraph's bullet mark (defined in the paragraph style), run sizes, tables and pictures
in document order, and a reading that is bounded for untrusted files.

Documents are untrusted. Before any XML is parsed the file's size, the zip's entry count
and every part's declared size are checked (a part can never inflate beyond its declared
size: zipfile stops there and fails the CRC); XML with a DOCTYPE is refused, and entities
are never resolved nor anything fetched. Reading then runs in a forked child process with
a memory and CPU limit, so a damaged OLE file that loops or a bomb inside an HWP stream
ends as a clear error, not a hung or swapping import.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import resource
import select
import signal
import zipfile
from dataclasses import dataclass
from typing import Callable, Union

from .errors import SiteError, say

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""Larger files are refused at once: a press release with its photos is a few MB."""
MAX_PART_BYTES = 64 * 1024 * 1024
"""What any one part of an HWPX package may inflate to."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_PARTS = 4096
CHILD_MEMORY = 2 * 1024 * 1024 * 1024
CHILD_CPU_SECONDS = 60
CHILD_WALL_SECONDS = 120

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
ZIP_MAGIC = b"PK\x03\x04"

HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
HH = "{http://www.hancom.co.kr/hwpml/2011/head}"
HC = "{http://www.hancom.co.kr/hwpml/2011/core}"
OPF = "{http://www.idpf.org/2007/opf/}"

WEB_PICTURES = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "gif": "gif", "webp": "webp"}
"""Picture formats a browser shows, by the extension the document stores them under."""


class HancomError(SiteError):
    """A document that cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool
    size: int
    """The character height in 1/100 pt (1000 is 10 pt)."""


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    bullet: str | None = None
    """'bullet' or 'number' when the paragraph style draws a mark the text does not hold."""
    level: int = 0

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Picture:
    data: bytes
    extension: str
    """The extension of its format ('png', 'jpg'…), or '' when a browser cannot show it."""
    stored_as: str
    """The name the document gives it (BinData/image1.bmp): for messages only."""


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    blocks: tuple["Block", ...]

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.blocks if isinstance(b, Paragraph) and b.text.strip())


@dataclass(frozen=True)
class Table:
    rows: int
    cols: int
    cells: tuple[Cell, ...]


Block = Union[Paragraph, Table, Picture]


@dataclass(frozen=True)
class Document:
    kind: str
    """'hwpx' or 'hwp'."""
    blocks: tuple[Block, ...]


# -- opening ---------------------------------------------------------------------------


def read_document(data: bytes) -> Document:
    """The blocks of a document's body, read in a child process with limits."""
    refuse_size(len(data))
    if data.startswith(OLE_MAGIC):
        return _isolated(_read_hwp, data)
    if data.startswith(ZIP_MAGIC):
        return _isolated(_read_hwpx, data)
    raise HancomError(say("this is not a Hancom document (HWPX or HWP 5.0); open it in "
                          "Hancom Office and save it as .hwpx or .hwp"))


def refuse_size(size: int) -> None:
    """HancomError when a file of `size` bytes is larger than a document may be."""
    if size > MAX_DOCUMENT_BYTES:
        raise HancomError(say("the file is {size} MB, more than the {limit} MB a document "
                              "may have; save its pictures smaller or import it in parts",
                              size=size // (1024 * 1024),
                              limit=MAX_DOCUMENT_BYTES // (1024 * 1024)))


def _read_hwp(data: bytes) -> Document:
    import warnings

    from hwpx.errors import Hwp5Error
    from hwpx.hwp5.package import convert, to_hwpx_bytes

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            converted = convert(data)
            package = to_hwpx_bytes(converted.files)
    except Hwp5Error as exc:
        code = getattr(exc, "code", "")
        if code == "hwp5-password":
            raise HancomError(say("the document is password-protected; open it in Hancom "
                                  "Office, remove the password (보안 > 문서 암호 해제) and save "
                                  "it again")) from None
        if code in ("hwp5-distribution", "hwp5-drm"):
            raise HancomError(say("the document is distribution-protected (배포용 문서): its "
                                  "text is encrypted; save it again without 배포용 protection "
                                  "(or ask its author for the original)")) from None
        if code in ("hwp5-not-hwp5", "hwp5-version-unsupported"):
            raise HancomError(say("this is not an HWP 5.0 document; open it in Hancom Office "
                                  "and save it as .hwpx or .hwp")) from None
        raise HancomError(say("the HWP file is damaged ({detail}); open it in Hancom Office "
                              "and save it again", detail=str(exc)[:200])) from None
    document = _read_hwpx(package)
    return Document("hwp", document.blocks)


def _read_hwpx(data: bytes) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise HancomError(say("the HWPX file is damaged (not a readable zip); open it in "
                              "Hancom Office and save it again")) from None
    if len(entries) > MAX_PARTS:
        raise HancomError(say("the HWPX file has {count} parts, more than a document has; "
                              "it is damaged or not a document", count=len(entries)))
    total = 0
    for entry in entries:
        if entry.file_size > MAX_PART_BYTES:
            raise HancomError(say("a part of the HWPX file ({name}) would inflate to {size} "
                                  "MB; it is damaged or not a document",
                                  name=entry.filename[:80],
                                  size=entry.file_size // (1024 * 1024)))
        total += entry.file_size
    if total > MAX_TOTAL_BYTES:
        raise HancomError(say("the HWPX file would inflate to {size} MB; it is damaged or not "
                              "a document", size=total // (1024 * 1024)))
    names = {entry.filename for entry in entries}

    def part(name: str) -> bytes:
        try:
            # read(n), not read(): zipfile's read() inflates up to 2 GB at once before
            # it cuts a part to its declared size and finds the CRC wrong.
            with archive.open(name) as stream:
                return stream.read(archive.getinfo(name).file_size)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError,
                NotImplementedError, RuntimeError):
            raise HancomError(say("the HWPX file is damaged (its part {name} cannot be "
                                  "read); open it in Hancom Office and save it again",
                                  name=name[:80])) from None

    manifest = part("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    if b"encryption-data" in manifest:
        raise HancomError(say("the document is protected (a password or 배포용 protection "
                              "encrypts its text); open it in Hancom Office and save it "
                              "again without the protection"))
    if "Contents/content.hpf" not in names or "Contents/header.xml" not in names:
        raise HancomError(say("the zip is not an HWPX document (it has no Contents/"
                              "content.hpf); open it in Hancom Office and save it as .hwpx"))
    package = _xml(part("Contents/content.hpf"), "Contents/content.hpf")
    items = {item.get("id"): (item.get("href") or "", item.get("media-type") or "")
             for item in package.iter(OPF + "item")}
    sections = [items[ref.get("idref")][0] for ref in package.iter(OPF + "itemref")
                if ref.get("idref") in items
                and re.fullmatch(r"Contents/section\d+\.xml", items[ref.get("idref")][0])]
    if not sections:
        sections = sorted((n for n in names if re.fullmatch(r"Contents/section\d+\.xml", n)),
                          key=lambda n: int(re.sub(r"\D", "", n)))
    styles = _Styles(_xml(part("Contents/header.xml"), "Contents/header.xml"))

    def picture(ref: str) -> Picture | None:
        href = items.get(ref, ("", ""))[0]
        if not href:
            candidates = [n for n in names if n.startswith(f"BinData/{ref}.")]
            href = candidates[0] if candidates else ""
        if href not in names:
            return None
        extension = href.rsplit(".", 1)[-1].lower() if "." in href else ""
        return Picture(part(href), WEB_PICTURES.get(extension, ""), href)

    reader = _SectionReader(styles, picture)
    blocks: list[Block] = []
    for name in sections:
        if name in names:
            blocks.extend(reader.blocks(_xml(part(name), name)))
    return Document("hwpx", tuple(blocks))


def _xml(data: bytes, name: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise HancomError(say("the HWPX file is damaged (its part {name} is not well-formed "
                              "XML); open it in Hancom Office and save it again",
                              name=name)) from None
    if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
        raise HancomError(say("the HWPX file's part {name} declares a DOCTYPE, which Hancom "
                              "documents never do; it is not a document to import",
                              name=name))
    return root


# -- the body --------------------------------------------------------------------------


class _Styles:
    """Character sizes and boldness, and the bullets paragraph styles draw."""

    def __init__(self, header):
        self.chars: dict[str, tuple[int, bool]] = {}
        for char in header.iter(HH + "charPr"):
            try:
                height = int(char.get("height") or 1000)
            except ValueError:
                height = 1000
            self.chars[char.get("id")] = (height, char.find(HH + "bold") is not None)
        self.paras: dict[str, tuple[str | None, int]] = {}
        for para in header.iter(HH + "paraPr"):
            heading = para.find(HH + "heading")
            kind = heading.get("type") if heading is not None else None
            try:
                level = int(heading.get("level") or 0) if heading is not None else 0
            except ValueError:
                level = 0
            self.paras[para.get("id")] = ({"BULLET": "bullet", "NUMBER": "number"}.get(kind),
                                          level)


_SPACES = {"tab": " ", "lineBreak": "\n", "fwSpace": " ", "nbSpace": " "}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class _SectionReader:
    """Walks a section's XML: paragraphs, and the tables and pictures inside their runs."""

    def __init__(self, styles: _Styles, picture: Callable[[str], Picture | None]):
        self.styles = styles
        self.picture = picture

    def blocks(self, container, depth: int = 0) -> list[Block]:
        out: list[Block] = []
        for paragraph in container.iterchildren(HP + "p"):
            out.extend(self._paragraph(paragraph, depth))
        return out

    def _paragraph(self, element, depth: int) -> list[Block]:
        bullet, level = self.styles.paras.get(element.get("paraPrIDRef"), (None, 0))
        out: list[Block] = []
        runs: list[Run] = []

        def flush():
            if runs:
                out.append(Paragraph(tuple(runs), bullet, level))
                runs.clear()

        for run in element.iterchildren(HP + "run"):
            size, bold = self.styles.chars.get(run.get("charPrIDRef"), (1000, False))
            for child in run:
                tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
                if tag == "t":
                    text = _text(child)
                    if text:
                        runs.append(Run(text, bold, size))
                elif tag == "tbl" and depth < 8:
                    flush()
                    out.append(self._table(child, depth + 1))
                elif tag in ("pic", "container") and depth < 8:
                    for image in child.iter(HC + "img"):
                        found = self.picture(image.get("binaryItemIDRef") or "")
                        if found is not None:
                            flush()
                            out.append(found)
                # secPr, ctrl (page headers and footers, page numbers, notes), shapes: not
                # part of the text residents read.
        flush()
        if not out:
            out.append(Paragraph((), bullet, level))
        return out

    def _table(self, element, depth: int) -> Table:
        cells = []
        for row_index, row in enumerate(element.iterchildren(HP + "tr")):
            for col_index, cell in enumerate(row.iterchildren(HP + "tc")):
                address = cell.find(HP + "cellAddr")
                span = cell.find(HP + "cellSpan")
                r = _number(address, "rowAddr", row_index)
                c = _number(address, "colAddr", col_index)
                rows = max(1, min(_number(span, "rowSpan", 1), 1000))
                cols = max(1, min(_number(span, "colSpan", 1), 1000))
                blocks: list[Block] = []
                for sub in cell.iterchildren(HP + "subList"):
                    blocks.extend(self.blocks(sub, depth))
                cells.append(Cell(r, c, rows, cols, tuple(blocks)))
        rows = max([c.row + c.rowspan for c in cells], default=0)
        cols = max([c.col + c.colspan for c in cells], default=0)
        return Table(rows, cols, tuple(cells))


def _number(element, attribute: str, default: int) -> int:
    if element is None:
        return default
    try:
        return max(0, int(element.get(attribute) or default))
    except ValueError:
        return default


def _text(element) -> str:
    pieces = [element.text or ""]
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        pieces.append(_SPACES.get(tag, ""))
        pieces.append(child.tail or "")
    return _CONTROL.sub("", "".join(pieces))


# -- the child process -----------------------------------------------------------------


def _isolated(function: Callable[[bytes], Document], data: bytes) -> Document:
    """`function(data)` in a forked child with memory and CPU limits; its result or its
    HancomError comes back pickled through a pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's side is seen through its result
        os.close(read_end)
        status = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
            resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS))
            try:
                result: object = ("ok", function(data))
            except HancomError as exc:
                result = ("error", exc.text)
            except MemoryError:
                result = ("memory", None)
            except RecursionError:
                result = ("damaged", "nesting too deep")
            except Exception as exc:  # a damaged file the library did not foresee
                result = ("damaged", f"{type(exc).__name__}: {str(exc)[:160]}")
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        except BaseException:
            status = 1
        os._exit(status)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = CHILD_WALL_SECONDS
    try:
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                ready, _, _ = select.select([pipe], [], [], deadline)
                if not ready:
                    os.kill(pid, signal.SIGKILL)
                    break
                chunk = os.read(pipe.fileno(), 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        _, status = os.waitpid(pid, 0)
    if not chunks:
        raise HancomError(say("reading the document took too long or too much memory; it "
                              "is damaged or not a document; open it in Hancom Office and "
                              "save it again"))
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "ok":
        return value
    if kind == "error":
        raise HancomError(value)
    if kind == "memory":
        raise HancomError(say("reading the document took too much memory; it is damaged "
                              "or not a document; open it in Hancom Office and save it "
                              "again"))
    raise HancomError(say("the document is damaged ({detail}); open it in Hancom Office "
                          "and save it again", detail=value))
