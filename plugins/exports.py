"""Memo-ready downloads of exactly the rows a findings view shows, every row, not one page.

    /insights/findings/-/export.csv?<the page's query>   Excel-safe CSV (UTF-8 with BOM, CRLF)
    /insights/findings/-/export.xlsx?…                    XLSX
    /insights/findings/-/memo.md?…                        memo draft, Markdown download
    /insights/findings/-/memo?…                           the memo of its first findings, on a page
    /insights/findings/-/memo.hwpx?…  memo.docx?…          the memo for 한글 (개조식) and Word

and the same under a canned query whose rows carry an ``id`` column of findings
(``/insights/memo/-/…``): every row of the view, not one page (Datasette's output renderers
only ever see one page, so these are routes of their own). Which rows, and who may see them:
``ingest/serve/export_selection.py``. ``?_lang=en`` puts English first. A download is made in a
worker thread on a read-only connection of its own (prepared by every plugin's
``prepare_connection``), so a long export never holds one of Datasette's threads; ``FORMATS``
maps each route to its writer.

Every export runs within limits (``ingest/serve/export_limits.py``): a bounded number at once
(then 503 with ``Retry-After``), stopped when its client goes away, and on a public build a
time limit and a row cap. The memo page renders and sanitises in a worker thread too, with no
image from anywhere but this instance (``ingest/serve/local_markdown.py``), and shows the first
findings only. A download's file name is made of the vocabulary's own slugs, never of the
request's text.
"""

import asyncio
import re
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator
from functools import partial
from itertools import islice
from typing import IO, NamedTuple

from datasette import hookimpl
from datasette.plugins import pm
from datasette.utils.asgi import BadRequest, Response

from ingest.serve.export_limits import (ExportRun, ExportsBusy, ExportStopped, TooManyRows, check_config,
                                     check_row_cap, count_rows, log_outcomes)
from ingest.serve.export_response import Download, text_chunks
from ingest.serve.export_selection import language, memo_style, public_url, selection_from_request, strip_args
from ingest.serve.local_markdown import local_markdown
from ingest.memo.citation import finding_url
from ingest.memo.export import csv_chunks, write_xlsx
from ingest.memo.memo import memo_lines, read_memo
from ingest.memo.office import CONTENT_TYPES, write_office_memo
from ingest.memo.records import Selection, SelectionError, read_findings
from ingest.notes.tags import TAGS

FILE_CHUNK = 1 << 20
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,60}")
# Arguments whose values, when the vocabulary's table holds them, name a download: the tag filters,
# a canned query's `theme`, the kind.
NAMING_ARGS = {**{tag.param: tag.name for tag in TAGS}, "theme": "themes", "kind": "kinds"}
PREFIX = r"^/(?P<database>[^/]+)/(?P<name>[^/]+)/-/"


class Export(NamedTuple):
    """What a writer needs: an open connection (stopped with its run) and the selection to read."""

    conn: sqlite3.Connection
    selection: Selection
    url_for: Callable[[str], str]
    lang: str
    max_rows: int | None
    style: str = "gaejosik"  # the layout of an HWPX or DOCX memo (?_style=)

    def records(self):
        return islice(read_findings(self.conn, self.selection, self.url_for, self.lang), self.max_rows)


def csv_file(export: Export) -> Iterator[bytes]:
    return csv_chunks(export.records(), export.lang)


def file_chunks(write: Callable[[IO[bytes]], object]) -> Iterator[bytes]:
    """A zip (XLSX, HWPX, DOCX) cannot be sent as it is made: ``write`` makes it whole in a
    temporary file, then it is sent in chunks."""
    with tempfile.TemporaryFile() as file:
        write(file)
        file.seek(0)
        yield from iter(lambda: file.read(FILE_CHUNK), b"")


def xlsx_file(export: Export) -> Iterator[bytes]:
    """Rows streamed to the workbook's temporary file."""
    about = {"화면 · View": export.selection.view_url or "", "선택 · Selection": export.selection.description or "-"}
    return file_chunks(lambda file: write_xlsx(export.records(), file, export.lang, about))


