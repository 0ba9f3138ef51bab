"""Nothing from a request reaches SQL except as a bound parameter or an identifier checked against
the schema; whatever a request asks, the findings page and its exports answer it (issue 15).

Served by Datasette's test client from a real build, as `make serve` (settings.json) and as
`make serve-public` (settings.public.json laid over it: no arbitrary SQL) configure it. Every
statement SQLite runs is recorded through its trace callback (a ``prepare_connection`` hook
registered for this module only), so the property tests see the facet and export queries as
SQLite ran them, with bound values written in as quoted literals.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import threading
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator
from typing import NamedTuple

import h11
import httpx
import pytest
from datasette import hookimpl
from datasette.app import Datasette
from datasette.plugins import pm
from datasette.utils.asgi import BadRequest, Request
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.build import build

from .conftest import NOTES, ROOT, WILTON, examples, make_datasette

PUBLIC_SETTINGS = json.loads((ROOT / "settings.public.json").read_text(encoding="utf-8"))
# The trigger: a counted facet whose "column" closes the identifier and unions in sqlite_master.
TRIGGER = ("/insights/findings.json?kind__not=x&_facet_counted="
           + urllib.parse.quote("kind] as value, count(*) as count from findings group by 1 union all "
                                "select name||' :: '||type, 1 from sqlite_master /*"))
SERVED = ("internal", "public")


class SqlTrace:
    """Every statement SQLite runs on a connection Datasette or a plugin prepares (expanded SQL)."""

    def __init__(self):
        self.__name__ = "test_security_queries_trace"  # Datasette lists every plugin by its name
        self.statements: list[str] = []
        self.lock = threading.Lock()

    @hookimpl
    def prepare_connection(self, conn):
        conn.set_trace_callback(self.record)

    def record(self, statement: str) -> None:
        with self.lock:
            self.statements.append(statement)

    def take(self) -> list[str]:
        with self.lock:
            taken, self.statements = self.statements, []
        return taken


class Served(NamedTuple):
    ds: Datasette
    run: Callable[[Awaitable], object]  # on the instance's event loop
    trace: SqlTrace
    public: bool

    def get(self, path: str) -> httpx.Response:
        return self.run(self.ds.client.get(path))


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[dict[str, Served]]:
    """The real notes built twice (internal, and public served with settings.public.json), each
    behind Datasette's test client on one event loop, with SQLite's statements traced."""
    root = tmp_path_factory.mktemp("security")
    notes = root / "notes"
    shutil.copytree(NOTES, notes)
    trace = SqlTrace()
    pm.register(trace, name="test-security-queries-trace")
    loop = asyncio.new_event_loop()
    try:
        instances = {}
        for name in SERVED:
            db = root / name / "insights.db"
            db.parent.mkdir()
            build(notes, db, public=name == "public")
            ds = make_datasette(db, **(PUBLIC_SETTINGS if name == "public" else {}))
            loop.run_until_complete(ds.invoke_startup())
            instances[name] = Served(ds, loop.run_until_complete, trace, name == "public")
        yield instances
    finally:
        pm.unregister(name="test-security-queries-trace")
        loop.close()


def facet_values(data: dict) -> list:
    return [value["value"] for facet in data.get("facet_results", {}).values() for value in facet["results"]]


# 1. Arbitrary SQL through _facet_counted ----------------------------------------------------

@pytest.mark.parametrize("name", SERVED)
def test_sql_through_facet_counted_is_refused(served, name):
    instance = served[name]
    response = instance.get(TRIGGER)
    assert response.status_code == 400, response.text[:300]
    assert "_facet_counted" in response.json()["error"]
    assert "sqlite_master" not in str(facet_values(response.json()))
    assert not [s for s in instance.trace.take() if "sqlite_master" in s and "union all" in s]
    assert instance.get(TRIGGER.replace(".json?", "?")).status_code == 400  # the HTML page too


@pytest.mark.parametrize("name", SERVED)
@pytest.mark.parametrize("query", ["_facet_counted=nope", "kind__not=x&_facet_counted=nope",
                                   "_facet_counted=" + urllib.parse.quote('{"column": "kind] from x /*"}'),
                                   "_facet_counted=" + urllib.parse.quote('{"simple": 1}'), "_facet_counted=%7B%7D"])
def test_a_counted_facet_on_a_column_the_table_lacks_is_a_400_naming_the_parameter(served, name, query):
    response = served[name].get(f"/insights/findings.json?{query}")
    assert response.status_code == 400
    assert response.json()["error"].startswith("_facet_counted: ")


@pytest.mark.parametrize("column", ["nope", "kind] as value, 1 as count from sqlite_master /*", "rowid"])
def test_the_counted_facet_itself_refuses_a_column_the_table_lacks(served, column):
    """Behind the door's check (plugins/param_checks.py), the facet class checks its column again."""
    instance = served["internal"]
    (counted,) = [k for classes in pm.hook.register_facet_classes() for k in classes if k.type == "counted"]
    request = Request.fake(f"/insights/findings?kind__not=x&_facet_counted={urllib.parse.quote(column)}")
    facet = counted(instance.ds, request, "insights", table="findings", params={"p0": "x"},
                    sql='select * from findings where "kind" != :p0', metadata={})
    with pytest.raises(BadRequest, match="^_facet_counted: "):
        instance.run(facet.facet_results())


