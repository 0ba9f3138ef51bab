"""A save killed with SIGKILL (a power cut, the server killed) at any point of its write and
build leaves the previous note or the new one, never a mix, and a database that matches one of
them: the previous database with either note, or the new database with the new note. The next
build then brings the database to the note on disk.

The saving process kills itself at its Nth crash point (``INGEST_CRASH_AT``, ingest/crash_points.py:
the build's, and the save's own before and after the rename and after the build); the points are
chosen from a complete save's list (`make faults` runs more of them). Then the recovery every
save runs first (``recover_saves``) leaves the previous note with the previous database, or the
new note with the new database and its history (in git: the editor's commit).

A save the build refuses, killed while its note is put back, leaves the previous note after
the recovery: a note no build accepted never stays in notes/."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

from ingest.build import build, check_notes
from ingest.write.lock import notes_lock
from ingest.write.save import recover_saves

from .conftest import NOTES, ROOT
from .faults import crash_points, integrity, spread, table_digest
from .test_write_save import NOTE, edited

pytestmark = pytest.mark.slow  # a kill loop: not in make test-fast

KILLS = int(os.environ.get("FAULT_KILLS", "6"))  # per kind of notes folder, besides the save's own points

SAVE = """
import sys
from pathlib import Path
from ingest.write.save import Editor, file_digest, save_note
notes, db, text = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]).read_text(encoding="utf-8")
result = save_note(notes, sys.argv[4], text, opened_digest=file_digest(notes / sys.argv[4]),
                   editor=Editor("김연구"), db_path=db, message="고침")
print(result.commit or result.backup)
"""


def run_save(folder: Path, text_file: Path, crash_at: int = 0, crash_log: Path | None = None):
    env = {**os.environ, "INGEST_CRASH_AT": str(crash_at)}
    env.pop("INGEST_CRASH_LOG", None)
    if crash_log:
        env["INGEST_CRASH_LOG"] = str(crash_log)
    return subprocess.run([sys.executable, "-c", SAVE, str(folder / "notes"), str(folder / "insights.db"),
                           str(text_file), NOTE], cwd=ROOT, env=env, capture_output=True, text=True)


def content_digest(db: Path) -> str:
    """``faults.table_digest`` leaving out the files' modification times, which differ between a
    rehearsal and a killed run made seconds apart (sizes and digests stay in)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(copy)) as target:
            source.backup(target)
            with target:
                target.execute("update file_stats set mtime_ns = 0")
        return table_digest(copy)


def visible(notes: Path) -> set[str]:
    """Every file under notes/ that discovery or a person would see (hidden ones left out)."""
    return {p.relative_to(notes).as_posix() for p in notes.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(notes).parts)}


@pytest.fixture(scope="module", params=["no repository", "git"])
def state(request, tmp_path_factory):
    """A folder with notes/ and its database (in a git repository, or not), the edited text, and
    the database's digest before and after a complete save."""
    folder = tmp_path_factory.mktemp("save-kills")
    before = folder / "before"
    shutil.copytree(NOTES, before / "notes")
    if request.param == "git":
        for args in (["init", "-q"], ["add", "."], ["-c", "user.name=M", "-c", "user.email=m@example.org",
                                                    "commit", "-q", "-m", "corpus"]):
            subprocess.run(["git", "-C", str(before), *args], check=True, capture_output=True)
    build(before / "notes", before / "insights.db")
    old = (before / "notes" / NOTE).read_bytes()
    text_file = folder / "edited.md"
    text_file.write_text(edited(old.decode()), encoding="utf-8")
    rehearsal, log = folder / "rehearsal", folder / "crash-points.log"
    shutil.copytree(before, rehearsal)
    done = run_save(rehearsal, text_file, crash_log=log)
    assert done.returncode == 0, done.stderr
    return {"before": before, "text": text_file, "old": old, "new": text_file.read_bytes(),
            "old_db": content_digest(before / "insights.db"), "new_db": content_digest(rehearsal / "insights.db"),
            "points": crash_points(log), "git": request.param == "git"}


