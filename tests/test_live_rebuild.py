"""`python -m ingest build` under a running `make serve`: the server shows each new build
without a restart, and no request ever fails or sees half a build."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from ingest.build import build

from .conftest import ROOT
from .server import RequestLoop, datasette_server, poll

pytestmark = pytest.mark.slow  # a real server under repeated rebuilds: not in make test-fast

BUILDS = 20
TEMPLATE = ROOT / "tests" / "fixtures" / "good-notes" / "template" / "study.md"
CONSISTENCY = ("/insights.json?_shape=array&sql=select (select count(*) from findings) as findings, "
               "(select findings from build_info) as built, (select count(*) from findings_fts) as indexed, "
               "(select count(distinct finding_id) from findings_themes) as tagged")
PATHS = [
    "/insights/findings",
    "/insights/findings?_theme=financing",
    "/insights/findings?_search=finance",
    "/insights/findings.csv?_size=max",
    CONSISTENCY,
]


def whole_build(path: str, response: httpx.Response) -> str:
    """A problem if one query saw parts of two builds."""
    if path != CONSISTENCY:
        return ""
    (row,) = response.json()
    return "" if row["findings"] == row["built"] == row["indexed"] == row["tagged"] else f"half a build: {row}"


def built_digest(db: Path) -> str:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("select notes_digest from build_info").fetchone()[0]


def served_digest(base: str) -> str:
    rows = httpx.get(base + "/insights/build_info.json?_shape=array", timeout=10).json()
    return rows[0]["notes_digest"]


def test_rebuilding_under_a_live_server(tmp_path, notes_dir):
    other = tmp_path / "notes-with-one-more"
    shutil.copytree(notes_dir, other)
    shutil.copy(TEMPLATE, other / "study.md")
    note_sets = [notes_dir, other]
    db = tmp_path / "insights.db"
    build(notes_dir, db)
    # First start: the build's last connection closed and took the -wal and -shm files with it.
    assert sorted(p.name for p in tmp_path.glob("insights.db*")) == ["insights.db", "insights.db-analysis-cache"]

    with datasette_server(db) as base:
        with RequestLoop(base, PATHS, clients=3, max_seconds=120, max_requests=5_000, judge=whole_build) as loop:
            shown = 0
            for number in range(BUILDS):
                notes = note_sets[(number + 1) % 2]
                subprocess.run([sys.executable, "-m", "ingest", "build", "--notes", str(notes), "--db", str(db)],
                               cwd=ROOT, check=True, capture_output=True)
                digest = built_digest(db)
                shown += poll(lambda: served_digest(base) == digest, seconds=30)
        findings = httpx.get(base + "/insights/findings.json?_size=0", timeout=10).json()["filtered_table_rows_count"]

    counted = len(loop.results)
    print(f"\nlive rebuild: {BUILDS} builds, {counted} requests, {len(loop.failures)} failed")
    assert shown == BUILDS  # every build was served, without a restart
    assert findings == 15  # the last build (the real notes) is what the server shows
    assert counted >= len(PATHS) and {r.path for r in loop.results} == set(PATHS)
    assert loop.failures == []
