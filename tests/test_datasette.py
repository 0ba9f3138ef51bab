"""What a researcher sees through Datasette, via its own test client."""

import asyncio
import csv
import io
import json
import sqlite3
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest

from ingest.build import build, check_notes

from .conftest import WILTON, make_datasette

KEY_FINDINGS = {
    "retrofit-financing": {"financing", "existing-cities"},
    "citizen-crowdfunding": {"financing", "crowdfunding"},
    "citizen-governance": {"citizen-governance"},
    "international-promotion": {"international-promotion"},
}


async def get_json(ds, path: str) -> dict:
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


async def finding_ids(ds, query: str) -> set[str]:
    data = await get_json(ds, f"/insights/findings.json?_shape=objects&_size=max&{query}")
    return {row["id"] for row in data["rows"]}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("slug, themes", KEY_FINDINGS.items())
async def test_each_key_finding_exists_with_its_themes(ds, slug, themes):
    data = await get_json(ds, f"/insights/findings/{WILTON}~2F{slug}.json?_shape=objects")
    (row,) = data["rows"]
    assert themes <= set(json.loads(row["themes"]))
    assert row["title_ko"] and row["quote"] and row["summary"]


async def test_theme_facet_counts_equal_what_the_notes_say(ds, notes_dir):
    expected = Counter(t for note in check_notes(notes_dir).notes for f in note.findings for t in f.values("themes"))
    data = await get_json(ds, "/insights/findings.json?_size=0")
    facet = data["facet_results"]["theme"]
    assert {r["value"]: r["count"] for r in facet["results"]} == dict(expected)
    labels = {r["value"]: r["label"] for r in facet["results"]}
    assert labels["crowdfunding"] == "크라우드펀딩 · Crowdfunding"


async def test_every_default_facet_is_present(ds):
    data = await get_json(ds, "/insights/findings.json?_size=0")
    assert set(data["facet_results"]) == {"theme", "source_id", "region", "stakeholder", "kind"}


async def test_clicking_a_theme_filters_to_exactly_its_findings(ds, notes_dir):
    data = await get_json(ds, "/insights/findings.json")
    toggle = next(r for r in data["facet_results"]["theme"]["results"] if r["value"] == "crowdfunding")["toggle_url"]
    assert "_theme=crowdfunding" in toggle
    filtered = await get_json(ds, path_of(toggle).replace("findings?", "findings.json?") + "&_shape=objects")
    assert {row["id"] for row in filtered["rows"]} == {f"{WILTON}/citizen-crowdfunding"}
    selected = next(r for r in filtered["facet_results"]["theme"]["results"] if r["value"] == "crowdfunding")
    assert selected["selected"] and "_theme" not in path_of(selected["toggle_url"])


async def test_theme_filter_combines_with_column_filters_and_other_tags(ds, notes_dir):
    notes = check_notes(notes_dir).notes
    financing = {f"{WILTON}/{f.slug}" for n in notes for f in n.findings if "financing" in f.values("themes")}
    europe = {f"{WILTON}/{f.slug}" for n in notes for f in n.findings if "europe" in f.values("regions")}
    observations = {f"{WILTON}/{f.slug}" for n in notes for f in n.findings if f.attributes["kind"] == "observation"}
    assert await finding_ids(ds, "_theme=financing") == financing
    assert await finding_ids(ds, "_theme=financing&_region=europe") == financing & europe
    # Datasette's own _through would overwrite this column filter's parameter; ours must not.
    assert await finding_ids(ds, "kind=observation&_theme=financing") == financing & observations
    assert await finding_ids(ds, "_theme=financing&_theme=crowdfunding") == {f"{WILTON}/citizen-crowdfunding"}


async def test_facet_counts_follow_the_filtered_page(ds):
    data = await get_json(ds, "/insights/findings.json?_size=0&_region=korea")
    counts = {r["value"]: r["count"] for r in data["facet_results"]["region"]["results"]}
    assert counts["korea"] == data["filtered_table_rows_count"] == 4


async def test_search_stems_english(ds):
    assert f"{WILTON}/retrofit-financing" in await finding_ids(ds, "_search=finance")


async def test_findings_page_html_shows_the_theme_facet(ds):
    response = await ds.client.get("/insights/findings")
    assert response.status_code == 200
    assert 'id="facet-theme"' in response.text
    assert "크라우드펀딩 · Crowdfunding" in response.text


