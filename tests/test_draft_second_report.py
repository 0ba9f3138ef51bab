"""A second report of the same shape, written for the tests, so that the reader is not fitted to
the Wilton Park one: another trip (Singapore, 2018), another title block, Roman-numbered
sections, □/○ bullets nested by marker, a dotted date with the year given once, its own
implications section (Ⅲ. 시사점 및 향후 과제), a body sub-heading that says 개요, a photo
remark and an attachment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.build import build, check_notes
from ingest.draft.draft import draft_report
from ingest.notes.parse import read_note

from .conftest import ROOT
from .test_draft import starting

SINGAPORE_REPORT = ROOT / "tests" / "fixtures" / "reports" / "world-cities-summit-2018.ko.txt"
SINGAPORE_DRAFT = "drafts/2018-07-world-cities-summit-2018.md"


@pytest.fixture
def singapore_draft(notes_dir: Path):
    draft_report(SINGAPORE_REPORT, notes_dir)
    return read_note(notes_dir / SINGAPORE_DRAFT, notes_dir)


def test_front_matter_of_the_second_report(singapore_draft):
    fm = singapore_draft.front_matter
    assert (fm["start"], fm["end"]) == (dt.date(2018, 7, 8), dt.date(2018, 7, 12))
    assert fm["place"] == "Marina Bay Sands, Singapore" and fm["country"] == "SG"
    assert fm["organization"] == "국토연구원 스마트공간연구센터"
    assert fm["title_ko"] == "세계도시정상회의(World Cities Summit 2018) 참석 및 싱가포르 스마트 네이션 정책 조사"
    assert fm["title"] == "World Cities Summit 2018"
    assert "rule" not in fm  # nothing says the meeting was closed


def test_its_candidates_are_its_purpose_body_and_implication_bullets(singapore_draft):
    quotes = [f.quotes[0].text for f in singapore_draft.findings]
    report = SINGAPORE_REPORT.read_text(encoding="utf-8")
    assert all(f"□ {q}" in report or f"○ {q}" in report for q in quotes)
    assert len(quotes) == 14
    text = " ".join(quotes)
    for never in ("항공료", "사진", "붙임", "Marina Bay Sands", "출장기간", "세부 일정"):
        assert never not in text
    assert quotes[0].startswith("세계도시정상회의에 참석하여")  # the purpose
    assert any(q.startswith("세계도시정상회의는 싱가포르") for q in quotes)  # under '1. 세계도시정상회의 개요'


def test_its_kinds_and_suggestions(singapore_draft):
    def attributes(start: str) -> dict:
        return starting(singapore_draft, start).attributes

    assert attributes("국가시범도시 사업에도")["kind"] == "recommendation"  # 필요함
    assert attributes("스마트시티 데이터 활용 확대에")["kind"] == "recommendation"  # 마련해야 함
    assert attributes("동남아 도시들의 인프라")["kind"] == "implication"  # Ⅲ. 시사점 및 향후 과제
    assert attributes("주민이 참여하는 리빙랩")["kind"] == "observation"

    def top(start: str, name: str = "themes") -> list[str]:
        return starting(singapore_draft, start).values(name)[:2]

    assert "security" in top("스마트시티 세션에서는 데이터")
    # both named; their order follows what the curated findings say of 투자 (a keyword of financing)
    assert set(top("재원 조달 세션에서는")[:2]) == {"private-investment", "financing"}
    assert top("주민이 참여하는 리빙랩")[0] == "citizen-governance"
    # 조정, 추진 체계: governance; new-cities rests on the lone keyword 국가시범도시, too little to suggest
    assert top("국가시범도시 사업에도") == ["governance"]
    assert top("자카르타, 마닐라", "regions")[0] == "southeast-asia"
    assert top("유럽 도시들은 GDPR", "regions") == ["europe"]


def test_its_draft_checks_with_warnings_only_and_builds(singapore_draft, notes_dir, tmp_path):
    checked = check_notes(notes_dir)
    assert not checked.errors and checked.problems
    stats, _ = build(notes_dir, tmp_path / "insights.db")
    assert stats.sources == 2 and stats.findings == 15 + 14
