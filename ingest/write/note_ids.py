"""Which other note already uses a note id: the one check ``ingest check`` makes across notes,
made for one note at a time without parsing the others.

Each note's id is read from its first 8 kB (the ``id:`` line of the front matter) and remembered
with the file's size and modification time, so a save in a folder of thousands of notes only
lists and stats them after the first. The build, which parses every changed note, stays the
final judge (an id written in an unusual YAML form is found there).
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from pathlib import Path

from ..notes.discover import discover

HEAD_BYTES = 8192
ID_LINE = re.compile(r"^id[ \t]*:[ \t]*(['\"]?)(.*?)\1[ \t]*(?:[ \t]#.*)?$", re.M)
_lock = threading.Lock()
_known: dict[str, tuple[int, int, str | None]] = {}  # absolute path -> (mtime_ns, size, id)


def id_in_head(head: bytes) -> str | None:
    """The note id written in the front matter at the start of a note file, if it is a plain line."""
    text = head.decode("utf-8-sig", errors="replace")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.startswith("---"):
        return None
    front = text.split("\n---", 1)[0]
    match = ID_LINE.search(front)
    return match.group(2).strip() if match else None


def note_id_of(path: Path) -> str | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = os.path.abspath(path)
    with _lock:
        known = _known.get(key)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    try:
        with open(path, "rb") as file:
            found = id_in_head(file.read(HEAD_BYTES))
    except OSError:
        return None
    with _lock:
        _known[key] = (stat.st_mtime_ns, stat.st_size, found)
    return found


def other_note_with_id(notes_dir: Path, relative: str, note_id: str) -> str | None:
    """The path (relative to notes/) of another note whose id is ``note_id``, or None."""
    own = os.path.abspath(notes_dir / relative)
    paths, _ = discover(notes_dir)
    for path in paths:
        if os.path.abspath(path) != own and note_id_of(path) == note_id:
            return path.relative_to(notes_dir).as_posix()
    return None