async def test_memo_csv_has_one_row_per_finding_with_korean_intact(ds):
    response = await ds.client.get("/insights/memo.csv?theme=&_size=max")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == 15
    crowdfunding = next(r for r in rows if r["url"].endswith("~2Fcitizen-crowdfunding"))
    assert crowdfunding["title_ko"] == "시민이 주체가 되는 크라우드펀딩의 필요성"
    assert "클라우드 펀딩" in crowdfunding["quote"]
    assert "Chatham House Rule" in crowdfunding["citation"]
    # No public_url: the canned query cites the address it was served from (the test client's).
    assert crowdfunding["url"] == f"http://localhost/insights/findings/{WILTON}~2Fcitizen-crowdfunding"


async def test_memo_for_one_theme(ds):
    data = await get_json(ds, "/insights/memo.json?theme=crowdfunding&_shape=objects")
    assert [r["title"] for r in data["rows"]] == ["Citizens as investors: crowdfunding smart-city projects"]


async def test_findings_by_theme_includes_sub_themes(ds):
    data = await get_json(ds, "/insights/findings_by_theme.json?theme=financing&_shape=objects")
    ids = {r["id"] for r in data["rows"]}
    assert f"{WILTON}/citizen-crowdfunding" in ids and f"{WILTON}/retrofit-financing" in ids


async def test_theme_overview_counts(ds):
    data = await get_json(ds, "/insights/theme_overview.json?_shape=objects")
    by_theme = {r["theme"]: r for r in data["rows"]}
    assert by_theme["financing"]["findings"] == 5
    assert by_theme["crowdfunding"]["ko"] == "크라우드펀딩"
    assert by_theme["crowdfunding"]["parent"] == "재원 조달 · Financing"


async def test_summary_markdown_is_rendered_on_the_row_page(ds):
    response = await ds.client.get(f"/insights/findings/{WILTON}~2Fperspectives-vary-by-field")
    assert response.status_code == 200
    assert "<em>consensus-before-planning</em>" in response.text


@pytest.mark.parametrize("query", ["", "_region=europe", "_search=financing", "kind=observation",
                                   "_search=%EC%8A%A4%EB%A7%88%ED%8A%B8%EB%8F%84%EC%8B%9C&kind=observation&_theme=financing"])
async def test_counted_column_facets_equal_datasettes_own(ds, query):
    """Unfiltered, source and kind counts come from the build's facet_counts; filtered, from the
    page. Either way they equal Datasette's built-in column facet on the same page."""
    data = await get_json(ds, f"/insights/findings.json?_size=0&_facet=source_id&_facet=kind&{query}")
    facets = data["facet_results"]
    for column in ("source_id", "kind"):
        ours, builtin = facets[column], facets[f"{column}_2"]
        assert ours["type"] == builtin["type"] == "column"
        assert [(r["value"], r["label"], r["count"], r["toggle_url"]) for r in ours["results"]] == \
               [(r["value"], r["label"], r["count"], r["toggle_url"]) for r in builtin["results"]]


async def test_tag_facets_count_the_same_unfiltered_and_through_the_link_tables(ds, db_path):
    data = await get_json(ds, "/insights/findings.json?_size=0")
    with sqlite3.connect(db_path) as conn:
        for facet, table, column in [("theme", "findings_themes", "theme_id"), ("region", "findings_regions", "region_id"),
                                     ("stakeholder", "findings_stakeholders", "stakeholder_id")]:
            live = dict(conn.execute(f"select {column}, count(*) from {table} group by {column}").fetchall())
            assert {r["value"]: r["count"] for r in data["facet_results"][facet]["results"]} == live


async def test_facet_titles_on_the_page_are_plain(ds):
    html = (await ds.client.get("/insights/findings")).text
    assert "(counted)" not in html
    assert 'id="facet-kind"' in html and 'id="facet-source_id"' in html


@pytest.mark.parametrize("query", ["_search=financing", "_search=%EB%8F%84%EC%8B%9C", "_region=europe",
                                   "kind=observation&_theme=financing"])
