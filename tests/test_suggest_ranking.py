"""The draft's suggestions (ingest/draft/suggest.py, suggest_scores.py, curated.py): curated
findings like the passage first, names and phrases next, a lone keyword never on its own; where
the evidence is too little, no suggestion and a note that says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.build import build
from ingest.draft.curated import CuratedFindings, curated_for, passage_terms
from ingest.draft.suggest import Suggester, no_suggestion_note
from ingest.notes.parse import parse_note
from ingest.notes.vocabulary import load_vocabulary

from .conftest import ROOT

VOCABULARY = load_vocabulary(ROOT / "notes" / "themes.yml", "themes.yml")
# The two false friends: 지표 as "the strongest indicator of success", 참여 for universities taking part.
INDICATOR = "해외 사례에서는 이용자의 꾸준한 재이용이 성공의 가장 강력한 지표로 꼽혔음"
UNIVERSITIES = "지역 대학들이 참여하여 운행 데이터를 분석하고 정비 인력을 양성하는 교육과정을 운영함"

CURATED = """---
id: 2023-01-bus-fares
title: Bus fares
type: study
access: public
{status}
---

## Operating subsidies keep rural buses running
- id: rural-bus-subsidies
- title_ko: 농촌 버스 운영 보조금
- themes: financing
- kind: observation

> 농촌 노선버스 운영 보조금은 군 단위 재정으로 감당하기 어려워 광역 보조금으로 바뀌었음

Counties could not pay for rural bus operations alone.

## Fares were promoted abroad
- id: fares-promoted
- title_ko: 요금 제도의 해외 홍보
- themes: international-promotion
- kind: observation

> 통합 요금 제도는 해외 도시 대표단에게 소개되었음

The fare system was shown to visiting delegations.
"""


def note(status: str = "") -> object:
    return parse_note(CURATED.format(status=status), "bus.md")


def themes(suggester: Suggester, passage: str) -> list[str]:
    return [s.slug for s in suggester.suggest(passage)["themes"]]


def test_a_curated_neighbours_theme_wins_over_a_lone_keyword():
    """Breaks if neighbours stop voting, or a one-word keyword (지표) outweighs them."""
    suggester = Suggester(VOCABULARY, CuratedFindings.from_notes([note()]))
    passage = "농촌 노선버스 운영 보조금을 광역 보조금으로 바꾼 뒤 지표가 개선됨"
    suggestions = suggester.suggest(passage)["themes"]
    assert [s.slug for s in suggestions] == ["financing"]
    # 보조금 is a financing keyword too (ISO 37120 Finance); the neighbour is named beside it
    assert suggestions[0].reason == 'financing: 보조금, like "농촌 버스 운영 보조금"'


def test_below_the_threshold_nothing_is_suggested_and_the_note_says_why():
    """Breaks if a lone keyword is suggested again, or the draft's TODO line loses its reason."""
    suggestions = Suggester(VOCABULARY).suggest(INDICATOR)
    assert suggestions["themes"] == []
    assert no_suggestion_note(suggestions, "themes") == (
        "no suggestion: only weak hints (concept-and-standards from 지표), below the threshold; "
        "choose themes in notes/themes.yml")
    nothing = Suggester(VOCABULARY).suggest("오후에는 다음 장소로 이동함")
    assert no_suggestion_note(nothing, "themes").startswith(
        "no suggestion: no word of notes/themes.yml matched and no curated finding is alike")


@pytest.mark.parametrize("curated", ["none", "repository"])
def test_the_false_friends_suggest_nothing_wrong(curated):
    """지표 (indicator of success) is not concept-and-standards; universities taking part (참여)
    are not citizen-participatory governance: with or without the repository's curated notes."""
    suggester = Suggester(VOCABULARY, curated_for(ROOT / "notes") if curated == "repository" else None)
    assert "concept-and-standards" not in themes(suggester, INDICATOR)
    assert "citizen-governance" not in themes(suggester, UNIVERSITIES)
    assert "academia" in [s.slug for s in suggester.suggest(UNIVERSITIES)["stakeholders"]]  # 대학: a name


def test_names_and_phrases_are_suggested_with_the_words_that_matched():
    """Breaks if names or keywords of several words stop counting enough on their own."""
    suggester = Suggester(VOCABULARY)
    assert suggester.suggest("민관협력(PPP)과 녹색채권을 통한 투자 확대")["themes"][0].reason == \
        "private-investment: 민관협력, PPP"
    assert themes(suggester, "가상 싱가포르 디지털 트윈을 도시계획에 활용") == ["innovation"]  # 디지털 트윈: a phrase


def test_drafts_are_never_learned_from():
    """A draft's tags are suggestions: learning from them would feed the suggester its own guesses."""
    passage = "농촌 노선버스 운영 보조금은 군 단위 재정으로 감당하기 어려움"
    terms = passage_terms([passage])[0]
    assert CuratedFindings.from_notes([note(), note("status: draft")]).neighbours(terms)
    assert CuratedFindings.from_notes([note("status: draft")]).neighbours(terms) == []


def test_the_database_and_the_notes_give_the_same_neighbours(notes_dir: Path, tmp_path: Path):
    """The server's insights.db and the parsed notes are two readings of one curation."""
    build(notes_dir, tmp_path / "built.db")
    passage = "유럽권 국가들은 기존도시에서의 스마트도시 구축을 위한 비용확보에 대한 논의가 있었음"
    terms = passage_terms([passage])[0]
    from_db = CuratedFindings.from_database(tmp_path / "built.db").neighbours(terms)
    from_notes = curated_for(notes_dir).neighbours(terms)
    assert from_db == from_notes and from_db
    assert from_db[0].title == "기존도시 스마트화를 위한 비용 확보"
    assert "financing" in from_db[0].tags["themes"]


def test_a_database_beside_the_notes_is_used(notes_dir: Path):
    """`make build` writes insights.db beside notes/: a draft reads it rather than every note."""
    build(notes_dir, notes_dir.parent / "insights.db")
    assert curated_for(notes_dir).conn.execute("PRAGMA database_list").fetchone()[2].endswith("insights.db")
    (notes_dir.parent / "insights.db").unlink()
    assert curated_for(notes_dir).conn.execute("PRAGMA database_list").fetchone()[2] == ""  # in memory
