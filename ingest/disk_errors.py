"""What a build that could not write its files says: which file, why, how much room there
is, and what to do. The build has rolled back by then, so the previous database is intact."""

from __future__ import annotations

import errno
import resource
import shutil
import sqlite3
from pathlib import Path

NO_ROOM = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def file_size_limit() -> int | None:
    """This process's limit on the size of a file it writes (``ulimit -f``), if any."""
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else soft


def free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def size(number: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if number < 1024 or unit == "GB":
            return f"{number:,} {unit}" if unit == "bytes" else f"{number:,.1f} {unit}"
        number /= 1024
    return ""


def is_out_of_room(error: Exception, folder: Path) -> bool:
    """A full disk or a file-size limit. SQLite reports a write refused with EFBIG only as a
    disk I/O error, so an I/O error under a file-size limit or on an almost full disk counts."""
    if isinstance(error, OSError):
        return error.errno in NO_ROOM
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return True
    free = free_bytes(folder)
    return name.startswith("SQLITE_IOERR") and (file_size_limit() is not None or (free is not None and free < 1 << 20))


def explain(error: Exception, db_path: Path) -> str:
    """The message for an OSError or sqlite3.Error raised while a build wrote ``db_path``."""
    folder = db_path.resolve().parent
    unchanged = f"nothing was changed: {db_path} is still the previous build" if db_path.exists() else \
        f"nothing was written: there is no {db_path} yet"
    if getattr(error, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return (f"error: {db_path} is locked: another build is writing it ({error})\n"
                f"  {unchanged}; build again when that build has finished")
    if not is_out_of_room(error, folder):
        cause = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        where = f" ({error.filename})" if isinstance(error, OSError) and error.filename else ""
        return (f"error: the build could not write in {folder}{where}: {cause}\n"
                f"  {unchanged}; check that the folder is writable and the disk is healthy, then build again")
    room = []
    if (free := free_bytes(folder)) is not None:
        room.append(f"{size(free)} free on that disk")
    if (limit := file_size_limit()) is not None:
        room.append(f"files this process writes are limited to {size(limit)} (ulimit -f)")
    if db_path.exists():
        room.append(f"a full build needs about {size(db_path.stat().st_size)} more, the size of the database it replaces")
    return (f"error: no space left to write the database in {folder}: {error}\n"
            f"  {'; '.join(room)}\n"
            f"  {unchanged}; free some space (or raise the file-size limit) and build again")


WRITE_ERRORS = (OSError, sqlite3.Error)
