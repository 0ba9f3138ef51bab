"""Which rows a download holds: the selection a request to ``…/-/export.csv`` (or any other
download, or the memo page) asks for, built by the findings page's own machinery.

The findings table: Datasette's column filters (``Filters``), then every ``filters_from_request``
hook (``_search`` with whatever ``escape_fts`` a plugin registers, ``_where``, and the tag filters
``_theme``/``_region``/``_stakeholder``), and the page's sort order. A canned query whose rows
carry an ``id`` column of findings: its SQL with its parameters from the query string.
Permissions are the page's: view-table (or view-query), view-database, view-instance.
"""

from __future__ import annotations

import urllib.parse

from datasette.filters import Filters
from datasette.plugins import pm
from datasette.utils import await_me_maybe, derive_named_parameters, escape_sqlite
from datasette.utils.asgi import BadRequest, Forbidden, NotFound
from datasette.views.base import ureg
from datasette.views.database import MagicParameters

from ingest.memo.citation import LANGUAGES
from ingest.memo.layout import STYLES
from ingest.memo.records import Selection
from ingest.serve.site import request_site

TABLE = "findings"
NOT_SELECTION_ARGS = ("_next", "_lang", "_size", "_style")  # page, language, layout: not what is selected


async def selection_from_request(datasette, request):
    """(Datasette database, Selection, the view's name as configured) of a download's request."""
    try:
        db = datasette.get_database(route=request.url_vars["database"])
    except KeyError:
        raise NotFound("Database not found")
    if not datasette.setting("allow_csv_stream"):
        raise Forbidden("Downloading every row is turned off (setting allow_csv_stream)")
    name = request.url_vars["name"]
    canned = await datasette.get_canned_query(db.name, name, request.actor)
    if canned:
        return db, await canned_query_selection(datasette, request, db, name, canned), canned["name"]
    if name != TABLE:
        raise NotFound(f"Only the {TABLE} table and canned queries of findings can be exported")
    return db, await table_selection(datasette, request, db, TABLE), TABLE


async def table_selection(datasette, request, db, table: str) -> Selection:
    """The findings page's own query for this request (table view, Datasette 0.65), unpaginated."""
    where_clauses, params, description = await table_filters(datasette, request, db, table)
    table_metadata = datasette.table_metadata(db.name, table)
    order_by = await sort_order(datasette, request, db, table, table_metadata, await db.primary_keys(table))
    return Selection.of_findings(
        where_clauses, params, order_by,
        focus_themes=tuple(request.args.getlist("_theme")),
        description=description,
        view_url=view_url(datasette, request),
    )


async def table_filters(datasette, request, db, table: str) -> tuple[list[str], dict, str]:
    """The table page's where clauses and parameters for this request, and what they select in
    words; the page's permissions checked first. (The Atom feeds select with these too.)"""
    await ensure_visible(datasette, request, [("view-table", (db.name, table)), ("view-database", db.name),
                                              "view-instance"])
    table_metadata = datasette.table_metadata(db.name, table)
    filter_args = [(key, value) for key in request.args if not (key.startswith("_") and "__" not in key)
                   for value in request.args.getlist(key)]
    filters = Filters(sorted(filter_args), table_metadata.get("units", {}), ureg)
    where_clauses, params = filters.build_where_clauses(table)
    descriptions = []
    for hook in pm.hook.filters_from_request(request=request, table=table, database=db.name, datasette=datasette):
        filter_arguments = await await_me_maybe(hook)
        if filter_arguments:
            where_clauses.extend(filter_arguments.where_clauses)
            params.update(filter_arguments.params)
            descriptions.extend(filter_arguments.human_descriptions)
    return where_clauses, params, filters.human_description_en(extra=descriptions).removeprefix("where ")


async def sort_order(datasette, request, db, table: str, table_metadata: dict, pks: list[str]) -> str:
    """``?_sort=`` / ``?_sort_desc=`` (or the table's default sort), then the primary key, as pages do."""
    sort, sort_desc = request.args.get("_sort"), request.args.get("_sort_desc")
    if not sort and not sort_desc:
        sort, sort_desc = table_metadata.get("sort"), table_metadata.get("sort_desc")
    if sort and sort_desc:
        raise BadRequest("Cannot use _sort and _sort_desc at the same time")
    by_pk = ", ".join(escape_sqlite(pk) for pk in pks)
    column = sort or sort_desc
    if not column:
        return by_pk
    sortable = set(table_metadata.get("sortable_columns") or await db.table_columns(table))
    if column not in sortable:
        raise BadRequest(f"Cannot sort table by {column}")
    return f"{escape_sqlite(column)}{' desc' if sort_desc else ''}, {by_pk}"


async def canned_query_selection(datasette, request, db, name: str, canned: dict) -> Selection:
    """A canned query with its parameters from the query string, all of its rows."""
    await ensure_visible(datasette, request, [("view-query", (db.name, name)), ("view-database", db.name),
                                              "view-instance"])
    if canned.get("write"):
        raise BadRequest("Writable canned queries cannot be exported")
    named = canned.get("params") or await derive_named_parameters(db, canned["sql"])
    # Magic parameters (:_insights_public_url, …) resolved as Datasette resolves them for the page.
    params = MagicParameters({p: request.args.get(p) or "" for p in named if not p.startswith("_")}, request, datasette)
    return Selection(
        canned["sql"], params,
        # A canned query's `theme` parameter is its focus, as ?_theme= is the page's.
        focus_themes=(params["theme"],) if params.get("theme") else (),
        description=" and ".join(f'{key} is "{value}"' for key, value in params.items() if value),
        view_url=view_url(datasette, request),
    )


async def ensure_visible(datasette, request, permissions) -> None:
    visible, _ = await datasette.check_visibility(request.actor, permissions=permissions)
    if not visible:
        raise Forbidden("You do not have permission to view this")


def public_url(datasette, request) -> str:
    """The site cited: ``public_url`` in metadata.json, else the address the request was served from."""
    return request_site(datasette, request)


def view_url(datasette, request) -> str:
    """The page that shows the same rows, on the cited site."""
    path = urllib.parse.quote(request.path.rsplit("/-/", 1)[0])
    query = strip_args(request.query_string, NOT_SELECTION_ARGS)
    return public_url(datasette, request) + path + (f"?{query}" if query else "")


def strip_args(query_string: str, names) -> str:
    pairs = urllib.parse.parse_qsl(query_string, keep_blank_values=True)
    return urllib.parse.urlencode([(k, v) for k, v in pairs if k not in names])


def language(request) -> str:
    lang = request.args.get("_lang") or "ko"
    if lang not in LANGUAGES:
        raise BadRequest(f"_lang must be one of {', '.join(LANGUAGES)}")
    return lang


def memo_style(request) -> str:
    """The layout of an HWPX or DOCX memo: ``?_style=gaejosik`` (개조식, the default) or ``prose``."""
    style = request.args.get("_style") or STYLES[0]
    if style not in STYLES:
        raise BadRequest(f"unknown memo style: _style must be one of {', '.join(STYLES)}")
    return style
