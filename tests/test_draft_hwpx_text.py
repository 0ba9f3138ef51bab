"""Text wherever 한글 puts it (issue 21, item 4, HWPX and HWP 5 as python-hwpx reads it): the six
files saved by 한글 itself in ../shared/fixtures/real-hwpx/ (read there, never copied into the
project), and notes python-hwpx writes.

Each text the fixtures' README lists is read, in order: text boxes and drawing objects (a box
inside a box too), tables, footnotes and endnotes; headers and footers are read as page furniture
and never reach the report's text, so they are never a candidate nor a quote.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.draft.draft import draft_report
from ingest.draft.errors import ReportError
from ingest.draft.reading import read_report

from .conftest import NOTES, ROOT

REAL_HWPX = ROOT.parent / "shared" / "fixtures" / "real-hwpx"

# The README's table: what 한글 shows in each file, in its order. A paragraph is read whole, then
# what is anchored in it: rect-in-rect's outer box holds one paragraph, 사각형 안에 [inner box]
# 텍스트입니다., read as "사각형 안에 텍스트입니다." and then the inner box (a quote never
# has to span a box, and a sentence is never cut where a box is anchored).
README_TEXTS = {
    "rect-in-rect": ["사각형 안에", "텍스트입니다.", "사각형 안에 사각형의 텍스트입니다."],
    "rect-in-para": ["Start. 이것은 본문 텍스트입니다.", "End", "사각 시각한 사각형입니다.", "오각형이 아니에요",
                     "2번째 사각형"],
    "para-head": ["글머리1-1", "글머리1-2", "글머리2-1", "글머리2-2", "번호1", "번호2", "번호3", "번호3-1",
                  "번호3-2", "번호4", "번호-4-1-1-1", "번호-4-1-1-2", "번호-4-1-2", "번호-4-1-2-1", "개요1",
                  "개요1-1", "개요1-2", "개요1-3", "개요2", "개요2-1", "개요2-1-1"],
    "table": ["C반 기말고사", "날짜", "이름\t국어\t영어\t수학", "개똥이\t89\t65\t78", "칠득이\t77\t77\t77",
              "팔푼이\t88\t88\t88", "육손이\t66\t66\t66", "합계"],
    "multi-column": ["1", "2", "3", "4", "5", "7", "8", "9", "10"] * 14,
}


def real(name: str) -> Path:
    path = REAL_HWPX / f"{name}.hwpx"
    assert path.is_file(), (f"{path} is missing: the six HWPX files saved by 한글 belong in {REAL_HWPX} "
                            "(see its README.md); the tests read them there and never copy them")
    return path


def in_order(text: str, parts: list[str]) -> list[str]:
    """The parts not found in ``text`` after the one before them."""
    missing, at = [], 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            missing.append(part)
        else:
            at = found + len(part)
    return missing


@pytest.mark.parametrize("name", README_TEXTS)
def test_every_text_the_readme_lists_is_read_in_order(name):
    """Breaks if the HWPX reader reads only a section's body paragraphs (rect-in-rect gave "the report
    has no text"; rect-in-para lost its shapes' text; table lost C반 기말고사, which sits in a
    rectangle), or reads anchored objects out of document order. para-head and multi-column read
    the same before: they guard bullets, numbering and columns."""
    text = read_report(real(name)).text
    assert in_order(text, README_TEXTS[name]) == []


def test_a_box_inside_a_box_gives_each_paragraph_once_its_own_text_first():
    """Breaks if a paragraph's text includes the text of the box anchored in it, or a box's
    paragraphs are read twice (once in the paragraph, once walked), or the box comes first."""
    lines = [line for line in read_report(real("rect-in-rect")).text.split("\n") if line.strip()]
    assert lines == ["사각형 안에 텍스트입니다.", "사각형 안에 사각형의 텍스트입니다."]


def test_a_shapes_comment_is_not_text():
    """Breaks if hp:shapeComment (the shape's description, which 한글 does not show: 사각형입니다.)
    is read as a paragraph."""
    for name in ("rect-in-rect", "rect-in-para", "table"):
        assert "사각형입니다." not in read_report(real(name)).text.split("\n")


def test_header_and_footer_are_read_as_furniture_not_as_text():
    """Breaks if headers and footers are not read at all (the old reader never saw them), or if
    they are read into the report's text. header-footer.hwpx has no other text, so it is refused
    as having none."""
    from hwpx import HwpxDocument

    from ingest.draft.office import read_hangul_text

    read = read_hangul_text(HwpxDocument.open(real("header-footer")))
    assert sorted(read.furniture) == ["꼬리말", "머리말 테스트"]
    assert not any(text.strip() for _, text in read.paragraphs)
    with pytest.raises(ReportError, match="has no text"):
        read_report(real("header-footer"))


TRIP_REPORT = ["해외출장 복명서", "1. 출장개요", "출장목적: 스마트도시 협력 방안 논의", "출장기간: 2024.05.20 ~ 2024.05.24",
               "2. 출장내용", "○ 스마트도시 데이터 플랫폼은 시민 참여를 전제로 설계되어야 한다는 의견이 많았음",
               "3. 시사점", "○ 국내 시범도시에도 시민이 데이터를 직접 제공하는 구조가 필요함"]


def test_a_header_and_footer_are_never_candidates(tmp_path):
    """Breaks if header or footer text reaches the draft: the title block, the front matter, a
    candidate or its quote. The report is 한글's header-footer.hwpx with a trip report typed in its
    body (by python-hwpx, saved to a temporary folder)."""
    from hwpx import HwpxDocument

    document = HwpxDocument.open(real("header-footer"))
    for line in TRIP_REPORT:
        document.add_paragraph(line)
    report = tmp_path / "header-footer-trip.hwpx"
    document.save_to_path(report)
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(NOTES / "themes.yml", notes / "themes.yml")
    draft = draft_report(report, notes)
    note = draft.note.read_text(encoding="utf-8")
    assert "스마트도시 데이터 플랫폼은" in note and "시민이 데이터를 직접 제공하는" in note
    assert "머리말" not in note and "꼬리말" not in note
    assert not any("머리말" in c.quote or "꼬리말" in c.quote for c in draft.candidates)


def test_footnotes_and_endnotes_are_read_after_the_body(tmp_path):
    """Breaks if footnotes and endnotes are not read (the old reader read none), or are read into
    the middle of the body, between a bullet and the next."""
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    first = document.paragraphs[0]
    first.text = "본문 첫째 문단입니다."
    document.notes.add_footnote("각주의 내용입니다.", first)
    second = document.add_paragraph("본문 둘째 문단입니다.")
    document.notes.add_endnote("미주의 내용입니다.", second)
    document.add_paragraph("본문 셋째 문단입니다.")
    report = document.save_to_path(tmp_path / "notes.hwpx") or tmp_path / "notes.hwpx"
    lines = [line for line in read_report(report).text.split("\n") if line.strip()]
    assert lines == ["본문 첫째 문단입니다.", "본문 둘째 문단입니다.", "본문 셋째 문단입니다.",
                     "각주의 내용입니다.", "미주의 내용입니다."]


@pytest.mark.parametrize("name", ["rect-in-rect", "rect-in-para", "table"])
def test_an_hwp5_file_reads_its_boxes_as_its_hwpx_twin(tmp_path, name):
    """Breaks if the .hwp reader reads only body paragraphs: the real 한글 file saved as HWP 5 by
    python-hwpx (its hwp5 writer) reads every README text, exactly as the HWPX it came from."""
    from hwpx import HwpxDocument

    from .report_files import is_hwp5

    hwp = tmp_path / f"{name}.hwp"
    HwpxDocument.open(real(name)).save_to_path(hwp)
    assert is_hwp5(hwp)
    text = read_report(hwp).text
    assert in_order(text, README_TEXTS[name]) == []
    assert text == read_report(real(name)).text


def test_the_paragraph_limit_counts_the_paragraphs_in_boxes():
    """Breaks if report_paragraphs counts only a section's body paragraphs: rect-in-para has one,
    and three more in its shapes."""
    from ingest.draft.limits import Limits

    assert read_report(real("rect-in-para"), Limits(report_paragraphs=4)).text
    with pytest.raises(ReportError, match="report_paragraphs"):
        read_report(real("rect-in-para"), Limits(report_paragraphs=3))


HP = 'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph" xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section"'


def p(text: str = "", inside: str = "") -> str:
    return f'<hp:p paraPrIDRef="0"><hp:run><hp:t>{text}</hp:t>{inside}</hp:run></hp:p>'


def box(*paragraphs: str) -> str:
    return f'<hp:rect><hp:drawText><hp:subList>{"".join(paragraphs)}</hp:subList></hp:drawText></hp:rect>'


def table(*rows: list[str]) -> str:
    cells = "".join("<hp:tr>" + "".join(f"<hp:tc><hp:subList>{c}</hp:subList></hp:tc>" for c in row) + "</hp:tr>"
                    for row in rows)
    return f"<hp:tbl>{cells}</hp:tbl>"


def test_a_table_row_is_one_line_and_what_sits_in_a_cell_follows_its_row():
    """Breaks if a paragraph holding a table loses its own text, if a cell's box or inner table is
    read into the cell's line (or lost), or if a cell's paragraphs are not joined into one cell."""
    from lxml import etree

    from ingest.draft.hangul_text import read_sections

    section = etree.fromstring(
        f"<hs:sec {HP}>" + p("표 앞의 문장", table([p("가"), p("나", box(p("셀 안의 상자"))) + p("다")],
                                                  [p("라"), p(inside=table([p("안쪽 표")]))])) + p("끝") + "</hs:sec>")
    read = read_sections([section], lambda reference: 0.0)
    assert [text for _, text in read.paragraphs] == ["표 앞의 문장", "가\t나 다", "셀 안의 상자", "라\t", "안쪽 표", "끝"]


def test_text_art_is_read_and_what_hangul_does_not_show_is_not():
    """Breaks if 글맵시 (text art, its text an attribute) is lost, or if a hidden comment (숨은 설명)
    or a memo (under its hp:fieldBegin) is read as the document's text."""
    from lxml import etree

    from ingest.draft.hangul_text import read_sections

    hidden = f'<hp:ctrl><hp:hiddenComment><hp:subList>{p("숨은 설명")}</hp:subList></hp:hiddenComment></hp:ctrl>'
    memo = f'<hp:ctrl><hp:fieldBegin type="MEMO"><hp:subList>{p("메모 내용")}</hp:subList></hp:fieldBegin></hp:ctrl>'
    art = '<hp:textart text="스마트도시&#10;정책 동향"><hp:shapeComment>글맵시입니다.</hp:shapeComment></hp:textart>'
    section = etree.fromstring(f"<hs:sec {HP}>" + p("본문", hidden + memo + art) + "</hs:sec>")
    read = read_sections([section], lambda reference: 0.0)
    assert [text for _, text in read.paragraphs] == ["본문", "스마트도시 정책 동향"]