def memo_file(export: Export) -> Iterator[bytes]:
    """The memo draft, sent as it is written (see ingest.memo.memo.read_memo)."""
    return text_chunks(memo_lines(export.conn, export.selection, export.url_for, export.lang, export.max_rows))


def office_memo_file(fmt: str, export: Export) -> Iterator[bytes]:
    """The memo as HWPX or DOCX (ingest/memo/office.py), from the same outline as the Markdown memo.
    Built whole in memory, so it holds at most ``office.MAX_FINDINGS``: a larger selection is a 400."""
    return file_chunks(lambda file: write_office_memo(export.conn, export.selection, export.url_for, export.lang,
                                                      fmt, file, export.style))


class Format(NamedTuple):
    extension: str
    content_type: str
    write: Callable[[Export], Iterator[bytes]]
    name_suffix: str = ""  # the last word of the file's name


# Route (after /-/) → format. A new download is a writer and a line here.
FORMATS = {
    "export.csv": Format("csv", "text/csv; charset=utf-8", csv_file),
    "export.xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx_file),
    "memo.md": Format("md", "text/markdown; charset=utf-8", memo_file, "memo"),
    "memo.hwpx": Format("hwpx", CONTENT_TYPES["hwpx"], partial(office_memo_file, "hwpx"), "memo"),
    "memo.docx": Format("docx", CONTENT_TYPES["docx"], partial(office_memo_file, "docx"), "memo"),
}


@hookimpl
def register_routes():
    files = "|".join(re.escape(route) for route in FORMATS)
    return [
        (PREFIX + rf"(?P<file>{files})$", download),
        (PREFIX + r"memo$", memo_page),
    ]


@hookimpl
def startup(datasette):
    """A mistyped limit is an error at start-up, not a surprise on the first download; each
    export's outcome is logged on standard error from then on."""
    check_config((datasette.plugin_config("insights") or {}).get("exports") or {})
    log_outcomes()


async def download(datasette, request, receive):
    file_format = FORMATS[request.url_vars["file"]]
    db, selection, name = await selection_from_request(datasette, request)
    lang, style = language(request), memo_style(request)
    try:
        run = await ExportRun.start(datasette, db, receive, f"{request.url_vars['file']} of {db.name}/{name}")
    except ExportsBusy as busy:
        return await busy_page(datasette, request, busy)
    try:
        first, chunks, file_name = await in_thread(
            run, prepare_download, datasette, db, run, file_format, selection, name, request.args, lang, style,
            url_maker(datasette, request))
    except BaseException:
        run.fail()  # unless in_thread named the outcome already
        await run.finish()
        raise
    return Download(first, chunks, run, file_name, file_format.content_type)


def prepare_download(datasette, db, run: ExportRun, file_format: Format, selection: Selection, name: str,
                     args, lang: str, style: str, url_for: Callable[[str], str]) -> tuple[bytes, Iterator[bytes], str]:
    """In a worker thread: the first chunk of the file (so that a failing query is an error page)."""
    conn = run.watch(open_connection(datasette, db))
    run.check()
    check_row_cap(conn, selection.sql, selection.params, run.limits.max_rows)
    chunks = file_format.write(Export(conn, selection, url_for, lang, run.limits.max_rows, style))
    first = next(chunks)
    return first, chunks, filename(conn, name, args, file_format, lang)


