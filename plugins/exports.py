"""Memo-ready downloads of exactly the rows a findings view shows, every row, not one page.

    /insights/findings/-/export.csv?<the page's query>   Excel-safe CSV (UTF-8 with BOM, CRLF)
    /insights/findings/-/export.xlsx?…                    XLSX
    /insights/findings/-/memo.md?…                        memo draft, Markdown download
    /insights/findings/-/memo?…                           the same memo, rendered on a page
    /insights/findings/-/memo.hwpx?…  memo.docx?…          the memo for 한글 (개조식) and Word

and the same under a canned query whose rows carry an ``id`` column of findings
(``/insights/memo/-/…``). Datasette's output renderers only ever see one page of rows,
so these are routes of their own. Which rows: the findings page's own machinery builds
the query — Datasette's column filters (``Filters``), then every ``filters_from_request``
hook (``_search`` with whatever ``escape_fts`` a plugin registers, ``_where``, and our
``_theme``/``_region``/``_stakeholder``) — and the page's sort order. Permissions are the
page's: view-table (or view-query), view-database, view-instance. ``?_lang=en`` puts
English first. The query runs on a read-only connection of its own (prepared by every
plugin's ``prepare_connection``), so a long export never holds one of Datasette's threads.
"""

import asyncio
import re
import sqlite3
import tempfile
import traceback
import urllib.parse

from datasette import hookimpl
from datasette.filters import Filters
from datasette.plugins import pm
from datasette.utils import await_me_maybe, derive_named_parameters, escape_sqlite
from datasette.utils.asgi import BadRequest, Forbidden, NotFound, Response
from datasette.views.base import ureg
from datasette_render_markdown import render_markdown

from ingest.memo.citation import DEFAULT_PUBLIC_URL, LANGUAGES, finding_url
from ingest.memo.export import csv_chunks, write_xlsx
from ingest.memo.memo import build_memo
from ingest.memo.office import CONTENT_TYPES, check_style, write_office_memo
from ingest.memo.records import Selection, SelectionError, read_findings

TABLE = "findings"
FILE_CHUNK = 1 << 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FILENAME_ARGS = ("_theme", "_region", "_stakeholder", "kind", "theme")  # values that name a download
NOT_SELECTION_ARGS = ("_next", "_lang", "_size", "_style")  # page and language: not part of what is selected
PREFIX = r"^/(?P<database>[^/]+)/(?P<name>[^/]+)/-/"


@hookimpl
def register_routes():
    return [
        (PREFIX + r"export\.(?P<format>csv|xlsx)$", export),
        (PREFIX + r"memo(?P<markdown>\.md)?$", memo),
        (PREFIX + r"memo\.(?P<office>hwpx|docx)$", office_memo),
    ]


async def export(datasette, request):
    db, selection = await selection_from_request(datasette, request)
    lang = language(request)
    conn = await asyncio.to_thread(open_connection, datasette, db)
    records = read_findings(conn, selection, url_maker(datasette), lang)
    if request.url_vars["format"] == "csv":
        chunks = csv_chunks(records, lang)
        try:
            first = await run_query(next, chunks)
        except BaseException:
            conn.close()
            raise
        return Download(first, chunks, conn, filename(request, "csv"), "text/csv; charset=utf-8")
    about = {"화면 · View": selection.view_url or "", "선택 · Selection": selection.description or "-"}
    file = tempfile.TemporaryFile()  # XLSX is a zip: made whole, then sent
    try:
        count = await run_query(write_xlsx, records, file, lang, about)
    except BaseException:
        file.close()
        raise
    finally:
        conn.close()
    file.seek(0)
    return Download(b"", iter(lambda: file.read(FILE_CHUNK), b""), file, filename(request, "xlsx"), XLSX,
                    headers={"x-row-count": str(count)})


