"""Search that understands Korean, on the real note: every query finds exactly its findings,
on the findings page (`_search`), in the canned `search` query, through Datasette's test
client and through a running `datasette serve`."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest

from ingest.build import build
from ingest.search.query import fts_match

from .conftest import NOTES, WILTON, make_datasette
from .server import datasette_server


class Case(NamedTuple):
    query: str
    slugs: frozenset[str]  # found by their words
    why: str
    by_concept: frozenset[str]  # found only because the query names a concept they carry

    @property
    def found(self) -> frozenset[str]:
        return self.slugs | self.by_concept


def case(query: str, slugs: str, why: str, by_concept: str = "") -> Case:
    return Case(query, frozenset(slugs.split()), why, frozenset(by_concept.split()))


# Every finding of the Wilton Park note whose Korean (title_ko, quote, Korean in the summary)
# contains the morpheme 도시: as 스마트도시 or 스마트 도시, 기존도시, 신도시, 도시변화, 도시의.
DOSI = ("forum-scope perspectives-vary-by-field academics-transparency infrastructure-charges retrofit-financing "
        "private-investment no-shared-concept attractive-label consensus-before-planning international-promotion "
        "mission-purpose")
SMART_CITY = DOSI.replace("private-investment ", "")
CASES = [
    case("도시", DOSI, "도시 alone or inside 스마트도시, 기존도시, 신도시, 도시변화; round-table-format, "
         "firms-technology-markets, citizen-governance and citizen-crowdfunding never say 도시"),
    case("홍보", "international-promotion", "its title says 홍보 방안, its quotes 홍보 방안 and 홍보의; "
         "mission-purpose speaks of promotion only in English"),
    case("홍보의", "international-promotion", "the particle 의 is dropped: the same as 홍보"),
    case("펀딩", "citizen-crowdfunding", "크라우드펀딩 in the title, 클라우드 펀딩 in the quote and summary"),
    case("클라우드펀딩", "citizen-crowdfunding", "the phrase 클라우드 펀딩, written with a space in the quote"),
    case("클라우드 펀딩", "citizen-crowdfunding", "both words, in the quote and the summary"),
    case("투자", "private-investment consensus-before-planning", "민간투자 and 투자뿐 in private-investment; "
         "투자유치 in consensus-before-planning (투자자 is a word of its own and needs 투자*)"),
    case("민간투자", "private-investment", "the phrase 민간 투자 in its title_ko (재원으로서 민간투자)"),
    case("민간투자*", "private-investment", "prefix: also 민간투자자 in its quote"),
    case("보안", "forum-scope", "보안 및 혁신 in its second quote"),
    case("시민", "citizen-governance citizen-crowdfunding", "시민참여적 (citizen-governance); 시민이, 시민들이 "
         "(citizen-crowdfunding)"),
    case("거버넌스", "citizen-governance", "거버넌스를 in the title, 거버넌스적 in the quote; 거버넌스 is the theme "
         "governance, whose narrower themes transparency and citizen-governance the other two carry",
         by_concept="academics-transparency citizen-crowdfunding"),
    case("스마트도시", SMART_CITY, "the phrase 스마트 도시, with or without the space; private-investment says "
         "기존도시 스마트화 (도시 before 스마트), so it is not a match"),
    case("스마트도시는", SMART_CITY, "the particle 는 is dropped: the same as 스마트도시"),
    case("기반시설조성비", "infrastructure-charges", "기반시설조성비를 in title and quote, (기반시설조성비) in the summary"),
    case("신도시", "retrofit-financing", "신도시 구축이 불가능하기 in its quote; the phrase 신 도시, not any 도시; "
         "신도시 is an alias of the theme new-cities, which the other two carry", by_concept="infrastructure-charges mission-purpose"),
    case("기존도시", "retrofit-financing private-investment", "기존도시 in both titles (and in the retrofit quote); "
         "the theme existing-cities (기존도시 is its alias) is on the crowdfunding finding too", by_concept="citizen-crowdfunding"),
    case("crowdfunding", "citizen-crowdfunding private-investment", "the crowdfunding finding, and private-investment's "
         "summary, which points to *citizen-crowdfunding*"),
    case("financing", "infrastructure-charges retrofit-financing private-investment citizen-crowdfunding",
         "porter: financing, finance and finances all stem to financ; the theme financing is on "
         "consensus-before-planning, whose text speaks of 투자유치", by_concept="consensus-before-planning"),
    case("governance", "citizen-governance academics-transparency firms-technology-markets",
         "porter: governance and government both stem to govern; the academic and firm summaries say government; "
         "the crowdfunding finding carries citizen-governance, a narrower theme of governance",
         by_concept="citizen-crowdfunding"),
    case("promotion", "international-promotion mission-purpose", "porter: promotion and promote (international-promotion),"
         " international promotion (mission-purpose)"),
    case("cities", DOSI + " citizen-governance firms-technology-markets citizen-crowdfunding",
         "porter: city and cities; every summary but round-table-format's speaks of (smart) cities"),
    case("도시락", "", "a word of its own: 도시 does not match it, and it does not match 도시"),
    case("스마트시티", "", "the note always writes 스마트도시, never 스마트시티"),
]
IDS = [c.query for c in CASES]
UNSEARCHABLE = ["*", '"', '""', "-", "(", "**"]
PLAIN_WORDS = ['"unbalanced', "AND", "OR", "NOT", "NEAR(", "title:", "a)b", "(도시"]


def ids(slugs) -> set[str]:
    return {f"{WILTON}/{slug}" for slug in slugs}


@pytest.fixture(scope="module")
def module_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("search")
    shutil.copytree(NOTES, folder / "notes")
    build(folder / "notes", folder / "insights.db")
    return folder / "insights.db"


@pytest.fixture(scope="module")
def datasette(module_db):
    return make_datasette(module_db)


def title_matches(db_path: Path, query: str) -> set[str]:
    """Findings whose title columns match ``query`` (an FTS5 column filter)."""
    with sqlite3.connect(db_path) as conn:
        return {row[0] for row in conn.execute(
            "select f.id from findings_fts join findings f on f.rowid = findings_fts.rowid "
            "where findings_fts match ?", (f"title : ({fts_match(query)})",))}  # words only: no lookup


# --- through Datasette's test client -------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_findings_page_search(datasette, case):
    response = await datasette.client.get("/insights/findings.json",
                                          params={"_search": case.query, "_shape": "objects", "_size": "max"})
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["rows"]} == ids(case.found), case.why


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_canned_search_ranks_title_matches_then_body_matches_then_concept_matches(datasette, module_db, case):
    response = await datasette.client.get("/insights/search.json", params={"q": case.query, "_shape": "objects"})
    assert response.status_code == 200
    ranked = [row["id"] for row in response.json()["rows"]]
    assert set(ranked) == ids(case.found) and len(ranked) == len(case.found), case.why
    in_title, by_words = title_matches(module_db, case.query), ids(case.slugs)
    # stable: bm25 order within each group
    assert ranked == sorted(ranked, key=lambda i: (i not in by_words, i not in in_title))


async def test_the_promotion_finding_is_found_with_a_highlighted_snippet(datasette):
    response = await datasette.client.get("/insights/search", params={"q": "홍보"})
    assert response.status_code == 200
    (snippet,) = re.findall(r'<p class="snippet"[^>]*>(.*?)</p>', response.text, re.S)
    assert "<mark>홍보</mark>의 중요성" in snippet  # the original text, its surface form marked
    assert "~2Finternational-promotion" in response.text


async def test_snippets_mark_surface_forms_of_korean_and_stems_of_english(datasette):
    data = (await datasette.client.get("/insights/search.json",
                                       params={"q": "클라우드펀딩 citizen", "_shape": "objects"})).json()
    (row,) = data["rows"]
    assert "<mark>클라우드</mark> <mark>펀딩</mark>에 대한" in row["snippet"]
    assert "<mark>citizens</mark>" in row["snippet"]  # porter: citizen finds citizens


async def test_prefix_matching_is_opt_in(datasette):
    async def found(query):
        data = (await datasette.client.get("/insights/findings.json",
                                           params={"_search": query, "_shape": "objects"})).json()
        return {row["id"] for row in data["rows"]}

    assert await found("투자자") == ids(["private-investment"])
    assert await found("투자") == ids(["private-investment", "consensus-before-planning"])
    assert await found("투자*") == ids(["private-investment", "consensus-before-planning"])
    assert await found("거버") == set()
    assert await found("거버*") == ids(["citizen-governance"])
    # financ* asks for words: the financing findings by their words, not the one tagged financing only
    assert await found("financ*") == ids(["infrastructure-charges", "retrofit-financing", "private-investment",
                                          "citizen-crowdfunding"])
    assert await found('"smart cit"*') == await found("smart cities")


async def test_our_escape_fts_replaces_datasettes(datasette):
    data = (await datasette.client.get("/insights.json", params={
        "sql": "select escape_fts(:q) as m", "q": '스마트도시는 홍보의 "smart city" fin* AND', "_shape": "array"})).json()
    assert data == [{"m": '{title body} : "스마트 도시" AND {title body} : "홍보" AND {title body} : "smart city" '
                          'AND {title body} : "fin" * AND {title body} : "AND"'}]


@pytest.mark.parametrize("query", UNSEARCHABLE)
async def test_a_query_with_nothing_to_search_gets_a_friendly_message(datasette, query):
    for path, parameter in (("/insights/findings", "_search"), ("/insights/search", "q")):
        page = await datasette.client.get(path, params={parameter: query})
        assert page.status_code == 200, (path, page.text[:500])
        assert "검색할 낱말이 없습니다" in page.text and "Nothing to search for" in page.text
        data = await datasette.client.get(path + ".json", params={parameter: query})
        assert data.status_code == 200 and data.json()["rows"] == []


@pytest.mark.parametrize("query", PLAIN_WORDS)
async def test_search_syntax_is_plain_text_never_an_error(datasette, query):
    for path, parameter in (("/insights/findings", "_search"), ("/insights/search", "q")):
        page = await datasette.client.get(path, params={parameter: query})
        assert page.status_code == 200, (path, page.text[:500])
        assert "검색할 낱말이 없습니다" not in page.text


async def test_an_empty_canned_search_shows_no_rows_and_no_message(datasette):
    page = await datasette.client.get("/insights/search")
    assert page.status_code == 200 and "검색할 낱말이 없습니다" not in page.text
    data = (await datasette.client.get("/insights/search.json", params={"q": ""})).json()
    assert data["rows"] == []


# --- hostile text and new words, in a note of their own --------------------------------------

HOSTILE_NOTE = """---
id: 2024-01-lunch-forum
title: A forum over lunch
type: conference-report
access: public
---

