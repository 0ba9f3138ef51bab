"""A save killed with SIGKILL (a power cut, the server killed) at any point of its write and
build leaves the previous note or the new one, never a mix, and a database that matches one of
them: the previous database with either note, or the new database with the new note. The next
build then brings the database to the note on disk.

The saving process kills itself at its Nth crash point (``INGEST_CRASH_AT``, ingest/crash_points.py:
the build's, and the save's own after the rename and after the build); the points are chosen
from a complete save's list (`make faults` runs more of them)."""

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

from .conftest import NOTES, ROOT
from .faults import crash_points, integrity, spread, table_digest
from .test_write_save import NOTE, edited, note_digest_in

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
    assert {"save", "parse", "write", "commit"} <= {phase for _, phase in points}
    seen = set()
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
        build(notes, db)  # what the next save or `make build` does
        assert content_digest(db) == (state["new_db"] if note == state["new"] else state["old_db"]), where
        assert note_digest_in(db, NOTE) is not None and check_notes(notes).errors == [], where
        shutil.rmtree(folder)
    print(f"\n{'git' if state['git'] else 'no repository'}: {len(points)} kills, outcomes {sorted(seen)}")
    assert seen == {("old note", "old database"), ("new note", "old database"), ("new note", "new database")}
