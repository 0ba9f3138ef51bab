"""Read a selection of findings from insights.db: what memos and exports are made of.

A ``Selection`` is any query whose rows carry finding ids, in the order wanted: the
findings page's own filtered query (built by Datasette's machinery in
``plugins/exports.py``), a canned query, or ``selection_for_tags`` for the command line.
``read_findings`` streams one ``FindingRecord`` per row, looking the findings up in
chunks, so a selection of a million findings never sits in memory.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..notes.tags import TAGS
from .citation import SourceRef, check_language, citation
from .text import unwrap

CHUNK = 500  # findings looked up per query
FINDING_COLUMNS = ("id", "source_id", "title", "title_ko", "kind", "themes", "regions", "stakeholders",
                   "quote", "summary", "access")
SOURCE_SQL = """
    select s.id, s.organization, s.organization_ko, s.title, s.title_ko, s.document_type_ko, s.event,
           s.place, s.start, s."end", s.rule, s.url, st.ko as type_ko, st.en as type_en
    from sources s left join source_types st on st.id = s.type
    where s.id in ({marks})
"""
VOCABULARIES = (*(tag.name for tag in TAGS), "kinds")  # the vocabulary tables a record labels from
SEPARATOR = "; "  # between the labels of a multi-valued cell


class SelectionError(ValueError):
    """The selection's query cannot give findings (e.g. it has no id column)."""


class Selection(NamedTuple):
    sql: str  # rows that carry finding ids (or, if direct, FINDING_COLUMNS), in the selection's order
    params: dict | Sequence = ()
    id_column: str = "id"
    focus_themes: tuple[str, ...] = ()  # themes it was filtered by: the memo puts them first
    description: str = ""  # what was selected, in words
    view_url: str | None = None  # the page showing the same rows
    direct: bool = False  # the query selects FINDING_COLUMNS from findings itself: no lookup

    @classmethod
    def of_findings(cls, where_clauses: Sequence[str], params: dict | Sequence, order_by: str,
                    **details) -> "Selection":
        """The findings table filtered by ``where_clauses`` (on its own columns), in ``order_by``."""
        where = f" where {' and '.join(where_clauses)}" if where_clauses else ""
        sql = f"select {', '.join(FINDING_COLUMNS)} from findings{where} order by {order_by}"
        return cls(sql, params, direct=True, **details)


@dataclass(slots=True)
class FindingRecord:
    id: str
    title: str
    title_ko: str | None
    kind: str
    kind_label: str
    themes: tuple[str, ...]  # slugs, in the note's order
    theme_labels: str  # labels joined by SEPARATOR, in the language read
    region_labels: str
    stakeholder_labels: str
    quote: str | None  # unwrapped (see ingest/memo/text.py); quotes separated by a blank line
    summary: str | None  # unwrapped Markdown
    access: str
    source_id: str
    source: SourceRef  # in the language read
    citation: str
    url: str

    @property
    def internal(self) -> bool:
        return self.access == "internal"

    @property
    def source_title(self) -> str | None:
        return self.source.title


class VocabularyLabels(NamedTuple):
    """Labels of the controlled vocabulary as stored in the database, in one language."""

    lang: str
    labels: dict[str, dict[str, str]]  # vocabulary table → slug → label
    order: dict[str, dict[str, int]]  # vocabulary table → slug → position in the vocabulary

    @classmethod
    def read(cls, conn: sqlite3.Connection, lang: str) -> "VocabularyLabels":
        check_language(lang)
        labels, order = {}, {}
        for table in VOCABULARIES:
            rows = conn.execute(f"select id, ko, en from [{table}] order by rowid").fetchall()
            labels[table] = {r[0]: label(r[1], r[2], lang) for r in rows}
            order[table] = {r[0]: i for i, r in enumerate(rows)}
        return cls(lang, labels, order)

    def label(self, table: str, slug: str) -> str:
        return self.labels[table].get(slug, slug)


def label(ko: str, en: str, lang: str) -> str:
    """Bilingual, the chosen language first: ``크라우드펀딩 · Crowdfunding``."""
    return f"{ko} · {en}" if lang == "ko" else f"{en} · {ko}"


