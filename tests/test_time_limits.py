"""Pages under time limits far below the public ones (settings.public.json: 1 s a query, 200 ms a
facet), on a synthetic corpus big enough to exceed them: facets say "timed out" where Datasette
says so, the home page and its chart and the themes page show what they can, queries that are
the page itself answer Datasette's 400 "took too long", and nothing answers 500."""

from __future__ import annotations

import re

import pytest

from bench.synthetic import write_synthetic_db
from ingest.serve.pages import overview as overview_module

from .conftest import make_datasette

FINDINGS = 3000
TINY = {"sql_time_limit_ms": 1, "facet_time_limit_ms": 1}
TOO_LONG = "SQL query took too long"  # Datasette's own 400 for an interrupted query
PAGES = ["/", "/themes", "/insights", "/insights/findings", "/insights/findings?_theme=financing&_region=europe",
         "/insights/findings.json?_facet_counted=kind", "/insights/findings?_search=도시", "/insights/search?q=도시",
         "/insights/theme_overview", "/insights/sources", "/insights/findings_by_theme?theme=financing",
         "/insights/memo?theme=financing", "/insights/findings/-/memo?_theme=crowdfunding",
         "/insights/findings/-/export.csv?_theme=crowdfunding"]


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("time-limits") / "insights.db"
    write_synthetic_db(path, FINDINGS)
    return path


@pytest.fixture(autouse=True)
def no_kept_overview():
    """The home page's overview is kept per build, across Datasette instances of one process: each
    test here starts without one, so that the limits it sets are the ones that read it."""
    overview_module._cache.clear()


async def limited(db_path, **limits):
    """A Datasette that has read its schemas (Datasette's own first-request catalogue, which a 1 ms
    limit would interrupt with a 500 of Datasette's) and then runs with ``limits``."""
    ds = make_datasette(db_path)
    assert (await ds.client.get("/-/versions.json")).status_code == 200
    ds._settings.update(limits)  # facet_time_limit_ms: read at every facet
    ds.sql_time_limit_ms = ds.setting("sql_time_limit_ms")  # read from here at every query
    return ds


async def test_facets_that_time_out_say_so_and_the_page_still_lists_findings(big_db):
    """A facet over the limit is named under "These facets timed out", and the cards are still
    there; Datasette's own column facets (the sources table) say the same. Breaks if a timed-out
    facet vanishes silently, or takes the page down with it."""
    ds = await limited(big_db, facet_time_limit_ms=0.01)  # 10 µs: a facet of 3,000 findings takes ~0.5 ms
    page = await ds.client.get("/insights/findings?_theme=financing")
    assert page.status_code == 200 and page.text.count('<li class="card">') > 0
    (named,) = re.findall(r'<p class="facets-timed-out">[^<]*timed out: ([^<]*)</p>', page.text)
    assert {"theme", "region", "kind"} <= set(named.split(", ")), named
    sources = await ds.client.get("/insights/sources?_facet=country")
    assert sources.status_code == 200
    assert "country" in re.search(r"These facets timed out: ([^<]*)", sources.text).group(1)


@pytest.mark.parametrize("path", PAGES)
async def test_no_page_answers_500_under_tiny_time_limits(big_db, path):
    """Every page answers 200 or Datasette's 400 "took too long". Breaks on a QueryInterrupted that
    escapes as a 500 (a page that assumed its query always finishes)."""
    ds = await limited(big_db, **TINY)
    response = await ds.client.get(path)
    assert response.status_code in (200, 400), (path, response.status_code, response.text[:300])
    if response.status_code == 400:
        assert TOO_LONG in response.text, (path, response.text[:300])


async def degraded(ds, path: str) -> str:
    """The page under tiny limits. At 1 ms even the vocabulary's few rows may be interrupted on a
    busy machine (Datasette's 400, checked above): a few tries get the page that degraded."""
    for _ in range(5):
        response = await ds.client.get(path)
        if response.status_code == 200:
            return response.text
        assert response.status_code == 400 and TOO_LONG in response.text
    pytest.fail(f"{path} never answered 200 under tiny limits")


async def test_the_home_and_themes_pages_degrade_to_what_they_can_show(big_db):
    """Under tiny limits the home page keeps its theme tree and counts (read from the build's
    facet_counts) and leaves out the chart it had no time for; the themes page leaves out the
    sub-theme totals. Breaks if either page fails, or shows an empty or wrong figure instead."""
    normal = (await make_datasette(big_db).client.get("/")).text
    assert 'class="chart-figure"' in normal  # the chart is there when there is time
    overview_module._cache.clear()  # as after a new build
    tiny = await limited(big_db, **TINY)
    home = await degraded(tiny, "/")
    assert 'class="chart-figure"' not in home
    assert f"시사점 {FINDINGS:,}건" in home and "재원 조달" in home
    themes = await degraded(tiny, "/themes")
    assert "재원 조달" in themes and "하위 주제 포함" not in themes


async def test_a_timed_out_overview_is_not_kept_for_the_rest_of_the_build(big_db):
    """The overview is read once per build and kept; one read that ran out of time (a busy moment)
    must not leave the home page without its chart until the next build. Breaks if the degraded
    overview is cached."""
    tiny = await limited(big_db, **TINY)
    assert 'class="chart-figure"' not in await degraded(tiny, "/")
    full = make_datasette(big_db)
    assert 'class="chart-figure"' in (await full.client.get("/")).text


@pytest.mark.parametrize("path", ["/insights/findings", "/insights/search?q=도시"])
async def test_cards_that_time_out_leave_the_plain_rows(big_db, path):
    """The list's own query finished, then reading its cards ran out of time: the page shows the rows
    it has (Datasette's plain table, or a list of links) and says why, never a 500. Which query runs
    out of time at 1 ms varies from run to run, so the page is asked for several times."""
    ds = await limited(big_db, sql_time_limit_ms=1)
    statuses = []
    for _ in range(8):
        response = await ds.client.get(path)
        statuses.append(response.status_code)
        assert response.status_code in (200, 400), (path, response.status_code, response.text[:300])
        if response.status_code == 400:
            assert TOO_LONG in response.text
        elif "cards-timed-out" in response.text:
            assert "<table" in response.text or 'class="plain-results"' in response.text
        else:
            assert 'class="card"' in response.text


@pytest.mark.parametrize("path", PAGES)
async def test_when_every_query_runs_out_of_time_every_page_answers_400_not_500(big_db, path):
    """At 1 µs every query is interrupted, Datasette's own included (its index page reads the hidden
    tables, which it does not catch): each page answers Datasette's 400 "took too long" (a download
    may instead name its own time limit). Breaks if an interrupted query escapes as a 500."""
    ds = await limited(big_db, sql_time_limit_ms=0.001, facet_time_limit_ms=0.001)
    response = await ds.client.get(path)
    assert response.status_code == 400, (path, response.status_code, response.text[:300])
    assert TOO_LONG in response.text or "time limit" in response.text, (path, response.text[:300])
