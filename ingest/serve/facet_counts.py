"""The counts of a findings page's default facets, for the Datasette plugin (plugins/link_facets.py).

Datasette's ``_facet_array`` runs json_each over every row and takes seconds at a million
findings; these counts never do:

- On the unfiltered table every default facet, the plain column ones included, reads the counts
  each build writes into ``facet_counts`` (``whole_table_counts``): the page costs the same at
  1M findings as at 100.
- On a filtered page (a search, a tag, a column filter) the five default facets share one count
  of the page's findings (``page_counts``), so the page's filter runs once, not once per facet.
  SQLite gives the page's rowids (one ``group_concat``); the facet index of the build
  (``facet_index``, read before the first request) counts them, for every facet at once.
  Measured at 100k findings in one run, a Korean search's five facets took a quarter of the time
  of the shared SQL query below, and a sixth of one query per facet through the link tables (a
  broad search: a fifth and a tenth).
- Right after a rebuild, until the index of the new build has been read (in the background), the
  same counts come from one SQL query: the page's rows read once, a GROUP BY per column facet,
  and per tag facet a GROUP BY of the JSON arrays of tags as whole strings, so that json_each
  reads each distinct set of tags once, never every row.

Every identifier in this SQL is a constant of this package (``FACETS``, ``TAGS``); every value
from the request is one of the page's bound parameters (``facet.params``); limits are integers.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import threading
import weakref

from datasette.database import Database, QueryInterrupted
from datasette.facets import Facet
from datasette.tracer import trace
from datasette.utils import sqlite_timelimit

from ..db.facet_index import FACETS, KEY_SQL, FacetIndex, rowids_sql
from ..notes.tags import TAGS

DATABASE, TABLE = "insights", "findings"
COUNTS_TABLE = "facet_counts"  # each build's whole-table counts, written by ingest/db/write.py
# The column facets the build counts, and that share a filtered page's count with the tag facets.
PAGE_COLUMNS = tuple(name for name, (_, vocabulary) in FACETS.items() if vocabulary is None)
WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)
log = logging.getLogger(__name__)


def is_filtered(sql: str) -> bool:
    """Whether the page's SQL narrows the table (filters, tags, search), or shows all of it."""
    return bool(WHERE.search(sql))


async def whole_table_counts(facet: Facet, name: str, limit: int, labels_from: str | None = None) -> list[tuple]:
    """The build's (value, label, count) for the unfiltered table, most frequent first: no scan of
    findings. ``name``: a facet of ``FACETS``; ``labels_from``: the vocabulary table whose
    ``label`` names each value (else None)."""
    if name not in FACETS or labels_from not in (None, FACETS[name][1]):
        raise ValueError(f"the build counts no facet {name!r} labelled from {labels_from!r}")
    label, join = ("v.label", f"join [{labels_from}] v on v.id = c.value") if labels_from else ("null", "")
    rows = await facet.ds.execute(
        facet.database,
        f"""select c.value, {label}, c.count from [{COUNTS_TABLE}] c {join}
            where c.facet = :facet order by c.count desc, c.value limit :limit""",
        {"facet": name, "limit": limit}, truncate=False, custom_time_limit=facet.ds.setting("facet_time_limit_ms"),
    )
    return [tuple(row) for row in rows.rows]


class IndexHolder:
    """The facet index (ingest.db.facet_index) of one served database: loaded before the first
    request, and again, in the background, when a request finds that a new build has committed
    (until then, pages are counted with SQL)."""

    def __init__(self, database: Database):
        self.database = database
        self.index: FacetIndex | None = None
        self._loading = threading.Lock()

    def refresh(self) -> None:
        if self._loading.acquire(blocking=False):
            threading.Thread(target=self.load, kwargs={"locked": True}, name="insights-facet-index", daemon=True).start()

    def load(self, locked: bool = False) -> None:
        """Read the index now, on a connection of its own (in the caller's thread)."""
        try:
            conn = self.database.connect()  # read-only, or immutable, as Datasette serves the file
            try:
                self.index = FacetIndex.load(conn)
            finally:
                conn.close()
        except sqlite3.Error as error:  # not a knowledge base (yet): pages are counted with SQL
            log.warning("no facet index for %s: %s", self.database.name, error)
        finally:
            if locked:
                self._loading.release()