def test_a_killed_save_leaves_the_previous_note_or_the_new_one_and_a_matching_database(state, tmp_path):
    saves = [point for point in state["points"] if point[1] == "save"]  # the save's own: each of them
    points = sorted(set(spread([p for p in state["points"] if p[1] != "save"], KILLS)) | set(saves))
    assert {"save", "write", "commit"} <= {phase for _, phase in points}
    seen, recovered_outcomes = set(), set()
    for number, phase in points:
        where = f"killed at crash point {number} ({phase})"
        folder = tmp_path / f"kill-{number}"
        shutil.copytree(state["before"], folder)
        notes, db = folder / "notes", folder / "insights.db"
        killed = run_save(folder, state["text"], crash_at=number)
        assert killed.returncode == -signal.SIGKILL, f"{where}: {killed.stderr}"
        note = (notes / NOTE).read_bytes()
        assert note in (state["old"], state["new"]), f"{where}: the note is neither version"
        assert visible(notes) == visible(state["before"] / "notes"), where
        assert integrity(db) == ["ok"], where
        digest = content_digest(db)
        allowed = [state["old_db"]] if note == state["old"] else [state["old_db"], state["new_db"]]
        assert digest in allowed, f"{where}: the database matches neither note"
        seen.add(("new note" if note == state["new"] else "old note",
                  "new database" if digest == state["new_db"] else "old database"))
        with notes_lock(notes):
            recovered = recover_saves(notes, db)  # what the next save, or the server's start, does first
        assert not (notes / ".history" / ".pending").exists(), where
        note, digest = (notes / NOTE).read_bytes(), content_digest(db)
        assert (note, digest) in ((state["old"], state["old_db"]), (state["new"], state["new_db"])), \
            f"{where}: after recovery {recovered}, the note and the database disagree"
        if state["git"] and note == state["new"]:  # the interrupted save's commit, made by the recovery
            log = subprocess.run(["git", "-C", str(folder), "log", "-1", "--format=%an", "--", f"notes/{NOTE}"],
                                 capture_output=True, text=True, check=True).stdout.strip()
            assert log == "김연구", where
        recovered_outcomes.add("new" if note == state["new"] else "old")
        build(notes, db)  # what `make build` does next: nothing left to do
        assert content_digest(db) == digest and check_notes(notes).errors == [], where
        shutil.rmtree(folder)
    print(f"\n{'git' if state['git'] else 'no repository'}: {len(points)} kills, outcomes {sorted(seen)}, "
          f"after recovery {sorted(recovered_outcomes)}")
    assert seen == {("old note", "old database"), ("new note", "old database"), ("new note", "new database")}
    assert recovered_outcomes == {"old", "new"}


def test_a_refused_save_killed_while_it_is_undone_leaves_the_previous_note(state, tmp_path):
    """Breaks if a kill between the refused build and the put-back leaves the refused note in
    notes/ after the recovery (every later build would be refused)."""
    refused = tmp_path / "refused.md"
    refused.write_text(state["new"].decode().replace("kind: observation", "kind: not-a-kind", 1), encoding="utf-8")
    log = tmp_path / "crash-points.log"
    rehearsal = tmp_path / "rehearsal"
    shutil.copytree(state["before"], rehearsal)
    assert run_save(rehearsal, refused, crash_log=log).returncode == 1
    saves = [point for point in crash_points(log) if point[1] == "save"]
    assert len(saves) == 3  # before the note's rename, after it, and before the put-back's rename
    for number, _ in saves:
        folder = tmp_path / f"kill-{number}"
        shutil.copytree(state["before"], folder)
        notes, db = folder / "notes", folder / "insights.db"
        assert run_save(folder, refused, crash_at=number).returncode == -signal.SIGKILL
        with notes_lock(notes):
            recover_saves(notes, db)
        assert (notes / NOTE).read_bytes() == state["old"] and content_digest(db) == state["old_db"]
        assert check_notes(notes).errors == []
