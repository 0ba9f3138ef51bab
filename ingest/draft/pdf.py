"""PDF reports, through pdfplumber (pdfminer.six): the text layer, in reading order.

A PDF has lines, not paragraphs. Lines are put back together into paragraphs: a line opens a
new paragraph when it starts with a bullet marker or a numbered heading, when the line before
it ended short of the right margin, or after a gap wider than a line; otherwise it continues
the paragraph (joined by a space: reports wrap Korean at word boundaries). A paragraph's depth
is the left edge of its first line. Tables (the schedule) are read as tables, row by row.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import ReportError
from .limits import Limits
from .structure import HEADING, MARKER
from .text import report_text, table_row

SHORT_LINE = 24  # points short of the right margin: with a sentence ending, the paragraph ends there
GAP = 2.0  # a step down this many times the text's height ends a paragraph: a blank line (a wrapped
# line comes 1.2 to 1.6 heights down, the line after a blank one at least 2.3)
# Control characters stand for spaces: Chromium's PDFs map the space glyph of some fonts
# (NanumGothic) to U+0001, which would run every word of a line together.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SENTENCE_END = re.compile(r"(?:음|함|임|됨|다|[.!?])$")


def read_pdf(path: Path, name: str, limits: Limits) -> str:
    import pdfplumber  # imported here: only PDF reports pay for it
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    from .pdf_budget import CharacterBudget, count_pages

    paragraphs: list[tuple[float, str]] = []
    try:
        with pdfplumber.open(path) as pdf:
            count_pages(pdf.doc, name, limits)
            budget = CharacterBudget(pdf.rsrcmgr, name, limits)
            for page in pdf.pages:
                budget.check_page(page.page_obj, page.page_number)
                paragraphs += _page(page)
                page.close()  # its glyphs and layout: kept, they grow by some 40 MB a dense page
    except (PdfminerException, PDFEncryptionError) as error:
        cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
        if isinstance(cause, PDFEncryptionError):
            raise ReportError(f"{name}: the PDF is protected by a password (or encrypted so that its text cannot be "
                              f"read: {type(cause).__name__})",
                              "export the report to PDF again without a password, or draft from the original "
                              "HWPX or DOCX") from None
        raise ReportError(f"{name}: cannot be read as PDF ({_describe(cause)})", "export the report to PDF again") from None
    if not any(text.strip() for _, text in paragraphs):
        raise ReportError(f"{name}: the PDF has no text layer (a scanned image?)",
                          "draft from the original HWPX or DOCX, or run OCR on the PDF first (e.g. ocrmypdf -l kor)")
    return report_text(paragraphs)


def _describe(error: BaseException) -> str:
    """An error's class, and its message when it has one (many of pdfminer's have none)."""
    if isinstance(error, BaseException):
        return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return str(error) or "unknown error"


def _page(page) -> list[tuple[float, str]]:
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside_tables(obj) -> bool:
        return obj.get("object_type") != "char" or not any(
            x0 <= obj["x0"] and obj["x1"] <= x1 and top <= obj["top"] and obj["bottom"] <= bottom
            for x0, top, x1, bottom in boxes)

    lines = [dict(line, text=_clean(line["text"])) for line in page.filter(outside_tables).extract_text_lines()]
    lines = [line for line in lines if line["text"]]
    blocks = [(line["top"], 0, line) for line in lines] + [(table.bbox[1], 1, table) for table in tables]
    blocks.sort(key=lambda block: (block[0], block[1]))
    right = max((line["x1"] for line in lines), default=0)
    heights = sorted(line["bottom"] - line["top"] for line in lines)
    height = heights[len(heights) // 2] if heights else 0

    paragraphs: list[tuple[float, str]] = []
    previous = None
    for _, is_table, block in blocks:
        if is_table:
            paragraphs += [(0, table_row([_clean(cell or "") for cell in row])) for row in block.extract()]
            previous = None
            continue
        text = block["text"]
        if previous is None or _opens_paragraph(text, block, previous, right, height):
            paragraphs.append((block["x0"], text))
        else:
            indent, before = paragraphs[-1]
            paragraphs[-1] = (indent, f"{before} {text}")
        previous = block
    return paragraphs


def _clean(text: str) -> str:
    return " ".join(CONTROL.sub(" ", text).split())


def _opens_paragraph(text: str, line: dict, previous: dict, right: float, height: float) -> bool:
    """A bullet, a heading, the line after a short one that ended a sentence, or after a gap."""
    return bool(MARKER.match(text) or HEADING.match(text)
                or (previous["x1"] < right - SHORT_LINE and SENTENCE_END.search(previous["text"]))
                or line["top"] - previous["top"] > GAP * height)
