"""Exports are complete at scale: 10k synthetic findings, written by the real writer."""

import re
import sqlite3

import pytest

from bench.synthetic import write_synthetic_db

from .conftest import make_datasette
from .exports import csv_rows, view_rows, xlsx_rows

pytestmark = pytest.mark.slow  # a scale test: not in make test-fast

FINDINGS = 10_000


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "insights.db"
    write_synthetic_db(path, FINDINGS)
    return path


def all_ids(db_path, sql="select id from findings order by id", params=()):
    with sqlite3.connect(db_path) as conn:
        return [r[0] for r in conn.execute(sql, params)]


async def test_csv_and_xlsx_of_10k_findings_are_complete(big_db):
    ds = make_datasette(big_db)
    expected = all_ids(big_db)
    assert len(expected) == FINDINGS
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        response = await ds.client.get(f"/insights/findings/-/export.{fmt}")
        assert response.status_code == 200
        _, rows = read(response.content)
        assert [r[0] for r in rows] == expected, fmt
        assert all(r[1] and r[8] for r in rows)  # Korean title and quote in every row


async def test_a_theme_view_of_10k_findings_exports_exactly_its_rows(big_db):
    ds = make_datasette(big_db)
    expected = [r["id"] for r in await view_rows(ds, "/insights/findings", "_theme=financing&_nofacet=1")]
    assert len(expected) > 1000  # more than one page of the view
    assert expected == all_ids(big_db, "select finding_id from findings_themes where theme_id = ? order by finding_id",
                               ("financing",))
    _, rows = csv_rows((await ds.client.get("/insights/findings/-/export.csv?_theme=financing")).content)
    assert [r[0] for r in rows] == expected
    memo = (await ds.client.get("/insights/findings/-/memo.md?_theme=financing")).text
    assert f"- 시사점 · Findings: {len(expected)}" in memo
    # No public_url: the memo cites the address it was served from, the test client's.
    cited = set(re.findall(r"^    출처 \[\d+\]: .* http://localhost/insights/findings/(\S+?)\.(?: |$)", memo, flags=re.M))
    assert cited == {i.replace("/", "~2F") for i in expected}
