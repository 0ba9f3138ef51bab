"""The build writes every finding, tagged, in one transaction."""

import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from ingest.build import build, check_notes
from ingest.db.state import BuildInfo
from ingest.db.write import write_database
from ingest.notes.errors import BuildRefused

from .conftest import WILTON


UNUSED_INFO = BuildInfo(notes_digest="0" * 64, vocabulary_digest="0" * 64, document_digest=lambda document: None)


def rows(db_path: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def test_schema_and_counts(db_path):
    db = sqlite_utils.Database(db_path)
    assert {"sources", "findings", "themes", "findings_themes", "findings_regions", "findings_stakeholders",
            "regions", "stakeholders", "kinds", "source_types", "build_info", "findings_fts"} <= set(db.table_names())
    assert db["findings"].count == 15
    assert db["sources"].count == 1
    info = db["build_info"].get(1)
    assert info["findings"] == 15 and info["sources"] == 1 and len(info["notes_digest"]) == 64
    fks = {(fk.column, fk.other_table) for fk in db["findings"].foreign_keys}
    assert {("source_id", "sources"), ("kind", "kinds")} <= fks
    assert db["findings"].columns_dict["position"] is int


def test_every_faceted_column_is_indexed(db_path):
    db = sqlite_utils.Database(db_path)
    indexed = {(table, index.columns[0]) for table in db.table_names() for index in db[table].indexes}
    for table, column in [("findings", "source_id"), ("findings", "kind"), ("findings_themes", "theme_id"),
                          ("findings_regions", "region_id"), ("findings_stakeholders", "stakeholder_id")]:
        assert (table, column) in indexed


def test_finding_ids_are_note_id_slash_finding_id(db_path):
    ids = [r[0] for r in rows(db_path, "select id from findings")]
    assert f"{WILTON}/retrofit-financing" in ids
    assert all(i.startswith(f"{WILTON}/") for i in ids)


def test_link_table_matches_the_themes_column(db_path):
    for finding_id, themes in rows(db_path, "select id, themes from findings"):
        linked = [r[0] for r in rows(db_path, "select theme_id from findings_themes where finding_id = ?", finding_id)]
        assert sorted(linked) == sorted(json.loads(themes))


def test_korean_is_stored_intact(db_path, wilton_note):
    (quote,) = rows(db_path, "select quote from findings where id = ?", f"{WILTON}/citizen-crowdfunding")[0]
    assert quote == "최근 화두가 되고 있는 시민들이 주체가 되는 클라우드 펀딩에 대한 필요성이 언급되었음"
    assert quote in wilton_note


def test_no_speaker_or_affiliation_is_stored_for_chatham_house(db_path):
    db = sqlite_utils.Database(db_path)
    columns = {c for table in ("sources", "findings") for c in db[table].columns_dict}
    assert not {"speaker", "speakers", "affiliation", "affiliations"} & columns
    # The report names a Barcelona participant; the note quotes around it.
    assert rows(db_path, "select count(*) from findings where quote like '%바르셀로나%' or summary like '%Barcelona%'") == [(0,)]


def test_full_text_search_stems_english(db_path):
    hits = rows(db_path, "select f.id from findings f join findings_fts on findings_fts.rowid = f.rowid "
                         "where findings_fts match 'finance'")
    assert f"{WILTON}/retrofit-financing" in {h[0] for h in hits}


def test_ids_are_stable_across_rebuilds(notes_dir, db_path):
    before = rows(db_path, "select id, title from findings order by id")
    build(notes_dir, db_path)
    assert rows(db_path, "select id, title from findings order by id") == before


def test_rows_of_a_removed_note_disappear(notes_dir, db_path, wilton_note):
    other = wilton_note.replace(f"id: {WILTON}", "id: 2016-04-other-forum")
    (notes_dir / "other.md").write_text(other, encoding="utf-8")
    build(notes_dir, db_path)
    assert rows(db_path, "select count(*) from findings where source_id = '2016-04-other-forum'") == [(15,)]
    (notes_dir / "other.md").unlink()
    build(notes_dir, db_path)
    assert rows(db_path, "select count(*) from findings where source_id = '2016-04-other-forum'") == [(0,)]
    assert rows(db_path, "select count(*) from findings_themes where finding_id like '2016-04-other-forum/%'") == [(0,)]
    assert rows(db_path, "select count(*) from findings_fts") == [(15,)]


def test_a_broken_note_fails_with_file_line_and_leaves_the_db_byte_identical(notes_dir, db_path, wilton_note):
    before = db_path.read_bytes()
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace("- kind: recommendation", "- kind: recomendation", 1),
                                            encoding="utf-8")
    with pytest.raises(BuildRefused) as refused:
        build(notes_dir, db_path)
    assert str(refused.value.problems[0]).startswith(f"{WILTON}.md:")
    assert db_path.read_bytes() == before


def test_a_write_that_fails_half_way_rolls_back(notes_dir, db_path):
    before = db_path.read_bytes()
    checked = check_notes(notes_dir)
    checked.notes[0].findings[-1].title = None  # violates NOT NULL after most rows are written
    with pytest.raises(sqlite3.IntegrityError):
        write_database(db_path, checked.notes, checked.vocabulary, UNUSED_INFO)
    assert db_path.read_bytes() == before
    assert rows(db_path, "select count(*) from findings") == [(15,)]


def test_a_first_build_that_fails_half_way_leaves_no_file(notes_dir, tmp_path):
    db = tmp_path / "new" / "insights.db"
    db.parent.mkdir()
    checked = check_notes(notes_dir)
    checked.notes[0].findings[-1].title = None
    with pytest.raises(sqlite3.IntegrityError):
        write_database(db, checked.notes, checked.vocabulary, UNUSED_INFO)
    # No database and no half-written file; only the Korean analysis done so far stays cached.
    assert [p.name for p in db.parent.iterdir()] == ["insights.db-analysis-cache"]
