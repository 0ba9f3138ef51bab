"""The text of a Word document (DOCX), wherever it sits.

python-docx gives the body's paragraphs and tables, but not what Word anchors inside a paragraph:
text boxes and shapes (``w:txbxContent``, under ``w:drawing`` and, for older readers, again under
the VML ``w:pict`` of an ``mc:Fallback``), nor footnotes and endnotes. One walk of the XML, each
element visited once, in document order:
- a paragraph gives its own text (its runs' ``w:t``, inside hyperlinks, fields, insertions and
  content controls too; not deleted text nor field instructions) once, then what is anchored in
  it, in order: the paragraphs of each text box (a box inside a box too) and its tables;
- an ``mc:AlternateContent`` is read once: its ``mc:Choice`` (the DrawingML box), never also its
  ``mc:Fallback`` (the same box as VML); a Fallback is read only where there is no Choice;
- a table: a line per row, cells joined by tabs (a cell's paragraphs joined by spaces); what is
  anchored in a cell, or a table inside it, comes after its row; a vertically merged cell's text
  is read once, in its first row;
- footnotes and endnotes: after the body, in the order they are cited (as hangul_text does);
- headers and footers: read into ``furniture``, never into the report's text.

A paragraph's depth is its left indent or list level (``office.docx_indent``); a line break
inside a paragraph (Shift+Enter) is a space, or a new line where what follows is a bullet.
"""

from __future__ import annotations

from .document_text import DocumentText
from .structure import MARKER
from .text import table_row

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
BREAK = "\n"  # a line break inside a paragraph, until the paragraph is read whole
# Not shown as the document's text: deleted or moved-away text, field instructions (the code of
# a TOC or page field; its result is read), properties, and Word's own bookkeeping.
UNSHOWN = {W + name for name in ("del", "delText", "moveFrom", "instrText", "pPr", "rPr", "tblPr", "trPr",
                                 "tcPr", "sectPr", "commentReference", "annotationRef", "fldData")}
NOTE_REFERENCES = {W + "footnoteReference": "footnote", W + "endnoteReference": "endnote"}
HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
NOTE_PARTS = {"footnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
              "endnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"}


def read_document(document, indent) -> DocumentText:
    """The text of an open python-docx ``document``; ``indent(p_element, text) -> (points, text)``
    gives a body paragraph's indent (and its list marker)."""
    walker = _Walker(indent)
    walker.blocks(document.element.body, walker.result.body)
    part = document.part
    for relationship in list(part.rels.values()):
        if relationship.is_external or relationship.reltype not in (HEADER, FOOTER):
            continue
        lines: list = []
        walker.blocks(_element(relationship.target_part), lines, plain=True)
        walker.result.furniture += [text for _, text in lines if text.strip()]
    walker.notes(_note_parts(part))
    return walker.result


def _element(part):
    """A part's XML root: python-docx parses headers and footers; footnotes it leaves as bytes."""
    element = getattr(part, "element", None)
    if element is None:
        from docx.oxml.parser import parse_xml  # lxml, entities not resolved

        element = parse_xml(part.blob)
    return element


def _note_parts(part) -> dict:
    parts = {}
    for relationship in list(part.rels.values()):
        for kind, reltype in NOTE_PARTS.items():
            if not relationship.is_external and relationship.reltype == reltype:
                parts[kind] = _element(relationship.target_part)
    return parts


