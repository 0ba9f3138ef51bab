"""The memo as HWPX (Hancom 한글), written with python-hwpx from python-hwpx's own template.

Formats are resolved once, never per paragraph: each character format is one ``charPr``
id made up front, and each paragraph format (kind and indent level) is set on the first
paragraph that needs it and its ``paraPr`` id reused after. Naming a style on every
paragraph instead makes python-hwpx rescan the document each time — quadratic, 145 s for
2,000 findings against about 3 s. The template's placeholder author and dates are cleared
and replaced by this memo's.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import IO

from hwpx import HwpxDocument

from .layout import Block, Table
from .text import xml_safe

CREATOR = "스마트도시 정책 인사이트 · Smart-city policy insights"
INDENT_MM = 6.0  # per level
ROW_HEIGHT = 2100  # HWPUNIT (1/7200 inch): a line of 10 pt text and the cell's margins
CHARACTER = {  # kind → ensure_run arguments of its plain text; strong runs are bold as well
    "title": {"size": 16, "bold": True},
    "heading": {"size": 13, "bold": True},
    "quote": {"italic": True},
    "source": {"size": 9},
    "reference": {"size": 9},
}
PARAGRAPH = {  # kind → apply_paragraph_format arguments besides the indent and the alignment (left)
    "title": {"alignment": "CENTER", "spacing_after_pt": 12},
    "fact": {"spacing_after_pt": 2},
    "heading": {"spacing_before_pt": 14, "spacing_after_pt": 6, "keep_with_next": True, "bottom_border": True},
    "item": {"spacing_before_pt": 8, "keep_with_next": True},
    "point": {"spacing_before_pt": 2},
    "quote": {"spacing_before_pt": 2},
    "source": {"spacing_before_pt": 2},
    "reference": {"spacing_after_pt": 2},
}


class HwpxMemoWriter:
    def __init__(self, title: str, subject: str = ""):
        self.doc = HwpxDocument.new()
        self.first = self.doc.paragraphs[0]  # carries the section's properties: the title goes there
        self.runs: dict[tuple[str, bool], str] = {}
        self.paragraphs: dict[tuple[str, int], str] = {}
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.doc.parts.clear_document_metadata(timestamp=now)
        self.doc.parts.set_document_metadata(title=xml_safe(title), creator=CREATOR, subject=xml_safe(subject),
                                             created_date=now, modified_date=now)

    def char(self, kind: str, strong: bool) -> str:
        key = (kind, strong)
        if key not in self.runs:
            options = dict(CHARACTER.get(kind, {}))
            if strong:
                options["bold"] = True
            self.runs[key] = self.doc.styles.ensure_run(**options) if options else "0"
        return self.runs[key]

    def block(self, block: Block) -> None:
        key = (block.kind, block.level)
        if self.first is not None:
            paragraph, self.first = self.first, None
            paragraph.char_pr_id_ref = self.char(block.kind, False)
        else:
            paragraph = self.doc.add_paragraph("", para_pr_id_ref=self.paragraphs.get(key), include_run=False,
                                               char_pr_id_ref=self.char(block.kind, False), inherit_style=False)
        for run in block.runs:
            if run.text:
                paragraph.add_run(xml_safe(run.text), char_pr_id_ref=self.char(block.kind, run.strong))
        if key not in self.paragraphs:
            hanging = INDENT_MM if block.hanging else 0.0
            self.doc.styles.apply_paragraph_format(
                paragraphs=[paragraph], indent_left_mm=INDENT_MM * block.level + hanging, first_line_indent_mm=-hanging,
                **{"alignment": "LEFT", **PARAGRAPH.get(block.kind, {})})
            self.paragraphs[key] = paragraph.para_pr_id_ref

    def table(self, table: Table) -> None:
        """A grid, its first column three times as wide as the others, each row one line high
        (Hancom grows a row to its text; other readers draw the height written)."""
        rows = len(table.rows) + 1
        grid = self.doc.add_table(rows, len(table.header), height=rows * ROW_HEIGHT)
        grid.set_column_widths([3] + [1] * (len(table.header) - 1))
        for row, values in enumerate([table.header, *table.rows]):
            for column, value in enumerate(values):
                grid.cell(row, column).text = xml_safe(value)

    def save(self, file: IO[bytes]) -> None:
        file.write(self.doc.to_bytes())  # python-hwpx streams only to a seekable file; a pipe is not


def write_hwpx(blocks, file: IO[bytes], title: str, subject: str = "") -> None:
    """Write the memo's blocks (``layout.memo_blocks``) to ``file`` as HWPX."""
    writer = HwpxMemoWriter(title, subject)
    for block in blocks:
        writer.table(block) if isinstance(block, Table) else writer.block(block)
    writer.save(file)
