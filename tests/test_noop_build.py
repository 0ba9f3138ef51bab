"""A build that has nothing to write changes nothing in the database, not even build_info: a
running server keeps its facet index (its key includes built_at) instead of reloading it.
(The no-op and touched-note cases live here only; test_incremental.py covers builds that write.)"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
import time
from pathlib import Path

import pytest

from ingest.build import build

from .conftest import WILTON, make_datasette


def table_digests(db_path: Path) -> dict[str, str]:
    """sha256 of every table's rows (and of the schema), in rowid order."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        tables = [name for (name,) in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")]
        digests = {"sqlite_master": hashlib.sha256(repr(conn.execute(
            "select * from sqlite_master order by name").fetchall()).encode()).hexdigest()}
        for table in tables:
            rows = conn.execute(f"select * from [{table}]").fetchall()
            digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def past_the_second_of_the_last_build(db_path: Path) -> None:
    """Wait (under a second) until a new build would record another built_at, so that a build
    that rewrote build_info could not go unnoticed."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        (built_at,) = conn.execute("select built_at from build_info").fetchone()
    while dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds") <= built_at:
        time.sleep(0.05)


def test_a_no_op_build_changes_nothing_in_the_database(notes_dir, db_path):
    """The defect: every build wrote a new built_at, so a build that wrote nothing still changed
    build_info (and the facet index's key)."""
    past_the_second_of_the_last_build(db_path)
    before_bytes, before_tables = db_path.read_bytes(), table_digests(db_path)
    with contextlib.closing(sqlite3.connect(db_path)) as watcher:
        (version_before,) = watcher.execute("pragma data_version").fetchone()
        stats, warnings = build(notes_dir, db_path)
        (version_after,) = watcher.execute("pragma data_version").fetchone()
    assert (stats.full, stats.written, stats.deleted, stats.analysed, stats.findings, warnings) == (False, 0, 0, 0, 15, [])
    assert version_after == version_before
    assert table_digests(db_path) == before_tables
    assert db_path.read_bytes() == before_bytes


def test_a_touched_but_unchanged_note_does_not_change_build_info(notes_dir, db_path):
    """Only the new modification time is recorded (so the next build need not read the file again)."""
    note = notes_dir / f"{WILTON}.md"
    stat = note.stat()
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    before = table_digests(db_path)
    past_the_second_of_the_last_build(db_path)
    stats, _ = build(notes_dir, db_path)
    after = table_digests(db_path)
    assert (stats.written, stats.deleted) == (0, 0)
    assert {table for table in before if before[table] != after[table]} == {"file_stats"}
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("select mtime_ns from file_stats where path = ?", (note.name,)).fetchone() == (
            note.stat().st_mtime_ns,)
    assert table_digests(db_path) == after and build(notes_dir, db_path)[0].written == 0


def test_a_changed_note_still_writes_a_new_build_info(notes_dir, db_path, wilton_note):
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        before = conn.execute("select notes_digest from build_info").fetchone()
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace("title: Disrupting", "title: Rethinking"), encoding="utf-8")
    build(notes_dir, db_path)
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("select notes_digest from build_info").fetchone() != before


@pytest.mark.parametrize("change", ["nothing", "touch"])
async def test_a_no_op_build_keeps_the_running_servers_facet_index(notes_dir, db_path, change):
    """After a build that changed no data, the next filtered page is counted by the facet index
    alone: the server found its index still describes the build, and did not reload it."""
    ds = make_datasette(db_path, trace_debug=True)
    page = "/insights/findings.json?_size=0&_region=korea&_trace=1"

    async def counted_by() -> tuple[dict, set[str]]:
        response = await ds.client.get(page)
        assert response.status_code == 200, response.text
        data = response.json()
        traces = [t["sql"] for t in data["_trace"]["traces"]]
        return data["facet_results"]["region"]["results"], {
            "sql" if "as materialized" in sql else "index" for sql in traces
            if "as materialized" in sql or "group_concat(rowid)" in sql}

    before, by = await counted_by()
    assert by == {"index"}
    if change == "touch":
        note = notes_dir / f"{WILTON}.md"
        os.utime(note, ns=(note.stat().st_atime_ns, note.stat().st_mtime_ns + 5_000_000_000))
    past_the_second_of_the_last_build(db_path)
    build(notes_dir, db_path)
    after, by = await counted_by()
    assert by == {"index"} and after == before
