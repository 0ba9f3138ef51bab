"""Facets and filters for the findings' many-to-many tags: theme, region, stakeholder.

Counting through the indexed link tables stays fast at a million findings, where
Datasette's ``_facet_array`` (json_each over every row) does not. Each facet toggles
its own query parameter (``_theme=``, ``_region=``, ``_stakeholder=``) whose SQL
parameters are uniquely named, unlike the built-in ``_through``.
"""

import re
from typing import NamedTuple

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
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
            if WHERE.search(self.sql):
                # A filtered page: count only the findings on it.
                scope = f"where l.finding_id in (select id from ({self.sql}))"
            else:
                scope = ""  # the whole table: a plain GROUP BY on the indexed link table
            sql = f"""
                select l.[{link.column}] as value, v.label as label, count(*) as count
                from [{link.link_table}] l join [{link.vocabulary}] v on v.id = l.[{link.column}]
                {scope}
                group by l.[{link.column}] order by count desc, value limit {facet_size + 1}
            """
            try:
                rows = await self.ds.execute(
                    self.database, sql, self.params, truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(link.facet)
                continue
            selected_values = self.request.args.getlist(link.param)
            values = []
            for row in rows.rows[:facet_size]:
                selected = row["value"] in selected_values
                change = path_with_removed_args if selected else path_with_added_args
                values.append({
                    "value": row["value"],
                    "label": row["label"],
                    "count": row["count"],
                    "toggle_url": self.ds.absolute_url(
                        self.request, self.ds.urls.path(change(self.request, {link.param: row["value"]}))
                    ),
                    "selected": selected,
                })
            results.append({
                "name": link.facet,
                "type": self.type,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(
                    path_with_removed_args(self.request, {f"_facet_{link.facet}": source_and_config["config"]["simple"]})
                ),
                "results": values,
                "truncated": len(rows.rows) > facet_size,
            })
        return results, timed_out


FACET_CLASSES = [type(f"{link.facet.title()}Facet", (LinkFacet,), {"type": link.facet, "link": link})
                 for link in LINKS]


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
