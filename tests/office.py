"""Helpers for the office memo tests: HWPX and DOCX files read back with their own libraries."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.text.paragraph import Paragraph
from hwpx import HwpxDocument, TextExtractor, validate_package

from ingest.memo.text import unwrap

HANGUL = re.compile("[\uac00-\ud7a3]")
# The one notice python-hwpx's package validator gives on its own template (and on Hancom's
# files, whose content.hpf lists no version part either): a warning, not an issue with the file.
VERSION_FALLBACK = "manifest does not reference a version part; engine will fall back to 'version.xml'"


def hwpx_paragraphs(content: bytes) -> list[str]:
    """Every paragraph's text, body and table cells (but the table's empty anchor paragraph), as
    python-hwpx's text extractor reads the package."""
    with TextExtractor(zipfile.ZipFile(io.BytesIO(content))) as extractor:
        return [p.text() for p in extractor.iter_document_paragraphs()
                if p.text() or not p.element.findall(".//{*}tbl")]


def hwpx_problems(content: bytes) -> list[str]:
    """What python-hwpx's schema validator and package validator report, but the known notice."""
    document = HwpxDocument.open(io.BytesIO(content))
    problems = [f"schema: {issue}" for issue in document.validate().issues]
    problems += [f"package: {issue.level} {issue.part_name}: {issue.message}"
                 for issue in validate_package(io.BytesIO(content)).issues if issue.message != VERSION_FALLBACK]
    return problems


def docx_paragraphs(content: bytes) -> list[str]:
    """Every paragraph's text and every table cell's, in the document's order, as python-docx reads it."""
    texts = []
    for block in Document(io.BytesIO(content)).iter_inner_content():
        if isinstance(block, Paragraph):
            texts.append(block.text)
        else:
            texts += [cell.text for row in block.rows for cell in row.cells]
    return texts


def docx_korean_runs_without_font(content: bytes, font: str) -> list[str]:
    """The runs holding Hangul whose East Asian font is not ``font``."""
    document = Document(io.BytesIO(content))
    paragraphs = list(document.paragraphs) + [p for t in document.tables for row in t.rows
                                              for cell in row.cells for p in cell.paragraphs]
    return [run.text for p in paragraphs for run in p.runs
            if HANGUL.search(run.text) and (run._r.rPr is None or run._r.rPr.rFonts is None
                                            or run._r.rPr.rFonts.get(f"{{{W}}}eastAsia") != font)]


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def zip_entries(content: bytes) -> list[zipfile.ZipInfo]:
    return zipfile.ZipFile(io.BytesIO(content)).infolist()


def finding_lines(row: dict, lang: str = "ko") -> dict[str, list[str]]:
    """What a memo must show of a findings row: its title, each quote paragraph, its URL."""
    quotes = [q.strip() for q in (unwrap(row["quote"]) or "").split("\n\n") if q.strip()]
    return {"title": [row["title_ko"] if lang == "ko" else row["title"]], "quotes": quotes}


def contains(paragraphs: list[str], text: str) -> bool:
    return any(text in paragraph for paragraph in paragraphs)
