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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .citation import SourceRef, check_language, citation
from .text import unwrap

CHUNK = 500  # findings looked up per query
FINDING_COLUMNS = ("id", "source_id", "title", "title_ko", "kind", "themes", "regions", "stakeholders",
                   "quote", "summary", "access")
SOURCE_SQL = """
    select s.id, s.organization, s.title, s.title_ko, s.event, s.place, s.start, s."end", s.rule,
           st.ko as type_ko, st.en as type_en
    from sources s left join source_types st on st.id = s.type
    where s.id in ({marks})
"""
VOCABULARIES = ("themes", "regions", "stakeholders", "kinds")


class SelectionError(ValueError):
    """The selection's query cannot give findings (e.g. it has no id column)."""


class Selection(NamedTuple):
    sql: str  # rows that carry finding ids, in the selection's order
    params: dict | Sequence = ()
    id_column: str = "id"
    focus_themes: tuple[str, ...] = ()  # themes it was filtered by: the memo puts them first
    description: str = ""  # what was selected, in words
    view_url: str | None = None  # the page showing the same rows


@dataclass(slots=True)
class FindingRecord:
    id: str
    title: str
    title_ko: str | None
    kind: str
    themes: list[str]  # slugs, in the note's order
    regions: list[str]
    stakeholders: list[str]
    quote: str | None  # unwrapped (see ingest/text.py); quotes separated by a blank line
    summary: str | None  # unwrapped Markdown
    access: str
    source_id: str
    source: SourceRef  # in the language read
    citation: str
    url: str
    labels: dict[str, list[str]] = field(default_factory=dict)  # themes/regions/stakeholders/kinds → labels

    @property
    def internal(self) -> bool:
        return self.access == "internal"

    @property
    def source_title(self) -> str | None:
        return self.source.title


class Vocabulary(NamedTuple):
    """Labels of the controlled vocabulary as stored in the database, in one language."""

    lang: str
    labels: dict[str, dict[str, str]]  # vocabulary table → slug → label
    order: dict[str, dict[str, int]]  # vocabulary table → slug → position in the vocabulary

    @classmethod
    def read(cls, conn: sqlite3.Connection, lang: str) -> "Vocabulary":
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
                  lang: str = "ko", vocabulary: Vocabulary | None = None) -> Iterator[FindingRecord]:
    """Every finding of the selection, in its order, with labels and citation in ``lang``."""
    vocabulary = vocabulary or Vocabulary.read(conn, lang)
    sources: dict[str, SourceRef] = {}
    cursor = conn.execute(selection.sql, selection.params)
    columns = [d[0] for d in cursor.description]
    if selection.id_column not in columns:
        raise SelectionError(f"the query has no '{selection.id_column}' column of finding ids")
    id_index = columns.index(selection.id_column)
    lookup = f"select {', '.join(FINDING_COLUMNS)} from findings where id in ({{marks}})"
    while batch := cursor.fetchmany(CHUNK):
        ids = [row[id_index] for row in batch]
        rows = {r[0]: r for r in conn.execute(lookup.format(marks=",".join("?" * len(ids))), ids)}
        _read_sources(conn, {r[1] for r in rows.values()} - sources.keys(), sources, vocabulary.lang)
        for finding_id in ids:
            row = rows.get(finding_id)
            if row is not None:
                yield _record(row, sources[row[1]], url_for(finding_id), vocabulary)


def _read_sources(conn: sqlite3.Connection, ids: set[str], sources: dict[str, SourceRef], lang: str) -> None:
    if not ids:
        return
    cursor = conn.execute(SOURCE_SQL.format(marks=",".join("?" * len(ids))), list(ids))
    names = [d[0] for d in cursor.description]
    for values in cursor:
        sources[values[0]] = SourceRef.from_row(dict(zip(names, values)), lang)


def _record(row, source: SourceRef, url: str, vocabulary: Vocabulary) -> FindingRecord:
    finding_id, source_id, title, title_ko, kind, themes, regions, stakeholders, quote, summary, access = row
    themes, regions, stakeholders = _slugs(themes), _slugs(regions), _slugs(stakeholders)
    return FindingRecord(
        id=finding_id, title=title, title_ko=title_ko, kind=kind,
        themes=themes, regions=regions, stakeholders=stakeholders,
        quote=unwrap(quote), summary=unwrap(summary), access=access or "public",
        source_id=source_id, source=source,
        citation=citation(source, url, vocabulary.lang),
        url=url,
        labels={
            "themes": [vocabulary.label("themes", s) for s in themes],
            "regions": [vocabulary.label("regions", s) for s in regions],
            "stakeholders": [vocabulary.label("stakeholders", s) for s in stakeholders],
            "kinds": [vocabulary.label("kinds", kind)],
        },
    )


def _slugs(value: str | None) -> list[str]:
    return json.loads(value) if value else []


# Tag filters of the command line, as the findings page's ?_theme= ?_region= ?_stakeholder=:
# a finding must carry every tag given.
TAG_LINKS = {"themes": ("findings_themes", "theme_id"), "regions": ("findings_regions", "region_id"),
             "stakeholders": ("findings_stakeholders", "stakeholder_id")}


def selection_for_tags(themes: Sequence[str] = (), regions: Sequence[str] = (),
                       stakeholders: Sequence[str] = (), kinds: Sequence[str] = ()) -> Selection:
    """Findings tagged with every theme, region and stakeholder given, of any of ``kinds``; by id."""
    where, params, words = [], [], []
    for name, values in (("themes", themes), ("regions", regions), ("stakeholders", stakeholders)):
        link_table, column = TAG_LINKS[name]
        for value in values:
            where.append(f"id in (select finding_id from [{link_table}] where [{column}] = ?)")
            params.append(value)
            words.append(f'{name[:-1]} is "{value}"')
    if kinds:
        where.append(f"kind in ({','.join('?' * len(kinds))})")
        params += list(kinds)
        words.append("kind is " + " or ".join(f'"{k}"' for k in kinds))
    sql = "select id from findings" + (" where " + " and ".join(where) if where else "") + " order by id"
    return Selection(sql, params, focus_themes=tuple(themes), description=" and ".join(words))
