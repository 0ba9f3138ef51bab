"""Which other note already uses a note id: the one check ``ingest check`` makes across notes,
made for one note at a time without parsing the others.

Each note's id is read from its first 8 kB (the ``id:`` line of the front matter) and remembered
with the file's size and modification time, so a save in a folder of thousands of notes only
lists and stats them after the first (``warm`` reads them all at start-up). Measured with
``python -m bench.write_check`` at 10,000 notes: about 0.1-0.2 s a save (one ``stat`` per note,
as the incremental build's own scan), 1.2 s for the first read of every id. The stat is kept,
rather than trusting a folder's time, so that a note edited in place is seen. The build, which
parses every changed note, stays the final judge (an id written in an unusual YAML form is found
there).
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from pathlib import Path

from ..notes.discover import NOTE_SUFFIX, SOURCES_DIR, is_ignored

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


def note_id_of(path: str, stat: os.stat_result | None = None) -> str | None:
    try:
        stat = stat or os.stat(path)
    except OSError:
        return None
    with _lock:
        known = _known.get(path)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    try:
        with open(path, "rb") as file:
            found = id_in_head(file.read(HEAD_BYTES))
    except OSError:
        return None
    with _lock:
        _known[path] = (stat.st_mtime_ns, stat.st_size, found)
    return found


def other_note_with_id(notes_dir: Path, relative: str, note_id: str) -> str | None:
    """The path (relative to notes/) of another note whose id is ``note_id``, or None. Walks notes/ as
    ``discover`` does (``*.md`` outside ``sources/``; hidden files and symlinked folders not followed),
    one ``stat`` per note and no other reading of a note whose size and time did not change."""
    root = os.path.abspath(notes_dir)
    folders = [(root, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            listing = list(os.scandir(folder))
        except OSError:
            continue
        for entry in listing:
            name = entry.name
            if is_ignored(name):
                continue
            display = prefix + name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if display != SOURCES_DIR:
                        folders.append((entry.path, display + "/"))
                    continue
                if not name.endswith(NOTE_SUFFIX) or display == relative or not entry.is_file():
                    continue
                stat = entry.stat()
            except OSError:
                continue
            if note_id_of(entry.path, stat) == note_id:
                return display
    return None


def warm(notes_dir: Path) -> None:
    """Read every note's id once (at start-up, in a thread), so that the first save is as fast as the next."""
    other_note_with_id(notes_dir, "", "\0")
