"""A drafted note never takes an existing note's id (issue 19): a report named after a note
(`2016-03-wilton-park-smart-cities.txt`) drafted to that id, and every build was refused. The
draft takes the next free id (``-2``, ``-3`` …), says so, and `ingest check` still passes.
Also: report text is NFC wherever it enters the draft (a decomposed report's quotes are found).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

from ingest.notes.parse import read_note

from .conftest import ROOT, WILTON
from .test_draft import WILTON_REPORT
from .test_draft_formats import empty_notes


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_a_report_named_after_a_note_drafts_to_a_free_id(notes_dir, tmp_path):
    """Breaks if ids are checked against file paths only (drafts/<id>.md), not the notes' ids."""
    report = tmp_path / f"{WILTON}.txt"
    shutil.copy(WILTON_REPORT, report)
    drafted = run("draft", str(report), "--notes", str(notes_dir))
    assert drafted.returncode == 0, drafted.stderr
    assert f"the id {WILTON} is already {WILTON}.md's: the draft's id is {WILTON}-2" in drafted.stdout
    note = notes_dir / "drafts" / f"{WILTON}-2.md"
    assert read_note(note, notes_dir).id == f"{WILTON}-2"
    checked = run("check", "--notes", str(notes_dir))
    assert checked.returncode == 0 and "error" not in checked.stderr, checked.stderr
    assert checked.stdout.startswith("ok: 2 note(s)")
    # Again on the same report: the same draft, unchanged (its own id is not taken by itself).
    before = note.read_bytes()
    again = run("draft", str(report), "--notes", str(notes_dir))
    assert again.returncode == 0 and note.read_bytes() == before, again.stderr
    assert not (notes_dir / "drafts" / f"{WILTON}-3.md").exists()


def test_an_id_taken_by_a_note_in_any_folder_is_passed_over(notes_dir, tmp_path):
    """The id is read from each note's front matter, wherever the file is and whatever it is called."""
    wanted = "2016-03-wilton-park-2016-trip-report"
    (notes_dir / "elsewhere").mkdir()
    for number, name in enumerate(("a.md", "b.md"), start=1):
        text = (notes_dir / f"{WILTON}.md").read_text(encoding="utf-8")
        text = text.replace(f"id: {WILTON}", f"id: {wanted}" + ("" if number == 1 else "-2"), 1)
        (notes_dir / "elsewhere" / name).write_text(text, encoding="utf-8")
    (notes_dir / f"{WILTON}.md").unlink()
    drafted = run("draft", str(WILTON_REPORT), "--notes", str(notes_dir))
    assert drafted.returncode == 0, drafted.stderr
    assert (notes_dir / "drafts" / f"{wanted}-3.md").exists()
    assert "elsewhere/a.md's" in drafted.stdout and "elsewhere/b.md's" in drafted.stdout


def test_a_decomposed_report_is_drafted_in_nfc(tmp_path):
    """Text pasted from a macOS file name or some PDF makers is NFD; a quote in NFD is found by
    no search a browser sends (NFC). Breaks if report text is not normalised where it enters."""
    notes = empty_notes(tmp_path / "notes")
    report = tmp_path / "wilton-nfd.txt"
    report.write_text(unicodedata.normalize("NFD", WILTON_REPORT.read_text(encoding="utf-8")), encoding="utf-8")
    drafted = run("draft", str(report), "--notes", str(notes))
    assert drafted.returncode == 0, drafted.stderr
    note = next((notes / "drafts").glob("*.md")).read_text(encoding="utf-8")
    document = (notes / "sources" / "wilton-nfd.txt").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", note) and unicodedata.is_normalized("NFC", document)
    assert "클라우드 펀딩" in note
    checked = run("check", "--notes", str(notes))
    assert checked.returncode == 0, checked.stderr
