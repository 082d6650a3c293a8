"""`build.py import` with hostile documents: each ends as a clear error naming the file (exit
status 1, nothing written anywhere under content/) or as a safe import, never a traceback.

Every document is generated here, in tmp_path: a valid press release written with
python-hwpx, then taken apart and put back together wrong (a hand-written zip, a hand-written
compound file) to be what an attacker or a damaged disk would hand the import.
"""

from __future__ import annotations

import html
import http.server
import io
import os
import re
import struct
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_SITE, NOW, ROOT, Page, run_build, snapshot
from site_builder import hancom, hancom_notice
from site_builder.hancom import Cell, Document, HancomError, Paragraph, Run, Table
from site_builder.markdown import render_markdown

NOW_ARG = NOW.isoformat()
TITLE = "추진지원단 운영 협약 체결"
SLUG = "chujinjiwondan-unyeong-hyeobyak-chegyeol"
HEADER = [("담당부서", "복지정책과", "제공일자", "2016. 5. 3.(화)"),
          ("과 장", "박정숙 (02-330-1280)", "보도일자", "2016. 5. 3.(화) 12:00"),
          ("담당자", "신윤경 (02-330-1629)", "총 매수", "총 1매")]
SECTION = "Contents/section0.xml"


# -- documents -------------------------------------------------------------------------


def png() -> bytes:
    """A 1x1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def press_hwpx(path: Path, body=("□ 서대문구는 협약을 맺었다.",), title: str = TITLE,
               picture: bool = False, caption: str = "[사진 1] 협약식", table=None) -> Path:
    """A district press release: header table, bold title, body lines; optionally a photo
    with its caption and a data table."""
    from hwpx import HwpxDocument

    doc = HwpxDocument.new()
    doc.paragraphs[0].text = "보 도 자 료"
    header = doc.add_table(len(HEADER), 4)
    for r, row in enumerate(HEADER):
        for c, text in enumerate(row):
            header.set_cell_text(r, c, text)
    doc.add_paragraph("").add_run(title, bold=True, size=18)
    for line in body:
        doc.add_paragraph(line)
    if table:
        grid = doc.add_table(len(table), len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.set_cell_text(r, c, text)
    if picture:
        doc.add_picture(png(), "png")
        doc.add_paragraph(caption)
    doc.save_to_path(str(path))
    return path


def parts(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def zip_bytes(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand from (name, stored bytes, method, crc, declared size): what it
    declares need not be true."""
    out = io.BytesIO()
    central = []
    for name, stored, method, crc, size in entries:
        encoded = name.encode("utf-8")
        offset = out.tell()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0x800, method, 0, 0x21,
                              crc, len(stored), size, len(encoded), 0) + encoded + stored)
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0x800,
                                   method, 0, 0x21, crc, len(stored), size, len(encoded),
                                   0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central),
                          out.tell() - start, start, 0))
    return out.getvalue()


def repack(files: dict[str, bytes], extra: list[tuple[str, bytes, int, int, int]] = ()) -> bytes:
    entries = [(name, data, 0, zlib.crc32(data), len(data)) if name == "mimetype"
               else (name, deflate(data), 8, zlib.crc32(data), len(data))
               for name, data in files.items()]
    return zip_bytes(entries + list(extra))


def zeros_bomb(megabytes: int) -> tuple[bytes, int]:
    """A raw deflate stream of `megabytes` MB of zeros, built from one compressed MB
    repeated (a full flush makes each block start afresh), and its CRC."""
    mb = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(mb) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(mb) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == again
    crc = 0
    view = memoryview(mb)
    for _ in range(megabytes):
        crc = zlib.crc32(view, crc)
    return block * megabytes + compressor.flush(), crc


# -- running the import as a user does ---------------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, target)
    return target


def import_files(content: Path, *files: Path, cwd: Path | None = None):
    cwd = cwd or content.parent / "cwd"
    cwd.mkdir(exist_ok=True)
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "import", "--lang", "en",
                           "--content", str(content), "--now", NOW_ARG, *map(str, files)],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def refused(content: Path, document: Path, *words: str) -> str:
    """Import `document`: exit 1, its name and `words` in the error, and not one file or
    folder added or changed under content/ (nor in the working directory)."""
    before = snapshot(content, "digest", folders=True)
    result = import_files(content, document)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    error = " ".join(result.stderr.split())
    assert f"error: {document}:" in error, error
    for word in words:
        assert word in error, error
    assert re.search(r"open it in Hancom Office|save it|import it|split it|not a document",
                     error), error
    assert snapshot(content, "digest", folders=True) == before
    assert not any((content.parent / "cwd").iterdir())
    assert "Imported 0 of 1 documents" in result.stdout
    return error


