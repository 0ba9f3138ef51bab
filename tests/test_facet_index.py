"""The facet index counts a page exactly as SQL would: every facet, ties in count, no rows at all."""

import sqlite3

import pytest

from bench.synthetic import write_synthetic_db
from ingest.db.facet_index import KEY_SQL, FacetIndex, rowids_sql

FINDINGS = 3_000
LIMIT = 5  # small, so that the column facets are cut where many values tie
COLUMNS = "id, source_id, title, title_ko, kind, themes, regions, stakeholders, quote, summary, access"
TAGS = {"theme": ("findings_themes", "theme_id", "themes"), "region": ("findings_regions", "region_id", "regions"),
        "stakeholder": ("findings_stakeholders", "stakeholder_id", "stakeholders")}
PAGES = {
    "every finding": ("", {}),
    "a column filter": ("where kind = :kind", {"kind": "observation"}),
    "a theme": ("where id in (select finding_id from findings_themes where theme_id = :theme)", {"theme": "financing"}),
    "a search": ("where rowid in (select rowid from findings_fts where findings_fts match :q)", {"q": "financing"}),
    "a Korean search and a region": (
        "where rowid in (select rowid from findings_fts where findings_fts match :q) "
        "and id in (select finding_id from findings_regions where region_id = :region)", {"q": "홍보", "region": "europe"}),
    "no finding": ("where kind = :kind", {"kind": "no-such-kind"}),
}


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("facet-index") / "insights.db"
    write_synthetic_db(path, FINDINGS)
    return path


def counted_by_sql(conn: sqlite3.Connection, where: str, params: dict) -> dict[str, list[tuple]]:
    page = f"select id from findings {where}"
    expected = {column: [(value, None, count) for value, count in conn.execute(
        f"select {column}, count(*) as n from findings {where} group by {column} order by n desc, {column} limit {LIMIT}",
        params)] for column in ("source_id", "kind")}
    for facet, (link_table, column, vocabulary) in TAGS.items():
        expected[facet] = [tuple(row) for row in conn.execute(
            f"""select t.{column}, v.label, count(*) as n from {link_table} t join {vocabulary} v on v.id = t.{column}
                where t.finding_id in ({page}) group by t.{column} order by n desc, t.{column}""", params)]
    return expected


@pytest.mark.parametrize("page", PAGES)
def test_counts_equal_sql_on_every_page(synthetic_db, page):
    where, params = PAGES[page]
    with sqlite3.connect(synthetic_db) as conn:
        index = FacetIndex.load(conn)
        (rowids,) = conn.execute(rowids_sql(f"select {COLUMNS} from findings {where}"), params).fetchone()
        counted = {facet: [tuple(row) for row in rows] for facet, rows in index.count(rowids, LIMIT).items()}
        assert counted == counted_by_sql(conn, where, params)
    if page != "no finding":
        assert all(counted.values()), page


def test_rowids_come_from_datasettes_page_sql_and_nothing_else():
    assert rowids_sql("select id, kind from findings where kind = :k") == \
        "select group_concat(rowid) from findings where kind = :k"
    assert rowids_sql("select id, kind from findings ") == "select group_concat(rowid) from findings"
    assert rowids_sql("select id from sources where 1") is None
    assert rowids_sql("select id, (select 1 from sources) from findings where 1") is None
    assert rowids_sql("with x as (select 1) select id from findings") is None


def test_an_index_describes_the_build_it_was_read_from(tmp_path):
    path = tmp_path / "insights.db"
    write_synthetic_db(path, 200, seed=1)
    with sqlite3.connect(path) as conn:
        index = FacetIndex.load(conn)
        assert index.key == tuple(conn.execute(KEY_SQL).fetchone())
    write_synthetic_db(path, 300, seed=2)
    with sqlite3.connect(path) as conn:
        assert index.key != tuple(conn.execute(KEY_SQL).fetchone())
        (rowids,) = conn.execute("select group_concat(rowid) from findings").fetchone()
    with pytest.raises(ValueError, match="another build"):
        index.count(rowids, LIMIT)
