"""What a build records about itself, and what the next build reads back: its figures, the
files it read, the facet counts it keeps, and ``build_info``."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from .. import __version__
from ..notes.tags import TAGS
from .schema import SCHEMA_VERSION


@dataclass
class BuildStats:
    sources: int
    findings: int
    themes: int
    public: bool
    notes_digest: str
    analysed: int = 0  # Korean texts analysed by this build
    cached: int = 0  # Korean texts whose analysis came from the cache
    written: int = 0  # notes (re)written by this build; the rest were unchanged
    deleted: int = 0  # notes whose earlier rows this build deleted (changed or gone)
    full: bool = True  # every table rewritten, rather than only the changed notes
    related: int = 0  # findings whose related findings this build computed
    cache_notice: str = ""  # what was wrong with the analysis cache, which this build rebuilt


@dataclass
class BuildInfo:
    """What a build records about its inputs, so the next one can tell what changed."""

    notes_digest: str
    vocabulary_digest: str
    document_digest: Callable[[str | None], str | None]  # a note's `document:` → digest of that file
    # Files under notes/ read by this build: path → (size, mtime_ns, sha256), so that the next
    # build can skip reading files whose size and modification time did not change.
    file_stats: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    # What the database already records (the last build's file_stats; empty for a full build).
    recorded_file_stats: dict[str, tuple[int, int, str]] = field(default_factory=dict)


@dataclass
class PreviousNote:
    id: str
    digest: str
    document: str | None
    document_digest: str | None


@dataclass
class PreviousBuild:
    notes: dict[str, PreviousNote]  # by note file, relative to notes/
    file_stats: dict[str, tuple[int, int, str]]
    stats: BuildStats  # its figures, as a build that writes nothing reports them


def previous_build(db_path: Path, vocabulary_digest: str) -> PreviousBuild | None:
    """What the last build wrote, if that build can be updated in place; else None.

    A database written by another version of the schema or of ingest (whose checks may
    differ), from another vocabulary, or as a public build is rebuilt in full.
    """
    if not db_path.exists():
        return None
    try:
        # Not ?mode=ro: a read-only connection to a WAL database leaves -wal and -shm files behind.
        with contextlib.closing(sqlite3.connect(db_path)) as conn:
            info = conn.execute("select schema_version, ingest_version, vocabulary_digest, public, "
                                "sources, findings, themes, notes_digest from build_info").fetchone()
            if info is None or info[:4] != (SCHEMA_VERSION, __version__, vocabulary_digest, 0):
                return None
            rows = conn.execute("select note_path, id, note_digest, document, document_digest from sources").fetchall()
            stats = conn.execute("select path, size, mtime_ns, digest from file_stats").fetchall()
    except sqlite3.Error:
        return None
    sources, findings, themes, notes_digest = info[4:]
    return PreviousBuild({path: PreviousNote(*rest) for path, *rest in rows},
                         {path: tuple(rest) for path, *rest in stats},
                         BuildStats(sources, findings, themes, False, notes_digest, full=False))


# Whole-table facet counts (ingest/serve/facet_counts.py reads them for the unfiltered findings page):
# facet → (table, column counted, column holding the finding's id).
FACET_COUNTS = {
    **{tag.facet: (tag.link_table, tag.link_column, "finding_id") for tag in TAGS},
    "source_id": ("findings", "source_id", "id"),
    "kind": ("findings", "kind", "id"),
}


def write_file_stats(db: sqlite_utils.Database, file_stats: dict[str, tuple[int, int, str]],
                      before: dict[str, tuple[int, int, str]]) -> None:
    """Record what this build read, changing only the rows that differ from ``before``."""
    db.conn.executemany("DELETE FROM file_stats WHERE path = ?", ((path,) for path in before.keys() - file_stats.keys()))
    db.conn.executemany("INSERT OR REPLACE INTO file_stats VALUES (?, ?, ?, ?)",
                        ((path, *stat) for path, stat in sorted(file_stats.items()) if before.get(path) != stat))


def count_facets(db: sqlite_utils.Database, sign: int, only: str | None = None) -> None:
    """Add (``sign=1``) or take away (``-1``) the facet counts of the findings whose ids are in
    the temp table ``only``, or of every finding. An incremental build counts only what it
    deletes and writes, so keeping the counts costs nothing at a million findings."""
    for facet, (table, column, id_column) in FACET_COUNTS.items():
        where = f"WHERE {id_column} IN (SELECT id FROM temp.[{only}])" if only else ""
        db.execute(f"""
            INSERT INTO facet_counts (facet, value, count)
            SELECT '{facet}', value, {sign} * n FROM (
                SELECT {column} AS value, count(*) AS n FROM [{table}] {where} GROUP BY {column}
            ) WHERE true
            ON CONFLICT (facet, value) DO UPDATE SET count = count + excluded.count""")
    db.execute("DELETE FROM facet_counts WHERE count = 0")


def write_build_info(db: sqlite_utils.Database, info: BuildInfo, stats: BuildStats) -> None:
    db["build_info"].insert({
        "id": 1,
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "notes_digest": info.notes_digest,
        "vocabulary_digest": info.vocabulary_digest,
        "sources": stats.sources,
        "findings": stats.findings,
        "themes": stats.themes,
        "public": int(stats.public),
        "ingest_version": __version__,
        "schema_version": SCHEMA_VERSION,
    }, pk="id", replace=True)
