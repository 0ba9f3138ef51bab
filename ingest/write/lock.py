"""One writer of notes/ and its database at a time, across threads and processes.

A save (the server's threads) and a ``make build`` or ``--watch`` beside it take the same
lock: a threading lock for this process and an ``flock`` on the notes folder itself, so no
lock file is created anywhere (discovery, git and the kill tests see nothing new).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WAIT_SECONDS = 300.0  # a full build of a large knowledge base may hold the lock this long
_threads: dict[str, threading.Lock] = {}
_threads_guard = threading.Lock()


class Busy(TimeoutError):
    """Another save or build held the notes for longer than the wait allowed."""


@contextmanager
def notes_lock(notes_dir: Path, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold notes_dir for writing; raise Busy after ``wait`` seconds of waiting."""
    key = str(notes_dir.resolve())
    with _threads_guard:
        in_process = _threads.setdefault(key, threading.Lock())
    deadline = time.monotonic() + wait
    if not in_process.acquire(timeout=wait):
        raise Busy(f"another save is still writing {notes_dir}")
    try:
        try:
            fd = os.open(key, os.O_RDONLY | os.O_DIRECTORY)
        except (FileNotFoundError, NotADirectoryError):  # nothing there to protect: the build says what is wrong
            yield
            return
        try:
            pause = 0.005
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise Busy(f"a build is still writing {notes_dir}") from None
                    time.sleep(pause)
                    pause = min(pause * 2, 0.1)
            yield
        finally:
            os.close(fd)  # releases the flock
    finally:
        in_process.release()
