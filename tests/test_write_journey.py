"""The writing room's steps end to end, without HTTP: a report drafted, its review form posted as a
browser posts it, the text judged, saved and built into a real SQLite database. What issue 20's
browser journey does through the pages, at the level of ingest/write."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from ingest.build import build, check_notes
from ingest.draft.draft import draft_report
from ingest.write.form_fields import fields_for, form_from_fields
from ingest.write.note_form import read_form, write_form
from ingest.write.problems import check_text

from .conftest import ROOT, WILTON


def replaced(fields, name, *values):
    out, done = [], False
    for key, value in fields:
        if key != name:
            out.append((key, value))
        elif not done:
            out += [(name, v) for v in values]
            done = True
    return out


@pytest.mark.slow  # two builds of the corpus with Korean analysis
def test_a_draft_reviewed_through_the_form_is_saved_final_and_built(tmp_path):
    """Breaks if a draft, with two candidates dropped, themes set, titles and summaries written and
    marked final, is refused by check or the build, or loses what the form said."""
    notes = tmp_path / "notes"
    shutil.copytree(ROOT / "notes", notes)
    db = tmp_path / "insights.db"
    build(notes, db)
    note = draft_report(notes / "sources" / "wilton-park-2016-trip-report.ko.txt", notes).note
    relative = note.relative_to(notes).as_posix()
    opened_text = note.read_bytes().decode("utf-8")
    opened = read_form(opened_text)
    assert len(opened.findings) >= 4

    fields = fields_for(opened)
    fields = [(name, value) for name, value in fields if name not in ("f-2-keep", "f-3-keep")]  # two dropped
    fields = replaced(fields, "title", "Disrupting cities through technology (Wilton Park forum)")
    fields = replaced(fields, "access", "public")
    fields = replaced(fields, "body", "Trip report on the Wilton Park forum, held under the Chatham House Rule.")
    kept = [n for n in range(1, len(opened.findings) + 1) if n not in (2, 3)]
    for n in kept:
        fields = replaced(fields, f"f-{n}-title", f"What the forum said, point {n}")
        fields = replaced(fields, f"f-{n}-summary", f"What was learned from point {n}, and why it matters.")
        fields = replaced(fields, f"f-{n}-themes", "", "financing", "international-cooperation")
    fields += [("final", "1"), ("csrftoken", "token"), ("digest", "digest")]

    form = form_from_fields(fields, read_form(opened_text))
    text = write_form(opened_text, form)
    assert [p for p in check_text(notes, relative, text, final=True) if p.severity == "error"] == []
    note.write_bytes(text.encode("utf-8"))
    assert [p for p in check_notes(notes).errors] == []
    build(notes, db)

    note_id = opened.fields["id"]
    with sqlite3.connect(db) as connection:
        rows = connection.execute("select id, title, summary from findings where source_id = ? order by id",
                                  [note_id]).fetchall()
        themes = connection.execute("select distinct theme_id from findings_themes where finding_id like ?",
                                    [note_id + "/%"]).fetchall()
    assert sorted(row[0] for row in rows) == sorted(f"{note_id}/{opened.findings[n - 1].id}" for n in kept)
    assert {row[1] for row in rows} == {f"What the forum said, point {n}" for n in kept}
    assert {theme for (theme,) in themes} == {"financing", "international-cooperation"}
    assert f"{WILTON}" != note_id  # the draft took its own id beside the hand-written note