def imported(content: Path, document: Path, cwd: Path | None = None) -> Path:
    result = import_files(content, document, cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.splitlines()[0])


def all_text_under(root: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


# -- zip bombs ---------------------------------------------------------------------------


BOMB_MB = 2048


@pytest.fixture(scope="module")
def bomb() -> tuple[bytes, int]:
    return zeros_bomb(BOMB_MB)


def test_a_part_that_says_it_inflates_to_gigabytes_is_refused_before_reading(
        tmp_path, content, bomb):
    stream, crc = bomb
    files = parts(press_hwpx(tmp_path / "press.hwpx"))
    document = tmp_path / "bomb.hwpx"
    document.write_bytes(repack(files, [("BinData/image9.png", stream, 8, crc,
                                         BOMB_MB << 20)]))
    error = refused(content, document, "BinData/image9.png", f"would inflate to {BOMB_MB} MB")
    assert "too much memory" not in error


def test_a_part_that_lies_about_its_size_is_read_only_as_far_as_it_says(
        tmp_path, content, bomb):
    stream, crc = bomb
    files = parts(press_hwpx(tmp_path / "press.hwpx"))
    section = files.pop(SECTION)
    document = tmp_path / "liar.hwpx"
    document.write_bytes(repack(files, [(SECTION, stream, 8, zlib.crc32(section),
                                         len(section))]))
    error = refused(content, document, f"its part {SECTION} cannot be read")
    assert "too much memory" not in error


def test_parts_that_together_inflate_too_far_are_refused(tmp_path, content):
    stream, crc = zeros_bomb(60)
    files = parts(press_hwpx(tmp_path / "press.hwpx"))
    document = tmp_path / "many.hwpx"
    document.write_bytes(repack(files, [(f"BinData/image{n}.png", stream, 8, crc, 60 << 20)
                                        for n in range(5)]))
    refused(content, document, "would inflate to", "MB")


def test_a_zip_of_thousands_of_parts_is_refused(tmp_path, content):
    files = parts(press_hwpx(tmp_path / "press.hwpx"))
    files |= {f"BinData/x{n}.bin": b"" for n in range(5000)}
    document = tmp_path / "parts.hwpx"
    document.write_bytes(repack(files))
    refused(content, document, "parts")


# -- XML: entities, DTDs, billion laughs ------------------------------------------------------


class _Witness(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the handler's name
        _Witness.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"FETCHED-SECRET")

    def log_message(self, *args):
        pass


@pytest.fixture
def witness():
    """A web server that records every request: an entity must never be fetched."""
    _Witness.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Witness)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def with_doctype(xml: bytes, doctype: str, reference: str | None) -> bytes:
    """`xml` with a DOCTYPE after its declaration, and `reference` put in its first text."""
    declaration, rest = xml.split(b"?>", 1) if xml.startswith(b"<?xml") else (None, xml)
    if reference is not None:
        if b"<hp:t>" in rest:
            rest = rest.replace(b"<hp:t>", b"<hp:t>" + reference.encode(), 1)
        else:
            rest = re.sub(rb"(<opf:title)(/>|>)",
                          lambda m: m.group(1) + b">" + reference.encode()
                          + (b"</opf:title>" if m.group(2) == b"/>" else b""), rest, count=1)
            if reference.encode() not in rest:
                rest = re.sub(rb"(<[^?!][^>]*?)(/?)>", lambda m: m.group(1) + b">"
                              + reference.encode() + (b"</" + m.group(1)[1:].split()[0] + b">"
                                                      if m.group(2) else b""),
                              rest, count=1)
    head = (declaration + b"?>") if declaration is not None else b""
    return head + doctype.encode() + rest


ENTITY_PARTS = [SECTION, "Contents/header.xml", "Contents/content.hpf"]


def root_name(xml: bytes) -> str:
    return re.search(rb"<([A-Za-z][\w.:-]*)", xml.split(b"?>", 1)[-1]).group(1).decode()


