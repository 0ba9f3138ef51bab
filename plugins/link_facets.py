"""Facets and filters for the findings' many-to-many tags: theme, region, stakeholder.

Each tag facet toggles its own query parameter (``_theme=``, ``_region=``,
``_stakeholder=``), filtered through the indexed link tables with uniquely named SQL
parameters, unlike the built-in ``_through``. Datasette's ``_facet_array`` runs json_each
over every row and takes seconds at a million findings; these facets never do:

- On the unfiltered table every default facet, the plain column ones included
  (``counted``), reads the counts each build writes into ``facet_counts``: the page costs
  the same at 1M findings as at 100.
- On a filtered page (a search, a tag, a column filter) the five default facets share one
  count of the page's findings, so the page's filter runs once, not once per facet. SQLite
  gives the page's rowids (one ``group_concat``); the facet index of the build
  (``ingest/db/facet_index.py``, read before the first request) counts them, for every facet at
  once. Measured at 100k findings in one run, a Korean search's five facets took a quarter of
  the time of the shared SQL query below, and a sixth of one query per facet through the link
  tables (a broad search: a fifth and a tenth).
- Right after a rebuild, until the index of the new build has been read (in the background),
  the same counts come from one SQL query: the page's rows read once, a GROUP BY per column
  facet, and per tag facet a GROUP BY of the JSON arrays of tags as whole strings, so that
  json_each reads each distinct set of tags once, never every row.
"""

import asyncio
import logging
import re
import sqlite3
import threading
import urllib.parse
import weakref
from typing import NamedTuple

from datasette import hookimpl
from datasette.database import Database, QueryInterrupted
from datasette.facets import ColumnFacet, Facet
from datasette.filters import FilterArguments
from datasette.tracer import trace
from datasette.utils import path_with_removed_args, sqlite_timelimit

from ingest.db.facet_index import FACETS, KEY_SQL, FacetIndex, rowids_sql

DATABASE, TABLE = "insights", "findings"
log = logging.getLogger(__name__)


class Link(NamedTuple):
    facet: str  # facet type and query parameter: _facet_theme=…, _theme=…
    link_table: str
    column: str
    vocabulary: str

    @property
    def param(self) -> str:
        return f"_{self.facet}"

    @property
    def tags_column(self) -> str:
        """The findings column holding the finding's tags as a JSON array."""
        return FACETS[self.facet][0]


LINKS = (
    Link("theme", "findings_themes", "theme_id", "themes"),
    Link("region", "findings_regions", "region_id", "regions"),
    Link("stakeholder", "findings_stakeholders", "stakeholder_id", "stakeholders"),
)
# The counted column facets that share a filtered page's count with the tag facets.
PAGE_COLUMNS = tuple(name for name, (_, vocabulary) in FACETS.items() if vocabulary is None)
WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)


COUNTS_TABLE = "facet_counts"  # each build's whole-table counts, written by ingest/db/write.py


def is_filtered(sql: str) -> bool:
    """Whether the page's SQL narrows the table (filters, tags, search), or shows all of it."""
    return bool(WHERE.search(sql))


class Toggles:
    """The facet values' toggle URLs, exactly as Datasette's own facets make them
    (``path_with_added_args``/``path_with_removed_args``, then ``absolute_url``), with the
    page's query string parsed once per facet instead of once per value."""

    def __init__(self, facet: Facet):
        self.pairs = urllib.parse.parse_qsl(facet.request.query_string)
        self.query = urllib.parse.urlencode(self.pairs)
        self.base = facet.ds.absolute_url(facet.request, facet.ds.urls.path(facet.request.path))

    def url(self, param: str, value, selected: bool) -> str:
        if selected:
            query = urllib.parse.urlencode([(k, v) for k, v in self.pairs if not (k == param and v == str(value))])
        else:  # the page's query, then the one pair added: what urlencode of all of them gives
            query = "&".join(filter(None, (self.query, urllib.parse.urlencode([(param, value)]))))
        return f"{self.base}?{query}" if query else self.base

    def value(self, param: str, value, label, count: int, selected: bool) -> dict:
        return {"value": value, "label": label, "count": count, "toggle_url": self.url(param, value, selected),
                "selected": selected}


