"""When each finding first appeared in the knowledge base, or last changed: ``findings.updated``.

A build keeps these dates for the next one in ``finding_dates`` (finding id, a digest of what
the finding says, its date), beside ``file_stats`` among what a build records for the next one.
No build drops that table: a full build in place keeps it, and a build written to a fresh file
(the first build of a path, every public build) carries over the dates of the file it replaces,
read into a temp table: the new file is written the dates of what it holds, and no other.
So a public build carries its own previous file's dates: a finding first published today is new
to the public feed today, whatever the internal database says. A build from scratch (no file at
its path) dates every finding at its own time.

A finding written again with the same digest keeps its date; a new or edited one gets the
build's time, ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention, seconds since 1970)
when set, else now. Dates are ISO 8601 in UTC with their offset: ``2026-12-03T06:13:43+00:00``.
The dates of findings a build no longer holds are forgotten, so a public file never keeps the
id of a finding it does not publish.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

import sqlite_utils

TABLE = "finding_dates"
# What a finding says: a change to any of these is a change of the finding (its place in the
# note, its line and the note's other findings are not).
CONTENT = ("title", "title_ko", "kind", "themes", "regions", "stakeholders", "quote", "summary", "access")
CHUNK = 500  # ids looked up per query
PREVIOUS = "previous_finding_dates"  # a fresh build's copy of the dates of the file it replaces


class Dating(NamedTuple):
    now: str  # the build's time
    known_in: str  # the table of the dates recorded before (see date_rows)


def build_time() -> str:
    """The date a build gives what it writes new: ``SOURCE_DATE_EPOCH`` when set, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError) as error:
            raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {epoch[:40]!r}") from error
    else:
        when = dt.datetime.now(dt.timezone.utc)
    return when.isoformat(timespec="seconds")


def create_table(db: sqlite_utils.Database) -> None:
    db.execute(f"CREATE TABLE IF NOT EXISTS [{TABLE}] "
               "(id TEXT PRIMARY KEY, digest TEXT NOT NULL, updated TEXT NOT NULL)")


def carry_over(db: sqlite_utils.Database, previous: Path) -> str:
    """The dates recorded in ``previous`` (the file a fresh build replaces), if it has any, copied
    into a temp table (never into the new file, which gets only those of what it writes); its name."""
    db.execute(f"CREATE TEMP TABLE {PREVIOUS} (id TEXT PRIMARY KEY, digest TEXT NOT NULL, updated TEXT NOT NULL)")
    if previous.exists():
        with contextlib.suppress(sqlite3.Error):  # not a database, or one from before dates were kept
            with contextlib.closing(sqlite3.connect(previous)) as conn:
                rows = conn.execute(f"select id, digest, updated from [{TABLE}]")
                db.conn.executemany(f"INSERT OR IGNORE INTO temp.{PREVIOUS} VALUES (?, ?, ?)", rows)
    return f"temp.{PREVIOUS}"


def content_digest(row: dict) -> str:
    return hashlib.sha256(json.dumps([row.get(c) for c in CONTENT], ensure_ascii=False).encode()).hexdigest()


def date_rows(db: sqlite_utils.Database, rows: list[dict], now: str, known_in: str = TABLE) -> None:
    """Set each findings row's ``updated``: its date in ``known_in`` (this file's ``finding_dates``,
    or a fresh build's copy of the previous file's) if it says what it said then, else ``now``;
    and record it in ``finding_dates``."""
    known: dict[str, tuple[str, str]] = {}
    ids = [row["id"] for row in rows]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        known.update((i, (digest, updated)) for i, digest, updated in db.execute(
            f"select id, digest, updated from {known_in} where id in ({','.join('?' * len(chunk))})", chunk))
    changed = []
    for row in rows:
        digest = content_digest(row)
        before = known.get(row["id"])
        row["updated"] = before[1] if before and before[0] == digest else now
        if known_in != TABLE or before != (digest, row["updated"]):
            changed.append((row["id"], digest, row["updated"]))
    db.conn.executemany(f"INSERT OR REPLACE INTO [{TABLE}] VALUES (?, ?, ?)", changed)


def forget_gone(db: sqlite_utils.Database, deleted: str | None) -> None:
    """Forget the dates of findings no longer in ``findings``: of those in the temp table
    ``deleted`` (an incremental build), or of any (a full build)."""
    among = f"id IN (SELECT id FROM temp.[{deleted}]) AND " if deleted else ""
    db.execute(f"DELETE FROM [{TABLE}] WHERE {among}id NOT IN (SELECT id FROM findings)")
