"""Rebuild whenever something under notes/ changes: `python -m ingest build --watch`.

Polls file names, sizes and modification times once a second (no dependency, any editor);
a running Datasette shows each new build at once. It watches what discovery reads: hidden
files (an editor's ``.note.md.swp``) change nothing. A build that fails for a reason that may
pass — the database locked by another build, a file that vanished while it was read — is
reported in one line and tried again after a pause; watching goes on.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Callable

from .notes.discover import entries

POLL_SECONDS = 1.0
MAX_RETRY_SECONDS = 30.0
# What may pass if the build is tried again: "database is locked" (another build writing, a
# `make serve` building beside it), a file or folder that vanished or changed while it was read.
PASSING_ERRORS = (sqlite3.OperationalError, OSError)


def fingerprint(notes_dir: Path) -> list[tuple[str, int, int]]:
    """(path, size, mtime) of every file discovery looks at, links followed as the build follows them."""
    found = []
    for display, entry in entries(notes_dir):
        if entry.is_dir(follow_symlinks=False):
            continue
        try:
            stat = entry.stat()
        except OSError:  # a broken link, or removed meanwhile: its name is enough
            found.append((display, -1, -1))
            continue
        found.append((display, stat.st_size, stat.st_mtime_ns))
    return found


def describe(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename:
        return f"{error.strerror or error}: {error.filename}"
    return str(error)


def watch(notes_dir: Path, rebuild: Callable[[], None], poll_seconds: float = POLL_SECONDS,
          report: Callable[[str], None] = print, stop: threading.Event | None = None) -> None:
    """Call ``rebuild`` now and after every change, until interrupted (or ``stop`` is set).

    After a failure in PASSING_ERRORS the build is tried again, whether or not anything
    changed, after a pause that doubles each time up to MAX_RETRY_SECONDS."""
    stop = stop or threading.Event()
    last, failures = None, 0
    while not stop.is_set():
        pause = poll_seconds
        try:
            current = fingerprint(notes_dir)
            if current != last:
                rebuild()
                last, failures = current, 0
        except PASSING_ERRORS as error:
            failures += 1
            pause = min(poll_seconds * 2 ** failures, MAX_RETRY_SECONDS)
            report(f"build failed: {describe(error)}; trying again in {pause:g} s (still watching)")
        stop.wait(pause)
