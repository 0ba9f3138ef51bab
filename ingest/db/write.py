"""Write validated notes into SQLite: one build, one transaction.

A running Datasette (serving the file mutable) sees the previous build until the
transaction commits, then the new one; a failed build rolls back and changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from .. import __version__
from ..notes.model import Note
from ..notes.tags import TAGS
from ..notes.vocabulary import Term, Vocabulary
from ..search.analysis_cache import AnalysisCache, cache_path
from ..notes.errors import BuildRefused
from ..search.concepts import Concepts
from ..search.index_text import FTS_COLUMNS, FTS_TABLE, FTS_TOKENIZE, Analyse, fts_rows

SCHEMA_VERSION = 7  # raise it whenever what a build writes changes: the next build is then a full one
BATCH_FINDINGS = 2_000  # findings written (and analysed) at a time: bounds a build's memory
TABLES = (
    "build_info", "facet_counts", "file_stats", "concept_names", FTS_TABLE, "findings_themes", "findings_regions", "findings_stakeholders",
    "findings", "sources", "themes", "regions", "stakeholders", "kinds", "source_types",
)


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


def is_internal(note: Note, finding_access: str | None = None) -> bool:
    return note.front_matter.get("access") == "internal" or finding_access == "internal"


def is_draft(note: Note) -> bool:
    """A draft (``status: draft``) is never published, whatever its access says."""
    return note.front_matter.get("status") == "draft"


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
    target = db_path.with_name(db_path.name + ".tmp") if fresh else db_path
    if fresh:
        target.unlink(missing_ok=True)
    if public:  # an earlier non-public build to this path may have left internal text in one
        cache_path(db_path).unlink(missing_ok=True)
    db = sqlite_utils.Database(target)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        with AnalysisCache(None if public else cache_path(db_path), prune=full) as cache, db.atomic():
            if full:
                _replace_schema(db, vocabulary)
                db["concept_names"].insert_all(name._asdict() for name in concept_names)
            else:
                _delete_notes(db, stale)
            db.execute("CREATE TEMP TABLE written_findings (id TEXT PRIMARY KEY)")
            written = _write_notes(db, notes, public, info, cache.index_texts, concepts)
            _count_facets(db, +1, only=None if full else "written_findings")
            db.execute("DROP TABLE temp.written_findings")
            if full:
                db.execute("DELETE FROM file_stats")
            # file names can be internal too: a public build records none
            _write_file_stats(db, {} if public else info.file_stats, {} if full else info.recorded_file_stats)
            stats = BuildStats(
                sources=db["sources"].count, findings=db["findings"].count, themes=len(vocabulary.themes),
                public=public, notes_digest=info.notes_digest, written=written,
                deleted=len(stale or ()), full=full,
            )
            if full or written or stale:  # else the data is as it was: keep built_at, the facet index's key
                _write_build_info(db, info, stats)
        stats.analysed, stats.cached = cache.misses, cache.hits
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if public:
            db.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        db.close()
        if fresh:
            target.unlink(missing_ok=True)
        raise
    db.close()
    if fresh:
        os.replace(target, db_path)
    return stats


def _replace_schema(db: sqlite_utils.Database, vocabulary: Vocabulary) -> None:
    for table in TABLES:
        db.execute(f"DROP TABLE IF EXISTS [{table}]")
    _create_schema(db)
    db["source_types"].insert_all(_term_rows(vocabulary.source_types))
    db["kinds"].insert_all(_term_rows(vocabulary.kinds))
    db["regions"].insert_all(_term_rows(vocabulary.regions))
    db["stakeholders"].insert_all(_term_rows(vocabulary.stakeholders))
    db["themes"].insert_all(_theme_rows(vocabulary.themes))


def _delete_notes(db: sqlite_utils.Database, source_ids: list[str]) -> None:
    """Every row that belongs to these notes: findings, their tags and their index entries."""
    db.execute("CREATE TEMP TABLE stale_sources (id TEXT PRIMARY KEY)")
    db.conn.executemany("INSERT OR IGNORE INTO stale_sources VALUES (?)", ((i,) for i in source_ids))
    stale_findings = "select id from findings where source_id in (select id from stale_sources)"
    db.execute(f"CREATE TEMP TABLE stale_findings AS {stale_findings}")
    _count_facets(db, -1, only="stale_findings")
    db.execute("DROP TABLE temp.stale_findings")
    db.execute(f"DELETE FROM [{FTS_TABLE}] WHERE rowid IN "
               "(select rowid from findings where source_id in (select id from stale_sources))")
    for tag in TAGS:
        db.execute(f"DELETE FROM [{tag.link_table}] WHERE finding_id IN ({stale_findings})")
    db.execute("DELETE FROM findings WHERE source_id IN (select id from stale_sources)")
    db.execute("DELETE FROM sources WHERE id IN (select id from stale_sources)")
    db.execute("DROP TABLE temp.stale_sources")


def _write_notes(db: sqlite_utils.Database, notes: Iterable[Note], public: bool, info: BuildInfo,
                 analyse: Analyse, concepts: Concepts) -> int:
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
            _write_batch(db, batch, public, info, analyse, concepts)
            batch, batch_findings = [], 0
    if batch:
        _write_batch(db, batch, public, info, analyse, concepts)
    return written


def _write_batch(db: sqlite_utils.Database, notes: list[Note], public: bool, info: BuildInfo,
                 analyse: Analyse, concepts: Concepts) -> None:
    sources, findings, tokens, links = [], [], [], {tag.link_table: [] for tag in TAGS}
    for note in notes:
        note_findings = [
            f for f in note.findings if not (public and is_internal(note, f.attributes.get("access")))
        ]
        sources.append(_source_row(note, len(note_findings), info.document_digest))
        for position, finding in enumerate(note_findings, start=1):
            row = _finding_row(note, finding, position)
            findings.append(row)
            tokens.append(concepts.tokens(finding))
            for tag in TAGS:
                links[tag.link_table] += [{"finding_id": row["id"], tag.link_column: value}
                                          for value in finding.values(tag.name)]
    db["sources"].insert_all(sources)
    db["findings"].insert_all(findings)
    for table, rows in links.items():
        db[table].insert_all(rows)
    ids = [row["id"] for row in findings]
    db.conn.executemany("INSERT INTO temp.written_findings VALUES (?)", ((i,) for i in ids))
    rowids = dict(db.execute(f"select id, rowid from findings where id in ({','.join('?' * len(ids))})", ids)
                  .fetchall()) if ids else {}
    db.conn.executemany(
        f"insert into [{FTS_TABLE}] (rowid, {', '.join(FTS_COLUMNS)}) values (?, ?, ?, ?)",
        ((rowids[row["id"]], *columns) for row, columns in zip(findings, fts_rows(findings, tokens, analyse))),
    )


# Whole-table facet counts (ingest/serve/facet_counts.py reads them for the unfiltered findings page):
# facet → (table, column counted, column holding the finding's id).
FACET_COUNTS = {
    **{tag.facet: (tag.link_table, tag.link_column, "finding_id") for tag in TAGS},
    "source_id": ("findings", "source_id", "id"),
    "kind": ("findings", "kind", "id"),
}


def _write_file_stats(db: sqlite_utils.Database, file_stats: dict[str, tuple[int, int, str]],
                      before: dict[str, tuple[int, int, str]]) -> None:
    """Record what this build read, changing only the rows that differ from ``before``."""
    db.conn.executemany("DELETE FROM file_stats WHERE path = ?", ((path,) for path in before.keys() - file_stats.keys()))
    db.conn.executemany("INSERT OR REPLACE INTO file_stats VALUES (?, ?, ?, ?)",
                        ((path, *stat) for path, stat in sorted(file_stats.items()) if before.get(path) != stat))


def _count_facets(db: sqlite_utils.Database, sign: int, only: str | None = None) -> None:
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


def _write_build_info(db: sqlite_utils.Database, info: BuildInfo, stats: BuildStats) -> None:
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


def _term_rows(terms: dict[str, Term]) -> list[dict]:
    return [{"id": t.slug, "label": t.label, "en": t.en, "ko": t.ko, "description": t.description}
            for t in terms.values()]


def _theme_rows(themes: dict[str, Term]) -> list[dict]:
    # Parents first, so the self-referencing foreign key always has its target.
    ordered = sorted(themes.values(), key=lambda t: t.parent is not None)
    return [{"id": t.slug, "label": t.label, "en": t.en, "ko": t.ko, "description": t.description,
             "parent": t.parent, "iso37120": t.iso37120, "giffinger": t.giffinger,
             "service_field": t.service_field} for t in ordered]


def _text(value) -> str | None:
    return None if value is None else str(value)


def _source_row(note: Note, finding_count: int, document_digest: Callable[[str | None], str | None]) -> dict:
    fm = note.front_matter
    return {
        "id": note.id,
        "title": fm["title"],
        "title_ko": fm.get("title_ko"),
        "type": fm["type"],
        "document_type_ko": fm.get("document_type_ko"),
        "organization": fm.get("organization"),
        "organization_ko": fm.get("organization_ko"),
        "event": fm.get("event"),
        "place": fm.get("place"),
        "country": fm.get("country"),
        "start": _text(fm.get("start")),
        "end": _text(fm.get("end")),
        "language": fm.get("language"),
        "access": fm["access"],
        "rule": fm.get("rule", "none"),
        "status": "draft" if is_draft(note) else "final",
        "document": fm.get("document"),
        "url": fm.get("url"),
        "description": note.body or None,
        "note_path": note.path,
        "note_digest": note.digest,
        "document_digest": document_digest(fm.get("document")),
        "finding_count": finding_count,
    }


def _finding_row(note: Note, finding, position: int) -> dict:
    access = "internal" if is_internal(note, finding.attributes.get("access")) else "public"
    return {
        "id": f"{note.id}/{finding.slug}",
        "source_id": note.id,
        "title": finding.title,
        "title_ko": finding.attributes.get("title_ko"),
        "kind": finding.attributes["kind"],
        "themes": json.dumps(finding.values("themes"), ensure_ascii=False),
        "regions": json.dumps(finding.values("regions"), ensure_ascii=False),
        "stakeholders": json.dumps(finding.values("stakeholders"), ensure_ascii=False),
        "quote": "\n\n".join(q.text for q in finding.quotes),
        "summary": finding.summary,
        "access": access,
        "position": position,
        "note_line": finding.line,
    }


def _create_schema(db: sqlite_utils.Database) -> None:
    term_columns = {"id": str, "label": str, "en": str, "ko": str, "description": str,
                    "parent": str, "iso37120": str, "giffinger": str, "service_field": str}
    for table in ("source_types", "kinds", "regions", "stakeholders"):
        db[table].create({k: v for k, v in term_columns.items() if k in ("id", "label", "en", "ko", "description")},
                         pk="id", not_null={"en", "ko"})
    db["themes"].create(term_columns, pk="id", not_null={"en", "ko"}, foreign_keys=[("parent", "themes", "id")])
    db["sources"].create({
        "id": str, "title": str, "title_ko": str, "type": str, "document_type_ko": str,
        "organization": str, "organization_ko": str, "event": str,
        "place": str, "country": str, "start": str, "end": str, "language": str, "access": str,
        "rule": str, "status": str, "document": str, "url": str, "description": str, "note_path": str,
        "note_digest": str, "document_digest": str, "finding_count": int,
    }, pk="id", not_null={"title", "type", "access"}, foreign_keys=[("type", "source_types", "id")])
    db["findings"].create({
        "id": str, "source_id": str, "title": str, "title_ko": str, "kind": str,
        "themes": str, "regions": str, "stakeholders": str, "quote": str, "summary": str,
        "access": str, "position": int, "note_line": int,
    }, pk="id", not_null={"source_id", "title", "kind"},
        foreign_keys=[("source_id", "sources", "id"), ("kind", "kinds", "id")])
    for tag in TAGS:
        db[tag.link_table].create({"finding_id": str, tag.link_column: str}, pk=("finding_id", tag.link_column),
                                  foreign_keys=[("finding_id", "findings", "id"), (tag.link_column, tag.name, "id")])
        db[tag.link_table].create_index([tag.link_column, "finding_id"])
    for column in ("source_id", "kind", "access"):
        db["findings"].create_index([column])
    db["sources"].create_index(["note_path"], unique=True)
    db["sources"].create_index(["type"])
    db["sources"].create_index(["country"])
    db["facet_counts"].create({"facet": str, "value": str, "count": int}, pk=("facet", "value"))
    db["file_stats"].create({"path": str, "size": int, "mtime_ns": int, "digest": str}, pk="path")
    db["concept_names"].create({"key": str, "token": str, "facet": str, "value": str, "label": str}, pk="key")
    db.execute(f"CREATE VIRTUAL TABLE [{FTS_TABLE}] USING fts5({', '.join(FTS_COLUMNS)}, tokenize='{FTS_TOKENIZE}')")