# 8. A counted facet on a non-default column, silently empty on the unfiltered page -------------

@pytest.mark.parametrize("column", ["title_ko", "access", "position"])
def test_a_counted_facet_on_a_non_default_column_counts_the_unfiltered_page(served, column):
    get = served["internal"].get

    def counts(query: str) -> dict:
        data = get(f"/insights/findings.json?_size=0&_facet_size=max&{query}").json()
        return {r["value"]: r["count"] for r in data["facet_results"][column]["results"]}

    unfiltered = counts(f"_facet_counted={column}")
    assert sum(unfiltered.values()) == 15  # every finding of the real notes has a value here
    assert unfiltered == counts(f"_facet_counted={column}&kind__not=x")  # a filter that keeps them all
    assert unfiltered == counts(f"_facet={column}")  # Datasette's own column facet


# Page parameters Datasette 0.65 would answer with a 500 -----------------------------------------

@pytest.mark.parametrize("query, names", [
    ("_sort=nope", "_sort"), ("_sort_desc=rowid", "_sort_desc"), ("_sort=kind&_sort_desc=kind", "_sort and _sort_desc"),
    ("_timelimit=soon", "_timelimit"), ("_facet_counted=%7Bkind", "_facet_counted"), ("_facet_theme=%7B1%7D", "_facet_theme"),
    ("_facet=nope", "_facet"), ("_facet_array=%7B%7D", "_facet_array"), ("_through=x", "_through"),
    ("_through=%7B%22table%22%3A%22findings_themes%22%7D", "_through"),
    ("_through=" + urllib.parse.quote('{"table": "sources", "column": "id", "value": "x"}'), "_through"),
    ("source_id__in=%5B", "source_id__in"), ("source_id__notin=" + urllib.parse.quote('[{"a": 1}]'), "source_id__notin"),
    ("_where=" + urllib.parse.quote("kind = $0"), "_where"), ("nope__exact=1", "nope__exact"), ("nope=1", "nope"),
    ("_search=x&_fts_table=sqlite_master", "_fts_table"), ("_search=x&_fts_pk=nope", "_fts_pk"),
])
def test_a_malformed_page_parameter_is_a_400_naming_it_not_a_500(served, query, names):
    response = served["internal"].get(f"/insights/findings.json?{query}")
    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"].startswith(f"{names}: ")


def test_the_refused_value_is_escaped_on_the_error_page(served):
    response = served["public"].get("/insights/findings?_facet_counted=%3Cimg%20src%3Dx%3E")
    assert response.status_code == 400
    assert "<img src=x>" not in response.text and "&lt;img src=x&gt;" in response.text


def corpus() -> list[tuple[str, str, str]]:
    """(finding id, title, kind) of the frozen note, in note order, read with regexes: an oracle
    independent of the build and of Datasette."""
    text = (NOTES / f"{WILTON}.md").read_text(encoding="utf-8")
    return [(f"{WILTON}/{found}", title, kind) for title, found, kind in
            re.findall(r"^## (.*)\n- id: (\S+)\n(?:- .*\n)*?- kind: (\S+)$", text, re.M)]


def ids_of(*names: str) -> list[str]:
    """Rows with no _sort come in primary-key order: the ids, sorted."""
    return sorted(f"{WILTON}/{name}" for name in names)


