"""A build rewrites only the notes that changed, and ends where a full build would. A build with
nothing to write (unchanged or only touched notes) is tested in test_noop_build.py."""

import os
import sqlite3
from pathlib import Path

import pytest

import ingest.build
from ingest.build import build
from ingest.notes.errors import BuildRefused

from .conftest import BY_WHAT_ROWIDS_STAND_FOR, WILTON

DOCUMENT = "sources/wilton-park-2016-trip-report.ko.txt"


def contents(db_path: Path) -> dict[str, list]:
    """Every table's rows, order- and rowid-independent; the index by finding id."""
    with sqlite3.connect(db_path) as conn:
        tables = [name for (name,) in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
            "and name not like 'findings_fts%' and name != 'build_info'")]
        dump = {table: sorted(map(repr, conn.execute(BY_WHAT_ROWIDS_STAND_FOR.get(table, f"select * from [{table}]"))))
                for table in tables}
        dump["findings_fts"] = sorted(map(repr, conn.execute(
            "select f.id, x.title, x.body from findings_fts x join findings f on f.rowid = x.rowid")))
        dump["build_info"] = conn.execute("select notes_digest, sources, findings, themes from build_info").fetchall()
    return dump


def full_build_of(notes_dir: Path, tmp_path: Path) -> dict[str, list]:
    fresh = tmp_path / "fresh" / "insights.db"
    fresh.parent.mkdir(exist_ok=True)
    fresh.unlink(missing_ok=True)
    build(notes_dir, fresh, full=True)
    return contents(fresh)


def second_note(wilton_note: str, note_id: str = "2016-04-other-forum") -> str:
    return wilton_note.replace(f"id: {WILTON}", f"id: {note_id}")


def test_one_changed_note_is_the_only_one_rewritten(notes_dir, db_path, wilton_note):
    (notes_dir / "other.md").write_text(second_note(wilton_note), encoding="utf-8")
    build(notes_dir, db_path)
    with sqlite3.connect(db_path) as conn:
        untouched = conn.execute(f"select rowid, id from findings where source_id = '{WILTON}'").fetchall()
    (notes_dir / "other.md").write_text(second_note(wilton_note).replace("title: Disrupting", "title: Rethinking"),
                                        encoding="utf-8")
    stats, _ = build(notes_dir, db_path)
    assert (stats.written, stats.deleted, stats.findings) == (1, 1, 30)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute(f"select rowid, id from findings where source_id = '{WILTON}'").fetchall() == untouched
        assert conn.execute("select title from sources where id = '2016-04-other-forum'").fetchone()[0].startswith("Rethinking")


def test_after_any_sequence_of_changes_the_database_equals_a_full_build(notes_dir, db_path, wilton_note, tmp_path):
    steps = [
        lambda: (notes_dir / "other.md").write_text(second_note(wilton_note), encoding="utf-8"),
        lambda: (notes_dir / "other.md").write_text(
            second_note(wilton_note).replace("- themes: financing, existing-cities", "- themes: financing"), encoding="utf-8"),
        lambda: (notes_dir / "other.md").rename(notes_dir / "renamed.md"),
        lambda: (notes_dir / "renamed.md").write_text(second_note(wilton_note, "2016-05-renumbered"), encoding="utf-8"),
        lambda: (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace("access: public", "access: internal"),
                                                        encoding="utf-8"),
        lambda: (notes_dir / "renamed.md").unlink(),
    ]
    for step in steps:
        step()
        stats, _ = build(notes_dir, db_path)
        assert not stats.full
        assert contents(db_path) == full_build_of(notes_dir, tmp_path)


def test_a_changed_source_document_checks_its_notes_again(notes_dir, db_path):
    document = notes_dir / DOCUMENT
    document.write_text(document.read_text(encoding="utf-8").replace("클라우드 펀딩", "크라우드펀딩"), encoding="utf-8")
    with pytest.raises(BuildRefused) as refused:
        build(notes_dir, db_path)
    assert any(f"{WILTON}.md:" in str(p) and "quote not found" in str(p) for p in refused.value.problems)


def test_a_new_note_may_not_take_an_unchanged_notes_id(notes_dir, db_path, wilton_note):
    (notes_dir / "copy.md").write_text(wilton_note, encoding="utf-8")
    with pytest.raises(BuildRefused) as refused:
        build(notes_dir, db_path)
    assert [str(p) for p in refused.value.problems] == [
        f"copy.md:2: error: note id '{WILTON}' is already used by {WILTON}.md (give every note its own id)"]


def test_a_new_vocabulary_means_a_full_build(notes_dir, db_path):
    themes = notes_dir / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("ko: 재원 조달", "ko: 재원 마련"), encoding="utf-8")
    stats, _ = build(notes_dir, db_path)
    assert stats.full and stats.written == 1
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select label from themes where id = 'financing'").fetchone()[0] == "재원 마련 · Financing"


def test_a_database_of_another_schema_version_is_rebuilt_in_full(notes_dir, db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("update build_info set schema_version = 1")
    stats, _ = build(notes_dir, db_path)
    assert stats.full


def test_many_notes_are_read_again_for_writing_rather_than_held(notes_dir, db_path, wilton_note, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.build, "KEEP_FINDINGS", 20)  # hold at most 20 findings in memory
    for number in range(3):
        (notes_dir / f"other-{number}.md").write_text(second_note(wilton_note, f"2016-04-other-{number}"),
                                                     encoding="utf-8")
    stats, _ = build(notes_dir, db_path)
    assert (stats.written, stats.findings) == (3, 60)
    assert contents(db_path) == full_build_of(notes_dir, tmp_path)


def test_a_refused_incremental_build_keeps_the_database(notes_dir, db_path, wilton_note):
    (notes_dir / "other.md").write_text(second_note(wilton_note).replace("- kind: observation", "- kind: observaton", 1),
                                        encoding="utf-8")
    before = {p.name: p.read_bytes() for p in db_path.parent.glob("insights.db*")}
    with pytest.raises(BuildRefused):
        build(notes_dir, db_path)
    assert {p.name: p.read_bytes() for p in db_path.parent.glob("insights.db*")} == before


def test_files_unchanged_in_size_and_time_are_not_read(notes_dir, db_path):
    """The last build's size and time vouch for a file; --full reads everything again."""
    note = notes_dir / f"{WILTON}.md"
    stat = note.stat()
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("Steyning", "Steynung"), encoding="utf-8")  # same size
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert build(notes_dir, db_path)[0].written == 0
    stats, _ = build(notes_dir, db_path, full=True)
    assert stats.full
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select place from sources").fetchone()[0] == "Wiston House, Steynung, United Kingdom"
