"""A finding's tags (themes, regions, stakeholders): each from its vocabulary list, and where
insights.db keeps it. The one statement of that mapping: the build writes it (ingest/db/write),
the facet index and the Datasette plugin count and filter by it, memos read it back.
"""

from typing import NamedTuple


class Tag(NamedTuple):
    facet: str  # "theme": the facet type and the page's query parameters (_facet_theme=, _theme=)
    name: str  # "themes": the finding's attribute, its vocabulary list and table, the findings column
    #            holding the finding's tags as a JSON array
    link_table: str  # "findings_themes": one row per finding and tag
    link_column: str  # "theme_id": the link table's column naming the tag (finding_id names the finding)

    @property
    def param(self) -> str:
        """The findings page's filter: ``?_theme=crowdfunding``."""
        return f"_{self.facet}"


TAGS = (
    Tag("theme", "themes", "findings_themes", "theme_id"),
    Tag("region", "regions", "findings_regions", "region_id"),
    Tag("stakeholder", "stakeholders", "findings_stakeholders", "stakeholder_id"),
)
