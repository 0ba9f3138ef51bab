"""Damaged and odd reports through the real `python -m ingest draft`: our one-line message (or a
draft), never a traceback, never a library's log lines.

Found by issue 19: a DOCX with ``<w:ind w:left="abc"/>`` gave a ValueError traceback; a damaged
HWPX, or one with a DTD, printed python-hwpx's logged 20-line traceback before our message; a
password-protected PDF said ``cannot be read as PDF ()``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .report_bombs import pdf_pages, pdf_with_password, replace_member
from .report_files import write_docx, write_hwpx
from .test_draft import WILTON_REPORT
from .test_draft_formats import empty_notes


def draft(report: Path, notes: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", "draft", str(report), "--notes", str(notes)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def notes(tmp_path) -> Path:
    return empty_notes(tmp_path / "notes")


@pytest.fixture(scope="module")
def wilton_hwpx(tmp_path_factory) -> Path:
    return write_hwpx(WILTON_REPORT.read_text(encoding="utf-8"), tmp_path_factory.mktemp("hwpx") / "wilton.hwpx")


def test_a_docx_with_an_indent_that_is_not_a_number_is_drafted(tmp_path, notes):
    """The paragraph's indent is read as none. Breaks if left_indent is read outside a guard
    (python-docx raises ValueError on 'abc')."""
    good = write_docx(WILTON_REPORT.read_text(encoding="utf-8"), tmp_path / "good.docx")
    bad = replace_member(good, tmp_path / "wilton-indent.docx", "word/document.xml",
                         lambda xml: xml.replace(b"<w:pPr>", b'<w:pPr><w:ind w:left="abc"/>', 3))
    result = draft(bad, notes)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "drafted " in result.stdout


def test_a_docx_with_a_list_level_that_is_not_a_number_is_drafted(tmp_path, notes):
    """Breaks if a list level is read unguarded (the same kind of ValueError)."""
    good = write_docx(WILTON_REPORT.read_text(encoding="utf-8"), tmp_path / "good.docx")
    bad = replace_member(good, tmp_path / "wilton-level.docx", "word/document.xml",
                         lambda xml: xml.replace(b"<w:pPr>", b'<w:pPr><w:numPr><w:ilvl w:val="x"/><w:numId w:val="1"/></w:numPr>', 3))
    result = draft(bad, notes)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def test_a_damaged_hwpx_says_so_in_one_line(tmp_path, notes, wilton_hwpx):
    """A section cut in half. Breaks if python-hwpx's logging reaches the terminal."""
    bad = replace_member(wilton_hwpx, tmp_path / "damaged.hwpx", "Contents/section0.xml", lambda xml: xml[: len(xml) // 2])
    refused(draft(bad, notes), f"{bad}: cannot be read as HWPX", "다른 이름으로 저장 → HWPX")


def test_an_hwpx_with_a_dtd_says_so_in_one_line(tmp_path, notes, wilton_hwpx):
    """python-hwpx refuses a DTD (entity expansion) and logs a traceback. Breaks if that log shows."""
    bad = replace_member(wilton_hwpx, tmp_path / "dtd.hwpx", "Contents/section0.xml",
                         lambda xml: xml.replace(b"?>", b'?><!DOCTYPE hs:sec [<!ENTITY a "aaaa">]>', 1))
    refused(draft(bad, notes), f"{bad}: cannot be read as HWPX")


def test_a_password_protected_pdf_says_it_is_protected(tmp_path, notes):
    """Breaks if pdfminer's PDFPasswordIncorrect (whose message is empty) is shown as '()'."""
    result = draft(pdf_with_password(tmp_path / "secret.pdf"), notes)
    refused(result, "the PDF is protected by a password", "without a password")
    assert "()" not in result.stderr


@pytest.mark.parametrize("damage, error_class", [
    (lambda pdf: pdf.replace(b"/Root 1 0 R", b"/Roots 1 0 R"), "PDFSyntaxError"),
    (lambda pdf: pdf[:200], "PSEOF"),
])
def test_other_pdf_errors_give_their_class(tmp_path, notes, damage, error_class):
    """Breaks if a pdfminer error is shown by its (often empty) message alone."""
    report = pdf_pages(tmp_path / "damaged.pdf", 1)
    report.write_bytes(damage(report.read_bytes()))
    refused(draft(report, notes), "cannot be read as PDF (", error_class)
