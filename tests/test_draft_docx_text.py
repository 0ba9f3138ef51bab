"""Text wherever Word puts it (issue 21, item 4, DOCX): text boxes and shapes (read once although
Word saves each twice, as DrawingML and as VML), tables, a box or table inside either, in document
order; footnotes and endnotes after the body; headers and footers read as page furniture, never
text. The files are built with python-docx and Word's own XML for what python-docx cannot write
(tests/docx_parts.py)."""

from __future__ import annotations

from pathlib import Path

import docx

from ingest.draft.draft import draft_report
from ingest.draft.office import read_docx, read_docx_text
from ingest.notes.parse import read_note

from .docx_parts import (add_blocks, add_notes, note_reference, paragraph, run, shape_group, table, text_box,
                         vml_box)
from .report_files import write_docx
from .test_draft import WILTON_REPORT
from .test_draft_formats import empty_notes


def saved(document, path: Path) -> Path:
    document.save(str(path))
    return path


def lines(path: Path) -> list[str]:
    return [line.strip() for line in read_docx(path, path.name).splitlines() if line.strip()]


def test_a_text_box_is_read_once_after_the_paragraph_it_is_anchored_in(tmp_path):
    """Breaks if the VML fallback is read as well as the DrawingML box (every box twice), or if
    the box's text is lost or cuts its paragraph's sentence."""
    document = docx.Document()
    add_blocks(document,
               paragraph("본문 첫 문단입니다."),
               paragraph("요약 상자가 ", text_box(paragraph("□ 요약: 스마트도시 재원은 민간과 공공이 분담")), "여기 붙어 있습니다."),
               paragraph("본문 마지막 문단입니다."))
    assert lines(saved(document, tmp_path / "box.docx")) == [
        "본문 첫 문단입니다.", "요약 상자가 여기 붙어 있습니다.", "□ 요약: 스마트도시 재원은 민간과 공공이 분담",
        "본문 마지막 문단입니다."]


def test_a_box_only_in_vml_is_read_and_a_box_without_fallback_too(tmp_path):
    document = docx.Document()
    add_blocks(document, paragraph(vml_box(paragraph("옛 워드의 글상자"))),
               paragraph(text_box(paragraph("대체 없는 글상자"), fallback=False)))
    assert lines(saved(document, tmp_path / "vml.docx")) == ["옛 워드의 글상자", "대체 없는 글상자"]


def test_boxes_inside_boxes_groups_and_tables_come_in_document_order(tmp_path):
    """A box inside a box after the outer box's paragraph; a group's boxes in order; a table in a
    box; a box and a table inside a cell after that cell's row."""
    document = docx.Document()
    inner = text_box(paragraph("안쪽 상자"))
    add_blocks(document,
               paragraph("하나", text_box(paragraph("바깥 상자 ", inner, "문장"), table(["상자 속 표", "칸"]))),
               paragraph(shape_group([paragraph("묶음 첫째")], [paragraph("묶음 둘째")])),
               table(["이름", "내용"],
                     ["가", paragraph("칸 문단", text_box(paragraph("칸 속 상자"))) + table(["속 표", "값"])],
                     ["나", "끝"]),
               paragraph("둘"))
    assert lines(saved(document, tmp_path / "nested.docx")) == [
        "하나", "바깥 상자 문장", "안쪽 상자", "상자 속 표\t칸", "묶음 첫째", "묶음 둘째",
        "이름\t내용", "가\t칸 문단", "칸 속 상자", "속 표\t값", "나\t끝", "둘"]


def test_a_vertically_merged_cell_is_read_once(tmp_path):
    document = docx.Document()
    add_blocks(document, '<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
                         + paragraph("병합") + "</w:tc><w:tc>" + paragraph("1") + "</w:tc></w:tr>"
                         "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc>" + paragraph("2")
                         + "</w:tc></w:tr></w:tbl>")
    assert lines(saved(document, tmp_path / "merged.docx")) == ["병합\t1", "2"]


