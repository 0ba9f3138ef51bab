"""What insights.db holds: its tables, created anew by every full build, and the vocabulary's rows."""

from __future__ import annotations

import hashlib
import json

import sqlite_utils
from sqlite_utils.db import DescIndex

from ..notes.tags import TAGS
from ..notes.vocabulary import Term, Vocabulary
from ..search.index_text import FTS_COLUMNS, FTS_TABLE, FTS_TOKENIZE
from . import related

SCHEMA_VERSION = 9  # raise it whenever what a build writes changes: the next build is then a full one
TABLES = (  # dropped in this order: tables that refer to others first (never finding_dates: ingest/db/dates.py)
    "build_info", "facet_counts", "file_stats", "concept_names", "related_findings", "finding_terms", "related_terms",
    FTS_TABLE, "findings_themes", "findings_regions", "findings_stakeholders",
    "findings", "sources", "themes", "regions", "stakeholders", "kinds", "source_types",
)


def replace_schema(db: sqlite_utils.Database, vocabulary: Vocabulary) -> None:
    for table in TABLES:
        db.execute(f"DROP TABLE IF EXISTS [{table}]")
    create_schema(db)
    db["source_types"].insert_all(term_rows(vocabulary.source_types))
    db["kinds"].insert_all(term_rows(vocabulary.kinds))
    db["regions"].insert_all(term_rows(vocabulary.regions))
    db["stakeholders"].insert_all(term_rows(vocabulary.stakeholders))
    db["themes"].insert_all(theme_rows(vocabulary.themes))


def published_vocabulary_digest(vocabulary: Vocabulary) -> str:
    """sha256 of the vocabulary's rows, as a public build's ``vocabulary_digest``: never of the
    themes.yml file, whose comments a public build does not publish."""
    rows = [term_rows(vocabulary.source_types), term_rows(vocabulary.kinds), term_rows(vocabulary.regions),
            term_rows(vocabulary.stakeholders), theme_rows(vocabulary.themes)]
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def term_rows(terms: dict[str, Term]) -> list[dict]:
    return [{"id": t.slug, "label": t.label, "en": t.en, "ko": t.ko, "description": t.description}
            for t in terms.values()]


def theme_rows(themes: dict[str, Term]) -> list[dict]:
    # Parents first, so the self-referencing foreign key always has its target.
    ordered = sorted(themes.values(), key=lambda t: t.parent is not None)
    return [{"id": t.slug, "label": t.label, "en": t.en, "ko": t.ko, "description": t.description,
             "parent": t.parent, "iso37120": t.iso37120, "giffinger": t.giffinger,
             "service_field": t.service_field} for t in ordered]


def create_schema(db: sqlite_utils.Database) -> None:
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
        "updated": str,  # first appeared or last changed (ingest/db/dates.py)
    }, pk="id", not_null={"source_id", "title", "kind"},
        foreign_keys=[("source_id", "sources", "id"), ("kind", "kinds", "id")])
    for tag in TAGS:
        db[tag.link_table].create({"finding_id": str, tag.link_column: str}, pk=("finding_id", tag.link_column),
                                  foreign_keys=[("finding_id", "findings", "id"), (tag.link_column, tag.name, "id")])
        db[tag.link_table].create_index([tag.link_column, "finding_id"])
    for column in ("source_id", "kind", "access"):
        db["findings"].create_index([column])
    # The feeds' order (plugins/feeds.py): newest first, a note's findings in note order.
    db["findings"].create_index([DescIndex("updated"), "source_id", "position"], index_name="idx_findings_newest")
    db["sources"].create_index(["note_path"], unique=True)
    db["sources"].create_index(["type"])
    db["sources"].create_index(["country"])
    db["facet_counts"].create({"facet": str, "value": str, "count": int}, pk=("facet", "value"))
    db["file_stats"].create({"path": str, "size": int, "mtime_ns": int, "digest": str}, pk="path")
    db["concept_names"].create({"key": str, "token": str, "facet": str, "value": str, "label": str}, pk="key")
    related.create_tables(db)
    db.execute(f"CREATE VIRTUAL TABLE [{FTS_TABLE}] USING fts5({', '.join(FTS_COLUMNS)}, tokenize='{FTS_TOKENIZE}')")