@pytest.mark.parametrize("part", ENTITY_PARTS)
@pytest.mark.parametrize("kind", ["file", "http", "external-dtd", "parameter", "laughs"])
def test_entities_and_dtds_are_never_resolved_and_the_document_is_refused(
        tmp_path, content, witness, part, kind):
    secret = tmp_path / "secret.txt"
    secret.write_text("LOCAL-SECRET-7f3a", encoding="utf-8")
    files = parts(press_hwpx(tmp_path / "press.hwpx"))
    root = root_name(files[part])
    doctype, reference = {
        "file": (f'<!DOCTYPE {root} [<!ENTITY a SYSTEM "file://{secret}">'
                 f'<!ENTITY b SYSTEM "file:///etc/passwd">]>', "&a;&b;"),
        "http": (f'<!DOCTYPE {root} [<!ENTITY a SYSTEM "{witness}/entity">]>', "&a;"),
        "external-dtd": (f'<!DOCTYPE {root} SYSTEM "{witness}/x.dtd">', None),
        "parameter": (f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "{witness}/p.dtd"> %p;]>', None),
        "laughs": (f"<!DOCTYPE {root} [<!ENTITY l0 \"lol\">"
                   + "".join(f'<!ENTITY l{n} "{("&l%d;" % (n - 1)) * 10}">' for n in range(1, 10))
                   + "]>", "&l9;"),
    }[kind]
    files[part] = with_doctype(files[part], doctype, reference)
    document = tmp_path / "entities.hwpx"
    document.write_bytes(repack(files))
    error = refused(content, document, part)
    # libxml2 itself refuses the laughs' amplification, before the DOCTYPE is looked at
    assert ("DOCTYPE" if kind != "laughs" else "not well-formed XML") in error
    assert _Witness.requests == []
    written = all_text_under(content)
    assert b"LOCAL-SECRET" not in written and b"root:x:0:0" not in written
    assert b"FETCHED-SECRET" not in written and b"lollollol" not in written


# -- names of embedded pictures ------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../../../escaped.png", "/ABSOLUTE/escaped.png",
                                  "..\\..\\..\\escaped.png", "BinData/../../escaped.png",
                                  "C:\\escaped.png", "BinData/\u202eesc.png"])
def test_pictures_are_written_only_as_photo_n_in_the_notice_folder(tmp_path, content, name):
    name = name.replace("/ABSOLUTE", str(tmp_path))
    files = parts(press_hwpx(tmp_path / "press.hwpx", picture=True))
    image = files.pop("BinData/BIN0001.png")
    files["Contents/content.hpf"] = files["Contents/content.hpf"].replace(
        b'href="BinData/BIN0001.png"', b'href="' + html.escape(name).encode() + b'"')
    files[name] = image
    document = tmp_path / "names.hwpx"
    document.write_bytes(repack(files))
    before = set(snapshot(tmp_path, "digest", folders=True))
    cwd = tmp_path / "deep" / "er" / "cwd"
    cwd.mkdir(parents=True)
    notice = imported(content, document, cwd=cwd)
    folder = content / "static" / "attachments" / "2016" / SLUG
    assert sorted(p.name for p in folder.iterdir()) == [f"{SLUG}.hwpx", "photo-1.png"]
    assert (folder / "photo-1.png").read_bytes() == image
    added = set(snapshot(tmp_path, "digest", folders=True)) - before
    assert added == {"deep/", "deep/er/", "deep/er/cwd/", "content/static/attachments/2016/",
                     f"content/static/attachments/2016/{SLUG}/",
                     f"content/static/attachments/2016/{SLUG}/{SLUG}.hwpx",
                     f"content/static/attachments/2016/{SLUG}/photo-1.png",
                     "content/notices/2016/", f"content/notices/2016/{SLUG}.ko.md"}
    assert f'src="/static/attachments/2016/{SLUG}/photo-1.png"' in notice.read_text("utf-8")
    assert "escaped" not in notice.read_text("utf-8")


# -- OLE compound files (HWP 5.0) --------------------------------------------------------------

