"""The CSV of a canned query, guarded against formulas as it streams out of Datasette.

The canned queries (``memo``, ``findings_by_theme``, ``search``, …) are the memo tasks this
instance offers, and the README offers ``/insights/memo.csv`` as the memo export: so their CSV
(``/<db>/<query>.csv``, or ``?_format=csv``) goes through the same guard as ``/-/export.csv``
(``ingest.memo.export.excel_text``: a cell that begins with ``=``, ``+``, ``-``, ``@``, tab or
CR gets a leading apostrophe). Nothing else changes: Datasette's quoting, CRLF, columns and
limits stay. The ``.csv`` twins of tables stay raw data, as stored (docs/exports.md says which).

Datasette writes its CSV in pieces as it reads rows; ``GuardedCsv`` cuts the stream at record
boundaries (a CRLF outside quotes), guards each complete record and passes the rest on with the
next piece, so however the pieces fall, every record is guarded once.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from datasette.utils import tilde_decode

from ingest.memo.export import excel_text

QUERY_CSV = re.compile(r"^/(?P<database>[^/]+)/(?P<name>[^/.]+)(?P<csv>\.csv)?$")


def guarded_records(text: str) -> str:
    """Complete CSV records, every cell through ``excel_text``, written as Datasette writes them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([excel_text(cell) for cell in row])
    return out.getvalue()


def record_end(text: str) -> int:
    """The end of the last complete record in ``text`` (after its CRLF), 0 if none is complete."""
    end, quotes, start = 0, 0, 0
    while (newline := text.find("\r\n", start)) >= 0:
        quotes += text.count('"', start, newline)
        start = newline + 2
        if quotes % 2 == 0:  # outside quotes: a record ends here
            end = start
    return end


class GuardedCsv:
    """A CSV stream, guarded record by record (``feed`` each piece; ``close`` at the end)."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, data: bytes) -> bytes:
        self._pending += self._decoder.decode(data)
        end = record_end(self._pending)
        complete, self._pending = self._pending[:end], self._pending[end:]
        return guarded_records(complete).encode("utf-8") if complete else b""

    def close(self) -> bytes:
        rest, self._pending = self._pending + self._decoder.decode(b"", final=True), ""
        # A last record without its CRLF (or Datasette's error line after max_csv_mb) is guarded as it stands.
        return guarded_records(rest).encode("utf-8").removesuffix(b"\r\n") if rest else b""


def canned_query_csv(datasette, scope) -> bool:
    """Whether the request asks for a canned query's CSV."""
    path = scope.get("path", "")
    base_url = datasette.setting("base_url") or "/"
    if base_url != "/" and path.startswith(base_url):
        path = "/" + path[len(base_url):]
    match = QUERY_CSV.match(path)
    if not match:
        return False
    if not match["csv"] and b"_format=csv" not in scope.get("query_string", b""):
        return False
    database, name = tilde_decode(match["database"]), tilde_decode(match["name"])
    return name in (datasette.metadata("queries", database=database) or {})


def guard_query_csv(app, datasette):
    """ASGI middleware: a canned query's CSV response goes out through ``GuardedCsv``."""

    async def guarded(scope, receive, send):
        if scope["type"] != "http" or not canned_query_csv(datasette, scope):
            return await app(scope, receive, send)
        guard: GuardedCsv | None = None

        async def guarded_send(message):
            nonlocal guard
            if message["type"] == "http.response.start":
                headers = message.get("headers") or []
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if message.get("status") == 200 and content_type.startswith((b"text/csv", b"text/plain")):
                    guard = GuardedCsv()
                    message = {**message, "headers": [(k, v) for k, v in headers if k.lower() != b"content-length"]}
            elif message["type"] == "http.response.body" and guard is not None:
                body = guard.feed(message.get("body", b""))
                if not message.get("more_body"):
                    body += guard.close()
                message = {**message, "body": body}
            await send(message)

        return await app(scope, receive, guarded_send)

    return guarded
