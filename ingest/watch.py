"""Rebuild whenever something under notes/ changes: `python -m ingest build --watch`.

Polls file names, sizes and modification times once a second (no dependency, any editor);
a running Datasette shows each new build at once.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

POLL_SECONDS = 1.0


def fingerprint(notes_dir: Path) -> list[tuple[str, int, int]]:
    """(path, size, mtime) of every file under notes/, following nothing out of it."""
    entries = []
    for folder, _, files in os.walk(notes_dir):
        for name in files:
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:  # a broken link, or removed meanwhile: its name is enough
                entries.append((path, -1, -1))
                continue
            entries.append((path, stat.st_size, stat.st_mtime_ns))
    return sorted(entries)


def watch(notes_dir: Path, rebuild: Callable[[], None], poll_seconds: float = POLL_SECONDS) -> None:
    """Call ``rebuild`` now and after every change, until interrupted."""
    last = None
    while True:
        current = fingerprint(notes_dir)
        if current != last:
            rebuild()
            last = current
        time.sleep(poll_seconds)
