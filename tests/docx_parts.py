"""Word's XML for what python-docx cannot write: text boxes (as Word 2010+ saves them: a DrawingML
box in mc:Choice and the same box as VML in mc:Fallback), shape groups, footnotes and endnotes,
tracked changes and fields. Each helper returns XML to put in a document built with python-docx."""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.parser import parse_xml

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def paragraph(*parts: str) -> str:
    """A paragraph of runs (plain strings become runs)."""
    return "<w:p>" + "".join(part if part.startswith("<") else run(part) for part in parts) + "</w:p>"


def _shape(content: str) -> str:
    return (f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>{content}</w:txbxContent>'
            f'</wps:txbx><wps:bodyPr/></wps:wsp>')


def _anchor(graphic: str, uri: str) -> str:
    return (f'<w:drawing><wp:anchor behindDoc="0" distT="0" distB="0" distL="0" distR="0" simplePos="0" '
            f'relativeHeight="1" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:extent cx="2000000" cy="800000"/><wp:docPr id="1" name="Text Box 1"/>'
            f'<a:graphic><a:graphicData uri="{uri}">{graphic}</a:graphicData></a:graphic></wp:anchor></w:drawing>')


def text_box(*blocks: str, fallback: bool = True) -> str:
    """A run holding a text box as Word saves it: the DrawingML box, and (``fallback``) the same
    box again as VML for readers that predate it."""
    content = "".join(blocks)
    choice = _anchor(_shape(content), "http://schemas.microsoft.com/office/word/2010/wordprocessingShape")
    if not fallback:
        return f"<w:r>{choice}</w:r>"
    vml = f'<w:pict><v:shape style="width:160pt"><v:textbox><w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict>'
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{choice}</mc:Choice>'
            f'<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>')


def vml_box(*blocks: str) -> str:
    """A text box only as VML (an old Word's file, or one whose Choice a reader lacks)."""
    return (f'<w:r><mc:AlternateContent><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{"".join(blocks)}'
            f'</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


def shape_group(*boxes: list[str]) -> str:
    """A run holding a group of shapes, each a text box with these blocks."""
    shapes = "".join(_shape("".join(blocks)) for blocks in boxes)
    return "<w:r>" + _anchor(f"<wpg:wgp><wpg:grpSpPr/>{shapes}</wpg:wgp>",
                             "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup") + "</w:r>"


def table(*rows: list[str]) -> str:
    """A table; each cell is XML blocks or a plain string (one paragraph)."""
    def cell(value: str) -> str:
        return f"<w:tc>{value if value.startswith('<') else paragraph(value)}</w:tc>"
    return "<w:tbl><w:tblPr/>" + "".join("<w:tr>" + "".join(cell(c) for c in row) + "</w:tr>" for row in rows) + "</w:tbl>"


def note_reference(kind: str, number: int) -> str:
    return f'<w:r><w:{kind}Reference w:id="{number}"/></w:r>'


def add_blocks(document, *blocks: str) -> None:
    """Append XML blocks (paragraphs, tables) to the body, before its section properties."""
    body = document.element.body
    for block in blocks:
        body.insert(len(body) - 1, parse_xml(f"<w:body {NS}>{block}</w:body>")[0])


def add_notes(document, kind: str, notes: dict[int, str]) -> None:
    """A footnotes or endnotes part with Word's two separators (ids -1 and 0) and these notes."""
    separators = "".join(f'<w:{kind} w:type="{t}" w:id="{i}"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
                         for i, t in ((-1, "separator"), (0, "continuationSeparator")))
    body = "".join(f'<w:{kind} w:id="{i}">{paragraph(text)}</w:{kind}>' for i, text in notes.items())
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind}s {NS}>{separators}{body}</w:{kind}s>'
    content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES)
