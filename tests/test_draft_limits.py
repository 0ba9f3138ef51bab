"""Report bombs through the real `python -m ingest draft`: each refused quickly, with a message
naming the limit it went over, no traceback and nothing written; and the reading process's own
memory and time limits, when a file gets past the checks made before parsing.

The bombs (tests/report_bombs.py) are made in the test, in a second or less each. Before the
limits the DOCX took 4.6 GB and ended in a traceback, the HWPX 100 s and 1.3 GB, the PDF
8 to 15 s and 0.6 to 0.7 GB; each test here fails if its check is gone (the time bound is generous:
it proves the refusal comes before parsing, not a speed).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.draft.errors import ReportError
from ingest.draft.limits import DEFAULT_LIMITS, Limits
from ingest.draft.reading import read_report

from .conftest import ROOT
from .report_bombs import (docx_bomb, hwpx_bomb, hwpx_many_paragraphs, pdf_bomb, pdf_pages,
                           zip_with_parts)
from .report_files import write_docx
from .test_draft import WILTON_REPORT
from .test_draft_formats import empty_notes

pytestmark = pytest.mark.slow  # report bombs and reading processes killed at their limits: not in make test-fast

QUICK = 20  # seconds: far above a refusal before parsing (under 2 s here), far below parsing a bomb


def draft(report: Path, notes: Path, **limits) -> tuple[subprocess.CompletedProcess, float]:
    """The real CLI, with limits set as an operator sets them (INGEST_REPORT_…)."""
    env = {**os.environ, **{f"INGEST_{name.upper()}": str(value) for name, value in limits.items()}}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "ingest", "draft", str(report), "--notes", str(notes)],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    return result, time.monotonic() - started


def assert_refused(result: subprocess.CompletedProcess, seconds: float, notes: Path, *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr  # one line: ours
    for word in words:
        assert word in result.stderr, result.stderr
    assert seconds < QUICK, f"took {seconds:.1f} s"
    assert sorted(p.name for p in notes.iterdir()) == ["themes.yml"]  # nothing written


@pytest.fixture
def notes(tmp_path) -> Path:
    return empty_notes(tmp_path / "notes")


def test_a_docx_of_200_mb_of_empty_paragraphs_is_refused_before_it_is_parsed(tmp_path, notes):
    """Breaks if the unpacked size is no longer judged before python-docx opens the file."""
    bomb = docx_bomb(tmp_path / "report.docx", megabytes=200)
    assert bomb.stat().st_size < 400_000
    result, seconds = draft(bomb, notes)
    assert_refused(result, seconds, notes, f"{bomb}: unpacks to more than 100 MB (limit: report_uncompressed_bytes)",
                   "INGEST_REPORT_UNCOMPRESSED_BYTES")


def test_an_hwpx_with_one_section_of_452622_paragraphs_is_refused_before_it_is_parsed(tmp_path, notes):
    """Breaks if the compression ratio of a part is no longer judged (python-hwpx's own 64 MiB
    XML limit lets this 64 MB section through)."""
    bomb = hwpx_bomb(tmp_path / "report.hwpx")
    assert bomb.stat().st_size < 300_000
    result, seconds = draft(bomb, notes)
    assert_refused(result, seconds, notes, "its part Contents/section0.xml is compressed",
                   "more than 100 to 1 (limit: report_compression_ratio)")


def test_an_hwpx_of_more_paragraphs_than_a_report_has_is_refused_before_it_is_parsed(tmp_path, notes):
    """Compressed like a real file, but 25,000 paragraphs: breaks if paragraphs are not counted
    in the package before it is parsed."""
    report = hwpx_many_paragraphs(tmp_path / "report.hwpx", 25_000)
    result, seconds = draft(report, notes)
    assert_refused(result, seconds, notes, "has more than 20,000 paragraphs (limit: report_paragraphs)")


def test_a_pdf_page_of_200000_glyphs_is_refused_before_pdfplumber_lays_it_out(tmp_path, notes):
    """Breaks if a page's characters are no longer counted before pdfplumber builds a dict per glyph."""
    bomb = pdf_bomb(tmp_path / "report.pdf", operators=200_000)
    assert bomb.stat().st_size < 10_000
    result, seconds = draft(bomb, notes)
    assert_refused(result, seconds, notes, "its page 1 shows more than 20,000 characters (limit: report_page_characters)")


def test_a_pdf_of_more_pages_than_the_limit_is_refused(tmp_path, notes):
    """Breaks if the pages are not counted first."""
    result, seconds = draft(pdf_pages(tmp_path / "report.pdf", 501), notes)
    assert_refused(result, seconds, notes, "has more than 500 pages (limit: report_pdf_pages)")


