"""Facets and filters for the findings' many-to-many tags (theme, region, stakeholder), and the
counted column facet (``{"counted": "kind"}`` in metadata).

Each tag facet toggles its own query parameter (``_theme=``, ``_region=``, ``_stakeholder=``),
filtered through the indexed link tables with uniquely named SQL parameters, unlike the
built-in ``_through``. Where the counts come from, fast at a million findings:
``ingest/serve/facet_counts.py``.

A facet's column comes from the query string (``?_facet_counted=title_ko``) or metadata: it is
accepted only if it is one of the table's columns, and quoted as an identifier; anything else is
a 400 naming the parameter.
"""

import asyncio
import urllib.parse

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet, Facet
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, path_with_removed_args
from datasette.utils.asgi import BadRequest

from ingest.serve.facet_counts import (
    DATABASE, PAGE_COLUMNS, TABLE, index_holder, is_filtered, page_counts, whole_table_counts,
)
from ingest.notes.tags import TAGS, Tag


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


@hookimpl
def startup(datasette):
    async def load_index():
        if DATABASE in datasette.databases and (holder := index_holder(datasette, DATABASE)):
            await asyncio.get_running_loop().run_in_executor(None, holder.load)

    return load_index


class LinkFacet(Facet):
    tag: Tag

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        if self.table != TABLE:
            return results, timed_out
        tag = self.tag
        for source_and_config in self.get_configs():
            facet_size = self.get_facet_size()
            try:
                if is_filtered(self.sql):
                    rows = (await page_counts(self))[tag.facet]
                else:
                    rows = await whole_table_counts(self, tag.facet, facet_size + 1, tag.name)
            except QueryInterrupted:
                timed_out.append(tag.facet)
                continue
            selected_values = self.request.args.getlist(tag.param)
            toggles = Toggles(self)
            results.append({
                "name": tag.facet,
                "type": self.type,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(
                    self.request, {f"_facet_{tag.facet}": source_and_config["config"].get("simple")})),
                "results": [toggles.value(tag.param, value, label, count, value in selected_values)
                            for value, label, count in rows[:facet_size]],
                "truncated": len(rows) > facet_size,
            })
        return results, timed_out


class CountedColumnFacet(ColumnFacet):
    """Datasette's column facet (``{"counted": "kind"}`` in metadata), except that its counts
    come from the build (unfiltered table) or from the page's shared query (a filtered page),
    for the columns the build counts (``PAGE_COLUMNS``), rather than from a query of its own."""

    type = "counted"

    async def suggest(self):
        return []

    async def facet_results(self):
        columns = await self.ds.get_database(self.database).table_columns(self.table)
        results, timed_out = [], []
        for source_and_config in self.get_configs():
            column = facet_column(self.type, source_and_config["config"], columns)
            try:
                rows = await self._counts(column, self.get_facet_size() + 1)
            except QueryInterrupted:
                timed_out.append(column)
                continue
            results.append(await self._result(column, rows, source_and_config["source"]))
        return results, timed_out

    async def _counts(self, column: str, limit: int) -> list[tuple]:
        if self.table == TABLE and column in PAGE_COLUMNS:
            if is_filtered(self.sql):
                return (await page_counts(self))[column]
            return await whole_table_counts(self, column, limit)
        # Any other column, or table: the query Datasette's ColumnFacet runs.
        rows = await self.ds.execute(
            self.database,
            f"""select {escape_sqlite(column)} as value, count(*) as count from ({self.sql})
                where {escape_sqlite(column)} is not null group by {escape_sqlite(column)}
                order by count desc, value limit {limit:d}""",
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
            "type": "column",  # what it is, and how the page should title it
            "hideable": source != "metadata",
            "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_counted": column})),
            "results": [toggles.value(column, value, labels.get((column, value), value), count,
                                      (column, str(value)) in selected) for value, _, count in rows[:facet_size]],
            "truncated": len(rows) > facet_size,
        }


def facet_column(facet_type: str, config: dict, columns: list[str]) -> str:
    """The column a column facet's config names (``{"simple": …}`` or ``{"column": …}``), if the
    table has it."""
    column = config.get("column") or config.get("simple")
    if column not in columns:
        raise BadRequest(f"_facet_{facet_type}: {column!r} is not a column of this table "
                         f"(one of: {', '.join(columns)})")
    return column


FACET_CLASSES = [type(f"{tag.facet.title()}Facet", (LinkFacet,), {"type": tag.facet, "tag": tag})
                 for tag in TAGS] + [CountedColumnFacet]


@hookimpl
def register_facet_classes():
    return FACET_CLASSES


@hookimpl
def filters_from_request(request, database, table, datasette):
    """``?_theme=crowdfunding&_theme=financing``: findings tagged with every value given."""
    if table != TABLE:
        return None
    where, params, descriptions = [], {}, []
    for tag in TAGS:
        for index, value in enumerate(request.args.getlist(tag.param)):
            name = f"link_{tag.facet}_{index}"
            where.append(f"id in (select finding_id from [{tag.link_table}] where [{tag.link_column}] = :{name})")
            params[name] = value
            descriptions.append(f'{tag.facet} is "{value}"')
    return FilterArguments(where, params, descriptions)