# (path, the row ids it must answer with, in order; its row key). Breaks if a well-formed parameter
# is ignored (all 15 rows, or the wrong order) or over-refused, not only if it answers 500.
WELL_FORMED = [
    ("/insights/findings.json?_sort=title&_facet_counted=kind&_facet=title_ko&rowid__gt=3",
     lambda: [i for i, t, _ in sorted(corpus()[3:], key=lambda row: row[1])]),
    ("/insights/findings.json?_sort_desc=position&_timelimit=500&_facet_theme=themes&kind__not=x",
     lambda: [i for i, _, _ in reversed(corpus())]),
    ("/insights/findings.json?_through=" + urllib.parse.quote('{"table": "findings_themes", "column": "theme_id", "value": "financing"}'),
     lambda: ids_of("infrastructure-charges", "retrofit-financing", "private-investment", "citizen-crowdfunding",
                    "consensus-before-planning")),
    ("/insights/findings.json?source_id__in=" + urllib.parse.quote(f'["{WILTON}", 1, null]'),
     lambda: sorted(i for i, _, _ in corpus())),
    # a colon in the title (one finding), or financing as the first theme (four)
    ("/insights/findings.json?_where=" + urllib.parse.quote("title like '%:%' or json_extract(themes, '$[0]') = 'financing'"),
     lambda: ids_of("infrastructure-charges", "retrofit-financing", "private-investment", "citizen-crowdfunding")),
    ("/insights/findings.json?_search=crowdfunding&_fts_table=findings_fts&_fts_pk=rowid",
     lambda: ids_of("citizen-crowdfunding", "private-investment")),  # whose summary cites citizen-crowdfunding
    ("/insights/sources.json?_facet=type&_sort=title&rowid=1", lambda: [WILTON]),
]


@pytest.mark.parametrize("path, expected", WELL_FORMED, ids=[path for path, _ in WELL_FORMED])
def test_well_formed_parameters_still_work(served, path, expected):
    response = served["internal"].get(path + "&_shape=objects&_size=max")
    assert response.status_code == 200, response.text[:300]
    assert [row["id"] for row in response.json()["rows"]] == expected(), path


def test_the_counted_kind_facet_counts_what_the_filter_kept(served):
    """Breaks if _facet_counted ignores the page's filter (rowid > 3 keeps the note's last twelve)."""
    data = served["internal"].get("/insights/findings.json?_facet_counted=kind&rowid__gt=3&_size=0").json()
    counts = {r["value"]: r["count"] for r in data["facet_results"]["kind"]["results"]}
    kinds = [kind for _, _, kind in corpus()[3:]]
    assert counts == {kind: kinds.count(kind) for kind in set(kinds)}


# Property: arbitrary text in every parameter ---------------------------------------------------

MARK = "Zq7mark"  # in a value, it must reach SQL only inside a bound (quoted) literal
FRAGMENTS = ["'", '"', "]", "[", "`", "/*", "*/", "--", ";", "\n", "\r\n", "\t", " ", "(", ")", ",", "~", "%",
             "%0A", "\\", "{", "}", ":", "$null", "union all select name, 1 from sqlite_master", "kind",
             "crowdfunding", "스마트도시", "도시*", "홍보의", "NULL", "*", "&", "=", "🙂", "\ufeff", "\u2028"]
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS),
                          st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8)),
                max_size=6).map("".join)
VALUE = st.one_of(TEXT, st.tuples(TEXT, TEXT).map(lambda parts: parts[0] + MARK + parts[1]))
PAGE_PARAMS = ["_facet_counted", "_facet_theme", "_facet_region", "_facet_stakeholder", "_facet", "_theme", "_region",
               "_stakeholder", "_search", "_sort", "_sort_desc", "_next", "_size", "_facet_size", "_timelimit", "kind",
               "kind__not", "title__contains", "source_id__in", "title_ko__glob"]
EXPORT_PARAMS = PAGE_PARAMS + ["_lang"]
# _where is SQL by design, where allowed (execute-sql): its text is never marked.
PAIRS = st.lists(st.one_of(st.tuples(st.sampled_from(PAGE_PARAMS), VALUE), st.tuples(st.just("_where"), TEXT)),
                 min_size=1, max_size=3)
EXPORT_PAIRS = st.lists(st.one_of(st.tuples(st.sampled_from(EXPORT_PARAMS), VALUE), st.tuples(st.just("_where"), TEXT)),
                        min_size=1, max_size=3)
