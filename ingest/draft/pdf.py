"""PDF reports, through pdfplumber (pdfminer.six): the text layer, in reading order.

A PDF has lines, not paragraphs. Lines are put back together into paragraphs: a line opens a
new paragraph when it starts with a bullet marker or a numbered heading, when the line before
it ended short of the right margin, or after a gap wider than a line; otherwise it continues
the paragraph (joined by a space: reports wrap Korean at word boundaries). A paragraph's depth
is the left edge of its first line. Tables (the schedule) are read as tables, row by row.
"""

from __future__ import annotations

from pathlib import Path

from .errors import DraftError
from .structure import HEADING, MARKER
from .text import report_text, table_row

SHORT_LINE = 24  # points short of the right margin that end a paragraph (two Korean characters)
GAP = 1.6  # a vertical gap this many times the usual line pitch ends a paragraph


def read_pdf(path: Path) -> str:
    import pdfplumber  # imported here: only PDF reports pay for it
    from pdfminer.pdfparser import PDFSyntaxError

    paragraphs: list[tuple[float, str]] = []
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                paragraphs += _page(page)
    except (PDFSyntaxError, pdfplumber.utils.exceptions.PdfminerException) as error:
        raise DraftError(f"{path}: cannot be read as PDF ({error})", "export the report to PDF again") from None
    if not any(text.strip() for _, text in paragraphs):
        raise DraftError(f"{path}: the PDF has no text layer (a scanned image?)",
                         "draft from the original HWPX or DOCX, or run OCR on the PDF first (e.g. ocrmypdf -l kor)")
    return report_text(paragraphs)


def _page(page) -> list[tuple[float, str]]:
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside_tables(obj) -> bool:
        return obj.get("object_type") != "char" or not any(
            x0 <= obj["x0"] and obj["x1"] <= x1 and top <= obj["top"] and obj["bottom"] <= bottom
            for x0, top, x1, bottom in boxes)

    lines = page.filter(outside_tables).extract_text_lines(keep_blank_chars=False)
    blocks = [(line["top"], 0, line) for line in lines] + [(table.bbox[1], 1, table) for table in tables]
    blocks.sort(key=lambda block: (block[0], block[1]))
    right = max((line["x1"] for line in lines), default=0)
    pitches = sorted(b["top"] - a["top"] for a, b in zip(lines, lines[1:]) if b["top"] > a["top"])
    pitch = pitches[len(pitches) // 2] if pitches else 0

    paragraphs: list[tuple[float, str]] = []
    previous = None
    for _, is_table, block in blocks:
        if is_table:
            paragraphs += [(0, table_row([cell or "" for cell in row])) for row in block.extract()]
            previous = None
            continue
        text = block["text"].strip()
        if previous is None or _opens_paragraph(text, block, previous, right, pitch):
            paragraphs.append((block["x0"], text))
        else:
            indent, before = paragraphs[-1]
            paragraphs[-1] = (indent, f"{before} {text}")
        previous = block
    return paragraphs


def _opens_paragraph(text: str, line: dict, previous: dict, right: float, pitch: float) -> bool:
    return bool(MARKER.match(text) or HEADING.match(text) or previous["x1"] < right - SHORT_LINE
                or (pitch and line["top"] - previous["top"] > GAP * pitch))