def test_a_package_of_too_many_parts_is_refused(tmp_path, notes):
    """Breaks if the zip's members are not counted first."""
    template = write_docx(WILTON_REPORT.read_text(encoding="utf-8"), tmp_path / "template.docx")
    result, seconds = draft(zip_with_parts(tmp_path / "report.docx", 2_001, template), notes)
    assert_refused(result, seconds, notes, "parts, more than 2,000 (limit: report_parts)")


def test_a_report_larger_than_the_upload_limit_is_refused_unopened(tmp_path, notes):
    """Breaks if the file's size is not judged first, or INGEST_REPORT_BYTES is not read."""
    result, seconds = draft(WILTON_REPORT, notes, report_bytes=1000)
    assert_refused(result, seconds, notes, "is larger than 1,000 bytes (limit: report_bytes)")


def test_a_report_with_more_characters_than_the_limit_is_refused(tmp_path, notes):
    """Breaks if the text read is not measured against report_characters."""
    result, seconds = draft(WILTON_REPORT, notes, report_characters=1000)
    assert_refused(result, seconds, notes, "has more than 1,000 characters (limit: report_characters)")


def test_a_reader_that_runs_out_of_memory_is_stopped_with_a_message(tmp_path, notes):
    """A DOCX bomb of 60 MB with the checks before parsing lifted: python-docx grows until the
    reading process's address space (RLIMIT_AS, 300 MB here) is spent, and lxml fails in its own
    words. Breaks if the child has no memory limit (it would take over 1 GB), or if running out
    is not told apart from a damaged file."""
    bomb = docx_bomb(tmp_path / "report.docx", megabytes=60)
    result, seconds = draft(bomb, notes, report_compression_ratio=10**6, report_paragraphs=10**9,
                            report_memory_bytes=300_000_000)
    assert_refused(result, seconds, notes, "reading it needed more than 300 MB of memory (limit: report_memory_bytes)")


def test_a_reader_that_runs_too_long_is_stopped_with_a_message(tmp_path, notes):
    """The HWPX bomb with its checks lifted takes python-hwpx 100 s: the reading process is
    killed at its wall-time limit. Breaks if the child is not timed."""
    bomb = hwpx_bomb(tmp_path / "report.hwpx")
    result, seconds = draft(bomb, notes, report_compression_ratio=10**6, report_paragraphs=10**9, report_seconds=3)
    assert_refused(result, seconds, notes, "reading it took longer than 3 s (limit: report_seconds)")
    assert seconds < 10


def test_an_ordinary_report_reads_within_the_default_limits(tmp_path):
    """The limits leave a real report alone (DOCX of the Wilton Park report, through the child)."""
    report = write_docx(WILTON_REPORT.read_text(encoding="utf-8"), tmp_path / "report.docx")
    read = read_report(report)
    assert read.format == "docx" and "클라우드 펀딩" in read.text


def test_read_report_raises_report_error_naming_the_limit(tmp_path):
    """The interface the writing room calls: ReportError with .limit, and the name it was given."""
    bomb = pdf_bomb(tmp_path / "upload-1234.pdf")
    with pytest.raises(ReportError) as refused:
        read_report(bomb, DEFAULT_LIMITS, name="보고서.pdf")
    assert refused.value.limit == "report_page_characters"
    assert refused.value.message.startswith("보고서.pdf: its page 1 shows more than 20,000 characters")


def test_an_hwp5_file_is_judged_by_its_streams_before_it_is_parsed():
    """The OLE file of an HWP 5: its streams counted, and its sections' paragraph records counted
    as they are inflated. Breaks if the .hwp checks are gone (python-hwpx reads it whole)."""
    sample = ROOT / "tests" / "fixtures" / "reports" / "hwp5" / "sample_document.hwp"
    assert read_report(sample).format == "hwp"
    with pytest.raises(ReportError, match=r"holds \d+ parts, more than 3 \(limit: report_parts\)"):
        read_report(sample, Limits(report_parts=3))
    with pytest.raises(ReportError, match=r"has more than 1 paragraphs \(limit: report_paragraphs\)"):
        read_report(sample, Limits(report_paragraphs=1))
    with pytest.raises(ReportError, match=r"unpacks to more than 1,000 bytes \(limit: report_uncompressed_bytes\)"):
        read_report(sample, Limits(report_uncompressed_bytes=1000))


def test_a_limit_set_to_nonsense_is_a_usage_error(tmp_path, notes):
    result, _ = draft(WILTON_REPORT, notes, report_seconds="soon")
    assert result.returncode == 2 and "INGEST_REPORT_SECONDS='soon'" in result.stderr
    assert Limits().with_environment({"INGEST_REPORT_SECONDS": "2.5"}).report_seconds == 2.5
