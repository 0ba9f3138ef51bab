"""The memo as DOCX (Word), written with python-docx.

Each kind of paragraph (at each indent level) is a paragraph style of its own, made once
(``Memo item``, ``Memo point 1``, …: a reader restyles the whole memo in Word). Paragraphs
and runs are appended as plain ``w:p``/``w:r`` elements naming the style's id: through
python-docx's API, naming a style scans every style each time, ``Document.add_paragraph``
looks for the section properties among all the body's paragraphs, and ``Run.text`` goes
character by character — together about 8 s for a 2,000-finding memo instead of under 1 s.
Korean shows in a Korean font: the East Asian font (``w:eastAsia``) of the document
defaults and of every style is 맑은 고딕 (Malgun Gothic), not the theme's, and each run
holding Hangul names it too.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import IO

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml.etree import SubElement

from .layout import Block, Table
from .text import xml_safe

CORE_PROPERTY_CHARS = 255  # the longest title or subject Word (and python-docx) accepts

EAST_ASIAN_FONT = "맑은 고딕"  # Malgun Gothic: Windows' Korean UI font; Word substitutes it elsewhere
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
CREATOR = "스마트도시 정책 인사이트 · Smart-city policy insights"
INDENT_MM = 6.0  # per level
BASE_STYLE = {"title": "Title", "heading": "Heading 1", "quote": "Quote"}
FORMAT = {  # kind → (points before, points after, font size or None, italic)
    "fact": (0, 2, None, False),
    "note": (6, 6, None, False),
    "item": (8, 2, None, False),
    "point": (2, 2, None, False),
    "quote": (2, 2, None, True),
    "source": (2, 2, 9, False),
    "reference": (0, 2, 9, False),
}


def core_property(text: str) -> str:
    """A document property as Word allows it: at most 255 characters (a selection described from
    a long filter value is cut, with an ellipsis; the memo's own text keeps all of it)."""
    text = xml_safe(text)
    return text if len(text) <= CORE_PROPERTY_CHARS else text[:CORE_PROPERTY_CHARS - 1] + "…"


class DocxMemoWriter:
    def __init__(self, title: str, subject: str = ""):
        self.doc = Document()
        self.body = self.doc.element.body
        self.end = self.body.sectPr  # paragraphs go before the section's properties
        self.styles: dict[tuple[str, int], str] = {}
        korean_fonts(self.doc)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        properties = self.doc.core_properties
        properties.title, properties.subject = core_property(title), core_property(subject)
        properties.author = properties.last_modified_by = CREATOR
        properties.created = properties.modified = now
        properties.revision = 1

    def style_id(self, block: Block) -> str:
        """The id of the paragraph style of the block's kind and level, made on first use."""
        key = (block.kind, block.level)
        if key not in self.styles:
            if block.kind in BASE_STYLE and not block.level:
                self.styles[key] = self.doc.styles[BASE_STYLE[block.kind]].style_id
            else:
                self.styles[key] = self.add_style(block.kind, block.level, block.hanging).style_id
        return self.styles[key]

    def add_style(self, kind: str, level: int, hanging: bool):
        style = self.doc.styles.add_style(f"Memo {kind}" + (f" {level}" if level else ""), WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.doc.styles[BASE_STYLE.get(kind, "Normal")]
        before, after, size, italic = FORMAT.get(kind, (0, 0, None, False))
        layout = style.paragraph_format
        layout.space_before, layout.space_after = Pt(before), Pt(after)
        hang = INDENT_MM if hanging else 0.0
        layout.left_indent, layout.first_line_indent = Mm(INDENT_MM * level + hang), Mm(-hang)
        layout.keep_with_next = kind == "item"
        style.font.italic = italic or None
        if size:
            style.font.size = Pt(size)
        return style

    def block(self, block: Block) -> None:
        paragraph = self.body.makeelement(W["p"], {})
        self.end.addprevious(paragraph)
        SubElement(SubElement(paragraph, W["pPr"]), W["pStyle"], {W["val"]: self.style_id(block)})
        for run in block.runs:
            if run.text:
                append_run(paragraph, run.text, run.strong)

    def table(self, table: Table) -> None:
        grid = self.doc.add_table(rows=len(table.rows) + 1, cols=len(table.header))
        grid.style = self.doc.styles["Table Grid"]
        for row, values in enumerate([table.header, *table.rows]):
            for column, value in enumerate(values):
                append_run(grid.cell(row, column).paragraphs[0]._p, value, strong=row == 0)

    def save(self, file: IO[bytes]) -> None:
        self.doc.save(file)


W = {name: qn(f"w:{name}") for name in ("p", "pPr", "pStyle", "val", "r", "rPr", "rFonts", "eastAsia", "b", "t",
                                          "br", "tab")}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def append_run(paragraph, text: str, strong: bool = False) -> None:
    """A ``w:r`` of ``text`` at the end of ``paragraph``: bold if ``strong``, 맑은 고딕 for Hangul,
    a line break for each newline and a tab for each tab (as ``Run.text`` does)."""
    text = xml_safe(text)
    run = SubElement(paragraph, W["r"])
    korean = HANGUL.search(text)
    if korean or strong:
        properties = SubElement(run, W["rPr"])
        if korean:
            SubElement(properties, W["rFonts"], {W["eastAsia"]: EAST_ASIAN_FONT})
        if strong:
            SubElement(properties, W["b"])
    for index, line in enumerate(text.split("\n")):
        if index:
            SubElement(run, W["br"])
        for position, part in enumerate(line.split("\t")):
            if position:
                SubElement(run, W["tab"])
            if part:
                SubElement(run, W["t"], {XML_SPACE: "preserve"}).text = part


def korean_fonts(doc) -> None:
    """The document defaults and every style take 맑은 고딕 for East Asian text, and Korean as
    its language (the template names the theme's East Asian font, which Word maps to a
    Japanese or Chinese face on many installations)."""
    styles = doc.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:eastAsia"), "ko-KR")
    for name in ("Normal", "Title", "Heading 1", "Quote"):
        doc.styles[name].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def write_docx(blocks, file: IO[bytes], title: str, subject: str = "") -> None:
    """Write the memo's blocks (``layout.memo_blocks``) to ``file`` as DOCX."""
    writer = DocxMemoWriter(title, subject)
    for block in blocks:
        writer.table(block) if isinstance(block, Table) else writer.block(block)
    writer.save(file)
