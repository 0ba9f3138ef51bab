"""Facet counts of any set of findings, from an in-memory index of one build of insights.db.

A filtered findings page needs, for its matching findings, how many have each source, kind,
theme, region and stakeholder. SQL pays for that per matching row and per facet (a lookup of
the row, then a GROUP BY for each facet). This index reads the findings once per build and
keeps, per facet, one small integer per finding (its value, or its set of tags, as a code),
indexed by rowid; counting a page is then a gather and a ``bincount`` over the page's rowids,
whatever the facet. Only the page's rowids come from SQLite (``rowids_sql``).

An index belongs to one build: ``key`` names it, and ``KEY_SQL`` reads the key of the build a
connection sees, so that a caller can tell, in the same read transaction as the page's rowids,
whether the index still describes them. Nothing here writes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import NamedTuple

import numpy

from ..notes.tags import TAGS

# facet → (findings column, the vocabulary of its tags when the column holds a JSON array of them)
FACETS = {
    "source_id": ("source_id", None),
    "kind": ("kind", None),
    **{tag.facet: (tag.name, tag.name) for tag in TAGS},
}
# Which build a connection sees. A full build recreates the tables (a new schema_version); an
# incremental one writes a new build_info row; max(rowid) moves with every write of findings.
KEY_SQL = """
    select (select schema_version from pragma_schema_version), b.built_at, b.notes_digest, b.findings,
           (select max(rowid) from findings)
    from build_info b
"""
# Datasette's SQL for a table page's rows without order or limit (what facets are given).
PAGE_SQL = re.compile(r"select (?P<columns>.+?) from (?P<table>\[?findings\]?)(?: (?P<where>where .*))?", re.DOTALL)


def rowids_sql(page_sql: str) -> str | None:
    """The page's matching rowids, joined by commas, as one value: ``page_sql`` with its columns
    replaced by ``group_concat(rowid)``. None when ``page_sql`` is not a plain findings page."""
    match = PAGE_SQL.fullmatch(page_sql.strip())
    if not match or " from " in match["columns"]:
        return None
    return " ".join(filter(None, ("select group_concat(rowid) from", match["table"], match["where"])))


class Counts(NamedTuple):
    value: str
    label: str | None  # a tag's label from its vocabulary; None for a column's value
    count: int


class FacetIndex:
    """One build's findings as codes: ``codes[facet][rowid]`` is the code of that finding's value
    (or set of tags), ``values[facet][code]`` the value (or the tuple of tags) it stands for;
    ``labels[facet][tag]`` names each tag."""

    def __init__(self, key: tuple, codes: dict[str, numpy.ndarray], values: dict[str, list],
                 labels: dict[str, dict[str, str]]):
        self.key, self.codes, self.values, self.labels = key, codes, values, labels

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> FacetIndex:
        """Read the findings of the build ``conn`` sees, in one read transaction. SQLite assigns
        the codes (one scan of findings per facet), so no Python object is made per finding."""
        conn.execute("begin")
        try:
            key = tuple(conn.execute(KEY_SQL).fetchone())
            codes, values, labels = {}, {}, {}
            for facet, (column, vocabulary) in FACETS.items():
                # Codes follow the values in order, so that ties in count are broken by value, as
                # SQL's "order by count desc, value" does; code 0 means "no finding at this rowid".
                coded = f"""select value, row_number() over (order by value) as code
                            from (select distinct [{column}] as value from findings where [{column}] is not null)"""
                distinct = [value for value, _ in conn.execute(f"{coded} order by code")]
                rowids, row_codes = conn.execute(f"""
                    with coded as ({coded}) select group_concat(f.rowid), group_concat(coded.code)
                    from findings f join coded on coded.value = f.[{column}]""").fetchone()
                facet_codes = numpy.zeros((key[-1] or 0) + 1, dtype=numpy.int32)
                facet_codes[_integers(rowids)] = _integers(row_codes)
                codes[facet] = facet_codes
                values[facet] = [None] + [tuple(json.loads(v)) if vocabulary else v for v in distinct]
                if vocabulary:
                    labels[facet] = dict(conn.execute(f"select id, label from [{vocabulary}]").fetchall())
        finally:
            conn.execute("rollback")
        return cls(key, codes, values, labels)

    def count(self, rowids: str | None, limit: int) -> dict[str, list[Counts]]:
        """Per facet, the values of the findings at ``rowids`` (as ``rowids_sql`` gives them),
        most frequent first (ties by value); column facets at most ``limit``, tags all of them."""
        page = _integers(rowids)
        if page.size and page.max() >= len(self.codes["kind"]):
            raise ValueError("rowids beyond this index: they come from another build")
        result = {}
        for facet, (_, vocabulary) in FACETS.items():
            per_code = numpy.bincount(self.codes[facet][page], minlength=len(self.values[facet]))
            per_code[0] = 0
            found = numpy.flatnonzero(per_code)
            if vocabulary:
                tags: dict[str, int] = {}
                for code in found.tolist():
                    for tag in self.values[facet][code]:
                        tags[tag] = tags.get(tag, 0) + int(per_code[code])
                named = self.labels[facet]
                result[facet] = sorted((Counts(tag, named.get(tag, tag), count) for tag, count in tags.items()),
                                       key=lambda row: (-row.count, row.value))
            else:
                ordered = found[numpy.lexsort((found, -per_code[found]))][:limit]
                result[facet] = [Counts(self.values[facet][code], None, int(per_code[code])) for code in ordered.tolist()]
        return result


def _integers(joined: str | None) -> numpy.ndarray:
    """``group_concat`` of integers, parsed in C."""
    return numpy.fromstring(joined or "", dtype=numpy.int64, sep=",")
