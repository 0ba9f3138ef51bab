"""Issue 21, item 1: the draft tool recognises the kind of a document, says which and why (in
the terminal and as a comment on the note's ``type``), lets ``--type`` override it, and drafts any
readable document, of a known kind or none; a call for proposals or a form is never a trip report.

Each document of tests/kind_reports.py is written in the formats it arrives in (HWPX, DOCX, the
web page as HTML) and drafted into a notes folder of its own, which ``ingest check`` then accepts
(warnings for the TODOs only). PDFs: tests/test_draft_candidates_by_kind.py.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.build import check_notes
from ingest.draft.draft import draft_report
from ingest.draft.errors import DraftError
from ingest.draft.kinds import REQUESTS, SIGNS, recognise
from ingest.notes.parse import read_note

from .conftest import ROOT
from .kind_reports import KIND_REPORTS, write_kind_report
from .test_draft import WILTON_REPORT
from .test_draft_formats import HWP5_SAMPLES, empty_notes
from .test_draft_second_report import SINGAPORE_REPORT

EXPECTED = {  # document: (type, words of the reason)
    "research-report": ("report", "recognised from 목차, 장·절, 요약, 정책 제언"),
    "press-release": ("press-release", "recognised from 보도자료, 보도시점"),
    "proceedings": ("proceedings", "recognised from 자료집"),
    "programme": ("proceedings", "recognised from 프로그램"),
    "policy-brief": ("policy-brief", "recognised from 정책 브리프, executive summary, key findings"),
    "call-for-proposals": ("document", "a call for proposals ('제안요청서' near the top)"),
    "form": ("document", "a form ("),
    "web-page": ("web-page", "recognised from saved as HTML"),
}
CASES = [(name, fmt) for name, (_, formats) in KIND_REPORTS.items() for fmt in ("txt", *formats)] + [("web-page", "html")]


def run(*args):
    return subprocess.run([sys.executable, "-m", "ingest", *args], cwd=ROOT, capture_output=True, text=True)


_DRAFTED: dict[tuple[str, str], tuple] = {}  # drafted once per test run (tests only read them)


def drafted(name: str, fmt: str, folder: Path, **options):
    """The document written as ``fmt``, drafted into a notes folder of its own: (Draft, Note).
    Without options, the draft of an earlier test is reused (in that test's folder)."""
    if not options and (name, fmt) in _DRAFTED:
        return _DRAFTED[name, fmt]
    folder.mkdir(parents=True, exist_ok=True)
    notes = empty_notes(folder / "notes")
    result = draft_report(write_kind_report(name, fmt, folder), notes, **options)
    drafted_note = result, read_note(result.note, notes)
    if not options:
        _DRAFTED[name, fmt] = drafted_note
    return drafted_note


@pytest.mark.parametrize("name, fmt", CASES)
def test_each_kind_is_recognised_with_its_reason_in_every_format_and_checks(name, fmt, tmp_path):
    result, note = drafted(name, fmt, tmp_path)
    slug, reason = EXPECTED[name]
    assert (result.kind, note.front_matter["type"]) == (slug, slug)
    assert reason in result.kind_reason
    type_line = next(line for line in result.note.read_text(encoding="utf-8").splitlines() if line.startswith("type:"))
    assert type_line.startswith(f"type: {slug}  # ") and reason in type_line  # the why, beside the value
    checked = check_notes(result.note.parent.parent)
    assert not checked.errors, [p.message for p in checked.errors]
    assert checked.finding_count == len(result.candidates) > 0


@pytest.mark.parametrize("report, slug", [(WILTON_REPORT, "trip-report"), (SINGAPORE_REPORT, "trip-report")])
def test_the_trip_reports_are_still_trip_reports(report, slug):
    kind = recognise(report.read_text(encoding="utf-8"))
    assert kind.slug == slug and "복명서" in kind.reason or "출장 보고" in kind.reason


@pytest.mark.parametrize("name", ["call-for-proposals", "form"])
@pytest.mark.parametrize("fmt", ["txt", "hwpx"])
def test_a_call_for_proposals_or_a_form_is_no_trip_report_and_gets_no_rule(name, fmt, tmp_path):
    """Both say 비공개 (a closed evaluation, a classification) and have 개요/목적 headings: the
    trigger of the issue, where a 제안요청서 was drafted as a trip report under the Chatham House Rule."""
    result, note = drafted(name, fmt, tmp_path)
    assert note.front_matter["type"] == "document" and result.kind != "trip-report"
    assert "rule" not in note.front_matter
    assert "비공개로 진행" in result.document.read_text(encoding="utf-8")  # what the old guess fired on
    assert "neither a trip report nor a meeting" in result.kind_reason


def test_the_terminal_says_which_kind_and_why(tmp_path):
    notes = empty_notes(tmp_path / "notes")
    report = write_kind_report("press-release", "hwpx", tmp_path)
    result = run("draft", str(report), "--notes", str(notes))
    assert result.returncode == 0, result.stderr
    assert "kind: press-release (recognised from 보도자료, 보도시점" in result.stdout
    assert "candidate finding(s) (국토교통부, 2024-05-14)" in result.stdout


def test_type_overrides_the_kind_recognised(tmp_path):
    notes = empty_notes(tmp_path / "notes")
    report = write_kind_report("press-release", "txt", tmp_path)
    result = run("draft", str(report), "--notes", str(notes), "--type", "policy-document")
    assert result.returncode == 0, result.stderr
    assert "kind: policy-document (given (--type))" in result.stdout
    (path,) = (notes / "drafts").glob("*.md")
    note = read_note(path, notes)
    assert note.front_matter["type"] == "policy-document"
    assert not check_notes(notes).errors
    # read as a report (a policy document is), its □/○ points are still its candidates
    assert any(f.quotes[0].text.startswith("데이터 허브는 세종과 부산") for f in note.findings)


def test_type_trip_report_on_a_document_without_an_overview_still_drafts(tmp_path):
    result, note = drafted("policy-brief", "txt", tmp_path, source_type="trip-report")
    assert note.front_matter["type"] == "trip-report"
    assert result.kind_reason == "given (--type); no 출장개요, so read as a plain document"
    assert len(note.findings) == len(result.candidates) >= 8


def test_an_unknown_type_is_refused_with_the_known_ones(tmp_path):
    notes = empty_notes(tmp_path / "notes")
    report = write_kind_report("press-release", "txt", tmp_path)
    result = run("draft", str(report), "--notes", str(notes), "--type", "presse-release")
    assert result.returncode == 1 and "'presse-release' is not a source type of themes.yml" in result.stderr
    assert "press-release" in result.stderr and not (notes / "drafts").exists()


def test_a_document_of_no_known_kind_is_drafted_as_a_plain_document(tmp_path):
    """Before issue 21: 'no 출장개요 (trip overview) found, so this does not look like a trip report'."""
    report = tmp_path / "meeting.txt"
    report.write_text("회의 결과 보고\n\n1. 회의 내용\n- 스마트도시 협력 방안을 논의함\n- 데이터 공유 협약의 갱신 시기를 다음 회의에서 정하기로 함\n",
                      encoding="utf-8")
    notes = empty_notes(tmp_path / "notes")
    result = draft_report(report, notes)
    note = read_note(result.note, notes)
    assert note.front_matter["type"] == "document" and "drafted as a plain document" in result.kind_reason
    assert [f.quotes[0].text for f in note.findings] == ["스마트도시 협력 방안을 논의함", "데이터 공유 협약의 갱신 시기를 다음 회의에서 정하기로 함"]
    assert not check_notes(notes).errors


def test_a_real_hwp5_file_of_no_known_kind_is_drafted_from_what_could_be_read(tmp_path):
    notes = empty_notes(tmp_path / "notes")
    result = draft_report(HWP5_SAMPLES / "sample_document.hwp", notes)
    note = read_note(result.note, notes)
    assert note.front_matter["type"] == "document"
    assert any(f.quotes[0].text == "하느님이 보우하사 우리나라 만세" for f in note.findings)
    assert not check_notes(notes).errors


def test_a_document_with_nothing_to_quote_is_refused_for_that_not_for_its_kind(tmp_path):
    report = tmp_path / "title-only.txt"
    report.write_text("보도자료\n\n짧은 제목\n", encoding="utf-8")
    with pytest.raises(DraftError, match="no paragraph or bullet of ten characters"):
        draft_report(report, empty_notes(tmp_path / "notes"))


def test_a_programme_of_nothing_but_its_schedule_is_refused_for_that(tmp_path):
    """A programme whose every line is the schedule, a speaker or a contact has nothing to quote
    (a note needs a finding); one with a 개최 취지 is drafted from it (test_draft_candidates_by_kind)."""
    report = tmp_path / "programme.txt"
    report.write_text("스마트도시 세미나 프로그램\n\n시간\t내용\n14:00~14:10\t개회사\n14:10~15:00\t주제 발표\n"
                      "좌장: 이민호 (한양대학교 교수)\n문의: 국토연구원 (044-960-0789)\n", encoding="utf-8")
    with pytest.raises(DraftError, match="every paragraph is a programme, contact, participant"):
        draft_report(report, empty_notes(tmp_path / "notes"))


def test_unreadable_files_are_still_refused(tmp_path):
    chrome = tmp_path / "page.html"  # a page saved before its content loaded: menus and scripts only
    chrome.write_text('<html><body><nav class="gnb"><ul><li>홈</li><li>뉴스</li></ul></nav>'
                      '<script>load("기사 본문을 불러오는 중")</script><footer>서울특별시</footer></body></html>', encoding="utf-8")
    with pytest.raises(DraftError, match="the report has no text"):
        draft_report(chrome, empty_notes(tmp_path / "notes"))
    archive = tmp_path / "page.mhtml"
    archive.write_bytes(b"MIME-Version: 1.0\r\n")
    with pytest.raises(DraftError, match=r"web archives \(.mhtml\) are not read.*HTML only"):
        draft_report(archive, empty_notes(tmp_path / "notes2"))


def test_recognising_is_linear_in_the_text():
    """Every sign is searched in the whole text: a long run after what starts one must not rescan."""
    patterns = [sign.pattern for sign in SIGNS] + [pattern for pattern, _ in REQUESTS]
    for unit in (" ", "\n", "\t", " \n", "0", "제 ", "보 ", "#"):
        text = "보도자료 " + unit * 50_000 + "x"
        started = time.perf_counter()
        recognise(text)
        for pattern in patterns:
            pattern.search(text)
        assert time.perf_counter() - started < 2.0, repr(unit)
