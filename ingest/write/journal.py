"""A save in progress, written down before the note is replaced, so that a save killed half-way
(a power cut, the server killed) is finished or undone by the next one.

A save is done when its build has committed: the database then holds the new note. Before the
note is renamed over, ``notes/.history/.pending/<key>.json`` records what is being saved (and
``<key>.previous`` the bytes it replaces); both go once the save is done or undone. ``recover``
(run by every save under its lock, and by the server when it starts) reads what a killed save
left: where the database holds the new note, the save was done but for its history, which is
written now; otherwise the previous bytes are put back (a new note is removed). So a note the
build refused, or never saw, never stays in notes/ after a kill.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from .atomic import new_file_mode, replace_file
from .history import HISTORY_DIR, history_root

PENDING_DIR = ".pending"


@dataclass(frozen=True)
class Pending:
    """One save in progress, as written down."""
    relative: str
    previous_digest: str | None  # None: the note did not exist
    new_digest: str
    details: dict  # what the history step needs: editor, email, message, also, when

    @property
    def key(self) -> str:
        return hashlib.sha256(self.relative.encode()).hexdigest()[:24]


def pending_folder(notes_dir: Path) -> Path:
    return notes_dir / HISTORY_DIR / PENDING_DIR


def begin(notes_dir: Path, pending: Pending, previous: bytes | None) -> None:
    """Write the save down (the previous bytes first, then the record, each fsynced)."""
    folder = pending_folder(notes_dir)
    history_root(notes_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if previous is not None:
        _write(folder / f"{pending.key}.previous", previous)
    record = {"relative": pending.relative, "previous_digest": pending.previous_digest,
              "new_digest": pending.new_digest, **pending.details}
    _write(folder / f"{pending.key}.json", json.dumps(record, ensure_ascii=False).encode("utf-8"))


def end(notes_dir: Path, pending: Pending) -> None:
    """The save is done or undone: forget it (the record first, so a kill between leaves no record)."""
    folder = pending_folder(notes_dir)
    (folder / f"{pending.key}.json").unlink(missing_ok=True)
    (folder / f"{pending.key}.previous").unlink(missing_ok=True)
    try:
        folder.rmdir()  # when no other save is pending
    except OSError:
        pass


def recover(notes_dir: Path, db_path: Path, put_back: Callable[[Path, bytes | None], None],
            finish: Callable[[Pending], None]) -> list[str]:
    """Finish or undo what killed saves left; returns one line per save, saying which."""
    folder = pending_folder(notes_dir)
    if not folder.is_dir():
        return []
    said = []
    for record in sorted(folder.glob("*.json")):
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            pending = Pending(data.pop("relative"), data.pop("previous_digest"), data.pop("new_digest"), data)
        except (ValueError, KeyError, OSError):
            record.unlink(missing_ok=True)  # torn while written: the note was not touched yet
            continue
        path = notes_dir / pending.relative
        on_disk = _digest(path)
        if on_disk == pending.new_digest and database_digest(db_path, pending.relative) == pending.new_digest:
            finish(pending)
            said.append(f"{pending.relative}: a save interrupted after its build was finished")
        elif on_disk == pending.new_digest:
            previous = folder / f"{pending.key}.previous"
            put_back(path, previous.read_bytes() if pending.previous_digest is not None else None)
            said.append(f"{pending.relative}: a save interrupted before its build was undone")
        end(notes_dir, pending)  # the previous version on disk, or a later change by someone: left as it is
    return said


def database_digest(db_path: Path, relative: str) -> str | None:
    """The digest of the note file the database was built from (None: not in it, or no database)."""
    if not db_path.exists():
        return None
    # Any other error of SQLite is raised: guessing wrong here would undo a save the database holds.
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        if not conn.execute("select 1 from sqlite_master where name = 'sources'").fetchone():
            return None
        row = conn.execute("select note_digest from sources where note_path = ?", [relative]).fetchone()
    return row[0] if row else None


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def _write(path: Path, data: bytes) -> None:
    replace_file(path, data, new_file_mode())