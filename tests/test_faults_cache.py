"""A damaged analysis cache is noticed, rebuilt, and said so; a build never fails because of
it and never indexes text the cache got wrong. A flipped byte inside one cached analysis is
invisible to SQLite: the entry's CRC-32 catches it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

from ingest.build import build
from ingest.search.analysis_cache import cache_path

from .conftest import ROOT
from .faults import DB, integrity

pytestmark = pytest.mark.slow  # fault injection (damaged analysis caches, subprocess builds): not in make test-fast


def index_of(db) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("select f.id, x.title, x.body from findings_fts x join findings f on f.rowid = x.rowid "
                            "order by f.id").fetchall()


@pytest.fixture
def built(notes_dir, db_path, tmp_path):
    """The database, its cache, and the search index a build without any cache writes."""
    fresh = tmp_path / "fresh" / DB
    fresh.parent.mkdir()
    build(notes_dir, fresh)
    return notes_dir, db_path, index_of(fresh)


def rebuild(notes_dir, db_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", "build", "--full", "--notes", str(notes_dir),
                           "--db", str(db_path)], cwd=ROOT, capture_output=True, text=True)


def flip_a_byte_of_one_entry(cache, replace: bytes) -> None:
    """Change one byte of one cached analysis where it lies in the file."""
    with closing(sqlite3.connect(cache)) as conn:
        (text,) = conn.execute("select cast(indexed as blob) from analysis where indexed like '%재원%' "
                               "order by digest limit 1").fetchone()
    data = cache.read_bytes()
    assert data.count(text) == 1
    at = data.index(text) + text.index("재원".encode())
    cache.write_bytes(data[:at] + replace + data[at + len(replace):])


@pytest.mark.parametrize("replace", ["자원".encode()[:3], b"\xff"], ids=["another syllable", "invalid UTF-8"])
def test_a_flipped_byte_in_one_entry_is_analysed_again(built, replace):
    notes_dir, db_path, fresh_index = built
    flip_a_byte_of_one_entry(cache_path(db_path), replace)
    result = rebuild(notes_dir, db_path)
    assert result.returncode == 0, result.stderr
    assert "warning: 1 entry of the analysis cache" in result.stderr
    assert "failed their checksum; those texts were analysed again" in result.stderr
    assert "Korean text(s): 1 analysed" in result.stdout
    assert index_of(db_path) == fresh_index  # 재원, not 자원
    assert "warning" not in rebuild(notes_dir, db_path).stderr  # the entry was replaced


@pytest.mark.parametrize("damage", ["truncated", "zeroed page", "not a database"])
def test_an_unreadable_cache_is_deleted_and_rebuilt(built, damage):
    notes_dir, db_path, fresh_index = built
    cache = cache_path(db_path)
    data = cache.read_bytes()
    damaged = {"truncated": data[:len(data) // 2 + 100], "zeroed page": data[:4096] + bytes(4096) + data[8192:],
               "not a database": b"SQLite format 3\0" + bytes(100) + data[116:]}[damage]
    cache.write_bytes(damaged)
    result = rebuild(notes_dir, db_path)
    assert result.returncode == 0, result.stderr
    assert f"warning: the analysis cache {cache} could not be read" in result.stderr
    assert "it was deleted and rebuilt" in result.stderr
    assert index_of(db_path) == fresh_index and integrity(db_path) == ["ok"]
    again = rebuild(notes_dir, db_path)
    assert "warning" not in again.stderr and "0 analysed" in again.stdout  # the new cache holds every text