def read_findings(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
                  lang: str = "ko", vocabulary: VocabularyLabels | None = None) -> Iterator[FindingRecord]:
    """Every finding of the selection, in its order, with labels and citation in ``lang``."""
    reader = _Reader(conn, vocabulary or VocabularyLabels.read(conn, lang), url_for)
    cursor = conn.execute(selection.sql, selection.params)
    if selection.direct:
        while batch := cursor.fetchmany(CHUNK):
            reader.read_sources({row[1] for row in batch})
            yield from map(reader.record, batch)
        return
    columns = [d[0] for d in cursor.description]
    if selection.id_column not in columns:
        raise SelectionError(f"the query has no '{selection.id_column}' column of finding ids")
    id_index = columns.index(selection.id_column)
    lookup = f"select {', '.join(FINDING_COLUMNS)} from findings where id in ({{marks}})"
    while batch := cursor.fetchmany(CHUNK):
        ids = [row[id_index] for row in batch]
        rows = {r[0]: r for r in conn.execute(lookup.format(marks=",".join("?" * len(ids))), ids)}
        reader.read_sources({r[1] for r in rows.values()})
        for finding_id in ids:
            if finding_id in rows:
                yield reader.record(rows[finding_id])


def read_sources(conn: sqlite3.Connection, ids: Iterable[str], lang: str) -> dict[str, SourceRef]:
    """The sources with these ids (at most SQLite's 32,766 at a time), as references name them in ``lang``."""
    ids = list(ids)
    cursor = conn.execute(SOURCE_SQL.format(marks=",".join("?" * len(ids))), ids)
    names = [d[0] for d in cursor.description]
    return {values[0]: SourceRef.from_row(dict(zip(names, values)), lang) for values in cursor}


class _Reader:
    """Turns findings rows into records; sources and tag labels are looked up once each."""

    def __init__(self, conn: sqlite3.Connection, vocabulary: VocabularyLabels, url_for: Callable[[str], str]):
        self.conn, self.vocabulary, self.url_for = conn, vocabulary, url_for
        self.sources: dict[str, SourceRef] = {}  # id → its fields, in the language read
        self.tags = {tag.name: {} for tag in TAGS}  # vocabulary table → JSON → (slugs, labels)

    def read_sources(self, ids: set[str]) -> None:
        ids = ids - self.sources.keys()
        if ids:
            self.sources.update(read_sources(self.conn, ids, self.vocabulary.lang))

    def tag(self, table: str, value: str | None) -> tuple[tuple[str, ...], str]:
        known = self.tags[table].get(value)
        if known is None:
            slugs = tuple(json.loads(value)) if value else ()
            known = self.tags[table][value] = (
                slugs, SEPARATOR.join(self.vocabulary.label(table, s) for s in slugs))
        return known

    def record(self, row) -> FindingRecord:
        finding_id, source_id, title, title_ko, kind, themes, regions, stakeholders, quote, summary, access = row
        source = self.sources[source_id]
        url = self.url_for(finding_id)
        themes, theme_labels = self.tag("themes", themes)
        return FindingRecord(
            finding_id, title, title_ko, kind, self.vocabulary.label("kinds", kind), themes, theme_labels,
            self.tag("regions", regions)[1], self.tag("stakeholders", stakeholders)[1],
            unwrap(quote), unwrap(summary), access or "public", source_id, source,
            citation(source, url, self.vocabulary.lang), url,
        )


def selection_for_tags(themes: Sequence[str] = (), regions: Sequence[str] = (),
                       stakeholders: Sequence[str] = (), kinds: Sequence[str] = ()) -> Selection:
    """Findings tagged with every theme, region and stakeholder given, of any of ``kinds``; by id.
    The command line's filters, as the findings page's ?_theme= ?_region= ?_stakeholder=."""
    where, params, words = [], [], []
    for tag, values in zip(TAGS, (themes, regions, stakeholders)):
        for value in values:
            where.append(f"id in (select finding_id from [{tag.link_table}] where [{tag.link_column}] = ?)")
            params.append(value)
            words.append(f'{tag.facet} is "{value}"')
    if kinds:
        where.append(f"kind in ({','.join('?' * len(kinds))})")
        params += list(kinds)
        words.append("kind is " + " or ".join(f'"{k}"' for k in kinds))
    return Selection.of_findings(where, params, "id", focus_themes=tuple(themes), description=" and ".join(words))
