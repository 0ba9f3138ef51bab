"""The live notes/ — what researchers write every day — are the one thing the suite reads that
is not frozen: it checks only that `ingest check` accepts them, and asserts no counts, so adding,
changing or removing a note leaves `make test` green. Every other test builds from the frozen
corpus (tests/fixtures/corpus/, see conftest.py)."""

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import LIVE_NOTES, NOTES, ROOT, STUDY_NOTE

ADDED = "2099-12-live-notes-robustness-probe"  # an id and file name no real note will have


def check_accepts(notes: Path) -> None:
    """`ingest check` exits 0 on ``notes`` and says ok; how many notes or findings is not asserted."""
    result = subprocess.run([sys.executable, "-m", "ingest", "check", "--notes", str(notes)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: "), result.stdout


def test_ingest_check_accepts_the_live_notes():
    """Breaks when a note committed to notes/ does not check (or the check itself breaks)."""
    check_accepts(LIVE_NOTES)


def test_the_live_notes_check_still_passes_when_a_note_is_added(tmp_path):
    """The live-notes check must not depend on how many notes there are: with one more note (the
    study note under an id no live note has) in a copy of notes/, it still passes. Breaks if the
    check asserts a count, a note id, or reads the real notes/ instead of the folder it is given."""
    notes = tmp_path / "notes"
    shutil.copytree(LIVE_NOTES, notes)
    added = notes / f"{ADDED}.md"
    assert not added.exists()
    study = next(STUDY_NOTE.glob("*.md"))
    added.write_text(study.read_text(encoding="utf-8").replace(f"id: {study.stem}\n", f"id: {ADDED}\n", 1),
                     encoding="utf-8")
    check_accepts(notes)
    assert len(list(notes.glob("*.md"))) == len(list(LIVE_NOTES.glob("*.md"))) + 1


def test_the_frozen_corpus_is_not_the_live_notes_folder():
    """Breaks if conftest's NOTES points at notes/ again (the suite would turn red on a new note)."""
    assert NOTES.resolve() != LIVE_NOTES.resolve()
    assert NOTES.is_relative_to(ROOT / "tests" / "fixtures")
    check_accepts(NOTES)
