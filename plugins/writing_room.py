"""The writing room (issue 20): routes, the upload's CSRF exemption, who last changed a source.
The pages' logic is in ingest/serve/writing_routes.py (docs/writing.md has the HTTP contract).

- ``/-/write`` (the upload page), ``/-/write/upload`` and ``/-/write/<note id>`` (the review form);
  every one answers 404 on a public instance (ingest/serve/editor_access.py).
- ``skip_csrf``: an upload's POST, whose token writing_routes checks itself (asgi-csrf 0.11
  fails on multipart POSTs with cookies: DESIGN.md); every write URL on a public instance (404).
- ``extra_template_vars``: ``last_change`` on a source's page (internal instances only).
- ``menu_links``: the upload page, for editors.
- ``startup``: saves a kill interrupted are finished or undone (``save.recover_saves``).
"""

import asyncio
import logging
from datetime import timezone

from datasette import hookimpl
from datasette.utils import tilde_decode

from ingest.serve.editor_access import is_public, may_edit
from ingest.serve.writing_config import database_path, notes_dir
from ingest.serve.writing_routes import (is_upload, is_write_path, recover_interrupted_saves, review, upload,
                                         upload_page)
from ingest.write.history import last_change

log = logging.getLogger(__name__)


@hookimpl
def register_routes():
    return [
        (r"^/-/write$", upload_page),
        (r"^/-/write/upload$", upload),
        (r"^/-/write/(?P<note_id>[^/]+)$", review),
    ]


@hookimpl
def menu_links(datasette, actor, request):
    """The upload page in the menu, for an editor on an internal instance."""
    if not actor or is_public(datasette):
        return None

    async def links():
        if not await may_edit(datasette, actor):
            return []
        return [{"href": datasette.urls.path("/-/write"), "label": "보고서 올리기 · Add a source from a report"}]
    return links


@hookimpl
def startup(datasette):
    """Finish or undo a save that a kill interrupted (ingest/write/save.py), before the first request."""
    if is_public(datasette) or "insights" not in datasette.databases:
        return None

    async def recover():
        said = await asyncio.to_thread(recover_interrupted_saves, notes_dir(datasette), database_path(datasette))
        for line in said:
            log.warning("writing room: %s", line)
    return recover


@hookimpl
def skip_csrf(datasette, scope):
    """An upload (its token is checked by the route); on a public instance every write URL, so
    that each answers 404 (asgi-csrf would answer a POST with 403 first)."""
    return is_upload(datasette, scope) or (is_write_path(datasette, scope) and is_public(datasette))


@hookimpl
def extra_template_vars(template, database, table, request, datasette):
    if template != "row-insights-sources.html" or request is None or is_public(datasette):
        return {}

    async def source_change():
        rows = await datasette.get_database(database).execute(
            "select note_path from sources where id = ?", [_row_id(request)])
        row = rows.first()
        if not row or not row["note_path"]:
            return {"last_change": None}
        change = await asyncio.to_thread(last_change, notes_dir(datasette), row["note_path"])
        return {"last_change": change and {"editor": change.editor, "commit": change.commit,
                                           "when": change.when.astimezone(timezone.utc)}}

    return source_change


def _row_id(request) -> str:
    return tilde_decode(request.url_vars["pks"])
