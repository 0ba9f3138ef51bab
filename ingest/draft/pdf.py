"""PDF reports, through pdfplumber (pdfminer.six): the text layer, in reading order.

Each page is read into lines and tables in reading order, columns one after the other
(pdf_lines); running headers, footers and page numbers are set aside as furniture
(pdf_furniture). A PDF has lines, not paragraphs: they are put back together. A line opens a new
paragraph when it starts with a bullet marker or a numbered heading, when the line before it
ended short of its column's right edge with a sentence ending, after a gap wider than a line,
or where the left edge moves after a paragraph's second line (a first-line indent, the end of a
hanging one); otherwise it continues the paragraph, across a page or column break too. Lines are
joined as the language needs (pdf_joins: Korean wrapped inside a word is joined without a space,
English hyphenation undone). A paragraph's depth is the left edge of its first line, from its
column's left edge. Tables (the schedule) are read as tables, row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReportError
from .limits import Limits
from .pdf_furniture import furniture
from .pdf_joins import HANGUL, Join, Joiner
from .pdf_lines import Line, page_blocks
from .structure import HEADING, MARKER
from .text import report_text, table_row

SHORT_LINE = 24  # points short of the right margin: with a sentence ending, the paragraph ends there
GAP = 2.0  # a step down this many times the text's height ends a paragraph: a blank line (a wrapped
# line comes 1.2 to 1.6 heights down, the line after a blank one at least 2.3)
SENTENCE_END = re.compile(r"(?:음|함|임|됨|다|[.!?])$")
INDENT_STEP = 2.0  # points: a left edge that moves more than this is another indent


@dataclass
class PdfText:
    """What was read: paragraphs as (indent in points, text), and the page furniture set aside."""

    paragraphs: list[tuple[float, str]] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)


def read_pdf(path: Path, name: str, limits: Limits) -> str:
    return report_text(read_pdf_text(path, name, limits).paragraphs)


def read_pdf_text(path: Path, name: str, limits: Limits) -> PdfText:
    import pdfplumber  # imported here: only PDF reports pay for it
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    from .pdf_budget import CharacterBudget, count_pages

    pages: list[list] = []
    try:
        with pdfplumber.open(path) as pdf:
            count_pages(pdf.doc, name, limits)
            budget = CharacterBudget(pdf.rsrcmgr, name, limits)
            for page in pdf.pages:
                budget.lay_out(page)  # its characters counted as it is laid out
                pages.append(page_blocks(page, page.page_number))
                page.close()  # its glyphs and layout: kept, they grow by some 40 MB a dense page
    except (PdfminerException, PDFEncryptionError) as error:
        cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
        if isinstance(cause, PDFEncryptionError):
            raise ReportError(f"{name}: the PDF is protected by a password (or encrypted so that its text cannot be "
                              f"read: {type(cause).__name__})",
                              "export the report to PDF again without a password, or draft from the original "
                              "HWPX or DOCX") from None
        raise ReportError(f"{name}: cannot be read as PDF ({_describe(cause)})", "export the report to PDF again") from None
    text = _paragraphs(pages)
    if not any(t.strip() for _, t in text.paragraphs) and not text.furniture:
        raise ReportError(f"{name}: the PDF has no text layer (a scanned image?)",
                          "draft from the original HWPX or DOCX, or run OCR on the PDF first (e.g. ocrmypdf -l kor)")
    return text


def _paragraphs(pages: list[list]) -> PdfText:
    """The pages' blocks as paragraphs, furniture set aside."""
    set_aside = furniture([[b for b in blocks if isinstance(b, Line)] for blocks in pages])
    result = PdfText()
    lines = [b for blocks in pages for b in blocks if isinstance(b, Line)]
    result.furniture = [line.text for line in lines if id(line) in set_aside]
    lines = [line for line in lines if id(line) not in set_aside]
    _settle_edges(lines)
    groups: list = []  # a table's rows, or a paragraph's lines
    pitches = _pitches(lines)
    previous = None
    for blocks in pages:
        for block in blocks:
            if not isinstance(block, Line):
                groups.append(block)
                previous = None
                continue
            if id(block) in set_aside:
                continue
            if previous is None or _opens_paragraph(block, previous, groups[-1], pitches):
                groups.append([block])
            else:
                groups[-1].append(block)
            previous = block
    within = "\n".join(line.text for line in lines)
    offsets, at = {}, 0
    for line in lines:
        offsets[id(line)] = at
        at += len(line.text) + 1
    # What the line before had to fit to take more: a Korean glyph (Korean wraps anywhere), else a
    # whole word (English, numbers and brackets wrap at spaces).
    joins = {id(a): Join(a.text, b.text, a.right - a.x1, a.space_width,
                         b.first_glyph if HANGUL.match(b.text) else b.first_word, offsets[id(a)])
             for group in groups if group and isinstance(group[0], Line) for a, b in zip(group, group[1:])}
    joiner = Joiner(within, list(joins.values()))
    for group in groups:
        if group and isinstance(group[0], Line):
            text = group[0].text
            for a, b in zip(group, group[1:]):
                join = joins[id(a)]
                join.before = text
                text = joiner.join(join)
            result.paragraphs.append((group[0].x0, text))
        else:
            result.paragraphs += [(0, table_row(row)) for row in group]
    return result