ENDOFCHAIN, FREESECT, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def cfb(stream: bytes, *, fat: dict[int, int] | None = None, fat_sectors: int = 1,
        size: int | None = None, cut: int | None = None) -> bytes:
    """A version 3 compound file by hand: sector 0 the FAT, sector 1 the directory (the
    root and one stream, FileHeader), sectors 2.. the stream. `fat` overrides chain links,
    `fat_sectors` the header's count of FAT sectors, `size` the stream's declared size,
    `cut` the file's length."""
    sectors = -(-len(stream) // 512)
    table = [FATSECT, ENDOFCHAIN] + [3 + n for n in range(sectors - 1)] + [ENDOFCHAIN]
    table += [FREESECT] * (128 - len(table))
    for index, target in (fat or {}).items():
        table[index] = target
    difat = [0] + [FREESECT] * 108
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", hancom.OLE_MAGIC, bytes(16), 0x3E, 3,
                         0xFFFE, 9, 6, bytes(6), 0, fat_sectors, 1, 0, 4096, ENDOFCHAIN, 0,
                         ENDOFCHAIN, 0) + struct.pack("<109I", *difat)

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, FREESECT,
                           FREESECT, child, bytes(16), 0, 0, 0, start, length)

    directory = (entry("Root Entry", 5, 1, ENDOFCHAIN, 0)
                 + entry("FileHeader", 2, FREESECT, 2,
                         len(stream) if size is None else size)).ljust(512, b"\0")
    data = (header + struct.pack("<128I", *table) + directory
            + stream.ljust(sectors * 512, b"\0"))
    return data[:cut] if cut is not None else data


def file_header(flags: int = 1) -> bytes:
    return (b"HWP Document File".ljust(32, b"\0")
            + struct.pack("<IIIIB", 0x05000300, flags, 0, 0, 0)).ljust(256, b"\0") * 20


def test_the_hand_made_compound_file_is_read_as_one():
    """The damaged files below differ from this one in one link or count."""
    from hwpx.hwp5.cfb import CompoundFile

    assert CompoundFile(cfb(file_header())).read("FileHeader") == file_header()


@pytest.mark.parametrize("damage", [
    {"fat": {2: 2}},                        # the stream's chain points at itself
    {"fat": {4: 2}},                        # ... loops back after three sectors
    {"fat": {1: 1}},                        # the directory's chain points at itself
    {"cut": 512 * 5},                       # the stream is cut short
    {"size": 0xFFFFFFFF},                   # a 4 GB stream in a 6 kB file
    {"fat": {3: 0x7FFFFFFF}},               # a chain into a sector far past the end
    {"fat_sectors": 0x7FFFFFFF},            # two billion FAT sectors
], ids=["self-loop", "loop", "directory-loop", "truncated", "huge-stream", "far-sector",
        "huge-fat"])
def test_a_damaged_compound_file_is_a_clear_error(tmp_path, content, damage):
    document = tmp_path / "damaged.hwp"
    document.write_bytes(cfb(file_header(), **damage))
    refused(content, document, "damaged")


def hwp_with_flags(tmp_path: Path, flags: int) -> Path:
    """A real .hwp of the press release (python-hwpx writes it), its FileHeader's
    property bits set to `flags`."""
    from hwpx.hwp5.cfb import CompoundFile, build_compound_file, read_all_streams
    from hwpx.hwp5.writer import write_hwp5

    data = write_hwp5(parts(press_hwpx(tmp_path / "press.hwpx")))
    streams = read_all_streams(CompoundFile(data))
    changed = []
    for name, stream in streams:
        if name == "FileHeader":
            stream = stream[:36] + struct.pack("<I", flags) + stream[40:]
        changed.append((name, stream))
    document = tmp_path / f"flags-{flags}.hwp"
    document.write_bytes(build_compound_file(changed))
    return document


def test_the_unprotected_hwp_imports(tmp_path, content):
    notice = imported(content, hwp_with_flags(tmp_path, 1))
    assert notice.name == f"{SLUG}.ko.md"


@pytest.mark.parametrize("flags, words", [
    (1 | 2, ["password-protected", "remove the password"]),
    (1 | 4, ["distribution-protected", "without 배포용 protection"]),
    (1 | 16, ["distribution-protected"]),
], ids=["password", "distribution", "drm"])
def test_a_protected_hwp_is_refused_with_what_to_do(tmp_path, content, flags, words):
    refused(content, hwp_with_flags(tmp_path, flags), *words)


