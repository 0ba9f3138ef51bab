"""A public build carries nothing derived from text it does not publish (issue 19 item 10).

Two copies of the notes differ only in what a public build leaves out: an internal finding,
front-matter text the build ignores (an unknown field, a YAML comment), an unknown attribute of a
public finding, the source document (which a public build never publishes) and a comment in
themes.yml. Their public
builds must be the same database, cell for cell (build_info's time aside), and no cell of either
may hold the sha256 of the document, of the note file, or of the internal text."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from ingest.build import build

from .conftest import WILTON

DOCUMENT = "sources/wilton-park-2016-trip-report.ko.txt"


def with_unpublished_text(notes_dir: Path, note: str, secret: str) -> dict[str, bytes]:
    """Write the note and its document with ``secret`` in every place a public build leaves out;
    return the texts whose digests must not be published."""
    quote = re.search(r"^> (.+)$", note, re.M)[1]  # a passage the document holds
    front_matter_end = note.index("\n---\n", 4)
    first_finding = note.index("\n## ")
    first_attribute_end = note.index("\n\n", first_finding)
    internal_finding = (f"\n## Only insiders read this: {secret}\n- id: insiders-only\n- title_ko: 내부 전용 {secret}\n- themes: financing\n"
                        f"- kind: observation\n- access: internal\n\n> {quote}\n\n"
                        + "\n".join(f"What the ministry told us, line {n}: {secret}." for n in range(len(secret) % 5 + 1))
                        + "\n")
    text = (note[:front_matter_end] + f"\nreviewer_note: {secret}\n# {secret}" + note[front_matter_end:first_finding]
            + internal_finding + note[first_finding:first_attribute_end] + f"\n- reviewer: {secret}"
            + note[first_attribute_end:])
    (notes_dir / f"{WILTON}.md").write_text(text, encoding="utf-8")
    vocabulary = notes_dir / "themes.yml"
    vocabulary_text = vocabulary.read_text(encoding="utf-8") + f"# {secret}\n"
    vocabulary.write_text(vocabulary_text, encoding="utf-8")
    document = notes_dir / DOCUMENT
    document_text = document.read_text(encoding="utf-8") + f"\n\n붙임: {secret}\n"
    document.write_text(document_text, encoding="utf-8")
    return {"note file": text.encode(), "document": document_text.encode(), "internal finding": internal_finding.encode(),
            "themes.yml": vocabulary_text.encode(), "secret": secret.encode()}


def dump(db: Path) -> dict[str, list]:
    """Every row of every table (full-text index and its shadow tables included), as sorted tuples."""
    with closing(sqlite3.connect(db)) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]
        dumped = {}
        for table in tables:
            cursor = conn.execute(f"select * from [{table}]")
            columns = [c[0] for c in cursor.description]
            rows = [tuple(None if table == "build_info" and column == "built_at" else value
                          for column, value in zip(columns, row)) for row in cursor]
            dumped[table] = [columns, sorted(rows, key=repr)]
        return dumped


def cells(dumped: dict[str, list]):
    for table, (columns, rows) in dumped.items():
        for row in rows:
            for column, value in zip(columns, row):
                yield table, column, value


@pytest.fixture
def two_public_builds(tmp_path, notes_dir, wilton_note):
    builds, secrets = [], {}
    for name, secret in (("a", "예산은 3억 원으로 잠정 합의"), ("b", "The budget is not agreed yet, see the annex")):
        notes = tmp_path / name / "notes"
        notes.parent.mkdir()
        shutil.copytree(notes_dir, notes)
        for what, text in with_unpublished_text(notes, wilton_note, secret).items():
            secrets[f"{what} {name}"] = text
        db = tmp_path / name / "public.db"
        build(notes, db, public=True)
        builds.append(db)
    return builds, secrets


def test_public_builds_of_notes_that_differ_only_in_unpublished_text_are_the_same(two_public_builds):
    """Broken if any cell of a public build depends on an internal finding, an ignored
    front-matter field or comment, an unknown attribute, line numbers they move, or the
    source document: sources.note_digest and document_digest, findings.note_line,
    build_info.notes_digest and vocabulary_digest (of themes.yml, comments and all) were such cells."""
    (a, b), _ = two_public_builds
    first, second = dump(a), dump(b)
    assert first.keys() == second.keys()
    for table in first:
        assert first[table] == second[table], table


def test_no_public_cell_holds_the_digest_of_unpublished_text(two_public_builds):
    """Broken if a public build publishes the sha256 of its source document (anyone holding a
    copy could confirm it), of the note file or of the internal text."""
    builds, secrets = two_public_builds
    digests = {f"sha256 of the {what}": hashlib.sha256(text).hexdigest() for what, text in secrets.items()}
    for db in builds:
        dumped = dump(db)
        for table, column, value in cells(dumped):
            text = value.hex() if isinstance(value, bytes) else str(value)
            for what, digest in digests.items():
                assert digest not in text, (db.parent.name, table, column, what)
        # and the secret itself is not there (the public build test scans the raw bytes too)
        assert not [c for c in cells(dumped) if isinstance(c[2], str) and ("3억" in c[2] or "annex" in c[2])]


def test_the_public_rows_still_say_where_a_finding_comes_from(two_public_builds):
    """What stays: the note's path, its document's name (not its contents), a note digest over
    what is published, findings in their published order; the line number and the document's
    digest are empty."""
    (a, _), _ = two_public_builds
    with closing(sqlite3.connect(a)) as conn:
        source = conn.execute("select note_path, document, note_digest, document_digest from sources where id = ?",
                              (WILTON,)).fetchone()
        lines = conn.execute("select distinct note_line from findings").fetchall()
        positions = [r[0] for r in conn.execute("select position from findings where source_id = ? order by position",
                                                (WILTON,))]
        hidden = conn.execute("select count(*) from findings where id like '%insiders-only'").fetchone()[0]
    assert source[:2] == (f"{WILTON}.md", DOCUMENT)
    assert re.fullmatch(r"[0-9a-f]{64}", source[2]) and source[3] is None
    assert lines == [(None,)] and positions == list(range(1, len(positions) + 1)) and hidden == 0


def test_an_internal_build_keeps_its_digests_and_lines(tmp_path, notes_dir):
    """The internal build is unchanged: its incremental builds compare these digests."""
    db = tmp_path / "insights.db"
    build(notes_dir, db)
    document = (notes_dir / DOCUMENT).read_bytes()
    note = (notes_dir / f"{WILTON}.md").read_bytes()
    with closing(sqlite3.connect(db)) as conn:
        digests = conn.execute("select note_digest, document_digest from sources where id = ?", (WILTON,)).fetchone()
        lines = conn.execute("select count(*) from findings where note_line is null").fetchone()[0]
    assert digests == (hashlib.sha256(note).hexdigest(), hashlib.sha256(document).hexdigest())
    assert lines == 0
