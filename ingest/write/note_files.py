"""A note found by its id on disk: the writing room's URLs carry an id, never a path.

``find_note(notes_dir, note_id, hint=None)`` is the note's path relative to notes/ (``drafts/x.md``)
when a note under notes/ has that id in its front matter, else None. The id must be a
slug; ``hint`` (the database's ``note_path`` for it) and files named ``<id>.md`` are read first,
so the usual case reads one file; otherwise each note's ``id:`` line (``note_ids``, remembered
by size and time: an unknown id costs one ``stat`` a note, not a parse of every note).
"""

from __future__ import annotations

from pathlib import Path

from ..notes.discover import discover
from ..notes.errors import NoteError
from ..notes.parse import read_note
from ..notes.vocabulary import SLUG
from .note_ids import other_note_with_id


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
    unreadable = []  # named after the id but not parsed: the build refuses it, yet it is meant to have that id
    for path in first:
        found = _id_of(path, notes_dir)
        if found == note_id:  # two notes of one id stop every build: the first is it
            return path.relative_to(notes_dir).as_posix()
        if found is None and path.stem == note_id:
            unreadable.append(path.relative_to(notes_dir).as_posix())
    return other_note_with_id(notes_dir, "", note_id) or next(iter(unreadable), None)