async def memo(datasette, request):
    db, selection = await selection_from_request(datasette, request)
    lang = language(request)
    text = await run_query(memo_text, datasette, db, selection, lang)
    if request.url_vars.get("markdown"):
        return Response(text, content_type="text/markdown; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{filename(request, "md")}"'})
    query = strip_args(request.query_string, ("_lang",))
    view_path = request.path.rsplit("/-/", 1)[0]
    return Response.html(await datasette.render_template("memo.html", {
        "memo_html": render_markdown(text),
        "database": db.name,
        "name": request.url_vars["name"],
        "lang": lang,
        "view_path": view_path + (f"?{query}" if query else ""),
        "markdown_path": f"{request.path}.md" + (f"?{request.query_string}" if request.query_string else ""),
        "other_language_path": f"{request.path}?" + "&".join(
            filter(None, [query, f"_lang={'en' if lang == 'ko' else 'ko'}"])),
    }, request=request))


async def office_memo(datasette, request):
    """The memo as HWPX or DOCX (ingest/memo/office.py): 개조식, or ``?_style=prose``."""
    db, selection = await selection_from_request(datasette, request)
    fmt, lang = request.url_vars["office"], language(request)
    try:
        style = check_style(request.args.get("_style") or "gaejosik")
    except ValueError as error:
        raise BadRequest(str(error))
    file, count = await run_query(office_memo_file, datasette, db, selection, lang, fmt, style)
    return Download(b"", iter(lambda: file.read(FILE_CHUNK), b""), file, filename(request, fmt),
                    CONTENT_TYPES[fmt], headers={"x-row-count": str(count)})


def office_memo_file(datasette, db, selection: Selection, lang: str, fmt: str, style: str):
    """The memo written whole (a zip) to a temporary file, rewound; and its number of findings."""
    conn, file = open_connection(datasette, db), tempfile.TemporaryFile()
    try:
        count = write_office_memo(conn, selection, url_maker(datasette), lang, fmt, file, style)
    except BaseException:
        file.close()
        raise
    finally:
        conn.close()
    file.seek(0)
    return file, count


def memo_text(datasette, db, selection: Selection, lang: str) -> str:
    conn = open_connection(datasette, db)
    try:
        return build_memo(conn, selection, url_maker(datasette), lang)
    finally:
        conn.close()


async def run_query(function, *args):
    """Run (the first step of) an export in a thread; a failing query is a 400, not a broken file."""
    try:
        return await asyncio.to_thread(function, *args)
    except SelectionError as error:
        raise BadRequest(str(error))
    except sqlite3.Error as error:
        raise BadRequest(f"The query failed: {error}")


# Which rows ------------------------------------------------------------------------------

async def selection_from_request(datasette, request):
    try:
        db = datasette.get_database(route=request.url_vars["database"])
    except KeyError:
        raise NotFound("Database not found")
    if not datasette.setting("allow_csv_stream"):
        raise Forbidden("Downloading every row is turned off (setting allow_csv_stream)")
    name = request.url_vars["name"]
    canned = await datasette.get_canned_query(db.name, name, request.actor)
    if canned:
        return db, await canned_query_selection(datasette, request, db, name, canned)
    if name != TABLE:
        raise NotFound(f"Only the {TABLE} table and canned queries of findings can be exported")
    return db, await table_selection(datasette, request, db, name)


async def table_selection(datasette, request, db, table: str) -> Selection:
    """The findings page's own query for this request (table view, Datasette 0.65), unpaginated."""
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
    order_by = await sort_order(datasette, request, db, table, table_metadata, await db.primary_keys(table))
    return Selection.of_findings(
        where_clauses, params, order_by,
        focus_themes=tuple(request.args.getlist("_theme")),
        description=filters.human_description_en(extra=descriptions).removeprefix("where "),
        view_url=view_url(datasette, request),
    )


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
    params = {p: request.args.get(p) or "" for p in named if not p.startswith("_")}
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


# How they are read and sent --------------------------------------------------------------

def open_connection(datasette, db) -> sqlite3.Connection:
    """A read-only connection with every plugin's SQL functions (escape_fts, finding_url, …)."""
    mode = "mode=ro" + ("&nolock=1" if datasette.nolock else "") if db.is_mutable else "immutable=1"
    conn = sqlite3.connect(f"file:{urllib.parse.quote(str(db.path))}?{mode}", uri=True, check_same_thread=False)
    pm.hook.prepare_connection(conn=conn, database=db.name, datasette=datasette)
    return conn


def public_url(datasette) -> str:
    return (datasette.plugin_config("insights") or {}).get("public_url", DEFAULT_PUBLIC_URL).rstrip("/")


def url_maker(datasette):
    base, base_url = public_url(datasette), datasette.setting("base_url")
    return lambda finding_id: finding_url(base, finding_id, base_url)


def view_url(datasette, request) -> str:
    """The page that shows the same rows, on the public host."""
    path = request.path.rsplit("/-/", 1)[0]
    query = strip_args(request.query_string, NOT_SELECTION_ARGS)
    return public_url(datasette) + path + (f"?{query}" if query else "")


def strip_args(query_string: str, names) -> str:
    pairs = urllib.parse.parse_qsl(query_string, keep_blank_values=True)
    return urllib.parse.urlencode([(k, v) for k, v in pairs if k not in names])


def language(request) -> str:
    lang = request.args.get("_lang") or "ko"
    if lang not in LANGUAGES:
        raise BadRequest(f"_lang must be one of {', '.join(LANGUAGES)}")
    return lang


def filename(request, extension: str) -> str:
    """``findings-crowdfunding.csv``: the view's name and the tags it was narrowed to."""
    words = [request.url_vars["name"]]
    for key in FILENAME_ARGS:
        words += [v for v in request.args.getlist(key) if SLUG.match(v)]
    if extension in ("md", "hwpx", "docx"):
        words.append("memo")
    if language(request) != "ko":
        words.append(language(request))
    return "-".join(words)[:120] + "." + extension


class Download(Response):
    """A file sent in chunks made in a worker thread.

    The first chunk is made before the status line, so a failing query is an error page;
    a failure after that aborts the transfer, so a download is whole or visibly broken —
    never a 200 with an error line appended.
    """

    def __init__(self, first: bytes, chunks, resource, filename: str, content_type: str, headers=None):
        super().__init__(None, 200, {"content-disposition": f'attachment; filename="{filename}"',
                                     **(headers or {})}, content_type)
        self.first, self.chunks, self.resource = first, chunks, resource

    async def asgi_send(self, send):
        headers = {**self.headers, "content-type": self.content_type}
        raw = [[k.encode("latin-1"), v.encode("latin-1")] for k, v in headers.items()]
        raw += [[b"set-cookie", c.encode("utf-8")] for c in self._set_cookie_headers]
        try:
            await send({"type": "http.response.start", "status": 200, "headers": raw})
            chunk = self.first
            while chunk is not None:
                following = asyncio.ensure_future(asyncio.to_thread(next, self.chunks, None))
                try:
                    if chunk:  # sent while the worker thread makes the next chunk
                        await send({"type": "http.response.body", "body": chunk, "more_body": True})
                finally:
                    chunk = await following
            await send({"type": "http.response.body", "body": b""})
        except Exception:
            traceback.print_exc()  # the response stays incomplete: the client sees a failed download
        finally:
            await asyncio.to_thread(self.resource.close)
