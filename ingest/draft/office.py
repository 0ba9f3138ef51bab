"""HWPX and HWP 5 (한글) and DOCX (Word) reports, through python-hwpx and python-docx.

python-hwpx reads a binary HWP 5 file into the same document model as an HWPX one (and says so
when it meets a password).

Both give paragraphs, tables and text boxes in document order (hangul_text, docx_text). A paragraph's depth comes from its left
margin (한글's 문단 모양 왼쪽 여백, Word's left indent, or a Word list level) and from any
spaces typed before it; a Word list item gets the '- ' marker its numbering draws (unless one is typed).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from .document_text import DocumentText
from .docx_text import read_document
from .errors import ReportError
from .hangul_text import read_sections
from .structure import MARKER
from .text import report_text


def read_hangul(path: Path, name: str) -> str:
    """A .hwpx or .hwp report (``name``: the file as the messages call it)."""
    from hwpx import HwpxDocument  # imported here: only 한글 reports pay for it

    kind = path.suffix[1:].upper()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. which drawing objects an .hwp had that were not converted
            document = HwpxDocument.open(path)
    except MemoryError:  # the reading process's limit: reading.py says so
        raise
    except Exception as error:  # the library raises its own errors, and zip/XML/OLE ones
        raise ReportError(f"{name}: cannot be read as {kind} ({type(error).__name__}: {error})",
                         "open it in 한글 (remove any password: 보안 → 문서 암호 해제) and save it again "
                         "as HWPX (다른 이름으로 저장 → HWPX)") from None
    return report_text(read_hangul_text(document).paragraphs)


def read_hangul_text(document) -> DocumentText:
    """An open python-hwpx document's text, wherever it sits (see hangul_text)."""
    margins: dict = {}

    def margin(reference) -> float:
        if reference not in margins:
            margins[reference] = _hwpx_margin(document, reference)
        return margins[reference]

    return read_sections((section.element for section in document.sections), margin)


def _hwpx_margin(document, reference) -> float:
    try:
        margin = document.styles.paragraph_property(reference).margin
        return float(margin.left or 0)
    except (AttributeError, TypeError, ValueError, KeyError):
        return 0.0


def read_docx(path: Path, name: str) -> str:
    return report_text(read_docx_text(path, name).paragraphs)


def read_docx_text(path: Path, name: str) -> DocumentText:
    """A .docx report's text wherever Word puts it (see docx_text), headers and footers as furniture."""
    import docx  # imported here: only DOCX reports pay for it
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except MemoryError:  # the reading process's limit: reading.py says so
        raise
    except Exception as error:  # python-docx raises on anything that is not a Word package
        raise ReportError(f"{name}: cannot be read as DOCX ({type(error).__name__}: {error})",
                         "open it in Word and save it again as .docx") from None
    body = document._body
    return read_document(document, lambda p, text: docx_indent(Paragraph(p, body), text))


def docx_indent(paragraph, text: str) -> tuple[float, str]:
    """A python-docx paragraph's left indent in points and its text, with the '- ' a list draws."""
    indent = _read(lambda: paragraph.paragraph_format.left_indent or 0)
    number = _read(lambda: paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None, None)
    style = _read(lambda: paragraph.style.name if paragraph.style is not None else "", "") or ""
    if (number is not None or style.startswith("List")) and text.strip() and not MARKER.match(text.strip()):
        if number is not None and _read(lambda: number.ilvl, None) is not None:
            level = _read(lambda: int(number.ilvl.val))
        else:  # 'List Bullet 2' is the second level
            level = int(digits[1]) - 1 if (digits := re.search(r"(\d{1,2})$", style)) else 0
        indent += (min(max(level, 0), 9) + 1) * 228600  # a list level: a quarter inch, in EMU
        text = "- " + text.lstrip()
    return float(indent) / 12700, text  # EMU → points


def _read(attribute, default=0):
    """An attribute of Word's XML as python-docx reads it, or ``default`` where the file holds
    something else (``<w:ind w:left="abc"/>`` makes python-docx raise ValueError)."""
    try:
        return attribute()
    except (ValueError, TypeError, KeyError, AttributeError):
        return default