## Lunch boxes as a civic technology
- id: lunch-boxes
- title_ko: 도시락 배달 플랫폼
- themes: innovation
- kind: observation

> 도시락 배달 <script>alert("quote")</script> 플랫폼이 논의되었음

Lunch-box delivery came up. <script>alert("summary")</script> <img src=x onerror=alert(1)>
"""


@pytest.fixture
def hostile_ds(notes_dir, tmp_path):
    (notes_dir / "lunch.md").write_text(HOSTILE_NOTE, encoding="utf-8")
    build(notes_dir, tmp_path / "insights.db")
    return make_datasette(tmp_path / "insights.db")


async def test_a_snippet_shows_markup_in_the_text_as_text(hostile_ds):
    page = await hostile_ds.client.get("/insights/search", params={"q": "도시락 script"})
    assert page.status_code == 200
    (snippet,) = re.findall(r'<p class="snippet"[^>]*>(.*?)</p>', page.text, re.S)
    assert "<mark>도시락</mark> 배달 &lt;<mark>script</mark>&gt;alert(&quot;quote&quot;)" in snippet
    assert "<script" not in snippet and "<img" not in snippet and "&lt;img src=x onerror=alert(1)&gt;" in snippet
    assert '<script>alert("' not in page.text


async def test_a_snippet_column_from_other_sql_is_never_rendered_as_html(hostile_ds):
    page = await hostile_ds.client.get("/insights", params={"sql": "select '<b>x</b><mark>y</mark>' as snippet"})
    assert "&lt;b&gt;x&lt;/b&gt;" in page.text


async def test_doshirak_is_found_by_its_own_word_and_by_a_prefix_but_not_by_dosi(hostile_ds):
    async def found(query):
        data = (await hostile_ds.client.get("/insights/findings.json",
                                            params={"_search": query, "_shape": "objects", "_size": "max"})).json()
        return {row["id"] for row in data["rows"]}

    lunch = "2024-01-lunch-forum/lunch-boxes"
    assert await found("도시락") == {lunch}
    assert lunch not in await found("도시")
    assert await found("도시*") == await found("도시") | {lunch}


# --- through a running `datasette serve` -----------------------------------------------------


@pytest.fixture(scope="module")
def server(module_db):
    """One `datasette serve` for the module, started as `make serve` starts it."""
    with datasette_server(module_db) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


@pytest.mark.slow  # a real datasette serve: not in make test-fast
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_running_datasette_serve_finds_the_same(server, case):
    page = server.get("/insights/findings.json", params={"_search": case.query, "_shape": "objects", "_size": "max"})
    assert page.status_code == 200
    assert {row["id"] for row in page.json()["rows"]} == ids(case.found), case.why
    search = server.get("/insights/search.json", params={"q": case.query, "_shape": "objects"})
    assert search.status_code == 200
    assert {row["id"] for row in search.json()["rows"]} == ids(case.found), case.why


def test_a_running_datasette_serve_shows_the_search_pages(server):
    page = server.get("/insights/findings", params={"_search": "홍보"})
    assert page.status_code == 200 and "~2Finternational-promotion" in page.text
    search = server.get("/insights/search", params={"q": "홍보"})
    assert search.status_code == 200 and "<mark>홍보</mark>" in search.text
    unsearchable = server.get("/insights/search", params={"q": "*"})
    assert unsearchable.status_code == 200 and "Nothing to search for" in unsearchable.text


async def test_search_combines_with_tag_filters(datasette):
    data = (await datasette.client.get("/insights/findings.json", params={
        "_search": "투자", "_theme": "financing", "_region": "europe", "_shape": "objects"})).json()
    assert {row["id"] for row in data["rows"]} == ids(["private-investment"])  # consensus-before-planning is global