class _Walker:
    def __init__(self, indent):
        self.indent = indent
        self.result = DocumentText()
        self.cited: list[tuple[str, str]] = []  # (footnote|endnote, id), in the order cited

    def blocks(self, container, out: list, plain: bool = False) -> None:
        """The paragraphs and tables directly in ``container`` (the body, a cell, a text box, a
        header …), content controls and custom XML opened; ``plain``: no indents (furniture, notes)."""
        for child in container:
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child, out, plain=plain)
            elif tag == W + "tbl":
                self.table(child, out, plain)
            elif tag in (W + "sdt", W + "customXml", W + "sdtContent", MC + "AlternateContent", MC + "Choice"):
                self.blocks(_chosen(child), out, plain)

    def paragraph(self, paragraph, out: list, after: list | None = None, plain: bool = False) -> None:
        own: list[str] = []
        anchored: list = []
        self._runs(paragraph, own, anchored)
        text = "".join(own)
        if text.strip() or not anchored:
            lines = _lines(text)
            first = (0.0, lines[0]) if plain else self.indent(paragraph, lines[0])
            out.append(first)
            out += [(first[0], line) for line in lines[1:]]
        out = out if after is None else after
        for kind, element in anchored:
            if kind == "tbl":
                self.table(element, out, plain)
            else:
                self.blocks(element, out, plain)

    def _runs(self, element, own: list, anchored: list) -> None:
        """A paragraph's own text into ``own``; text boxes and tables into ``anchored``, unopened."""
        for child in _chosen(element):
            tag = child.tag
            if tag == W + "t":
                own.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                own.append("\t")
            elif tag in (W + "br", W + "cr"):
                if child.get(W + "type") in (None, "textWrapping"):
                    own.append(BREAK)
            elif tag == W + "noBreakHyphen":
                own.append("-")
            elif tag == W + "txbxContent":
                anchored.append(("box", child))
            elif tag == W + "tbl":
                anchored.append(("tbl", child))
            elif tag in NOTE_REFERENCES:
                self.cited.append((NOTE_REFERENCES[tag], child.get(W + "id") or ""))
            elif tag in UNSHOWN or not isinstance(tag, str):
                continue
            else:
                self._runs(child, own, anchored)

    def table(self, table, out: list, plain: bool = False) -> None:
        """A line per row; what is anchored in a cell (a box, a table) after its row."""
        for row in table:
            if row.tag != W + "tr":
                if row.tag in (W + "sdt", W + "customXml"):  # rows inside a content control
                    self.table(_content(row), out, plain)
                continue
            cells, inside = [], []
            for cell in _cells(row):
                texts: list = []
                if not _continues_merge(cell):
                    for block in _cells_blocks(cell):
                        if block.tag == W + "p":
                            self.paragraph(block, texts, inside, plain=True)
                        elif block.tag == W + "tbl":
                            self.table(block, inside, plain)
                cells.append(" ".join(t for _, t in texts))
            out.append((0, table_row(cells)))
            out += inside

    def notes(self, parts: dict) -> None:
        """Footnotes and endnotes in the order they are cited, each once."""
        notes = {}
        for kind, root in parts.items():
            for note in root:
                if note.tag == W + kind and note.get(W + "type") in (None, "normal"):
                    notes[(kind, note.get(W + "id") or "")] = note
        for key in dict.fromkeys(self.cited):
            if key in notes:
                self.blocks(notes[key], self.result.notes, plain=True)


def _chosen(element):
    """``element``'s children, an mc:AlternateContent reduced to the one branch that is read."""
    if element.tag != MC + "AlternateContent":
        return element
    choices = [child for child in element if child.tag == MC + "Choice"]
    if choices:
        return choices[0]
    return next((child for child in element if child.tag == MC + "Fallback"), [])


def _content(element):
    return next((child for child in element if child.tag == W + "sdtContent"), element)


def _cells(row):
    for child in row:
        if child.tag == W + "tc":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            yield from _cells(_content(child))


def _cells_blocks(cell):
    for child in cell:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            yield from _cells_blocks(_content(child))


def _continues_merge(cell) -> bool:
    """A cell that continues a vertical merge (``w:vMerge`` without restart): its text is the first row's."""
    properties = cell.find(W + "tcPr")
    merge = properties.find(W + "vMerge") if properties is not None else None
    return merge is not None and merge.get(W + "val") in (None, "continue")


def _lines(text: str) -> list[str]:
    """A paragraph's text cut at its line breaks only where a bullet follows; a space elsewhere."""
    parts = text.split(BREAK)
    lines = [parts[0]]
    for part in parts[1:]:
        if MARKER.match(part.strip()):
            lines.append(part.strip())
        else:
            lines[-1] = f"{lines[-1]} {part}" if lines[-1] and part else lines[-1] + part
    return lines
