"""``/-/mcp`` for AI assistants (issue 22): the official MCP SDK's client over Streamable HTTP
against a real `datasette serve`, started as `make serve` and `make serve-public` start it
(tests/server.py). datasette-mcp needs the ASGI lifespan, so Datasette's in-process test client
cannot serve it.

The notes are the frozen corpus (tests/fixtures/corpus) plus a test note (``NOTE``) with a finding written only in Korean and
tagged crowdfunding, and an internal finding tagged crowdfunding that a public instance must never show.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sqlite3
from contextlib import asynccontextmanager

import httpx
import pytest
from datasette.plugins import pm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from ingest.build import build
from ingest.serve import assistant_tools as tools

from .conftest import NOTES, WILTON, make_datasette
from .server import datasette_server

pytestmark = pytest.mark.slow  # real datasette serve processes: not in make test-fast

CROWDFUNDING = f"{WILTON}/citizen-crowdfunding"
NOTE_ID = "2026-01-seoul-resident-fund"
KOREAN_ONLY = f"{NOTE_ID}/resident-solar"
INTERNAL = f"{NOTE_ID}/internal-returns"
INTERNAL_WORD = "수익률비교메모"  # appears only in the internal finding
NOTE = f"""---
id: {NOTE_ID}
title: 서울 주민 출자 간담회
title_ko: 서울 주민 출자 간담회
type: trip-report
access: public
language: ko
start: 2026-01-10
---

주민 출자 사례를 들은 간담회 기록.

## 주민 출자로 마련한 동네 태양광
- id: resident-solar
- title_ko: 주민 출자로 마련한 동네 태양광
- themes: crowdfunding
- regions: korea
- stakeholders: citizens
- kind: observation

> 주민들이 직접 출자하여 동네 태양광 설비를 마련하였음

주민이 출자한 설비는 주민이 함께 운영한다.

## 내부 검토 시민펀드 수익률
- id: internal-returns
- title_ko: 내부 검토용 시민펀드 {INTERNAL_WORD}
- themes: crowdfunding
- kind: question
- access: internal

> 내부 검토 자료 {INTERNAL_WORD}

