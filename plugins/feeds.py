"""Atom feeds of any findings selection: ``/insights/findings.atom?<the findings page's query>``.

    /insights/findings.atom?_theme=crowdfunding      a theme (or _region=, _stakeholder=, source_id=…)
    /insights/findings.atom?_search=거버넌스          a search, Korean-aware as on the page

The selection is the findings page's own (``ingest/serve/export_selection.table_filters``: its
column filters, ``_search``, ``_theme``/``_region``/``_stakeholder``, with its permissions), its
newest ``FEED_ENTRIES`` findings by ``findings.updated`` (when each first appeared or last
changed: ingest/db/dates.py), newest first. The query runs under the instance's time limit.
An empty selection is a valid feed with no entries. A public instance serves a public build,
which holds only public findings, so its feeds hold nothing else. Links are absolute, on the
cited site (``public_url``, else the address served from). The rows: ``ingest/serve/feed_rows.py``;
the XML: ``ingest/serve/feed.py``.
"""

import urllib.parse

from datasette import hookimpl
from datasette.utils.asgi import BadRequest, NotFound, Response

from ingest.serve.export_selection import NOT_SELECTION_ARGS, language, public_url, strip_args, table_filters
from ingest.serve.feed import CONTENT_TYPE, Entry, Feed, atom_feed
from ingest.serve.feed_rows import read_feed_rows
from ingest.memo.citation import finding_url

TABLE = "findings"
FEED_ENTRIES = 50  # the newest findings of a selection a feed holds
NO_DATE = "1970-01-01T00:00:00+00:00"  # an empty feed of a database that records no build


@hookimpl
def register_routes():
    return [(rf"^/(?P<database>[^/]+)/{TABLE}\.atom$", findings_feed)]


async def findings_feed(datasette, request):
    try:
        db = datasette.get_database(route=request.url_vars["database"])
    except KeyError:
        raise NotFound("Database not found")
    if TABLE not in await db.table_names():
        raise NotFound(f"This database has no {TABLE} table")
    site = public_url(datasette, request)
    if not site:
        raise BadRequest("This instance cannot name its own address: set plugins.insights.public_url")
    lang = language(request)
    where_clauses, params, description = await table_filters(datasette, request, db, TABLE)
    where = f" where {' and '.join(where_clauses)}" if where_clauses else ""
    newest = await db.execute(  # under sql_time_limit_ms, as the page's own query
        f"select id, updated from {TABLE}{where} order by updated desc, source_id, position limit {FEED_ENTRIES}",
        params)
    dated = {row["id"]: row["updated"] for row in newest.rows}
    base_url = datasette.setting("base_url")
    ids = list(dated)

    records, organizations, built_at = await db.execute_fn(
        lambda conn: read_feed_rows(conn, ids, lambda i: finding_url(site, i, base_url), lang))
    entries = [Entry(r, dated[r.id] or built_at or NO_DATE, organizations.get(r.id)) for r in records]
    query = strip_args(request.query_string, NOT_SELECTION_ARGS)
    path = urllib.parse.quote(request.path)
    title = "시사점 · Findings" if lang == "ko" else "Findings · 시사점"
    feed = Feed(
        id=site + path + (f"?{query}" if query else ""),
        title=f"{title}: {description}" if description else title,
        page=site + path.removesuffix(".atom") + (f"?{query}" if query else ""),
        updated=max((e.updated for e in entries), default=built_at or NO_DATE),
        author=datasette.metadata("title") or "Smart-city insights",
        site=site + base_url,
        lang=lang,
    )
    return Response(atom_feed(feed, entries), content_type=CONTENT_TYPE)

