"""The text of a 한글 document (HWPX, or HWP 5 as python-hwpx converts it), wherever it sits.

A section's body paragraphs (``hs:sec/hp:p``) are only part of it: text boxes and drawing
objects (``hp:rect``, ``hp:ellipse``, ``hp:container`` … holding ``hp:drawText/hp:subList``, a
box inside a box too), tables (``hp:tbl/hp:tr/hp:tc/hp:subList``), captions, footnotes and
endnotes (``hp:ctrl/hp:footNote``, ``hp:endNote``), headers and footers (``hp:ctrl/hp:header``,
``hp:footer``) each hold paragraphs of their own, anchored in a run of the paragraph they belong to.

One walk of each section's tree, each element visited once, in document order:
- a paragraph gives its own text (its runs' ``hp:t``, not its objects' text) once, then what is
  anchored in it, in order: each text box's paragraphs, each table's rows (cells joined by tabs;
  what sits inside a cell comes after its row);
- footnotes and endnotes come after the last section, in the order they are cited (한글 shows
  endnotes there; placed after their paragraph they would split a bullet from its sub-bullets);
- headers and footers are read into ``furniture``, never into the body: page furniture is not
  the report's text, so it is neither a candidate nor quoted;
- not read: what 한글 does not show as text (a shape's description, hidden comments, memos).
"""

from __future__ import annotations

from hwpx.oxml._document_primitives import _text_element_content  # how python-hwpx reads an hp:t

from .document_text import DocumentText
from .text import table_row

FURNITURE = {"header", "footer"}
NOTES = {"footNote", "endNote"}
# Not shown as the document's text: a shape's description, a hidden comment (숨은 설명), a memo
# (its text sits under its field's hp:fieldBegin).
UNSHOWN = {"shapeComment", "hiddenComment", "fieldBegin"}


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_sections(sections, margin) -> DocumentText:
    """The text of ``sections`` (lxml or ElementTree ``hs:sec`` elements); ``margin(paraPrIDRef)``
    is a paragraph's left margin."""
    walker = _Walker(margin)
    for section in sections:
        walker.paragraphs(section, walker.result.body)
    return walker.result


class _Walker:
    def __init__(self, margin):
        self.margin = margin
        self.result = DocumentText()

    def paragraphs(self, container, out: list) -> None:
        """The paragraphs directly in ``container`` (a section or an hp:subList), each with what
        is anchored in it."""
        for paragraph in container:
            if _local(paragraph) == "p":
                self.paragraph(paragraph, out)

    def paragraph(self, paragraph, out: list, after: list | None = None) -> None:
        """A paragraph's own text into ``out``, then what is anchored in it (into ``after``, if given)."""
        own: list[str] = []
        anchored: list = []  # hp:tbl, and hp:subList of boxes, notes, headers: in document order
        for run in paragraph:
            if _local(run) != "run":
                continue
            for child in run:
                name = _local(child)
                if name == "t":
                    own.append(_text_element_content(child))
                elif name == "tab" or (name == "ctrl" and (child.get("id") or "").lower() == "tab"):
                    own.append("\t")
                else:
                    _find_anchored(child, anchored)
        text = "".join(own)
        if text.strip() or not anchored:
            out.append((self.margin(paragraph.get("paraPrIDRef")), text))
        out = out if after is None else after
        for kind, element in anchored:
            if kind == "tbl":
                self.table(element, out)
            elif kind in FURNITURE:
                lines: list = []
                self.paragraphs(element, lines)
                self.result.furniture += [t for _, t in lines if t.strip()]
            elif kind in NOTES:
                self.paragraphs(element, self.result.notes)
            elif kind == "textart":
                if (art := " ".join((element.get("text") or "").split())):
                    out.append((0, art))
            else:
                self.paragraphs(element, out)

    def table(self, table, out: list) -> None:
        """A table: its caption, then a line per row; what is anchored in a cell after its row."""
        for child in table:
            name = _local(child)
            if name == "caption":
                for sub in child:
                    if _local(sub) == "subList":
                        self.paragraphs(sub, out)
            elif name == "tr":
                cells, inside = [], []
                for cell in child:
                    if _local(cell) != "tc":
                        continue
                    texts: list = []
                    for sub in cell:
                        if _local(sub) == "subList":
                            for paragraph in sub:
                                if _local(paragraph) == "p":  # anchored in a cell: after the row
                                    self.paragraph(paragraph, texts, inside)
                    cells.append(" ".join(t for _, t in texts))
                out.append((0, table_row(cells)))
                out += inside


def _find_anchored(element, anchored: list) -> None:
    """The tables and text lists under ``element`` (an object in a run), in document order,
    without descending into them: what is inside each is read when it is walked."""
    stack = [(element, "")]
    while stack:
        node, kind = stack.pop()
        name = _local(node)
        if name == "tbl":
            anchored.append(("tbl", node))
            continue
        if name in FURNITURE or name in NOTES:
            kind = name
        elif name == "subList":
            anchored.append((kind or "box", node))
            continue
        elif name == "textart":  # 글맵시: its text is an attribute
            anchored.append(("textart", node))
            continue
        elif name in UNSHOWN:
            continue
        stack.extend((child, kind) for child in reversed(list(node)))
