"""A PDF page's lines and tables, in reading order, with the geometry that joins lines.

pdfplumber clusters glyphs into lines by their height on the page, so on a page set in two
columns one "line" holds a line of each column. A line's glyphs are cut where a gap wider than
``COLUMN_GAP`` glyphs opens; where many lines are cut at the same place (a gutter), the page
has columns: each band of column lines is read left column first, then the right one, and a
line that crosses the gutter (a title over both columns) ends the band. Ruled tables are read
as tables, row by row, where they stand.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

# Control characters stand for spaces: Chromium's PDFs map the space glyph of some fonts
# (NanumGothic) to U+0001, which would run every word of a line together.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
COLUMN_GAP = 1.5  # times the line's typical glyph width: wider than any space between words
GUTTER_SHARE = 0.25  # of a page's lines cut at one place: the page has columns there
GUTTER_LINES = 4


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int
    column: int = 0  # 0: the page's only column (or across columns); 1, 2 …: from the left
    right: float = 0.0  # its column's right edge on this page (the longest line's end)
    space_width: float = 0.0
    first_glyph: float = 0.0
    first_word: float = 0.0  # width of its first word: a line before it that had room for it ended there

    @property
    def height(self) -> float:
        return self.bottom - self.top


def page_blocks(page, number: int) -> list:
    """The page's lines (``Line``) and tables (lists of rows), in reading order."""
    # A table is found from ruling lines: a page that draws none has none (and is read faster).
    tables = page.find_tables() if (page.rects or page.lines or page.curves) else []
    boxes = [table.bbox for table in tables]

    def outside_tables(obj) -> bool:
        return obj.get("object_type") != "char" or not any(
            x0 <= obj["x0"] and obj["x1"] <= x1 and top <= obj["top"] and obj["bottom"] <= bottom
            for x0, top, x1, bottom in boxes)

    pieces = []
    for raw in page.filter(outside_tables).extract_text_lines(return_chars=True):
        pieces.append(_split(raw["chars"], number))
    lines = _reading_order(pieces)
    for column in {line.column for line in lines}:
        inside = [line for line in lines if line.column == column]
        right = max(line.x1 for line in inside)
        for line in inside:
            line.right = right
    blocks: list = []
    table_at = sorted(((table.bbox[1], table) for table in tables), key=lambda pair: pair[0])
    for line in lines:
        while table_at and table_at[0][0] < line.top and line.column <= 1:
            blocks.append(_rows(table_at.pop(0)[1]))
        blocks.append(line)
    blocks += [_rows(table) for _, table in table_at]
    return blocks


def _rows(table) -> list[list[str]]:
    return [[clean(cell or "") for cell in row] for row in table.extract()]


def clean(text: str) -> str:
    return " ".join(CONTROL.sub(" ", text).split())


def _split(chars: list[dict], page: int) -> list[Line]:
    """One clustered line as the pieces its wide gaps leave (one piece on a page without columns)."""
    widths = [c["x1"] - c["x0"] for c in chars if c["text"].strip() and not CONTROL.match(c["text"])]
    glyph = statistics.median(widths) if widths else 0.0
    pieces, current = [], []
    for char in chars:
        if current and char["x0"] - current[-1]["x1"] > COLUMN_GAP * glyph > 0:
            pieces.append(current)
            current = []
        current.append(char)
    if current:
        pieces.append(current)
    return [line for piece in pieces if (line := _line(piece, page, glyph)) is not None]


def _line(chars: list[dict], page: int, glyph: float) -> Line | None:
    text, previous = [], None
    for at, char in enumerate(chars):  # a space where glyphs stand apart, as pdfplumber does
        if CONTROL.match(char["text"]) and at + 1 < len(chars) and chars[at + 1]["x0"] - char["x0"] < 0.3 * (
                char["x1"] - char["x0"]):
            continue  # a glyph that does not advance: Chromium's soft hyphen, not a space
        if previous is not None and char["x0"] - previous["x1"] > min(glyph * 0.25, 3) > 0 and text and text[-1] != " ":
            text.append(" ")
        text.append(char["text"])
        previous = char
    words = clean("".join(text))
    visible = [c for c in chars if c["text"].strip() and not CONTROL.match(c["text"])]
    if not words or not visible:
        return None
    spaces = [c["x1"] - c["x0"] for c in chars if not c["text"].strip() or CONTROL.match(c["text"])]
    return Line(words, visible[0]["x0"], visible[-1]["x1"], min(c["top"] for c in visible),
                max(c["bottom"] for c in visible), page, space_width=statistics.median(spaces) if spaces else glyph * 0.3,
                first_glyph=visible[0]["x1"] - visible[0]["x0"], first_word=_first_word(chars))


def _first_word(chars: list[dict]) -> float:
    word = []
    for char in chars:
        if not char["text"].strip() or CONTROL.match(char["text"]):
            if word:
                break
            continue
        word.append(char)
    return word[-1]["x1"] - word[0]["x0"] if word else 0.0


def _reading_order(pieces: list[list[Line]]) -> list[Line]:
    """Lines top to bottom; on a page with a gutter, each band of column lines column by column."""
    cut = [line for piece in pieces if len(piece) == 2 for line in piece[:1]]
    if len(cut) < max(GUTTER_LINES, GUTTER_SHARE * len(pieces)):
        return [line for piece in pieces for line in piece]
    gutter = max(line.x1 for line in cut)  # the left column's right edge …
    starts = min(piece[1].x0 for piece in pieces if len(piece) == 2)  # … and the right one's left edge
    if starts <= gutter:
        return [line for piece in pieces for line in piece]
    ordered, band = [], []
    for piece in pieces:
        for line in piece:
            if line.x1 <= gutter + 1:
                line.column = 1
                band.append(line)
            elif line.x0 >= starts - 1:
                line.column = 2
                band.append(line)
            else:  # across the gutter: the band before it is done
                ordered += sorted(band, key=lambda l: l.column)
                band = []
                ordered.append(line)
    return ordered + sorted(band, key=lambda l: l.column)