비공개 검토: {INTERNAL_WORD}.
"""
TOOLS = {"search_findings", "get_finding", "list_themes", "memo"}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """{"internal": base URL, "public": base URL}: the notes built and served as the Makefile does."""
    root = tmp_path_factory.mktemp("mcp")
    notes = root / "notes"
    shutil.copytree(NOTES, notes)
    (notes / f"{NOTE_ID}.md").write_text(NOTE, encoding="utf-8")
    internal, public = root / "insights.db", root / "public" / "insights.db"
    build(notes, internal)
    public.parent.mkdir()
    build(notes, public, public=True)
    with datasette_server(internal) as internal_base, datasette_server(public, target="serve-public") as public_base:
        yield {"internal": internal_base, "public": public_base, "internal_db": internal}


@asynccontextmanager
async def session(base: str):
    async with streamable_http_client(base + "/-/mcp") as (read, write, *_):
        async with ClientSession(read, write) as client:
            await client.initialize()
            yield client


async def call(client: ClientSession, name: str, arguments: dict):
    """(is_error, the answer: parsed JSON, Markdown, or the error's text)."""
    result = await client.call_tool(name, arguments)
    text = result.content[0].text if result.content else ""
    if result.is_error:
        return True, text
    if result.structured_content is not None:
        answer = result.structured_content
        return False, answer.get("result", answer) if set(answer) == {"result"} else answer
    try:
        return False, json.loads(text)
    except json.JSONDecodeError:
        return False, text  # Markdown


def ids(findings: list[dict]) -> list[str]:
    return [finding["id"] for finding in findings]


async def test_the_tools_are_listed_read_only_with_bilingual_descriptions_that_ask_for_citations(servers):
    """Breaks if a tool is missing, loses its read-only annotation, or its description stops telling
    an assistant (in Korean and English) to cite the URL and citation."""
    async with session(servers["internal"]) as client:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert TOOLS <= set(listed)
    for name in TOOLS:
        tool = listed[name]
        assert tool.annotations.read_only_hint is True, name
        assert re.search("[가-힣]", tool.description), name
        assert "url" in tool.description and "citation" in tool.description and "인용" in tool.description, name


async def test_a_korean_search_finds_the_crowdfunding_finding_with_its_citation_and_url(servers):
    """Breaks if search_findings stops analysing Korean as the search page does (클라우드펀딩의 →
    클라우드 펀딩), or a result loses its citations, URL, labels or quote language."""
    async with session(servers["internal"]) as client:
        error, found = await call(client, "search_findings", {"query": "클라우드펀딩의"})
    assert not error, found
    assert CROWDFUNDING in ids(found)
    finding = found[ids(found).index(CROWDFUNDING)]
    assert finding["url"] == f"{servers['internal']}/insights/findings/{WILTON}~2Fcitizen-crowdfunding"
    assert finding["title_ko"] == "시민이 주체가 되는 크라우드펀딩의 필요성"
    assert finding["title_en"] == "Citizens as investors: crowdfunding smart-city projects"
    assert finding["citation"]["ko"].startswith("국토연구원. 2016.") and finding["url"] in finding["citation"]["ko"]
    assert "Chatham House" in finding["citation"]["en"] and finding["url"] in finding["citation"]["en"]
    assert {"id": "crowdfunding", "ko": "크라우드펀딩", "en": "Crowdfunding"} in finding["themes"]
    assert finding["quote"]["lang"] == "ko" and "클라우드 펀딩" in finding["quote"]["text"]
    assert finding["kind"]["id"] == "observation" and finding["source"]["id"] == WILTON


async def test_an_english_concept_word_finds_a_finding_written_only_in_korean(servers):
    """Breaks if search_findings matches words only and not concepts (crowdfunding names the theme
    that the Korean-only finding is tagged with)."""
    async with session(servers["internal"]) as client:
        error, found = await call(client, "search_findings", {"query": "crowdfunding"})
    assert not error, found
    assert {CROWDFUNDING, KOREAN_ONLY} <= set(ids(found))
    assert "crowdfunding" not in json.dumps({k: v for k, v in found[ids(found).index(KOREAN_ONLY)].items()
                                             if k in ("title_en", "title_ko", "summary", "quote")}).lower()


@pytest.mark.parametrize("query", ["크라우드펀딩", "도시", "governance", "스마트도시는"])
async def test_search_findings_ranks_as_the_search_page_does(servers, query):
    """Breaks if the tool's ranking drifts from the ``search`` canned query's (metadata.json)."""
    page = httpx.get(f"{servers['internal']}/insights/search.json", params={"q": query, "_shape": "objects"}).json()
    async with session(servers["internal"]) as client:
        error, found = await call(client, "search_findings", {"query": query, "limit": 50})
    assert not error, found
    assert ids(found) == [row["id"] for row in page["rows"]][:50]


async def test_filters_narrow_the_search(servers):
    """Breaks if theme, region, stakeholder, kind or source stop narrowing a search, or an empty
    query stops listing what they select."""
    async with session(servers["internal"]) as client:
        _, by_region = await call(client, "search_findings", {"query": "crowdfunding", "region": "korea"})
        _, by_source = await call(client, "search_findings", {"query": "crowdfunding", "source": WILTON})
        _, by_kind = await call(client, "search_findings", {"query": "crowdfunding", "kind": "question"})
        _, by_theme = await call(client, "search_findings", {"query": "시민", "theme": "crowdfunding", "limit": 1})
        _, listed = await call(client, "search_findings", {"query": "", "theme": "crowdfunding", "limit": 50})
    assert ids(by_region) == [KOREAN_ONLY]
    assert CROWDFUNDING in ids(by_source) and KOREAN_ONLY not in ids(by_source)
    assert ids(by_kind) == [INTERNAL]
    assert len(by_theme) == 1 and any(t["id"] == "crowdfunding" for t in by_theme[0]["themes"])
    assert ids(listed) == [KOREAN_ONLY, INTERNAL, CROWDFUNDING]  # no query: every one, newest source first


async def test_get_finding_gives_related_findings_and_an_unknown_id_is_a_clear_error(servers):
    """Breaks if get_finding loses its related findings, or an unknown id is anything but a tool
    error that names it."""
    async with session(servers["internal"]) as client:
        error, finding = await call(client, "get_finding", {"id": CROWDFUNDING})
        unknown_error, message = await call(client, "get_finding", {"id": f"{WILTON}/no-such-finding"})
    assert not error and finding["id"] == CROWDFUNDING and finding["related"]
    assert all(r["url"].startswith(servers["internal"] + "/insights/findings/") for r in finding["related"])
    assert unknown_error and "no-such-finding" in message and "No finding" in message


async def test_list_themes_gives_the_tree_with_counts_and_crosswalks(servers):
    """Breaks if the theme tree, its counts or its crosswalks go missing."""
    async with session(servers["internal"]) as client:
        error, vocabulary = await call(client, "list_themes", {})
    assert not error
    financing = next(t for t in vocabulary["themes"] if t["id"] == "financing")
    crowdfunding = next(t for t in financing["narrower"] if t["id"] == "crowdfunding")
    assert crowdfunding["findings"] == 3 and crowdfunding["ko"] == "크라우드펀딩"
    assert financing["crosswalks"]["giffinger"] == "Smart Economy"
    assert any(r["id"] == "korea" and r["findings"] >= 1 for r in vocabulary["regions"])


async def test_memo_is_the_outline_with_references(servers):
    """Breaks if memo stops giving the 개조식 Markdown memo with its references and URLs, or the
    selection it takes is not bounded."""
    async with session(servers["internal"]) as client:
        error, memo = await call(client, "memo", {"finding_ids": [CROWDFUNDING, KOREAN_ONLY]})
        _, english = await call(client, "memo", {"query": "crowdfunding", "lang": "en", "limit": 5})
        too_many, message = await call(client, "memo", {"finding_ids": [CROWDFUNDING] * 51})
    assert not error
    assert memo.startswith("# 정책 메모 초안") and "## 크라우드펀딩 · Crowdfunding" in memo
    assert "**시민이 주체가 되는 크라우드펀딩의 필요성**" in memo and "참고문헌" in memo
    assert f"{WILTON}~2Fcitizen-crowdfunding" in memo
    assert english.startswith("# Policy memo draft") and "References" in english
    assert too_many and "50" in message


async def test_a_public_instance_shows_no_internal_finding_through_any_tool_and_refuses_sql(servers):
    """Breaks if the public instance's tools can reach an internal finding, or datasette-mcp's
    execute_sql is offered or runs where settings.public.json turns SQL off."""
    async with session(servers["internal"]) as client:  # the internal instance does show it
        _, found = await call(client, "search_findings", {"query": INTERNAL_WORD})
        assert ids(found) == [INTERNAL]
        internal_tools = {tool.name for tool in (await client.list_tools()).tools}
    async with session(servers["public"]) as client:
        answers = [
            await call(client, "search_findings", {"query": INTERNAL_WORD}),
            await call(client, "search_findings", {"query": "crowdfunding", "limit": 50}),
            await call(client, "search_findings", {"query": "시민", "kind": "question", "limit": 50}),
            await call(client, "get_finding", {"id": INTERNAL}),
            await call(client, "list_themes", {}),
            await call(client, "memo", {"finding_ids": [INTERNAL, KOREAN_ONLY]}),
            await call(client, "memo", {"theme": "crowdfunding", "limit": 50}),
            await call(client, "list_databases", {}),
            await call(client, "get_database_schema", {"database": "insights"}),
        ]
        public_tools = {tool.name for tool in (await client.list_tools()).tools}
        sql_error, sql_message = await call(client, "execute_sql", {"database": "insights",
                                                                   "sql": "select id from findings"})
    text = json.dumps(answers[:3] + answers[4:], ensure_ascii=False)  # get_finding's error repeats the id asked
    assert INTERNAL_WORD not in text and INTERNAL not in text and "내부 검토" not in text
    assert KOREAN_ONLY in text  # the public finding of the same note is there
    assert answers[3][0] is True  # get_finding: no such finding here
    assert answers[7][1] == {"databases": ["insights"]}
    crowdfunding = next(t for t in answers[4][1]["themes"][0:] for t in [t, *t["narrower"]] if t["id"] == "crowdfunding")
    assert crowdfunding["findings"] == 2
    assert sql_error and "execute_sql" in sql_message
    assert "execute_sql" not in public_tools and "execute_sql" in internal_tools


@pytest.mark.parametrize("instance", ["internal", "public"])
def test_a_foreign_host_header_is_refused_at_the_mcp_endpoint(servers, instance):
    """Breaks if /-/mcp answers a request naming another host (DNS rebinding: datasette-mcp turns
    the SDK's own check off; plugins/security.py must cover it)."""
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}}
    headers = {"accept": "application/json, text/event-stream", "content-type": "application/json"}
    url = servers[instance] + "/-/mcp"
    refused = httpx.post(url, json=initialize, headers={**headers, "host": "attacker.example"})
    assert refused.status_code == 400 and "host" in refused.text
    answered = httpx.post(url, json=initialize, headers=headers)
    assert answered.status_code == 200 and answered.json()["result"]["serverInfo"]


