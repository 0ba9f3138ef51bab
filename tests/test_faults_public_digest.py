"""A public build's `build_info.notes_digest` covers what it publishes only: an outsider who
watches it learns nothing when internal notes, or internal findings of a public note, change."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from ingest.build import build

from .conftest import WILTON
from .test_incremental import second_note

pytestmark = pytest.mark.slow  # fault injection (public builds): not in make test-fast


def digest_of(notes_dir, db, public: bool) -> str:
    build(notes_dir, db, public=public)
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("select notes_digest from build_info").fetchone()[0]


def test_internal_changes_leave_the_public_digest_as_it_was(notes_dir, tmp_path, wilton_note):
    internal_note = second_note(wilton_note).replace("access: public", "access: internal")
    (notes_dir / "internal.md").write_text(internal_note, encoding="utf-8")
    with_internal_finding = wilton_note.replace("- kind: implication", "- access: internal\n- kind: implication", 1)
    wilton = notes_dir / f"{WILTON}.md"
    wilton.write_text(with_internal_finding, encoding="utf-8")
    public, internal = tmp_path / "public.db", tmp_path / "internal.db"
    first = digest_of(notes_dir, public, True), digest_of(notes_dir, internal, False)

    (notes_dir / "internal.md").write_text(internal_note.replace("Citizens", "Residents"), encoding="utf-8")
    another = second_note(wilton_note, "2016-05-third").replace("access: public", "access: internal")
    (notes_dir / "another-internal.md").write_text(another, encoding="utf-8")
    end_of_hidden_finding = with_internal_finding.index("\n## ", with_internal_finding.index("- access: internal"))
    wilton.write_text(with_internal_finding[:end_of_hidden_finding] + "\nA sentence only insiders read.\n"
                      + with_internal_finding[end_of_hidden_finding:], encoding="utf-8")
    second = digest_of(notes_dir, public, True), digest_of(notes_dir, internal, False)
    assert second[0] == first[0]  # nothing public changed
    assert second[1] != first[1]  # an internal build's digest covers every note file

    wilton.write_text(wilton.read_text(encoding="utf-8").replace("Citizens", "Residents", 1), encoding="utf-8")
    assert digest_of(notes_dir, public, True) != first[0]  # a public change shows
