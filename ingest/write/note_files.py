"""A note found by its id on disk: the writing room's URLs carry an id, never a path.

``find_note(notes_dir, note_id, hint=None)`` is the note's path relative to notes/ (``drafts/x.md``)
when a note under notes/ has that id in its front matter, else None. The id must be a
slug; ``hint`` (the database's ``note_path`` for it) and files named ``<id>.md`` are read first,
so the usual case reads one file; otherwise every note is read (a draft not yet built).
"""

from __future__ import annotations

from pathlib import Path

from ..draft.draft import note_ids
from ..notes.discover import discover
from ..notes.errors import NoteError
from ..notes.parse import read_note
from ..notes.vocabulary import SLUG


def _id_of(path: Path, notes_dir: Path) -> str | None:
    try:
        return str(read_note(path, notes_dir).id or "") or None
    except (NoteError, OSError, UnicodeDecodeError):
        return None


def find_note(notes_dir: Path, note_id: str, hint: str | None = None) -> str | None:
    if not isinstance(note_id, str) or not SLUG.fullmatch(note_id):
        return None
    notes = discover(notes_dir)[0] if notes_dir.is_dir() else []
    known = set(notes)
    first = [p for p in ([notes_dir / hint] if hint else []) if p in known]
    first += [p for p in notes if p.stem == note_id and p not in first]
    for path in first:
        if _id_of(path, notes_dir) == note_id:  # two notes of one id stop every build: the first is it
            return path.relative_to(notes_dir).as_posix()
    owners = note_ids(notes_dir).get(note_id, [])
    return owners[0].relative_to(notes_dir).as_posix() if len(owners) == 1 else None