def _settle_edges(lines: list[Line]) -> None:
    """Each line's right edge (its column's, over the document, odd and even pages apart) and its
    left edge counted from its column's."""
    edges: dict = {}
    for line in lines:
        edges.setdefault((line.column, line.page % 2), []).append(line)
    for inside in edges.values():
        ends = sorted(line.x1 for line in inside)
        right = ends[int(0.9 * (len(ends) - 1))]
        left = min(line.x0 for line in inside)
        for line in inside:
            line.right = max(right, line.x1)
            line.x0 -= left
            line.x1 -= left
            line.right -= left


def _pitches(lines: list[Line]) -> dict:
    """The line pitch of each page's column: the step down from one line of a paragraph to the
    next. A low quantile of the document's steps between lines of the same size (in a report of
    one-line bullets most steps are between paragraphs), or of the page's where it sets its own."""
    steps: dict = {}
    for a, b in zip(lines, lines[1:]):
        if (a.page, a.column) == (b.page, b.column) and b.top - a.top > 0.8 * a.height \
                and abs(a.height - b.height) < 0.1 * a.height:
            steps.setdefault((b.page, b.column), []).append(b.top - a.top)
    every = sorted(step for values in steps.values() for step in values)
    overall = every[len(every) // 20] if every else None
    pitches = {}
    for key, values in steps.items():
        own = sorted(values)[len(values) // 5]
        pitches[key] = own if overall is None or own < overall * 1.1 else overall
    return pitches


def _opens_paragraph(line: Line, previous: Line, group: list, pitches: dict) -> bool:
    """A bullet, a heading, another size of type, a title over the columns, the line after one
    that stopped short (its first word would have fit, or a sentence ended well short of the
    edge), a step down wider than the line pitch, or a left edge that moves after a paragraph's
    second line."""
    gap = previous.right - previous.x1
    short = gap > line.first_word + previous.space_width + 1 or (gap > SHORT_LINE and SENTENCE_END.search(previous.text))
    if MARKER.match(line.text) or HEADING.match(line.text):
        # A bullet or number opens a paragraph, unless a line with no room left for it, in the
        # middle of a sentence, wrapped just before it (… 특히 / - 바르셀로나 …): a dash in the text.
        pitch = pitches.get((line.page, line.column), GAP / 1.5 * line.height)
        return bool(short or SENTENCE_END.search(previous.text) or (line.page, line.column) != (previous.page, previous.column)
                    or abs(line.x0 - previous.x0) > INDENT_STEP or line.top - previous.top > pitch + max(2.0, 0.15 * pitch))
    if abs(line.height - previous.height) > 0.2 * max(line.height, previous.height):
        return True  # another size of type: a heading, a caption
    if line.page == previous.page and line.column != previous.column and 0 in (line.column, previous.column):
        return True  # from a line across the columns into a column, or back
    if (line.page, line.column) != (previous.page, previous.column):  # a page or column break
        return bool(short)
    pitch = pitches.get((line.page, line.column), GAP / 1.5 * line.height)
    if short or line.top - previous.top > pitch + max(2.0, 0.15 * pitch) or line.top < previous.top:
        return True
    return len(group) >= 2 and abs(line.x0 - previous.x0) > INDENT_STEP


def _describe(error: BaseException) -> str:
    """An error's class, and its message when it has one (many of pdfminer's have none)."""
    if isinstance(error, BaseException):
        return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return str(error) or "unknown error"
