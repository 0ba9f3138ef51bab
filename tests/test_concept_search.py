"""Search by concept: a word that names a theme, region or stakeholder type finds the findings
tagged with it (or with a narrower theme), in either language, and the page says so."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ingest.build import build
from ingest.notes.errors import BuildRefused
from ingest.search.concepts import lookup_in, text_key
from ingest.search.query import concepts_matched, fts_match

from .conftest import NOTES, make_datasette

# Korean only: its title, quote and summary never name the theme in English.
KOREAN_ONLY = """---
id: 2025-05-seoul-workshop
title: 서울 스마트도시 워크숍
title_ko: 서울 스마트도시 워크숍
type: conference-report
language: ko
access: public
rule: none
---

## 주민이 직접 돈을 모으는 방식
- id: neighbourhood-pool
- title_ko: 주민이 직접 돈을 모으는 방식
- themes: crowdfunding
- regions: korea
- stakeholders: citizens
- kind: observation

> 동네 주민들이 소액을 모아 공원 조명 사업을 추진하였음

주민들이 소액을 모아 공원 조명을 바꾸었다.
"""

# English only: its text never names the theme in Korean, nor the word governance.
ENGLISH_ONLY = """---
id: 2025-06-amsterdam-visit
title: Amsterdam site visit
type: site-visit
language: en
access: public
rule: none
---

## Residents sit on the board that runs the sensors
- id: resident-board
- title_ko: Resident board
- themes: citizen-governance
- regions: europe
- stakeholders: citizens
- kind: observation

> Residents hold three of the seven seats on the board.