async def test_tag_facets_of_a_filtered_page_count_exactly_its_findings(ds, db_path, query):
    """The three tag facets share one query per page; each must still count only the page's findings."""
    data = await get_json(ds, f"/insights/findings.json?_shape=objects&_size=max&{query}")
    ids = [row["id"] for row in data["rows"]]
    assert ids, query
    marks = ",".join("?" * len(ids))
    with sqlite3.connect(db_path) as conn:
        for facet, table, column in [("theme", "findings_themes", "theme_id"), ("region", "findings_regions", "region_id"),
                                     ("stakeholder", "findings_stakeholders", "stakeholder_id")]:
            expected = dict(conn.execute(f"select {column}, count(*) from {table} where finding_id in ({marks}) "
                                         f"group by {column}", ids).fetchall())
            assert {r["value"]: r["count"] for r in data["facet_results"][facet]["results"]} == expected, facet


@pytest.mark.parametrize("query", ["", "_search=%EC%8A%A4%EB%A7%88%ED%8A%B8%EB%8F%84%EC%8B%9C&kind=observation",
                                   "_theme=financing&_region=europe&_size=5", "kind__in=observation,implication&_theme=financing"])
async def test_every_toggle_adds_or_removes_exactly_its_own_value(ds, query):
    """Each facet value links to this page with that one value added (or, when selected, removed),
    every other parameter kept as it was, Korean included."""
    data = await get_json(ds, f"/insights/findings.json?{query}")
    page = parse_qsl(query)
    params = {"theme": "_theme", "region": "_region", "stakeholder": "_stakeholder", "source_id": "source_id", "kind": "kind"}
    for name, facet in data["facet_results"].items():
        for value in facet["results"]:
            toggled = parse_qsl(urlsplit(value["toggle_url"]).query)
            pair = (params[name], str(value["value"]))
            if value["selected"]:
                assert toggled == [p for p in page if p != pair], (name, value)
            else:
                assert toggled == page + [pair], (name, value)
            assert urlsplit(value["toggle_url"]).path == "/insights/findings.json"


async def test_the_facets_of_a_filtered_page_read_its_rows_once(db_path):
    """One query counts all five default facets of a searched page: the search runs three times
    (rows, count, facets), not once per facet."""
    ds = make_datasette(db_path, trace_debug=True)
    data = await get_json(ds, "/insights/findings.json?_search=%EB%8F%84%EC%8B%9C&_trace=1")
    assert set(data["facet_results"]) == {"theme", "source_id", "region", "stakeholder", "kind"}
    searches = [t["sql"] for t in data["_trace"]["traces"] if "findings_fts match" in t.get("sql", "")]
    assert len(searches) == 3, searches


async def test_facets_follow_a_build_that_commits_under_the_running_server(notes_dir, db_path):
    """The first page after a rebuild counts the new findings with SQL, while the facet index of the
    old build is replaced in the background; the pages after that count with the new index."""
    ds = make_datasette(db_path, trace_debug=True)
    page = "/insights/findings.json?_size=0&_region=korea&_trace=1"

    async def korea_page():
        data = await get_json(ds, page)
        counts = {f["name"]: {r["value"]: r["count"] for r in f["results"]} for f in data["facet_results"].values()}
        counted_by = {"sql" if "as materialized" in t["sql"] else "index"
                      for t in data["_trace"]["traces"] if "materialized" in t["sql"] or "group_concat(rowid)" in t["sql"]}
        return counts, counted_by

    before, counted_by = await korea_page()
    assert before["region"]["korea"] == 4 and counted_by == {"index"}
    note = notes_dir / f"{WILTON}.md"
    note.write_text(note.read_text(encoding="utf-8").replace("- regions: global, europe", "- regions: global, europe, korea", 1),
                    encoding="utf-8")
    build(notes_dir, db_path)
    expected = {**before["region"], "korea": 5, "global": before["region"]["global"] + 1,
                "europe": before["region"]["europe"] + 1}
    answers = []
    for _ in range(50):
        after, counted_by = await korea_page()
        assert after["region"] == expected and sum(after["kind"].values()) == 5
        answers.append(counted_by)
        if counted_by == {"index"}:
            break
        await asyncio.sleep(0.1)
    # First the index's query, which finds the index stale, then the SQL; at last the index alone.
    assert answers[0] == {"index", "sql"} and answers[-1] == {"index"}, answers