HOLDERS: weakref.WeakKeyDictionary[Database, IndexHolder] = weakref.WeakKeyDictionary()


def index_holder(datasette, database: str) -> IndexHolder | None:
    db = datasette.get_database(database)
    if database != DATABASE or db.path is None:
        return None
    if db not in HOLDERS:
        HOLDERS[db] = IndexHolder(db)
    return HOLDERS[db]


def page_counts(facet: Facet) -> asyncio.Future:
    """{facet: [(value, label, count), …]} for the five default facets of a filtered page, most
    frequent first, from one query that all five await (one per request)."""
    limit = facet.get_facet_size() + 1
    futures = facet.request.scope.setdefault("insights.page_counts", {})
    key = (facet.sql, repr(facet.params), limit)
    if key not in futures:
        futures[key] = asyncio.ensure_future(_count_page(facet, limit))
    return futures[key]


async def _count_page(facet: Facet, limit: int) -> dict[str, list[tuple]]:
    # It does the work of all five facets, so it gets the time all five would have had.
    time_limit = len(FACETS) * facet.ds.setting("facet_time_limit_ms")
    holder, query = index_holder(facet.ds, facet.database), rowids_sql(facet.sql)
    if holder and query:
        counts = await _count_with_index(facet, holder, query, time_limit, limit)
        if counts is not None:
            return counts
    return await _count_with_sql(facet, time_limit, limit)


async def _count_with_index(facet: Facet, holder: IndexHolder, query: str, time_limit: int,
                            limit: int) -> dict[str, list[tuple]] | None:
    """The page's rowids from SQLite, counted by the index; None when the index does not
    describe the build this read sees (it is then reloaded, and the page counted with SQL)."""
    def count(conn: sqlite3.Connection):
        with sqlite_timelimit(conn, time_limit):
            conn.execute("begin")  # the build's key and the page's rowids from one snapshot
            try:
                key = tuple(conn.execute(KEY_SQL).fetchone())
                (rowids,) = conn.execute(query, facet.params).fetchone()
            finally:
                if conn.in_transaction:
                    conn.execute("rollback")
        index = holder.index
        return index.count(rowids, limit) if index is not None and index.key == key else None

    try:
        with trace("sql", database=facet.database, sql=query, params=facet.params):
            counts = await facet.ds.get_database(facet.database).execute_fn(count)
    except sqlite3.Error as error:
        if "interrupted" in str(error):
            raise QueryInterrupted(error, query, facet.params) from error
        log.warning("facets of %s counted with SQL: %s", facet.database, error)  # no build_info, say
        return None
    if counts is None:
        holder.refresh()
    return counts


async def _count_with_sql(facet: Facet, time_limit: int, limit: int) -> dict[str, list[tuple]]:
    # The page's rows are read once; a column facet is a GROUP BY over them, and a tag facet
    # groups the JSON arrays as whole strings first, so that json_each reads each distinct set
    # of tags once (a few thousand at 100k findings), never every row.
    columns = [column for column, _ in FACETS.values()]
    parts = [f"""select * from (select '{column}' as facet, [{column}] as value, null as label, count(*) as count
                 from page where [{column}] is not null group by [{column}] order by count desc, value limit {limit:d})"""
             for column in PAGE_COLUMNS]
    parts += [f"""select '{tag.facet}', tag.value, v.label, sum(tag_set.count) from (
                  select [{tag.name}] as tags, count(*) as count from page group by [{tag.name}]
              ) tag_set join json_each(tag_set.tags) tag join [{tag.name}] v on v.id = tag.value
              group by tag.value""" for tag in TAGS]
    sql = f"with page as materialized (select {', '.join(columns)} from ({facet.sql})) {' union all '.join(parts)}"
    rows = await facet.ds.execute(facet.database, sql, facet.params, truncate=False, custom_time_limit=time_limit)
    counts: dict[str, list[tuple]] = {name: [] for name in FACETS}
    for name, value, label, count in rows.rows:
        counts[name].append((value, label, count))
    for values in counts.values():
        values.sort(key=lambda row: (-row[2], row[0]))
    return counts
