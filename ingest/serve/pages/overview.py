"""The home page's and the themes page's overview of a build: the theme tree with counts, regions,
stakeholders, the newest sources and the findings per theme by region.

Every figure here changes only with a build, so the overview is read once per build (keyed on
``build_info``) and kept; a build that commits under a running server is read on the next request.
A figure whose query ran out of time is left out of that page, and the overview read again on the next.
"""

from __future__ import annotations

from datasette.database import QueryInterrupted

from .cards import date_range, optional_rows, source_path
from .interrupted import too_long

NEWEST_SOURCES = 10
BUILD_SQL = "select built_at, notes_digest from build_info"
VOCABULARY_SQL = "select v.*, c.count from {table} v left join facet_counts c on c.facet = :facet and c.value = v.id order by v.rowid"
SOURCES_SQL = """
select s.id, s.title, s.title_ko, s.start, s."end", s.place, s.country, s.finding_count,
       st.ko as type_ko, st.en as type_en
from sources s left join source_types st on st.id = s.type
order by s.start desc, s.id limit :limit
"""
# Each theme with its sub-themes (any depth), and each top-level theme's whole subtree.
SUBTREES = """
with recursive under(theme, id) as (select id, id from themes union all
                                    select under.theme, t.id from under join themes t on t.parent = under.id)
"""
WITH_SUBTHEMES_SQL = SUBTREES + """
select under.theme, count(distinct ft.finding_id) as findings
from under join findings_themes ft on ft.theme_id = under.id group by under.theme
"""
BY_REGION_SQL = SUBTREES + """
select under.theme, fr.region_id as region, count(distinct ft.finding_id) as findings
from themes root join under on under.theme = root.id
join findings_themes ft on ft.theme_id = under.id
join findings_regions fr on fr.finding_id = ft.finding_id
where root.parent is null
group by under.theme, fr.region_id
"""

_cache: dict = {}


async def overview(db) -> dict:
    """The overview of the build ``db`` serves now (read once per build)."""
    build = tuple((await db.execute(BUILD_SQL)).rows[0])
    key = (db.name, build)
    if key in _cache:
        return _cache[key]
    try:
        data = await read_overview(db)
    except QueryInterrupted:  # a figure the page cannot do without: Datasette's own answer, a 400
        raise too_long() from None
    if data["complete"]:  # a figure that ran out of time is read again next time, not kept for the build
        _cache.clear()
        _cache[key] = data
    return data


async def read_overview(db) -> dict:
    themes = await vocabulary_with_counts(db, "themes", "theme")
    with_subthemes = await optional_rows(db, WITH_SUBTHEMES_SQL)
    totals = {row["theme"]: row["findings"] for row in with_subthemes or []}
    for theme in themes:
        theme["with_subthemes"] = totals.get(theme["id"], 0) if with_subthemes is not None else None
    sources = [dict(row) | {"dates": date_range(row["start"], row["end"]),
                            "path": source_path(row["id"])}
               for row in (await db.execute(SOURCES_SQL, {"limit": NEWEST_SOURCES})).rows]
    regions = await vocabulary_with_counts(db, "regions", "region")
    regional = await by_region(db, themes, regions)
    return {
        "complete": with_subthemes is not None and regional is not None,
        "themes": tree(themes),
        "regions": regions,
        "stakeholders": await vocabulary_with_counts(db, "stakeholders", "stakeholder"),
        "sources": sources,
        "source_count": (await db.execute("select count(*) from sources")).single_value(),
        "finding_count": (await db.execute("select count(*) from findings")).single_value(),
        "by_region": regional,
    }


async def vocabulary_with_counts(db, table: str, facet: str) -> list[dict]:
    """A vocabulary table's rows, each with its findings count from the build's ``facet_counts``."""
    rows = await db.execute(VOCABULARY_SQL.format(table=table), {"facet": facet})
    return [dict(row) | {"count": row["count"] or 0} for row in rows.rows]


def tree(themes: list[dict]) -> list[dict]:
    """Themes as a forest, in vocabulary order: each theme's ``children`` under it."""
    by_id = {theme["id"]: theme | {"children": []} for theme in themes}
    roots = []
    for theme in by_id.values():
        parent = by_id.get(theme.get("parent") or "")
        (parent["children"] if parent else roots).append(theme)
    return roots


async def by_region(db, themes: list[dict], regions: list[dict]) -> dict | None:
    """Findings per top-level theme (with its sub-themes) and region: rows, columns and cells."""
    rows = await optional_rows(db, BY_REGION_SQL)
    if rows is None:
        return None
    cells = {(row["theme"], row["region"]): row["findings"] for row in rows}
    columns = [r for r in regions if any(region == r["id"] for _, region in cells)]
    lines = [t for t in themes if not t.get("parent") and any(theme == t["id"] for theme, _ in cells)]
    lines.sort(key=lambda t: -sum(cells.get((t["id"], r["id"]), 0) for r in columns))
    return {"themes": lines, "regions": columns,
            "counts": [[cells.get((t["id"], r["id"]), 0) for r in columns] for t in lines]}
