"""Save a note from the browser: the conflict check, the atomic write, the incremental build,
then its history. Blocking (a build, git): the server runs ``save_note`` in a thread.

Under one lock (``lock.notes_lock``: this process's threads, and any ``make build`` or
``--watch`` beside it):
1. the note's digest now must equal the digest the form was opened on (None: the note must not
   exist yet); otherwise ``Conflict`` carries both versions and nothing is written;
2. where git does not hold the note as it is (no repository, or a version never committed),
   that version is kept in ``.history/`` first;
3. the new bytes go to a hidden temporary file in the note's folder (which discovery ignores),
   fsynced, renamed over the note, and the folder fsynced;
4. the incremental build runs in place (one transaction: a running Datasette sees it at once).
   If it refuses, or fails at all, the previous bytes are put back the same way (a new note is
   removed) and the error is raised again: nothing the build refuses stays in notes/;
5. history: a commit of the note (and ``also``) with the editor as author, or the record of
   who saved it beside the kept previous version. A commit that fails leaves the note and the
   database saved and consistent; ``SaveResult.history_error`` says why, and the previous
   version is kept in ``.history/`` instead.
A kill at any point leaves the previous note or the new one (the rename is atomic) and a
database that matches one of them (the build's one transaction); the next build catches up.
"""

from __future__ import annotations

import glob
import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ..build import build
from ..notes.discover import NOTE_SUFFIX, SOURCES_DIR, is_ignored
from ..notes.errors import Problem
from ..crash_points import crash_point
from .history import (Change, Editor, HistoryError, commit_files, committed_version, inside, keep_previous,
                      last_change, notes_repository, record_change)
from .lock import Busy, notes_lock

__all__ = ["Busy", "Change", "Conflict", "Editor", "HistoryError", "SaveResult", "commit_files",
           "file_digest", "last_change", "note_path", "save_note"]


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
    if (not relative or "\\" in relative or "\x00" in relative or PurePosixPath(relative).is_absolute()
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
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            current = None
        now = hashlib.sha256(current).hexdigest() if current is not None else None
        if now != opened_digest:
            raise Conflict(current, mine, opened_digest)
        digest = hashlib.sha256(mine).hexdigest()
        if mine == current:  # saved without a change: nothing to write or record
            _stats, warnings = build(notes_dir, db_path)
            return SaveResult(path, digest, None, None, tuple(warnings))
        when = datetime.now(timezone.utc)
        try:
            repository, history_error = notes_repository(notes_dir), None
        except HistoryError as error:  # git is there but fails (an untrusted owner …): keep versions here
            repository, history_error = None, str(error)
        backup = None
        if current is not None and (repository is None or not committed_version(repository, path, current)):
            backup = keep_previous(notes_dir, relative, current, when)  # git does not hold it
        _remove_leftovers(path)
        write_atomically(path, mine, os.stat(path) if current is not None else None)
        crash_point("save")
        try:
            _stats, warnings = build(notes_dir, db_path)
        except BaseException:
            _put_back(path, current)
            if backup is not None:
                backup.unlink(missing_ok=True)
            raise
        crash_point("save")
        commit = None
        if repository is not None:
            try:
                commit = commit_files(notes_dir, [path, *also], editor, message)
            except HistoryError as error:
                history_error = str(error)
                if current is not None and backup is None:
                    backup = keep_previous(notes_dir, relative, current, when)
        if repository is None or history_error:
            record_change(notes_dir, relative, editor, when, digest, message, backup)
        return SaveResult(path, digest, commit, backup, tuple(warnings), history_error)


def write_atomically(path: Path, data: bytes, previous: os.stat_result | None = None) -> None:
    """Replace ``path`` with ``data`` as one step: a hidden temporary file in the same folder,
    fsynced, renamed over it, then the folder fsynced. The file keeps the previous one's
    permissions; its modification time always differs from the previous one's, so an
    incremental build (which trusts size and time) never takes the new bytes for the old."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".saving", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fchmod(file.fileno(), previous.st_mode & 0o7777 if previous else 0o666 & ~_umask())
            if previous is not None:
                written = os.fstat(file.fileno())
                if (written.st_size, written.st_mtime_ns) == (previous.st_size, previous.st_mtime_ns):
                    os.utime(file.fileno(), ns=(written.st_atime_ns, written.st_mtime_ns + 1))
            os.fsync(file.fileno())
        crash_point("save")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _remove_leftovers(path: Path) -> None:
    """Temporary files of this note that a killed save left behind (hidden: never read as notes)."""
    if path.parent.is_dir():
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.saving"):
            leftover.unlink(missing_ok=True)


def _put_back(path: Path, previous: bytes | None) -> None:
    """Undo a write the build refused: the previous bytes back, or the new note removed."""
    if previous is None:
        path.unlink(missing_ok=True)
        _fsync_folder(path.parent)
    else:
        write_atomically(path, previous, os.stat(path))


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022