def test_a_protected_hwpx_is_refused_with_what_to_do(tmp_path, content):
    files = parts(press_hwpx(tmp_path / "press.hwpx"))
    files["META-INF/manifest.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><odf:manifest xmlns:odf="urn:oasis:names:tc:'
        b'opendocument:xmlns:manifest:1.0"><odf:file-entry odf:full-path="Contents/section0.xml"'
        b' odf:media-type="application/xml" odf:size="12073"><odf:encryption-data odf:checksum-'
        b'type="SHA1" odf:checksum="AAAA"><odf:algorithm odf:algorithm-name="AES" odf:init'
        b'ialisation-vector="AAAA"/><odf:key-derivation odf:key-derivation-name="PBKDF2" odf:'
        b'iteration-count="1024" odf:salt="AAAA"/></odf:encryption-data></odf:file-entry>'
        b'</odf:manifest>')
    files[SECTION] = os.urandom(2048)
    document = tmp_path / "locked.hwpx"
    document.write_bytes(repack(files))
    refused(content, document, "protected", "without the protection")


# -- files that are not documents, or damaged ------------------------------------------------


def test_a_truncated_hwpx_is_a_clear_error(tmp_path, content):
    data = press_hwpx(tmp_path / "press.hwpx").read_bytes()
    document = tmp_path / "cut.hwpx"
    document.write_bytes(data[:len(data) // 2])
    refused(content, document, "damaged")


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n" + b"x" * 100,
                                  "보도자료 담당부서 복지정책과".encode(), b"PK\x03\x04",
                                  hancom.OLE_MAGIC, b"PK\x05\x06" + bytes(18)],
                         ids=["empty", "pdf", "text", "zip-magic-only", "ole-magic-only",
                              "empty-zip"])
def test_a_file_that_is_not_a_document_is_a_clear_error(tmp_path, content, data):
    document = tmp_path / "not-a-document.hwpx"
    document.write_bytes(data)
    refused(content, document)


def test_a_zip_that_is_not_hwpx_is_a_clear_error(tmp_path, content):
    document = tmp_path / "report.hwpx"
    document.write_bytes(repack({"word/document.xml": b"<w:document/>"}))
    refused(content, document, "not an HWPX document")


def test_a_200_mb_document_is_refused_by_its_size(tmp_path, content):
    document = tmp_path / "big.hwpx"
    with document.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(200 << 20)
    refused(content, document, "200 MB", "64 MB")


def test_a_document_larger_than_memory_is_refused_by_its_size(tmp_path, content):
    """A sparse terabyte: read whole, it would end in a MemoryError."""
    document = tmp_path / "huge.hwpx"
    with document.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(1 << 40)
    refused(content, document, "1048576 MB")


def test_an_endless_file_is_refused_after_the_size_a_document_may_have(tmp_path, content):
    document = tmp_path / "zeros.hwpx"
    document.symlink_to("/dev/zero")
    refused(content, document, "not a Hancom document")


def test_a_megabyte_of_text_on_one_line_is_refused_with_what_to_do(tmp_path, content):
    document = press_hwpx(tmp_path / "long.hwpx", body=["□ " + "가나다라 마바사 " * 116_000])
    refused(content, document, "characters", "split it into several notices")


def test_a_long_line_within_the_limit_imports_and_builds(tmp_path, content):
    line = "서대문구 " * 18_000
    notice = imported(content, press_hwpx(tmp_path / "long.hwpx", body=["□ " + line]))
    assert line.strip() in notice.read_text("utf-8")
    result = run_build("--content", str(content), "--output", str(tmp_path / "out"),
                       "--now", NOW_ARG, "--drafts")
    assert result.returncode == 0, result.stderr


# -- script and HTML in the document's text ----------------------------------------------

HOSTILE_LINES = ["<script>alert(1)</script> 스크립트",
                 "<img src=x onerror=alert(1)> 그림",
                 "[클릭](javascript:alert(1)) 링크",
                 "**굵게 아님** 별표 | 세로줄 | &amp; &lt;b&gt; 엔티티",
                 "<a href=\"javascript:alert(2)\">a</a> &#106;avascript:alert(3)",
                 "# 제목 아님", "1. 번호 아님", "> 인용 아님", "<!-- 주석 --> 끝"]