async def whole_table_counts(facet: Facet, name: str, limit: int, labels_from: str | None = None) -> list[tuple]:
    """The build's (value, label, count) for the unfiltered table, most frequent first: no scan of
    findings. ``labels_from``: the vocabulary table whose ``label`` names each value (else None)."""
    label, join = ("v.label", f"join [{labels_from}] v on v.id = c.value") if labels_from else ("null", "")
    rows = await facet.ds.execute(
        facet.database,
        f"""select c.value, {label}, c.count from [{COUNTS_TABLE}] c {join}
            where c.facet = :facet order by c.count desc, c.value limit {limit}""",
        {"facet": name}, truncate=False, custom_time_limit=facet.ds.setting("facet_time_limit_ms"),
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


@hookimpl
def startup(datasette):
    async def load_index():
        if DATABASE in datasette.databases and (holder := index_holder(datasette, DATABASE)):
            await asyncio.get_running_loop().run_in_executor(None, holder.load)

    return load_index


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
                 from page where [{column}] is not null group by [{column}] order by count desc, value limit {limit})"""
             for column in PAGE_COLUMNS]
    parts += [f"""select '{link.facet}', tag.value, v.label, sum(tag_set.count) from (
                  select [{link.tags_column}] as tags, count(*) as count from page group by [{link.tags_column}]
              ) tag_set join json_each(tag_set.tags) tag join [{link.vocabulary}] v on v.id = tag.value
              group by tag.value""" for link in LINKS]
    sql = f"with page as materialized (select {', '.join(columns)} from ({facet.sql})) {' union all '.join(parts)}"
    rows = await facet.ds.execute(facet.database, sql, facet.params, truncate=False, custom_time_limit=time_limit)
    counts: dict[str, list[tuple]] = {name: [] for name in FACETS}
    for name, value, label, count in rows.rows:
        counts[name].append((value, label, count))
    for values in counts.values():
        values.sort(key=lambda row: (-row[2], row[0]))
    return counts


class LinkFacet(Facet):
    link: Link

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        if self.table != TABLE:
            return results, timed_out
        link = self.link
        for source_and_config in self.get_configs():
            facet_size = self.get_facet_size()
            try:
                if is_filtered(self.sql):
                    rows = (await page_counts(self))[link.facet]
                else:
                    rows = await whole_table_counts(self, link.facet, facet_size + 1, link.vocabulary)
            except QueryInterrupted:
                timed_out.append(link.facet)
                continue
            selected_values = self.request.args.getlist(link.param)
            toggles = Toggles(self)
            results.append({
                "name": link.facet,
                "type": self.type,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(
                    path_with_removed_args(self.request, {f"_facet_{link.facet}": source_and_config["config"]["simple"]})
                ),
                "results": [toggles.value(link.param, value, label, count, value in selected_values)
                            for value, label, count in rows[:facet_size]],
                "truncated": len(rows) > facet_size,
            })
        return results, timed_out


class CountedColumnFacet(ColumnFacet):
    """Datasette's column facet (``{"counted": "kind"}`` in metadata), except that its counts
    come from the build (unfiltered table) or from the page's shared query (a filtered page,
    for the columns in ``PAGE_COLUMNS``) rather than from a query of its own."""

    type = "counted"

    async def suggest(self):
        return []

    async def facet_results(self):
        if self.table != TABLE:
            results, timed_out = await super().facet_results()
        else:
            results, timed_out = [], []
            for source_and_config in self.get_configs():
                column = source_and_config["config"].get("column") or source_and_config["config"]["simple"]
                try:
                    rows = await self._counts(column, self.get_facet_size() + 1)
                except QueryInterrupted:
                    timed_out.append(column)
                    continue
                results.append(await self._result(column, rows, source_and_config["source"]))
        for result in results:
            result["type"] = "column"  # what it is, and how the page should title it
        return results, timed_out

    async def _counts(self, column: str, limit: int) -> list[tuple]:
        if not is_filtered(self.sql):
            return await whole_table_counts(self, column, limit)
        if column in PAGE_COLUMNS:
            return (await page_counts(self))[column]
        # Any other column: the query Datasette's ColumnFacet runs.
        rows = await self.ds.execute(
            self.database,
            f"""select [{column}] as value, count(*) as count from ({self.sql}) where [{column}] is not null
                group by [{column}] order by count desc, value limit {limit}""",
            self.params, truncate=False, custom_time_limit=self.ds.setting("facet_time_limit_ms"),
        )
        return [(value, None, count) for value, count in rows.rows]

    async def _result(self, column: str, rows: list[tuple], source: str) -> dict:
        """The facet as Datasette's ColumnFacet gives it: foreign keys shown by their labels."""
        facet_size = self.get_facet_size()
        values = [value for value, _, _ in rows[:facet_size]]
        labels = await self.ds.expand_foreign_keys(self.database, self.table, column, values)
        selected, toggles = self.get_querystring_pairs(), Toggles(self)
        return {
            "name": column,
            "type": self.type,
            "hideable": source != "metadata",
            "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_counted": column})),
            "results": [toggles.value(column, value, labels.get((column, value), value), count,
                                      (column, str(value)) in selected) for value, _, count in rows[:facet_size]],
            "truncated": len(rows) > facet_size,
        }


FACET_CLASSES = [type(f"{link.facet.title()}Facet", (LinkFacet,), {"type": link.facet, "link": link})
                 for link in LINKS] + [CountedColumnFacet]


@hookimpl
def register_facet_classes():
    return FACET_CLASSES


@hookimpl
def filters_from_request(request, database, table, datasette):
    """``?_theme=crowdfunding&_theme=financing``: findings tagged with every value given."""
    if table != TABLE:
        return None
    where, params, descriptions = [], {}, []
    for link in LINKS:
        for index, value in enumerate(request.args.getlist(link.param)):
            name = f"link_{link.facet}_{index}"
            where.append(f"id in (select finding_id from [{link.link_table}] where [{link.column}] = :{name})")
            params[name] = value
            descriptions.append(f'{link.facet} is "{value}"')
    return FilterArguments(where, params, descriptions)