async def memo_page(datasette, request, receive):
    """The memo of the selection's first findings, rendered and sanitised in a worker thread."""
    db, selection, name = await selection_from_request(datasette, request)
    lang = language(request)
    try:
        run = await ExportRun.start(datasette, db, receive, f"memo page of {db.name}/{name}")
    except ExportsBusy as busy:
        return await busy_page(datasette, request, busy)
    try:
        preview = await in_thread(run, memo_preview, datasette, db, run, selection, lang, url_maker(datasette, request))
    finally:
        await run.finish()
    query = strip_args(request.query_string, ("_lang",))
    view_path = request.path.rsplit("/-/", 1)[0]
    markdown_path = f"{request.path}.md" + (f"?{request.query_string}" if request.query_string else "")
    return Response.html(await datasette.render_template("memo.html", {
        **preview._asdict(),
        "database": db.name,
        "name": name,
        "lang": lang,
        "view_path": view_path + (f"?{query}" if query else ""),
        "markdown_path": markdown_path,
        "other_language_path": f"{request.path}?" + "&".join(
            filter(None, [query, f"_lang={'en' if lang == 'ko' else 'ko'}"])),
    }, request=request))


class MemoPreview(NamedTuple):
    about: list[tuple[str, str]]  # shown as escaped text, never as Markdown
    memo_html: str
    shown: int
    total: int


def memo_preview(datasette, db, run: ExportRun, selection: Selection, lang: str,
                 url_for: Callable[[str], str]) -> MemoPreview:
    conn = run.watch(open_connection(datasette, db))
    run.check()
    total = count_rows(conn, selection.sql, selection.params)
    shown = min(total, run.limits.preview_findings)
    memo = read_memo(conn, selection, url_for, lang, limit=shown, total=total)
    return MemoPreview(memo.about, local_markdown("\n".join(memo.lines)), shown, total)


async def in_thread(run: ExportRun, function, *args):
    """Run (the first step of) an export in a thread; a failing query is a 400, not a broken file."""
    try:
        return await asyncio.to_thread(function, *args)
    except (SelectionError, TooManyRows) as error:
        run.fail("too many rows" if isinstance(error, TooManyRows) else "refused selection")
        raise BadRequest(str(error))
    except (sqlite3.Error, ExportStopped) as error:
        run.fail()
        if run.stop_reason == "time limit":
            raise BadRequest(f"This export ran past the time limit of this instance "
                             f"({run.limits.time_limit_seconds:g} s): narrow the selection and try again.")
        raise BadRequest(f"The query failed: {run.stop_reason or error}")


async def busy_page(datasette, request, busy: ExportsBusy) -> Response:
    html = await datasette.render_template("error.html", {
        "ok": False, "status": 503, "title": "바쁨 · Busy", "error": str(busy)}, request=request)
    return Response.html(html, status=503, headers={"retry-after": str(busy.retry_after_seconds)})


# How they are read and sent --------------------------------------------------------------

def open_connection(datasette, db) -> sqlite3.Connection:
    """A read-only connection with every plugin's SQL functions (escape_fts, finding_url, …)."""
    mode = "mode=ro" + ("&nolock=1" if datasette.nolock else "") if db.is_mutable else "immutable=1"
    conn = sqlite3.connect(f"file:{urllib.parse.quote(str(db.path))}?{mode}", uri=True, check_same_thread=False)
    pm.hook.prepare_connection(conn=conn, database=db.name, datasette=datasette)
    return conn


def url_maker(datasette, request):
    """Finding URLs on the cited site: ``public_url``, else the address the request was served from."""
    base, base_url = public_url(datasette, request), datasette.setting("base_url")
    return lambda finding_id: finding_url(base, finding_id, base_url)


def filename(conn: sqlite3.Connection, name: str, args, file_format: Format, lang: str) -> str:
    """``findings-crowdfunding.csv``: the view's name and the tags it was narrowed to, as the
    vocabulary in the database spells them. No text of the request reaches the header."""
    words = [name if SAFE_NAME.fullmatch(name) else "export"]
    for arg, vocabulary in NAMING_ARGS.items():
        for value in args.getlist(arg):
            row = conn.execute(f"select id from [{vocabulary}] where id = ?", (value,)).fetchone()
            if row and isinstance(row[0], str) and SLUG.fullmatch(row[0]):
                words.append(row[0])
    words += [file_format.name_suffix] if file_format.name_suffix else []
    words += [lang] if lang != "ko" else []
    return "-".join(words)[:120] + "." + file_format.extension