def visible_text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_script_and_html_in_the_text_are_shown_literally_after_import_and_build(
        tmp_path, content):
    document = press_hwpx(
        tmp_path / "xss.hwpx", title="<script>alert('t')</script> 제목 & <b>굵게</b>",
        body=["□ " + line for line in HOSTILE_LINES] + HOSTILE_LINES, picture=True,
        caption='[사진 1] "><script>alert(4)</script> <img src=x onerror=alert(5)>',
        table=[["구분", "<script>alert(6)</script>"], ["a | b", "[x](javascript:alert(7))"]])
    imported(content, document)
    result = run_build("--content", str(content), "--output", str(tmp_path / "out"),
                       "--now", NOW_ARG, "--drafts")
    assert result.returncode == 0, result.stderr
    pages = list((tmp_path / "out" / "ko" / "notices" / "2016").rglob("index.html"))
    assert len(pages) == 1
    page = pages[0].read_text("utf-8")
    main = page[page.index("<main"):page.index("</main>")]
    shown = visible_text(main)
    for line in HOSTILE_LINES:
        assert " ".join(line.split()) in shown, line
    assert "<script>alert('t')</script> 제목 & <b>굵게</b>" in shown
    assert '"><script>alert(4)</script> <img src=x onerror=alert(5)>' in shown
    assert "<script>alert(6)</script>" in shown and "[x](javascript:alert(7))" in shown
    tags = Tags(page)
    assert not [a for a in tags.attributes if a[0].startswith("on")]
    assert not [a for a in tags.attributes if a[0] in ("href", "src", "action", "formaction")
                and "javascript" in re.sub(r"[\s\x00-\x1f]", "", a[1]).lower()]
    assert tags.scripts == [] and "b" not in tags.names