The board that runs the street sensors includes residents.
"""

CROWDFUNDING = "2025-05-seoul-workshop/neighbourhood-pool"
GOVERNED = "2025-06-amsterdam-visit/resident-board"


@pytest.fixture(scope="module")
def concept_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("concepts")
    shutil.copytree(NOTES, folder / "notes")
    (folder / "notes" / "seoul.md").write_text(KOREAN_ONLY, encoding="utf-8")
    (folder / "notes" / "amsterdam.md").write_text(ENGLISH_ONLY, encoding="utf-8")
    build(folder / "notes", folder / "insights.db")
    return folder / "insights.db"


@pytest.fixture(scope="module")
def ds(concept_db):
    return make_datasette(concept_db)


async def found(ds, query: str) -> set[str]:
    data = (await ds.client.get("/insights/findings.json",
                                params={"_search": query, "_shape": "objects", "_size": "max"})).json()
    return {row["id"] for row in data["rows"]}


async def ranked(ds, query: str) -> list[str]:
    data = (await ds.client.get("/insights/search.json", params={"q": query, "_shape": "objects"})).json()
    return [row["id"] for row in data["rows"]]


@pytest.mark.parametrize("query", ["크라우드펀딩", "클라우드 펀딩", "클라우드펀딩", "crowdfunding", '"crowd funding"',
                                   "Crowdfunding", "크라우드펀딩의"])
async def test_a_finding_whose_text_never_names_its_theme_is_found_by_its_names(ds, query):
    assert CROWDFUNDING in await found(ds, query)
    assert CROWDFUNDING in await ranked(ds, query)


@pytest.mark.parametrize("query", ["financing", "재원 조달", "재원", "funding"])
async def test_a_broader_theme_finds_its_narrower_themes_findings(ds, query):
    """crowdfunding is a kind of financing."""
    assert CROWDFUNDING in await found(ds, query)


async def test_a_korean_only_note_is_found_by_the_english_theme_name(ds):
    assert await found(ds, "crowdfunding") >= {CROWDFUNDING}
    assert CROWDFUNDING not in await found(ds, "lighting")  # its words are Korean only


async def test_an_english_only_note_is_found_by_the_korean_theme_name(ds):
    assert GOVERNED in await found(ds, "시민참여 거버넌스")
    assert GOVERNED in await found(ds, "거버넌스")  # the broader theme governance
    assert GOVERNED in await found(ds, "시민")  # the stakeholder type citizens, by its Korean label


async def test_a_region_and_a_theme_together_both_must_match(ds):
    both = await found(ds, "crowdfunding 한국")
    assert CROWDFUNDING in both and GOVERNED not in both
    assert CROWDFUNDING not in await found(ds, "crowdfunding 유럽")


async def test_findings_whose_words_match_come_before_those_matched_by_concept(ds):
    order = await ranked(ds, "크라우드펀딩")
    by_words = "2016-03-wilton-park-smart-cities/citizen-crowdfunding"  # 크라우드펀딩 in its title
    assert order.index(by_words) < order.index(CROWDFUNDING)


async def test_precision_a_word_inside_a_concept_name_is_not_that_concept(ds):
    """시민 is the stakeholder type citizens, not the theme 시민참여 거버넌스; 도시 names no concept."""
    assert fts_match("도시") == '{title body} : "도시"'
    with sqlite3.connect(ds.databases["insights"].path) as conn:
        assert [c.value for _, c in concepts_matched("시민", lookup_in(conn))] == ["citizens"]
        assert concepts_matched("도시 financ*", lookup_in(conn)) == []


async def test_prefixes_and_unknown_words_match_words_only(ds):
    assert CROWDFUNDING not in await found(ds, "crowdfund*")
    assert await found(ds, "도시락") == set()


@pytest.mark.parametrize("path, parameter", [("/insights/findings", "_search"), ("/insights/search", "q")])
async def test_the_page_says_which_concept_a_word_also_matched(ds, path, parameter):
    page = await ds.client.get(path, params={parameter: "재원"})
    assert page.status_code == 200
    assert "‘재원’ also matched the theme 재원 조달 · Financing" in page.text
    assert "‘재원’(으)로 주제 재원 조달 · Financing에 속한 시사점도 찾았습니다" in page.text
    plain = await ds.client.get(path, params={parameter: "도시"})
    assert "also matched" not in plain.text


async def test_a_query_word_is_escaped_in_the_message(ds):
    page = await ds.client.get("/insights/findings", params={"_search": "<b>재원</b>"})
    assert "<b>재원" not in page.text


def test_the_index_holds_concept_tokens_with_broader_themes(concept_db):
    with sqlite3.connect(concept_db) as conn:
        (tokens,) = conn.execute(
            "select concepts from findings_fts where rowid = (select rowid from findings where id = ?)",
            (CROWDFUNDING,)).fetchone()
    assert tokens.split() == ["themecrowdfunding", "themefinancing", "regionkorea", "stakeholdercitizens"]


def test_names_are_keyed_as_the_analyser_reads_them():
    assert text_key("클라우드 펀딩") == text_key("클라우드펀딩의") == "클라우드펀딩"
    assert text_key("Crowd-funding") == "crowdfunding"


def test_two_concepts_whose_names_read_the_same_refuse_the_build_with_file_and_line(tmp_path):
    """시민의 and 시민 are spelled apart, so themes.yml loads; the analyser reads both as 시민."""
    notes = tmp_path / "notes"
    shutil.copytree(NOTES, notes)
    vocabulary = (notes / "themes.yml").read_text(encoding="utf-8")
    clashing = vocabulary.replace("    aliases: [클라우드 펀딩,", "    aliases: [시민의, 클라우드 펀딩,", 1)
    assert clashing != vocabulary
    (notes / "themes.yml").write_text(clashing, encoding="utf-8")
    crowdfunding, citizens = (next(i for i, text in enumerate(clashing.splitlines(), 1) if f"- slug: {slug}" in text)
                              for slug in ("crowdfunding", "citizens"))
    with pytest.raises(BuildRefused) as refused:
        build(notes, tmp_path / "insights.db")
    (problem,) = refused.value.problems
    assert str(problem) == (
        f"themes.yml:{citizens}: error: '시민' reads as the same words as a name of theme 'crowdfunding' "
        f"(line {crowdfunding}) but belongs to stakeholder 'citizens' (a name belongs to one concept: "
        "keep it on one, or make it a keyword)")
    assert not (tmp_path / "insights.db").exists()
