"""Save a note from the browser: the conflict check, the atomic write, the incremental build,
then its history. Blocking (a build, git): the server runs ``save_note`` in a thread.

Under one lock (``lock.notes_lock``: this process's threads, and any ``make build`` or
``--watch`` beside it):
1. the note's digest now must equal the digest the form was opened on (None: the note must not
   exist yet); otherwise ``Conflict`` carries both versions and nothing is written;
2. where git does not hold the note as it is (no repository, or a version never committed),
   that version is kept in ``.history/`` first;
3. the save is written down (``journal``), then the new bytes go to a hidden temporary file in
   the note's folder (which discovery ignores), fsynced, renamed over the note (``atomic``);
4. the incremental build runs in place (one transaction: a running Datasette sees it at once).
   If it refuses, or fails at all, the previous bytes are put back the same way (a new note is
   removed) and the error is raised again: nothing the build refuses stays in notes/;
5. history: a commit of the note (and ``also``) with the editor as author, or the record of
   who saved it beside the kept previous version. A commit that fails leaves the note and the
   database saved and consistent; ``SaveResult.history_error`` says why, and the previous
   version is kept in ``.history/`` instead.
A kill at any point leaves the previous note or the new one (the rename is atomic) and a
database that matches one of them (the build's one transaction). The next save (or the server's
start, ``recover_saves``) then finishes a save whose build was done (its history) and undoes one
whose build was not, so a note no build accepted never stays in notes/.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ..build import build
from ..crash_points import crash_point
from ..notes.discover import NOTE_SUFFIX, SOURCES_DIR, is_ignored
from ..notes.errors import Problem
from . import journal
from .atomic import put_back, remove_leftovers, write_atomically
from .history import (Change, Editor, HistoryError, commit_files, committed_version, inside, keep_previous,
                      last_change, notes_repository, record_change)
from .journal import Pending
from .lock import Busy, notes_lock

__all__ = ["Busy", "Change", "Conflict", "Editor", "HistoryError", "SaveResult", "commit_files",
           "file_digest", "last_change", "note_path", "recover_saves", "save_note"]


class Conflict(Exception):
    """The note changed since the form was opened: nothing was written."""

    def __init__(self, current: bytes | None, mine: bytes, opened_digest: str | None = None):
        self.current = current  # the note as it is now (None: deleted)
        self.mine = mine  # what the editor tried to save
        super().__init__("the note was removed since the form was opened" if current is None else
                         "a note of that name already exists" if opened_digest is None else
                         "the note changed since the form was opened")


@dataclass(frozen=True)
class SaveResult:
    path: Path
    digest: str  # of the saved bytes: the next form's hidden 'digest'
    commit: str | None  # the git commit, None where there is no repository (or it failed)
    backup: Path | None  # the previous version kept under .history/, if one was kept
    warnings: tuple[Problem, ...] = ()  # the build's warnings
    history_error: str | None = None  # why the save is not in git (the note and database are saved)
    recovered: tuple[str, ...] = ()  # saves a kill had interrupted, finished or undone first


def file_digest(path: Path) -> str | None:
    """sha256 hex of the file's bytes, None when absent: the form's hidden 'digest'."""
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def note_path(notes_dir: Path, relative: str) -> Path:
    """The note file ``relative`` names (``drafts/x.md``), refused (ValueError) unless it is a
    note discovery would read: a relative ``.md`` path inside notes/, no hidden part, not under
    sources/, not ``..``, not through a symbolic link."""
    parts = PurePosixPath(relative).parts
    if (not parts or "\\" in relative or "\x00" in relative or PurePosixPath(relative).is_absolute()
            or any(part in ("", ".", "..") or is_ignored(part) for part in parts)
            or parts[0] == SOURCES_DIR or not relative.endswith(NOTE_SUFFIX)):
        raise ValueError(f"not a note's path: {relative!r}")
    path = notes_dir / relative
    for folder in (path, *path.parents):
        if folder == notes_dir:
            break
        if folder.is_symlink():
            raise ValueError(f"{relative!r} goes through a symbolic link")
    inside(notes_dir, path)
    return path


def save_note(notes_dir: Path, relative: str, text: str, *, opened_digest: str | None, editor: Editor,
              db_path: Path, message: str, also: Sequence[Path] = ()) -> SaveResult:
    """Write ``text`` to the note ``relative`` and build; see the module's docstring.
    Raises Conflict, BuildRefused (nothing written), Busy, ValueError (a bad path)."""
    path = note_path(notes_dir, relative)
    also = [inside(notes_dir, Path(p)) for p in also]
    mine = text.encode("utf-8")
    with notes_lock(notes_dir):
        recovered = recover_saves(notes_dir, db_path)
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            current = None
        now = hashlib.sha256(current).hexdigest() if current is not None else None
        if now != opened_digest and current != mine:  # (the same text saved twice is no conflict)
            raise Conflict(current, mine, opened_digest)
        digest = hashlib.sha256(mine).hexdigest()
        if mine == current:  # saved without a change: nothing to write or record
            _stats, warnings = build(notes_dir, db_path)
            return SaveResult(path, digest, None, None, tuple(warnings), recovered=recovered)
        when = datetime.now(timezone.utc)
        try:
            repository, history_error = notes_repository(notes_dir), None
        except HistoryError as error:  # git is there but fails (an untrusted owner …): keep versions here
            repository, history_error = None, str(error)
        backup = None
        if current is not None and (repository is None or not committed_version(repository, path, current)):
            backup = keep_previous(notes_dir, relative, current, when)  # git does not hold it
        pending = Pending(relative, now, digest, {
            "editor": editor.name, "email": editor.email, "message": message, "when": when.isoformat(),
            "also": [p.relative_to(notes_dir.resolve()).as_posix() for p in also]})
        journal.begin(notes_dir, pending, current)
        remove_leftovers(path)
        write_atomically(path, mine, os.stat(path) if current is not None else None)
        crash_point("save")
        try:
            _stats, warnings = build(notes_dir, db_path)
        except BaseException:
            put_back(path, current)
            if backup is not None:
                backup.unlink(missing_ok=True)
            journal.end(notes_dir, pending)
            raise
        crash_point("save")
        commit, backup, error = _history(notes_dir, repository, pending, editor, [path, *also], current, backup)
        journal.end(notes_dir, pending)
        return SaveResult(path, digest, commit, backup, tuple(warnings), history_error or error, recovered)


def _history(notes_dir: Path, repository: Path | None, pending: Pending, editor: Editor, paths: list[Path],
             previous: bytes | None, backup: Path | None) -> tuple[str | None, Path | None, str | None]:
    """A commit, or the save recorded beside the note: (commit, backup, why git failed)."""
    when = datetime.fromisoformat(pending.details["when"])
    message, commit, error = pending.details["message"], None, None
    if repository is not None:
        try:
            commit = commit_files(notes_dir, paths, editor, message)
        except HistoryError as failed:
            error = str(failed)
            if previous is not None and backup is None:
                backup = keep_previous(notes_dir, pending.relative, previous, when)
    if repository is None or error:
        record_change(notes_dir, pending.relative, editor, when, pending.new_digest, message, backup)
    return commit, backup, error


def recover_saves(notes_dir: Path, db_path: Path) -> tuple[str, ...]:
    """Finish or undo the saves a kill interrupted (``journal``): every save does it first; the
    server may call it at start-up too, under ``notes_lock``. One line per save, saying which."""

    def finish(pending: Pending) -> None:
        path = notes_dir / pending.relative
        try:
            repository = notes_repository(notes_dir)
        except HistoryError:
            repository = None
        if repository is not None and committed_version(repository, path, path.read_bytes()):
            return  # killed after its commit
        previous = journal.pending_folder(notes_dir) / f"{pending.key}.previous"
        editor = Editor(pending.details["editor"], pending.details.get("email"))
        also = [notes_dir / p for p in pending.details.get("also", []) if (notes_dir / p).exists()]
        _history(notes_dir, repository, pending, editor, [path, *also],
                 previous.read_bytes() if previous.exists() else None, None)

    return tuple(journal.recover(notes_dir, db_path, put_back, finish))
