"""Press releases written as Hancom documents by python-hwpx, for the import tests.

Offices lay out the header table differently (a district's 4-column table, a ministry's
보도일시/배포일시 rows and its contacts table at the end), so the tests build each layout
they need instead of keeping one file per case.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from hwpx import HwpxDocument

DISTRICT_HEADER = [
    ("담당부서", "복지정책과", "제공일자", "2016. 5. 3.(화)"),
    ("과 장", "박정숙 (02-330-1280)", "보도일자", "2016. 5. 4.(수)"),
    ("팀 장", "정지현 (02-330-8632)", "총 매수", "총 2매"),
    ("담당자", "신윤경 주무관(02-330-1629)", "", ""),
]


def table(doc: HwpxDocument, rows, merges=()):
    width = max(len(row) for row in rows)
    made = doc.add_table(len(rows), width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                made.set_cell_text(r, c, text)
    for merge in merges:
        made.merge_cells(*merge)
    return made


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG (grey pixels)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                            0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def press_release(path: Path, *, header=DISTRICT_HEADER, merges=((3, 1, 3, 3),),
                  title=("서대문구, 어르신 무료 급식 확대",), subtitles=("- 경로식당 3곳 추가 -",),
                  body=None, header_last: bool = False, picture: bytes | None = None,
                  caption: str | None = "[사진 1] 경로식당에서 배식하는 자원봉사자들",
                  banner: str = "보 도 자 료") -> Path:
    """A press release: banner, header table, title (bold, 18 pt), subtitles, body lines
    (□ paragraphs with a bold run, o and - items, a data table, 붙임), a photo."""
    doc = HwpxDocument.new()
    doc.paragraphs[0].text = banner
    if not header_last:
        table(doc, header, merges)
        doc.add_paragraph("")
    for line in title:
        p = doc.add_paragraph("")
        p.add_run(line, bold=True, size=18)
    for line in subtitles:
        doc.add_paragraph(line)
    doc.add_paragraph("")
    lines = body if body is not None else [
        ("□ ", "서대문구는 ", ("경로식당", True), "을 3곳 늘린다고 밝혔다."),
        ("  o 대상은 만 65세 이상 어르신이다.",),
        ("    - 기초생활수급자는 우선 배정한다.",),
        ("※ 자세한 일정은 동주민센터에 문의.",),
    ]
    for parts in lines:
        p = doc.add_paragraph("")
        for part in parts:
            text, bold = (part if isinstance(part, tuple) else (part, False))
            p.add_run(text, bold=bold)
    if body is None:
        doc.add_paragraph("< 경로식당 현황 >")
        table(doc, [("구분", "장소", "인원"), ("신규", "홍은동", "40명"), ("", "북가좌동", "35명")],
              [(1, 0, 2, 0)])
        doc.add_paragraph("")
        doc.add_paragraph("붙임  1. 경로식당 위치 1부.")
        doc.add_paragraph("      2. 행사 사진 1매.  끝.")
        doc.add_paragraph("이 자료에 대하여 더욱 자세한 내용을 원하시면 복지정책과 신윤경 주무관"
                          "(02-330-1629)에게 연락주시기 바랍니다.")
    if picture is not None:
        doc.add_picture(picture, "png", width_mm=20, height_mm=20)
        if caption:
            doc.add_paragraph(caption)
    if header_last:
        doc.add_paragraph("")
        table(doc, header, merges)
    doc.save_to_path(str(path))
    return path