PROPERTY = settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])
# SQLite's lexer, as far as it tells a string literal from everything else.
SQL_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|\[[^\]]*\]|`(?:[^`]|``)*`|--[^\n]*|/\*.*?(?:\*/|\Z)"""
                       r"""|[^'"\[`/-]+|.""", re.DOTALL)
SQL_ERRORS = re.compile(r"syntax error|no such (column|table|function)|unrecognized token|incomplete input")


def outside_literals(sql: str) -> str:
    return " ".join(token for token in SQL_TOKEN.findall(sql) if not token.startswith("'"))


def check_answer(instance: Served, path: str, pairs: list[tuple[str, str]]) -> None:
    """200, 400 or 404 (403 for _where where SQL is off), headers a real HTTP server can send,
    and request text in SQL only as a bound value."""
    instance.trace.take()
    response = instance.get(path)
    statements = instance.trace.take()
    allowed = {200, 400, 404} | ({403} if instance.public and any(k == "_where" for k, _ in pairs) else set())
    assert response.status_code in allowed, (path, response.status_code, response.text[:500])
    if response.status_code == 200:  # positive control: the trace saw this request's queries
        assert [s for s in statements if "findings" in s], (path, "no statement on findings was traced")
    h11.Response(status_code=response.status_code, headers=response.headers.raw)  # raises on an illegal header
    if any(MARK in value for _, value in pairs):
        assert not [s for s in statements if MARK in outside_literals(s)], path
        if response.status_code == 400:  # text that reached SQLite's compiler, and failed there
            message = re.sub(r"fts5: [^<\"]*", "", response.text)
            assert not (MARK in message and SQL_ERRORS.search(message)), (path, response.text[:500])


@pytest.mark.parametrize("name", SERVED)
@given(pairs=PAIRS, page=st.sampled_from(["/insights/findings", "/insights/findings.json", "/insights/findings.csv"]))
@PROPERTY
@example(pairs=[("kind__not", "x"), ("_facet_counted", "kind] as value, count(*) as count from findings group by 1 "
                                                    f"union all select name||' :: '||type, 1 from sqlite_master /*{MARK}")],
         page="/insights/findings.json")
@example(pairs=[("_sort", f"kind{MARK}"), ("_next", f"a,b{MARK}'")], page="/insights/findings")
@example(pairs=[("source_id__in", f"[{MARK}"), ("_where", "$0")], page="/insights/findings.csv")
def test_any_text_in_any_parameter_of_the_findings_page_is_answered_and_stays_bound(served, name, pairs, page):
    check_answer(served[name], f"{page}?{urllib.parse.urlencode(pairs)}", pairs)


EXPORTS = ["/insights/findings/-/export.csv", "/insights/findings/-/export.xlsx", "/insights/findings/-/memo",
           "/insights/findings/-/memo.md", "/insights/findings/-/memo.hwpx", "/insights/findings/-/memo.docx"]


@pytest.mark.parametrize("route", EXPORTS)
@given(pairs=EXPORT_PAIRS)
@PROPERTY
@example(pairs=[("_theme", "crowdfunding\n")])
@example(pairs=[("_region", f"korea{MARK}'] /*"), ("_search", f"스마트도시 {MARK}\"")])
def test_any_text_in_any_parameter_of_an_export_is_answered_and_stays_bound(served, route, pairs):
    check_answer(served["public"], f"{route}?{urllib.parse.urlencode(pairs)}", pairs)


# Positive controls: the trace sees what the property tests look for ------------------------------

@pytest.mark.parametrize("route", ["/insights/findings", "/insights/findings.json", "/insights/findings.csv", *EXPORTS])
def test_the_trace_sees_a_bound_value_as_a_literal(served, route):
    """Without this, the property tests could pass vacuously: a trace that records nothing (the hook
    not registered, an export on a connection Datasette did not prepare) has no MARK outside a
    literal either. Breaks if any route's queries escape the trace, or bound values are not expanded."""
    instance = served["public"]
    instance.trace.take()
    response = instance.get(f"{route}?title__contains={MARK}%27")
    statements = instance.trace.take()
    assert response.status_code == 200, response.text[:300]
    bound = [s for s in statements if MARK in s]
    assert bound, (route, statements[-5:])
    assert not [s for s in bound if MARK in outside_literals(s)], bound
