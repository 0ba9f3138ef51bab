"""The same report as text, HWPX, DOCX and PDF gives the same draft.

The HWPX and HWP 5 (a real HWP 5 compound file, never an HWPX under another name) are written with python-hwpx, the DOCX with python-docx, the PDF printed by headless
Chromium and the Markdown with '## ' headings and a pipe table, all in the test, from the text
report (see report_files.py); each
is drafted into a notes folder of its own and compared with the text's draft, byte for byte.
Also: a PDF without a text layer is refused, and Korean comes out of every format intact.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.build import check_notes
from ingest.draft.draft import draft_report
from ingest.draft.errors import DraftError
from ingest.draft.reading import read_report

from .conftest import NOTES, ROOT
from .report_files import OLE_SIGNATURE, is_hwp5, write_docx, write_hwp5, write_hwpx, write_markdown, write_pdf
from .test_draft import WILTON_REPORT
from .test_draft_second_report import SINGAPORE_REPORT

REPORTS = {"wilton": WILTON_REPORT, "singapore": SINGAPORE_REPORT}
WRITERS = {"hwpx": write_hwpx, "hwp": write_hwp5, "docx": write_docx, "pdf": write_pdf, "md": write_markdown}
HWP5_SAMPLES = ROOT / "tests" / "fixtures" / "reports" / "hwp5"  # real ones: see the README there


def empty_notes(folder: Path) -> Path:
    """A notes folder with only the vocabulary: the report's text is not there yet."""
    folder.mkdir(parents=True)
    shutil.copy(NOTES / "themes.yml", folder / "themes.yml")
    return folder


def drafted(report: Path, notes: Path) -> tuple[str, str]:
    """The draft note's text and the source text saved for it."""
    result = draft_report(report, notes)
    return result.note.read_text(encoding="utf-8"), result.document.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def text_drafts(tmp_path_factory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("text")
    return {name: drafted(report, empty_notes(base / name))[0] for name, report in REPORTS.items()}


@pytest.mark.parametrize("report_name", REPORTS)
@pytest.mark.parametrize("file_format", WRITERS)
def test_every_format_gives_the_same_draft_as_the_text(report_name, file_format, text_drafts, tmp_path, browser):
    report = REPORTS[report_name]
    stem = report.name.removesuffix(".txt")
    original = tmp_path / f"{stem}.{file_format}"
    writer = WRITERS[file_format]
    text = report.read_text(encoding="utf-8")
    writer(text, original, browser) if file_format == "pdf" else writer(text, original)
    notes = empty_notes(tmp_path / "notes")
    note, source = drafted(original, notes)
    if file_format == "md":  # a Markdown report is its own document, as a text one is
        assert f"document: sources/{stem}.md\n" in note and not (notes / "sources" / f"{stem}.txt").exists()
        note = note.replace(f"sources/{stem}.md", f"sources/{stem}.txt")
    else:  # the original is kept beside the text it was read as; quotes check against that text
        assert (notes / "sources" / f"{stem}.txt").read_text(encoding="utf-8") == source
    assert note == text_drafts[report_name]
    assert (notes / "sources" / original.name).read_bytes() == original.read_bytes()
    checked = check_notes(notes)
    assert not checked.errors and checked.finding_count == note.count("\n## ")
    # Korean intact and in reading order: every bullet of the report, whole, in the order written
    bullets = [line.strip()[2:] for line in text.splitlines() if line.strip()[:2] in ("- ", "○ ", "□ ")]
    positions = [" ".join(source.split()).find(" ".join(b.split())) for b in bullets]
    assert -1 not in positions and positions == sorted(positions)


def test_a_pdf_without_a_text_layer_is_refused(tmp_path, browser):
    page = browser.new_page()
    page.set_content('<div style="width: 400px; height: 300px; background: #333"></div>')
    page.pdf(path=str(tmp_path / "scan.pdf"))
    page.close()
    result = subprocess.run([sys.executable, "-m", "ingest", "draft", str(tmp_path / "scan.pdf"),
                             "--notes", str(empty_notes(tmp_path / "notes"))], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "the PDF has no text layer (a scanned image?)" in result.stderr and "OCR" in result.stderr


def test_every_hwp_file_the_tests_read_is_a_real_hwp5_file(tmp_path):
    """Breaks if the .hwp case (or a sample) becomes an HWPX zip named .hwp again: is_hwp5 reads
    the compound file's signature and the FileHeader's 'HWP Document File' version 5 by hand."""
    written = write_hwp5(WILTON_REPORT.read_text(encoding="utf-8"), tmp_path / "report.hwp")
    for path in (written, *sorted(HWP5_SAMPLES.glob("*.hwp"))):
        assert is_hwp5(path), path
    hwpx_named_hwp = tmp_path / "named.hwp"
    hwpx_named_hwp.write_bytes((HWP5_SAMPLES / "sample_document.hwpx").read_bytes())
    assert not is_hwp5(hwpx_named_hwp)  # the check itself can fail


def test_a_real_hwp5_file_reads_as_its_hwpx_twin():
    hwp = read_report(HWP5_SAMPLES / "sample_document.hwp").text
    assert hwp == read_report(HWP5_SAMPLES / "sample_document.hwpx").text
    assert hwp.startswith("동해 물과 백두산이 마르고 닳도록\n하느님이 보우하사 우리나라 만세\n")
    assert "무궁화 삼천리 화려 강산 대한 사람 대한으로 길이 보전하세" in hwp  # the text of its table


def test_a_real_hwp5_file_that_is_not_a_trip_report_is_drafted_as_a_plain_document(tmp_path):
    """Issue 21: a readable document of no known kind is never refused for its kind (it was, as
    having no 출장개요, before); tests/test_draft_kinds.py checks what the draft holds."""
    result = subprocess.run([sys.executable, "-m", "ingest", "draft", str(HWP5_SAMPLES / "sample_document.hwp"),
                             "--notes", str(empty_notes(tmp_path / "notes"))], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "kind: document (no kind's signs" in result.stdout


def test_a_password_protected_hwp_file_says_so(tmp_path):
    with pytest.raises(DraftError, match="password-protected.*문서 암호 해제"):
        draft_report(HWP5_SAMPLES / "protected_document.hwp", empty_notes(tmp_path / "notes"))


@pytest.mark.parametrize("suffix", [".hwpx", ".hwp", ".docx", ".pdf"])
def test_a_broken_office_file_is_refused_with_its_format_named(tmp_path, suffix):
    broken = tmp_path / f"report{suffix}"
    # each format's own signature, then garbage: an HWP 5 file is a compound file, not a zip
    signature = {".hwp": OLE_SIGNATURE, ".pdf": b"%PDF-1.7\n"}.get(suffix, b"PK\x03\x04")
    broken.write_bytes(signature + b" this is not a real document")
    with pytest.raises(DraftError, match=f"cannot be read as {suffix[1:].upper()}"):
        draft_report(broken, empty_notes(tmp_path / "notes"))
