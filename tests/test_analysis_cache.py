"""The Korean analysis is cached by text digest beside the database: a rebuild analyses
only text that changed, and the cache never enters the database itself. A damaged or unreadable
cache: tests/test_faults_cache.py (once tested here too)."""

import sqlite3

from ingest.build import build
from ingest.search import korean
from ingest.search.analysis_cache import AnalysisCache, cache_path

from .conftest import WILTON


def cached_texts(db_path) -> int:
    with sqlite3.connect(cache_path(db_path)) as conn:
        return conn.execute("select count(*) from analysis").fetchone()[0]


def fts_contents(db_path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select rowid, title, body from findings_fts order by rowid").fetchall()


def test_the_cache_is_a_file_beside_the_database(db_path):
    assert cache_path(db_path) == db_path.with_name("insights.db-analysis-cache")
    assert cache_path(db_path).exists()
    with sqlite3.connect(db_path) as conn:
        tables = {name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")}
    assert not {t for t in tables if "cache" in t or "analysis" in t}


def test_a_full_rebuild_of_unchanged_notes_analyses_nothing(notes_dir, db_path):
    before = fts_contents(db_path)
    stats, _ = build(notes_dir, db_path, full=True)
    assert stats.analysed == 0 and stats.cached == cached_texts(db_path) > 20
    assert fts_contents(db_path) == before  # the cache gives exactly what analysis gives


def test_a_changed_finding_is_the_only_text_analysed_again(notes_dir, db_path, wilton_note):
    texts = cached_texts(db_path)
    note = notes_dir / f"{WILTON}.md"
    note.write_text(wilton_note.replace("- title_ko: 기존도시 스마트화를 위한 비용 확보",
                                        "- title_ko: 기존도시 스마트화를 위한 재원 확보"), encoding="utf-8")
    stats, _ = build(notes_dir, db_path)
    assert (stats.analysed, stats.cached) == (1, texts - 1)
    assert cached_texts(db_path) == texts + 1  # an incremental build adds, a full one prunes
    with sqlite3.connect(db_path) as conn:
        hits = conn.execute("select count(*) from findings_fts where findings_fts match '재원'").fetchone()[0]
    assert hits == 2  # the changed title, and private-investment's title that already said 재원


def test_after_a_full_build_the_cache_holds_only_that_builds_texts(notes_dir, db_path, wilton_note):
    full = cached_texts(db_path)
    other = wilton_note.replace(f"id: {WILTON}", "id: 2016-04-other-forum").replace(
        "- title_ko: 기존도시 스마트화를 위한 비용 확보", "- title_ko: 기존도시 스마트화를 위한 재원 확보")
    (notes_dir / "other.md").write_text(other, encoding="utf-8")
    build(notes_dir, db_path, full=True)
    assert cached_texts(db_path) == full + 1  # only the changed title is new text
    (notes_dir / "other.md").unlink()
    build(notes_dir, db_path, full=True)
    assert cached_texts(db_path) == full


def test_a_public_build_keeps_no_cache_of_any_text(notes_dir, tmp_path, wilton_note):
    internal = wilton_note.replace("- kind: implication", "- access: internal\n- kind: implication", 1)
    (notes_dir / f"{WILTON}.md").write_text(internal, encoding="utf-8")
    public_db = tmp_path / "public.db"
    build(notes_dir, public_db, public=True)
    with sqlite3.connect(public_db) as conn:
        tables = {name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")}
        findings = conn.execute("select count(*) from findings").fetchone()[0]
    assert findings == 14 and not any("cache" in t or "analysis" in t for t in tables)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("public")) == ["public.db"]


def test_the_cache_answers_like_the_analyser(tmp_path):
    texts = ["스마트도시는", "crowdfunding", "", "홍보의 중요성", "스마트도시는"]
    with AnalysisCache(tmp_path / "cache") as cache:
        first = cache.index_texts(texts)
    with AnalysisCache(tmp_path / "cache") as cache:
        second = cache.index_texts(texts)
        assert (cache.hits, cache.misses) == (2, 0)
    assert first == second == korean.index_texts(texts)
