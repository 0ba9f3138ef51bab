"""`python -m ingest draft REPORT`: a raw trip report becomes a draft note that `check`
accepts with warnings only, and that builds (but never into a public build)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.build import build, check_notes
from ingest.draft.draft import draft_report
from ingest.draft.errors import DraftError
from ingest.draft.overview import read_facts
from ingest.draft.structure import read_structure
from ingest.notes.errors import BuildRefused
from ingest.notes.parse import parse_note, read_note

from .conftest import NOTES, ROOT, make_datasette

# The report as shared beside the repository (../shared/, or ../../shared/ from a worktree), else its copy in the frozen corpus.
WILTON_REPORT = next(path for path in (*(folder / "shared" / "sources" / "wilton-park-2016-trip-report.ko.txt"
                                         for folder in (ROOT.parent, ROOT.parent.parent)),
                                       NOTES / "sources" / "wilton-park-2016-trip-report.ko.txt")
                     if path.exists())
DRAFT = "drafts/2016-03-wilton-park-2016-trip-report.md"
# The four key findings of the Wilton Park report: words of the bullet, and the theme it is about.
KEY_FINDINGS = {
    "기존도시에서의 스마트도시 구축을 위한 비용확보": ("financing", "existing-cities"),
    "시민들이 주체가 되는 클라우드 펀딩": ("crowdfunding",),
    "시민참여적 거버넌스적 측면": ("citizen-governance",),
    "우수성 홍보 방안 마련이 필요": ("international-promotion",),
}


def starting(note, words: str):
    """The candidate whose quote starts with these words."""
    return next(f for f in note.findings if f.quotes[0].text.startswith(words))


def run(*args):
    return subprocess.run([sys.executable, "-m", "ingest", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture
def wilton_draft(notes_dir: Path):
    """The Wilton Park report drafted into a copy of the frozen corpus (its text is already there, the same)."""
    draft_report(WILTON_REPORT, notes_dir)
    return read_note(notes_dir / DRAFT, notes_dir)


def test_the_draft_command_writes_a_draft_that_checks_with_warnings_only_and_builds(notes_dir, tmp_path):
    result = run("draft", str(WILTON_REPORT), "--notes", str(notes_dir))
    assert result.returncode == 0, result.stderr
    assert f"drafted {notes_dir / DRAFT}" in result.stdout and "2016-03-17 to 2016-03-20" in result.stdout
    checked = run("check", "--notes", str(notes_dir))
    assert checked.returncode == 0, checked.stderr
    assert "error" not in checked.stderr and "still TODO" in checked.stderr
    assert checked.stdout.startswith("ok: 2 note(s)")
    built = run("build", "--notes", str(notes_dir), "--db", str(tmp_path / "insights.db"))
    assert built.returncode == 0, built.stderr
    with sqlite3.connect(tmp_path / "insights.db") as conn:
        status = dict(conn.execute("select id, status from sources"))
        drafted = conn.execute("select count(*) from findings where source_id = ?",
                               ("2016-03-wilton-park-2016-trip-report",)).fetchone()[0]
    assert status == {"2016-03-wilton-park-smart-cities": "final", "2016-03-wilton-park-2016-trip-report": "draft"}
    assert drafted >= 15


def test_front_matter_comes_from_the_report(wilton_draft):
    fm = wilton_draft.front_matter
    assert (fm["start"], fm["end"]) == (dt.date(2016, 3, 17), dt.date(2016, 3, 20))
    assert fm["place"] == "Wiston House, Steyning, United Kingdom" and fm["country"] == "GB"
    assert fm["organization"] == "국토연구원"
    assert fm["title_ko"] == "Wilton Park Forum 「Disrupting Smart Cities through Technology」 발표 참석"
    assert fm["title"] == fm["event"] == "Wilton Park Forum: Disrupting Smart Cities through Technology"
    assert (fm["type"], fm["language"], fm["access"], fm["status"]) == ("trip-report", "ko", "internal", "draft")
    assert fm["document"] == "sources/wilton-park-2016-trip-report.ko.txt"
    assert fm["rule"] == "chatham-house"  # 비공개: the safe guess, for a person to confirm


def test_every_quote_is_a_verbatim_bullet_of_the_report(wilton_draft):
    report = WILTON_REPORT.read_text(encoding="utf-8")
    bullets = {line.strip().removeprefix("- ") for line in report.splitlines()}
    quotes = [q.text for f in wilton_draft.findings for q in f.quotes]
    assert quotes and all(quote in bullets for quote in quotes)
    assert len(quotes) == len(wilton_draft.findings) == len(set(quotes))


def test_schedule_expenses_lead_ins_and_photo_remarks_are_not_findings(wilton_draft):
    quotes = " ".join(q.text for f in wilton_draft.findings for q in f.quotes)
    for never in ("해당사항 없음", "인천 10:55", "출장일시", "다음과 같음", "다음과 같은 시사점", "사진 촬영이 불가"):
        assert never not in quotes
    # the purpose may be a finding
    assert any(q.text.startswith("국제사회에 국내 스마트도시의 현황") for f in wilton_draft.findings for q in f.quotes)


def test_the_four_key_findings_have_their_theme_in_the_top_two(wilton_draft):
    for words, themes in KEY_FINDINGS.items():
        finding = next(f for f in wilton_draft.findings if words in f.quotes[0].text)
        top_two = finding.values("themes")[:2]
        assert set(themes) <= set(top_two), (words, finding.values("themes"))


def test_each_candidate_has_a_korean_title_todo_english_and_a_kind(wilton_draft, notes_dir):
    text = (notes_dir / DRAFT).read_text(encoding="utf-8")
    for finding in wilton_draft.findings:
        assert finding.title == "TODO" and finding.summary.startswith("TODO")
        quote = finding.quotes[0].text
        title = finding.attributes["title_ko"]
        assert title.rstrip("…") in quote and len(title) <= 61  # the bullet's words, shortened
    def kind(start: str) -> str:
        return starting(wilton_draft, start).attributes["kind"]

    assert kind("향후 스마트도시에 대한 개념") == "recommendation"  # 합의가 필요하며
    assert kind("스마트도시는 아직까지 제대로") == "implication"  # under '다음과 같은 시사점이 있었음'
    assert kind("이를 위한 방안으로는 민간투자") == "observation"  # 필요성이 언급되었음: reported, not asked for
    assert "- kind: implication  # under a bullet announcing 시사점" in text
    # the reason of each suggestion is a comment naming the words that matched, and the curated finding
    # it is like (the corpus holds the note curated from this report); a lone keyword (논의 for
    # knowledge-exchange) is no longer suggested
    assert "crowdfunding: 시민들이 주체, 클라우드 펀딩" in text
    assert "- themes: existing-cities, financing  # existing-cities: 신도시 구축이 불가능, " in text
    assert 'financing: 비용확보, like "기존도시 스마트화를 위한 비용 확보"' in text


def test_a_proposed_title_ends_at_a_clause_boundary(wilton_draft):
    assert starting(wilton_draft, "스마트도시는 아직까지").attributes["title_ko"] == "스마트도시는 아직까지 제대로 된 개념이 존재하지 않으며"
    assert starting(wilton_draft, "향후 스마트도시에 대한").attributes["title_ko"] == \
        "향후 스마트도시에 대한 개념 및 구성요소 등에 대한 보편적 합의가 필요하며"
    assert starting(wilton_draft, "또한 국내의 경우").attributes["title_ko"] == \
        "국내의 경우와 다르게 시민참여적 거버넌스적 측면에 대하여 강조하는 경향이 높았음"  # 또한 dropped


def test_the_attribute_comments_are_not_part_of_the_values(wilton_draft):
    for finding in wilton_draft.findings:
        assert all("#" not in value for value in finding.attributes.values())


def test_a_public_build_leaves_drafts_out_even_when_marked_public(notes_dir, tmp_path):
    draft_report(WILTON_REPORT, notes_dir)
    note = notes_dir / DRAFT
    note.write_text(note.read_text(encoding="utf-8").replace("access: internal", "access: public"), encoding="utf-8")
    build(notes_dir, tmp_path / "public.db", public=True)
    with sqlite3.connect(tmp_path / "public.db") as conn:
        assert conn.execute("select id, status from sources").fetchall() == [("2016-03-wilton-park-smart-cities", "final")]
        assert conn.execute("select count(*) from findings").fetchone()[0] == 15


def test_a_note_that_is_not_a_draft_may_not_keep_a_todo(notes_dir):
    draft_report(WILTON_REPORT, notes_dir)
    note = notes_dir / DRAFT
    note.write_text(note.read_text(encoding="utf-8").replace("status: draft", "status: final"), encoding="utf-8")
    errors = [p for p in check_notes(notes_dir).problems if p.severity == "error"]
    assert errors and all("still says TODO, and the note is not a draft" in p.message for p in errors)
    assert any(p.line == 1 + next(i for i, line in enumerate(note.read_text().splitlines()) if line == "## TODO")
               for p in errors)
    with pytest.raises(BuildRefused):
        build(notes_dir, notes_dir.parent / "insights.db")


def test_an_unknown_status_is_an_error(notes_dir):
    note = notes_dir / "2016-03-wilton-park-smart-cities.md"
    note.write_text(note.read_text(encoding="utf-8").replace("access: public", "access: public\nstatus: done"),
                    encoding="utf-8")
    assert any("status must be draft or final, not 'done'" in p.message for p in check_notes(notes_dir).errors)


def test_nothing_is_overwritten_without_force(notes_dir):
    draft_report(WILTON_REPORT, notes_dir)
    note = notes_dir / DRAFT
    note.write_text(note.read_text(encoding="utf-8").replace("## TODO", "## Corrected by hand", 1), encoding="utf-8")
    result = run("draft", str(WILTON_REPORT), "--notes", str(notes_dir))
    assert result.returncode == 1 and "already there, with other content" in result.stderr and str(note) in result.stderr
    assert "Corrected by hand" in note.read_text(encoding="utf-8")
    assert run("draft", str(WILTON_REPORT), "--notes", str(notes_dir), "--force").returncode == 0
    assert "Corrected by hand" not in note.read_text(encoding="utf-8")


def test_the_source_is_saved_under_sources_and_the_draft_where_asked(tmp_path, notes_dir):
    (notes_dir / "sources" / WILTON_REPORT.name).unlink()
    report = tmp_path / "wilton.ko.txt"
    report.write_bytes(WILTON_REPORT.read_bytes())
    result = run("draft", str(report), "--notes", str(notes_dir), "-o", str(notes_dir / "inbox"))
    assert result.returncode == 0, result.stderr
    assert (notes_dir / "sources" / "wilton.ko.txt").read_bytes() == WILTON_REPORT.read_bytes()
    note = read_note(notes_dir / "inbox" / "2016-03-wilton.md", notes_dir)
    assert note.front_matter["document"] == "sources/wilton.ko.txt"


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"\n \n", "the report has no text"),
    ("해외출장 복명서\n\n1. 출장개요\n- 출장일시: 2016.03.17 ~ 2016.03.20\n".encode("cp949"), "EUC-KR/CP949"),
    # a document of no known kind is drafted (tests/test_draft_kinds.py), but one with nothing to quote is not
    ("회의 결과\n\n1. 내용\n- 협력 논의\n".encode(), "no paragraph or bullet of ten characters"),
])
def test_bad_reports_get_a_clear_message_and_exit_1(tmp_path, notes_dir, content, message):
    report = tmp_path / "report.txt"
    report.write_bytes(content)
    result = run("draft", str(report), "--notes", str(notes_dir))
    assert result.returncode == 1 and message in result.stderr and str(report) in result.stderr
    assert not (notes_dir / "drafts").exists() and not (notes_dir / "sources" / "report.txt").exists()


@pytest.mark.parametrize("name, words", [
    ("report.doc", "save it as .docx"), ("report.odt", "supported: HWPX (.hwpx), HWP 5 (.hwp), DOCX"),
])
def test_unsupported_formats_say_what_to_do(tmp_path, notes_dir, name, words):
    report = tmp_path / name
    report.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 not really a document")
    with pytest.raises(DraftError) as refused:
        draft_report(report, notes_dir)
    assert words in str(refused.value)


def test_a_comment_ends_an_attribute_value_only_after_a_space():
    note = parse_note("---\nid: n\n---\n\n## T\n- id: f\n- title_ko: C#와 F# 비교  # proposed\n"
                      "- themes: financing, crowdfunding  # financing: 비용확보; crowdfunding: 클라우드 펀딩\n"
                      "- kind: observation #\n\n> q\n\ns\n", "n.md")
    (finding,) = note.findings
    assert finding.attributes["title_ko"] == "C#와 F# 비교"
    assert finding.values("themes") == ["financing", "crowdfunding"]
    assert finding.attributes["kind"] == "observation"


async def test_status_is_a_facet_of_the_sources_page(notes_dir, tmp_path):
    draft_report(WILTON_REPORT, notes_dir)
    build(notes_dir, tmp_path / "insights.db")
    response = await make_datasette(tmp_path / "insights.db").client.get("/insights/sources.json")
    assert response.status_code == 200
    counts = {row["value"]: row["count"] for row in response.json()["facet_results"]["status"]["results"]}
    assert counts == {"draft": 1, "final": 1}


@pytest.mark.parametrize("written, start, end", [
    ("2016.03.17(목) ~ 2016.03.20(일) (2박 4일)", dt.date(2016, 3, 17), dt.date(2016, 3, 20)),
    ("2018. 7. 8.(일) ~ 7. 12.(목)", dt.date(2018, 7, 8), dt.date(2018, 7, 12)),
    ("2019-05-20 ~ 05-24", dt.date(2019, 5, 20), dt.date(2019, 5, 24)),
    ("2017년 11월 13일 ~ 2017년 11월 17일", dt.date(2017, 11, 13), dt.date(2017, 11, 17)),
    ("2015.12.30 ~ 2016.01.02", dt.date(2015, 12, 30), dt.date(2016, 1, 2)),
])
def test_trip_dates_are_read_as_reports_write_them(written, start, end):
    report = read_structure(f"출장 복명서\n\n1. 출장개요\n- 출장기간: {written}\n- 출장지: 미국 시카고\n", "r.txt")
    facts = read_facts(report)
    assert (facts.start, facts.end) == (start, end)
    assert (facts.country, facts.place) == ("US", "시카고, United States")
