"""Write validated notes into SQLite: one build, one transaction.

A running Datasette (serving the file mutable) sees the previous build until the
transaction commits, then the new one; a failed build rolls back and changes nothing.
What the tables are is ``schema``; a note's rows, ``rows``; what a build records about
itself for the next one, ``state``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from ..crash_points import crash_point, watch
from ..notes.errors import BuildRefused
from ..notes.model import Note
from ..notes.tags import TAGS
from ..notes.vocabulary import Vocabulary
from ..search.analysis_cache import AnalysisCache, cache_path
from ..search.concepts import Concepts
from ..search.index_text import FTS_COLUMNS, FTS_TABLE, Analyse, fts_rows
from ..search.key_terms import related_terms
from . import dates, related
from .rows import finding_row, is_draft, is_internal, public_rows, source_row
from .schema import replace_schema
from .state import BuildInfo, BuildStats, count_facets, write_build_info, write_file_stats

BATCH_FINDINGS = 2_000  # findings written (and analysed) at a time: bounds a build's memory


def write_database(db_path: Path, notes: Iterable[Note], vocabulary: Vocabulary, info: BuildInfo, *,
                   public: bool = False, stale: list[str] | None = None) -> BuildStats:
    """Write ``notes`` into ``db_path`` in one transaction.

    ``stale=None`` replaces everything; otherwise the rows of the notes with the ids in
    ``stale`` are deleted and ``notes`` (the changed ones) are written, the rest left as they are.

    A public build leaves out every internal note and finding and is written to a
    fresh file that replaces ``db_path`` only when complete, so no deleted page can
    carry internal text. The first build of a database is written the same way, so
    that no reader ever opens a file without tables. Korean analysis is cached beside
    ``db_path`` (see analysis_cache); a public build keeps no cache, so nothing but
    ``db_path`` is left where it is published.
    """
    full = stale is None
    concepts = Concepts(vocabulary)
    if full:  # the vocabulary is written only by full builds; refuse before touching anything
        concept_names, problems = concepts.names()
        if problems:
            raise BuildRefused(problems)
    fresh = public or not db_path.exists()
    now = dates.build_time()  # before anything is touched: a mistyped SOURCE_DATE_EPOCH changes nothing
    target = temporary_path(db_path) if fresh else db_path
    remove_with_journals(temporary_path(db_path))  # what a killed build may have left
    if public:  # an earlier non-public build to this path may have left internal text in one
        cache_path(db_path).unlink(missing_ok=True)
    db = sqlite_utils.Database(target)
    watch(db.conn, "write")
    try:
        db.execute("PRAGMA journal_mode = WAL")
        with AnalysisCache(None if public else cache_path(db_path), prune=full) as cache, db.atomic():
            related.begin(db)
            dates.create_table(db)  # kept by every build (ingest/db/dates.py)
            dated = dates.Dating(now, dates.carry_over(db, db_path) if fresh else dates.TABLE)
            if full:
                replace_schema(db, vocabulary)
                db["concept_names"].insert_all(name._asdict() for name in concept_names)
            else:
                _delete_notes(db, stale)
            db.execute("CREATE TEMP TABLE written_findings (id TEXT PRIMARY KEY)")
            written = _write_notes(db, notes, public, info, cache.index_texts, concepts, dated)
            dates.forget_gone(db, None if full else "stale_findings")
            if not full:
                db.execute("DROP TABLE temp.stale_findings")
            count_facets(db, +1, only=None if full else "written_findings")
            related_computed = related.update(db, "written_findings", full)
            db.execute("DROP TABLE temp.written_findings")
            if full:
                db.execute("DELETE FROM file_stats")
            # file names can be internal too: a public build records none
            write_file_stats(db, {} if public else info.file_stats, {} if full else info.recorded_file_stats)
            stats = BuildStats(
                sources=db["sources"].count, findings=db["findings"].count, themes=len(vocabulary.themes),
                public=public, notes_digest=info.notes_digest, written=written,
                deleted=len(stale or ()), full=full, related=related_computed,
            )
            if full or written or stale:  # else the data is as it was: keep built_at, the facet index's key
                write_build_info(db, info, stats)
        stats.analysed, stats.cached, stats.cache_notice = cache.misses, cache.hits, cache.notice
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if public:
            db.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        db.close()
        if fresh:
            remove_with_journals(target)
        raise
    db.close()
    if fresh:
        crash_point("commit")
        os.replace(target, db_path)
        crash_point("commit")
    return stats


def temporary_path(db_path: Path) -> Path:
    """Where a fresh database is written before it replaces ``db_path``."""
    return db_path.with_name(db_path.name + ".tmp")


def remove_with_journals(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))):
        leftover.unlink(missing_ok=True)


def _delete_notes(db: sqlite_utils.Database, source_ids: list[str]) -> None:
    """Every row that belongs to these notes: findings, their tags and their index entries."""
    db.execute("CREATE TEMP TABLE stale_sources (id TEXT PRIMARY KEY)")
    db.conn.executemany("INSERT OR IGNORE INTO stale_sources VALUES (?)", ((i,) for i in source_ids))
    stale_findings = "select id from findings where source_id in (select id from stale_sources)"
    db.execute(f"CREATE TEMP TABLE stale_findings AS {stale_findings}")
    count_facets(db, -1, only="stale_findings")
    related.forget_findings(db, "stale_findings")  # kept until their dates are forgotten (dates.forget_gone)
    db.execute(f"DELETE FROM [{FTS_TABLE}] WHERE rowid IN "
               "(select rowid from findings where source_id in (select id from stale_sources))")
    for tag in TAGS:
        db.execute(f"DELETE FROM [{tag.link_table}] WHERE finding_id IN ({stale_findings})")
    db.execute("DELETE FROM findings WHERE source_id IN (select id from stale_sources)")
    db.execute("DELETE FROM sources WHERE id IN (select id from stale_sources)")
    db.execute("DROP TABLE temp.stale_sources")


def _write_notes(db: sqlite_utils.Database, notes: Iterable[Note], public: bool, info: BuildInfo,
                 analyse: Analyse, concepts: Concepts, dated: dates.Dating) -> int:
    """Insert notes in batches of about BATCH_FINDINGS findings; returns how many notes were written."""
    written = batch_findings = 0
    batch: list[Note] = []
    for note in notes:
        if public and (is_internal(note) or is_draft(note)):
            continue
        batch.append(note)
        written += 1
        batch_findings += len(note.findings)
        if batch_findings >= BATCH_FINDINGS:
            _write_batch(db, batch, public, info, analyse, concepts, dated)
            batch, batch_findings = [], 0
    if batch:
        _write_batch(db, batch, public, info, analyse, concepts, dated)
    return written


def _write_batch(db: sqlite_utils.Database, notes: list[Note], public: bool, info: BuildInfo,
                 analyse: Analyse, concepts: Concepts, dated: dates.Dating) -> None:
    sources, findings, tokens, links = [], [], [], {tag.link_table: [] for tag in TAGS}
    for note in notes:
        if public:
            note_findings = [f for f in note.findings if not is_internal(note, f.attributes.get("access"))]
            source, note_rows = public_rows(note)
        else:
            note_findings = note.findings
            source = source_row(note, len(note_findings), info.document_digest)
            note_rows = [finding_row(note, f, position) for position, f in enumerate(note_findings, start=1)]
        sources.append(source)
        for finding, row in zip(note_findings, note_rows):
            findings.append(row)
            tokens.append(concepts.tokens(finding))
            for tag in TAGS:
                links[tag.link_table] += [{"finding_id": row["id"], tag.link_column: value}
                                          for value in finding.values(tag.name)]
    dates.date_rows(db, findings, dated.now, dated.known_in)
    db["sources"].insert_all(sources)
    db["findings"].insert_all(findings)
    for table, rows in links.items():
        db[table].insert_all(rows)
    ids = [row["id"] for row in findings]
    db.conn.executemany("INSERT INTO temp.written_findings VALUES (?)", ((i,) for i in ids))
    rowids = dict(db.execute(f"select id, rowid from findings where id in ({','.join('?' * len(ids))})", ids)
                  .fetchall()) if ids else {}
    indexed = [(rowids[row["id"]], columns) for row, columns in zip(findings, fts_rows(findings, tokens, analyse))]
    db.conn.executemany(f"insert into [{FTS_TABLE}] (rowid, {', '.join(FTS_COLUMNS)}) values (?, ?, ?, ?)",
                        ((rowid, *columns) for rowid, columns in indexed))
    related.add_findings(db, [(rowid, related_terms(title, concepts)) for rowid, (title, _, concepts) in indexed])
