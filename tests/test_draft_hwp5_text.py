"""HWP 5 (.hwp) text wherever 한글 puts it, beyond the boxes and tables its twins already cover
(tests/test_draft_hwpx_text.py): headers and footers, footnotes and endnotes, and the multi-column
fixture, each saved as HWP 5 by python-hwpx's own writer (a real compound file, checked) and read
exactly as the HWPX it came from."""

from __future__ import annotations

import pytest

from ingest.draft.errors import ReportError
from ingest.draft.office import read_hangul_text
from ingest.draft.reading import read_report

from .report_files import is_hwp5
from .test_draft_hwpx_text import README_TEXTS, in_order, real


def as_hwp5(document, path):
    document.save_to_path(path)
    assert is_hwp5(path), f"{path} is not an HWP 5 file"
    return path


def test_an_hwp5_header_and_footer_are_furniture_never_text(tmp_path):
    """Breaks if the HWP 5 path loses headers and footers or reads them into the report's text."""
    from hwpx import HwpxDocument

    hwp = as_hwp5(HwpxDocument.open(real("header-footer")), tmp_path / "header-footer.hwp")
    read = read_hangul_text(HwpxDocument.open(hwp))
    assert sorted(read.furniture) == ["꼬리말", "머리말 테스트"]
    assert not any(text.strip() for _, text in read.paragraphs)
    with pytest.raises(ReportError, match="has no text"):
        read_report(hwp)


def test_hwp5_footnotes_and_endnotes_follow_the_body(tmp_path):
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    first = document.paragraphs[0]
    first.text = "본문 첫째 문단입니다."
    document.notes.add_footnote("각주의 내용입니다.", first)
    second = document.add_paragraph("본문 둘째 문단입니다.")
    document.notes.add_endnote("미주의 내용입니다.", second)
    hwp = as_hwp5(document, tmp_path / "notes.hwp")
    lines = [line for line in read_report(hwp).text.split("\n") if line.strip()]
    assert lines == ["본문 첫째 문단입니다.", "본문 둘째 문단입니다.", "각주의 내용입니다.", "미주의 내용입니다."]


def test_the_multi_column_fixture_as_hwp5_reads_as_its_hwpx_twin(tmp_path):
    from hwpx import HwpxDocument

    hwp = as_hwp5(HwpxDocument.open(real("multi-column")), tmp_path / "multi-column.hwp")
    text = read_report(hwp).text
    assert in_order(text, README_TEXTS["multi-column"]) == []
    assert text == read_report(real("multi-column")).text