class Tags(Page):
    """Every attribute, the elements' names, and the scripts of a page (JSON-LD aside)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.names = {e.tag for e in self.elements}
        self.attributes = [(name, value or "") for e in self.elements for name, value in e.pairs]
        self.scripts = [s.pairs for s in self.find("script")
                        if s.attrs.get("type") != "application/ld+json"]


# -- the reading child's limits ---------------------------------------------------------------


def _spin(data: bytes):
    while True:
        pass


def _hog(data: bytes):
    return [bytes(1 << 20) for _ in range(100_000)]


def _sleep(data: bytes):
    import time

    time.sleep(600)


def _crash(data: bytes):
    raise struct.error("unpack requires a buffer of 4 bytes")


@pytest.mark.parametrize("function, limit", [(_spin, "CHILD_CPU_SECONDS"),
                                             (_hog, "CHILD_MEMORY"),
                                             (_sleep, "CHILD_WALL_SECONDS"),
                                             (_crash, None)])
def test_a_reader_that_loops_or_swells_ends_as_a_clear_error(monkeypatch, function, limit):
    """What guards against a damaged file the OLE and zip readers did not foresee."""
    monkeypatch.setattr(hancom, "CHILD_CPU_SECONDS", 1)
    monkeypatch.setattr(hancom, "CHILD_MEMORY", 512 << 20)
    monkeypatch.setattr(hancom, "CHILD_WALL_SECONDS", 2 if limit == "CHILD_WALL_SECONDS" else 60)
    with pytest.raises(HancomError) as error:
        hancom._isolated(function, b"")
    assert "save it again" in str(error.value.text)


# -- Hypothesis: the header table and the body's escaping -----------------------------------

LABEL_WORDS = sorted({label for labels in hancom_notice.LABELS.values() for label in labels})
cell_text = st.one_of(
    st.sampled_from(LABEL_WORDS),
    st.sampled_from(["담 당 자", "과 장", "담당부서:", "박정숙 주무관(02-330-1280)",
                     "2016. 5. 3.(화) 12:00", "배포 즉시", "조간(온라인 9. 3. 12:00)부터",
                     "☎ 1588-1234", "+82 2 330 1280", ""]),
    st.builds(lambda a, b: f"{a}: {b}", st.sampled_from(LABEL_WORDS), st.text(max_size=20)),
    st.text(max_size=30))


@st.composite
def tables(draw) -> Table:
    rows, cols = draw(st.integers(0, 6)), draw(st.integers(0, 5))
    cells = []
    for r in range(rows):
        for c in range(cols):
            if draw(st.booleans()) and draw(st.booleans()):
                continue  # a cell covered by a span, or missing
            texts = draw(st.lists(cell_text, max_size=3))
            blocks = tuple(Paragraph(tuple(Run(t, draw(st.booleans()), 1000) for t in
                                           draw(st.lists(st.just(text), min_size=1,
                                                         max_size=1))))
                           for text in texts)
            cells.append(Cell(draw(st.integers(0, rows + 2)) if draw(st.booleans()) else r,
                              draw(st.integers(0, cols + 2)) if draw(st.booleans()) else c,
                              draw(st.integers(1, 4)), draw(st.integers(1, 4)), blocks))
    return Table(max([x.row + x.rowspan for x in cells], default=0),
                 max([x.col + x.colspan for x in cells], default=0), tuple(cells))


def _found_in(value: str, texts: list[str]) -> bool:
    return all(any(word in text for text in texts) for word in value.split())


FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST
@given(tables())
def test_the_header_reader_returns_only_text_found_in_the_cells(table):
    header = hancom_notice.read_header(table)
    texts = [cell.text for cell in table.cells]
    for entry in header.entries:
        assert entry.field in hancom_notice.LABELS
        assert _found_in(entry.label, texts) and _found_in(entry.value, texts)


paragraph_text = st.one_of(cell_text, st.text(max_size=40))


@FAST
@given(st.lists(tables(), min_size=1, max_size=3),
       st.lists(st.tuples(paragraph_text, st.booleans(), st.sampled_from([1000, 1800])),
                max_size=8))
def test_the_notice_reader_raises_only_not_a_press_release_and_invents_nothing(
        header_tables, paragraphs):
    blocks = list(header_tables) + [Paragraph((Run(t, b, s),)) for t, b, s in paragraphs]
    try:
        notice = hancom_notice.read_notice(Document("hwpx", tuple(blocks)))
    except hancom_notice.NotAPressRelease as refusal:
        assert str(refusal.text)
        return
    cells = [cell.text for table in header_tables for cell in table.cells]
    lines = [text for text, _, _ in paragraphs]
    assert _found_in(notice.title, lines + cells)
    for subtitle in notice.subtitles:
        assert _found_in(subtitle, lines)
    assert notice.department_text is None or _found_in(notice.department_text, cells)
    digits = [re.sub(r"\D", "", text) for text in cells]
    for contact in notice.contacts:
        assert _found_in(contact.name, cells)
        if contact.phone:
            assert any(re.sub(r"\D", "", contact.phone).lstrip("0") in d for d in digits)


printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
                    min_size=1, max_size=60)
markdown_punctuation = st.lists(st.sampled_from(
    list("*_`[]()<>!&#;|\\~-+=.:/\"' 1aA가x") + ["&amp;", "&#65;", "<b>", "](", "javascript:",
                                               "http://x", "<!--", "**", "~~"]),
    min_size=1, max_size=30).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.one_of(printable, markdown_punctuation,
                 st.lists(markdown_punctuation, min_size=1, max_size=4).map("".join)))
def test_escaped_text_renders_as_exactly_the_text(text):
    markdown = hancom_notice.escape_start(hancom_notice.escape_text(" ".join(text.split())))
    if not markdown.strip():
        return
    assert visible_text(render_markdown(markdown + "\n")) == " ".join(text.split())


def test_hostile_documents_in_a_batch_leave_the_good_one_imported(tmp_path, content):
    good = press_hwpx(tmp_path / "good.hwpx")
    files = parts(press_hwpx(tmp_path / "press.hwpx", title="다른 보도자료 제목"))
    root = root_name(files[SECTION])
    files[SECTION] = with_doctype(files[SECTION], f'<!DOCTYPE {root} [<!ENTITY a SYSTEM '
                                  f'"file:///etc/passwd">]>', "&a;")
    bad = tmp_path / "entities.hwpx"
    bad.write_bytes(repack(files))
    empty = tmp_path / "empty.hwp"
    empty.write_bytes(b"")
    result = import_files(content, bad, good, empty)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.splitlines()[0] == str(content / "notices" / "2016" / f"{SLUG}.ko.md")
    assert "Imported 1 of 3 documents" in result.stdout
    assert f"error: {bad}:" in result.stderr and f"error: {empty}:" in result.stderr
    assert sorted(p.name for p in (content / "notices" / "2016").iterdir()) == [f"{SLUG}.ko.md"]
    assert b"root:x:0:0" not in all_text_under(content)