def test_footnotes_and_endnotes_follow_the_body_in_the_order_cited_without_separators(tmp_path):
    document = docx.Document()
    add_blocks(document, paragraph("첫째 문장", note_reference("footnote", 2)),
               paragraph("둘째 문장", note_reference("endnote", 1), note_reference("footnote", 1)))
    add_notes(document, "footnote", {1: "각주 하나", 2: "각주 둘"})
    add_notes(document, "endnote", {1: "미주 하나"})
    assert lines(saved(document, tmp_path / "notes.docx")) == ["첫째 문장", "둘째 문장", "각주 둘", "미주 하나", "각주 하나"]


def test_deleted_text_and_field_codes_are_not_read_inserted_text_and_links_are(tmp_path):
    document = docx.Document()
    add_blocks(document, paragraph(
        '<w:del w:id="1" w:author="a"><w:r><w:delText>지운 글</w:delText></w:r></w:del>',
        '<w:ins w:id="2" w:author="a">' + run("넣은 글 ") + "</w:ins>",
        '<w:hyperlink r:id="rId99">' + run("링크 글") + "</w:hyperlink>",
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
    assert lines(saved(document, tmp_path / "changes.docx")) == ["넣은 글 링크 글"]


def test_a_line_break_is_a_space_unless_a_bullet_follows(tmp_path):
    document = docx.Document()
    add_blocks(document, paragraph("한 문장이", "<w:r><w:br/></w:r>", "이어집니다.", "<w:r><w:br/></w:r>", "○ 새 항목"))
    assert lines(saved(document, tmp_path / "breaks.docx")) == ["한 문장이 이어집니다.", "○ 새 항목"]


def test_headers_and_footers_are_furniture_never_the_reports_text(tmp_path):
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "국토연구원 내부 검토용"
    section.footer.paragraphs[0].text = "- 1 -"
    add_blocks(document, paragraph("본문입니다."))
    path = saved(document, tmp_path / "furniture.docx")
    read = read_docx_text(path, path.name)
    assert read.furniture == ["국토연구원 내부 검토용", "- 1 -"]
    assert [text for _, text in read.paragraphs] == ["본문입니다."]


def test_a_report_with_a_running_header_drafts_as_without_it(tmp_path):
    """Breaks if a header or footer reaches the title block, a field or a candidate."""
    text = WILTON_REPORT.read_text(encoding="utf-8")
    drafts = {}
    for framed in (False, True):
        folder = tmp_path / str(framed)
        folder.mkdir()
        path = write_docx(text, folder / "wilton-park-2016-trip-report.docx")
        if framed:
            document = docx.Document(str(path))
            document.sections[0].header.paragraphs[0].text = "□ 국토연구원 해외출장 복명서 (대외비)"
            document.sections[0].footer.paragraphs[0].text = "○ 스마트도시연구센터 - 1 -"
            document.save(str(path))
        result = draft_report(path, empty_notes(folder / "notes"))
        drafts[framed] = result.note.read_text(encoding="utf-8")
    assert drafts[True] == drafts[False]
    assert "대외비" not in result.document.read_text(encoding="utf-8")


def quotes_of(result) -> list[str]:
    return [quote.text for finding in read_note(result.note, result.note.parent.parent).findings
            for quote in finding.quotes]


def test_a_report_whose_implications_sit_in_a_text_box_quotes_them(tmp_path):
    """Breaks if the draft misses text that Word keeps in a box (a summary or callout box)."""
    text = WILTON_REPORT.read_text(encoding="utf-8")
    head, lead, tail = text.partition("- 본 포럼 참석 후 다음과 같은 시사점이 있었음")
    assert lead, "the Wilton Park report announces its implications in a bullet"
    path = write_docx(head, tmp_path / "wilton-park-2016-trip-report.docx")
    document = docx.Document(str(path))
    add_blocks(document, paragraph(text_box(*(paragraph(line) for line in (lead + tail).splitlines() if line.strip()))))
    document.save(str(path))
    boxed = draft_report(path, empty_notes(tmp_path / "notes"))
    whole = draft_report(write_docx(text, tmp_path / "whole" / path.name) if (tmp_path / "whole").mkdir() is None
                         else None, empty_notes(tmp_path / "notes-whole"))
    implications = [line.strip()[2:] for line in tail.splitlines() if line.startswith(" - ")]
    assert len(implications) == 3
    assert all(line in quotes_of(boxed) for line in implications)
    assert quotes_of(boxed) == quotes_of(whole)
