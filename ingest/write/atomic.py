"""Replace a file as one step, as a power cut would find it: the old bytes or the new, never a mix."""

from __future__ import annotations

import glob
import os
import tempfile
from pathlib import Path

from ..crash_points import crash_point

SUFFIX = ".saving"  # a hidden temporary file: ``.<note name>.<random>.saving``, never read as a note


def write_atomically(path: Path, data: bytes, previous: os.stat_result | None = None) -> None:
    """Replace the note ``path`` with ``data`` (``replace_file``). The file keeps the previous
    one's permissions; its modification time always differs from the previous one's, so an
    incremental build (which trusts size and time) never takes the new bytes for the old."""
    mode = previous.st_mode & 0o7777 if previous else new_file_mode()
    replace_file(path, data, mode, newer_than=previous, crash="save")


def replace_file(path: Path, data: bytes, mode: int, *, newer_than: os.stat_result | None = None,
                 crash: str | None = None) -> None:
    """Replace ``path`` with ``data`` as one step: a hidden temporary file in the same folder,
    with ``mode`` from its first byte, fsynced, renamed over it, then the folder fsynced.
    ``newer_than``: a stat the new file's modification time must differ from; ``crash``: the
    crash point (tests/faults.py) just before the rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=SUFFIX, dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            if newer_than is not None:
                written = os.fstat(file.fileno())
                if (written.st_size, written.st_mtime_ns) == (newer_than.st_size, newer_than.st_mtime_ns):
                    os.utime(file.fileno(), ns=(written.st_atime_ns, written.st_mtime_ns + 1))
            os.fsync(file.fileno())
        if crash:
            crash_point(crash)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def remove_leftovers(path: Path) -> None:
    """Temporary files of this note that a killed save left behind (hidden: never read as notes)."""
    if path.parent.is_dir():
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*{SUFFIX}"):
            leftover.unlink(missing_ok=True)


def put_back(path: Path, previous: bytes | None) -> None:
    """Undo a write the build refused: the previous bytes back, or the new note removed."""
    if previous is None:
        path.unlink(missing_ok=True)
        fsync_folder(path.parent)
    else:
        write_atomically(path, previous, os.stat(path))


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_file_mode() -> int:
    """The mode a file created here would have (0o666 less the umask)."""
    return 0o666 & ~_umask()


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