MARK = "zq9mark"
HOSTILE = st.sampled_from(["'", '"', "]", ";", "--", "/*", ") or 1=1 --", "' union select sql from sqlite_master --",
                           "\x00", "크라우드펀딩", "*", "NEAR(", "\\", "%", "$1", ":q", "?"])
TEXT = st.lists(HOSTILE, max_size=4).map(lambda parts: "".join(parts) + MARK)
SQL_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|\[[^\]]*\]|`(?:[^`]|``)*`|--[^\n]*|/\*.*?(?:\*/|\Z)"""
                       r"""|[^'"\[`/-]+|.""", re.DOTALL)


def outside_literals(sql: str) -> str:
    return " ".join(token for token in SQL_TOKEN.findall(sql) if not token.startswith("'"))


@pytest.fixture(scope="module")
def traced(servers):
    """A read-only connection to the internal build with every plugin's SQL functions (as Datasette
    prepares its own), whose statements are recorded with bound values written in as literals."""
    ds = make_datasette(servers["internal_db"])
    conn = sqlite3.connect(f"file:{servers['internal_db']}?mode=ro", uri=True)
    pm.hook.prepare_connection(conn=conn, database="insights", datasette=ds)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    yield conn, statements
    conn.close()


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=TEXT, tag=TEXT, other=TEXT)
def test_hostile_text_in_every_argument_stays_bound(traced, query, tag, other):
    """Breaks if any tool's argument reaches SQL other than as a bound value (the marker would then
    appear outside a string literal in what SQLite ran), or makes a tool fail otherwise than with a
    message for the assistant."""
    conn, statements = traced
    url_for = lambda finding_id: f"http://127.0.0.1/{finding_id}"  # noqa: E731
    filters = {"theme": tag, "region": other, "stakeholder": tag, "kind": other, "source": tag}
    statements.clear()
    for work in (
        lambda: tools.finding_records(conn, tools.find_ids(conn, query, filters, 5), url_for),
        lambda: tools.finding_records(conn, tools.find_ids(conn, query, {}, 5), url_for),
        lambda: tools.finding_records(conn, [query, tag], url_for),
        lambda: tools.related(conn, query, url_for),
        lambda: tools.memo(conn, tools.known_ids(conn, [query, other, CROWDFUNDING]), url_for, "ko", tag, other),
        lambda: tools.memo(conn, tools.find_ids(conn, None, {"theme": tag}, 5), url_for, "en", tag, query),
    ):
        try:
            work()
        except tools.ToolProblem:
            pass  # nothing to search for: a message, not an error of SQL
    assert statements
    assert not [s for s in statements if MARK in outside_literals(s)]


async def test_hostile_text_through_the_endpoint_gets_ordinary_answers(servers):
    """Breaks if hostile text in a tool argument makes a tool fail with anything but a message for
    the assistant (a SQL error would name SQLite's compiler)."""
    hostile = f"' union select sql from sqlite_master -- ]\" {MARK}"
    async with session(servers["internal"]) as client:
        answers = [await call(client, name, arguments) for name, arguments in [
            ("search_findings", {"query": hostile, "theme": hostile, "region": hostile, "stakeholder": hostile,
                                 "kind": hostile, "source": hostile}),
            ("search_findings", {"query": hostile}),
            ("get_finding", {"id": hostile}),
            ("memo", {"finding_ids": [hostile], "query": hostile, "theme": hostile}),
            ("memo", {"query": hostile, "source": hostile}),
        ]]
    assert answers[0] == (False, [])
    assert answers[2][0] and "No finding" in answers[2][1]
    for error, answer in answers:
        assert not re.search(r"syntax error|no such (column|table)|unrecognized token|sqlite_master\b.*CREATE",
                             json.dumps(answer, ensure_ascii=False)), answer


def test_a_tool_past_the_time_limit_is_a_message_not_a_hang(traced):
    """Breaks if the tools' queries stop running under Datasette's SQL time limit (``timed``): a
    search that ran on would then hold a connection of the instance for as long as it takes."""
    conn, _ = traced
    # seconds of work (3 s here without a limit): bounded, so a missing limit fails instead of hanging
    endless = "with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000000) select count(*) from n"
    with pytest.raises(tools.ToolProblem, match="time limit"):
        tools.timed(conn, 20, lambda c: c.execute(endless).fetchone())
    assert tools.timed(conn, 1000, lambda c: c.execute("select count(*) from findings").fetchone())[0] > 0


def test_sql_counts_as_off_only_where_nothing_grants_it():
    """Breaks if execute_sql would be dropped where metadata.json still grants SQL to someone, or
    kept where settings.public.json turns it off for everyone."""
    assert tools.sql_is_off(False, {"databases": {"insights": {"tables": {}}}})
    assert not tools.sql_is_off(True, {})
    assert not tools.sql_is_off(False, {"databases": {"insights": {"allow_sql": {"id": "root"}}}})
    assert not tools.sql_is_off(False, {"allow_sql": {"id": ["editor"]}})
