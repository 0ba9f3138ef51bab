"""`make serve-public`: a public build, served immutable, canned queries but no arbitrary
SQL, explicit time limits; robots may read its pages. Every other instance blocks robots."""

from __future__ import annotations

import sqlite3

import httpx
import pytest

from ingest.build import build

from .conftest import make_datasette
from .server import datasette_server

pytestmark = pytest.mark.slow  # real datasette serve: not in make test-fast


def test_the_public_configuration(tmp_path, notes_dir):
    db = tmp_path / "public" / "insights.db"  # named insights.db so URLs, metadata and citations stay the same
    db.parent.mkdir()
    build(notes_dir, db, public=True)
    with datasette_server(db, target="serve-public") as base, httpx.Client(base_url=base, timeout=30) as client:
        (database,) = client.get("/-/databases.json").json()
        assert (database["name"], database["is_mutable"]) == ("insights", False)
        settings = client.get("/-/settings.json").json()
        assert settings["default_allow_sql"] is False
        assert (settings["sql_time_limit_ms"], settings["facet_time_limit_ms"]) == (1000, 200)
        assert client.get("/insights.json?sql=select+1").status_code == 403
        assert client.get("/insights/memo.csv?theme=crowdfunding").status_code == 200
        search = client.get("/insights/findings.json?_search=finance&_shape=objects").json()
        assert search["rows"]
        robots = client.get("/robots.txt")
        assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
        assert "Disallow: /\n" not in robots.text and "Disallow: /*?" in robots.text


async def test_an_internal_instance_blocks_every_robot(ds):
    response = await ds.client.get("/robots.txt")
    assert response.status_code == 200
    assert response.text == "User-agent: *\nDisallow: /\n"


async def test_a_database_without_build_info_counts_as_internal(tmp_path):
    other = tmp_path / "insights.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table findings (id text primary key)")
    response = await make_datasette(other).client.get("/robots.txt")
    assert response.text == "User-agent: *\nDisallow: /\n"
