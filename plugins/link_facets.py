"""Facets and filters for the findings' many-to-many tags: theme, region, stakeholder.

Counting through the indexed link tables stays fast at a million findings, where
Datasette's ``_facet_array`` (json_each over every row) does not. Each facet toggles
its own query parameter (``_theme=``, ``_region=``, ``_stakeholder=``) whose SQL
parameters are uniquely named, unlike the built-in ``_through``.

On the unfiltered table every facet, the plain column ones included (``counted``), reads
the counts each build writes into ``facet_counts``: the page costs the same at 1M
findings as at 100. A filtered page counts only its own findings.
"""

import asyncio
import re
from typing import NamedTuple

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet, Facet
from datasette.filters import FilterArguments
from datasette.utils import path_with_added_args, path_with_removed_args

TABLE = "findings"


class Link(NamedTuple):
    facet: str  # facet type and query parameter: _facet_theme=…, _theme=…
    link_table: str
    column: str
    vocabulary: str

    @property
    def param(self) -> str:
        return f"_{self.facet}"


LINKS = (
    Link("theme", "findings_themes", "theme_id", "themes"),
    Link("region", "findings_regions", "region_id", "regions"),
    Link("stakeholder", "findings_stakeholders", "stakeholder_id", "stakeholders"),
)
WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)


COUNTS_TABLE = "facet_counts"  # each build's whole-table counts, written by ingest/write.py


def is_filtered(sql: str) -> bool:
    """Whether the page's SQL narrows the table (filters, tags, search), or shows all of it."""
    return bool(WHERE.search(sql))


def facet_value(facet: Facet, param: str, value, label, count: int, selected: bool) -> dict:
    change = path_with_removed_args if selected else path_with_added_args
    return {
        "value": value,
        "label": label,
        "count": count,
        "toggle_url": facet.ds.absolute_url(facet.request, facet.ds.urls.path(change(facet.request, {param: value}))),
        "selected": selected,
    }


async def whole_table_counts(facet: Facet, name: str, limit: int, labels_from: str | None = None):
    """The build's counts for the unfiltered table: no scan of findings at all. ``labels_from``:
    the vocabulary table whose ``label`` names each value."""
    label, join = ("v.label", f"join [{labels_from}] v on v.id = c.value") if labels_from else ("c.value", "")
    return await facet.ds.execute(
        facet.database,
        f"""select c.value, {label} as label, c.count from [{COUNTS_TABLE}] c {join}
            where c.facet = :facet order by c.count desc, c.value limit {limit}""",
        {"facet": name}, truncate=False, custom_time_limit=facet.ds.setting("facet_time_limit_ms"),
    )


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
                    rows = (await self.page_counts()).get(link.facet, [])
                else:
                    rows = (await whole_table_counts(self, link.facet, facet_size + 1, link.vocabulary)).rows
            except QueryInterrupted:
                timed_out.append(link.facet)
                continue
            rows = sorted(rows, key=lambda row: (-row["count"], row["value"]))
            selected_values = self.request.args.getlist(link.param)
            results.append({
                "name": link.facet,
                "type": self.type,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(
                    path_with_removed_args(self.request, {f"_facet_{link.facet}": source_and_config["config"]["simple"]})
                ),
                "results": [facet_value(self, link.param, row["value"], row["label"], row["count"],
                                        row["value"] in selected_values) for row in rows[:facet_size]],
                "truncated": len(rows) > facet_size,
            })
        return results, timed_out

    def page_counts(self) -> asyncio.Future:
        """Every tag's counts over the findings of a filtered page, in one query that the three
        tag facets of a request share: the page's filter (a search, say) runs once, not thrice."""
        shared = self.request.scope.setdefault("insights.link_counts", {})
        key = (self.sql, repr(self.params))
        if key not in shared:
            shared[key] = asyncio.ensure_future(self._count_page())
        return shared[key]

    async def _count_page(self) -> dict[str, list]:
        parts = " union all ".join(f"""
            select '{link.facet}' as facet, c.value, v.label, c.count from (
                select [{link.column}] as value, count(*) as count from [{link.link_table}]
                where finding_id in page group by [{link.column}]
            ) c join [{link.vocabulary}] v on v.id = c.value""" for link in LINKS)
        rows = await self.ds.execute(
            self.database, f"with page(id) as materialized (select id from ({self.sql})) {parts}",
            # It does the work of all three facets, so it gets the time all three would have had.
            self.params, truncate=False, custom_time_limit=len(LINKS) * self.ds.setting("facet_time_limit_ms"),
        )
        counts: dict[str, list] = {}
        for row in rows.rows:
            counts.setdefault(row["facet"], []).append(row)
        return counts


class CountedColumnFacet(ColumnFacet):
    """Datasette's column facet (``{"counted": "kind"}`` in metadata), except that the
    unfiltered table's counts come from the build instead of a GROUP BY over every row."""

    type = "counted"

    async def suggest(self):
        return []

    async def facet_results(self):
        if self.table != TABLE or is_filtered(self.sql):
            results, timed_out = await super().facet_results()
        else:
            results, timed_out = await self._whole_table()
        for result in results:
            result["type"] = "column"  # what it is, and how the page should title it
        return results, timed_out

    async def _whole_table(self):
        results, timed_out = [], []
        for source_and_config in self.get_configs():
            column = source_and_config["config"].get("column") or source_and_config["config"]["simple"]
            facet_size = self.get_facet_size()
            try:
                rows = await whole_table_counts(self, column, facet_size + 1)
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = [row["value"] for row in rows.rows[:facet_size]]
            labels = await self.ds.expand_foreign_keys(self.database, self.table, column, values)
            results.append({
                "name": column,
                "type": self.type,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_counted": column})),
                "results": [facet_value(self, column, row["value"], labels.get((column, row["value"]), row["value"]),
                                        row["count"], False) for row in rows.rows[:facet_size]],
                "truncated": len(rows.rows) > facet_size,
            })
        return results, timed_out


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
