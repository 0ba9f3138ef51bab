"""Who may write on this instance, and the guard every write route calls first.

- ``is_public(datasette)``: a public instance has no write route at all. It counts as public when
  any database it serves is a public build (``build_info.public = 1``, decided from the data as
  ``/robots.txt`` decides) or is served immutable (``-i``, as ``make serve-public`` serves it: a
  save could never reach it). Decided once per server: a public build replaces its file by
  rename, which a running server never sees.
- ``current_editors(datasette)``: the editors file (``plugins.insights.editors_file`` in the
  metadata, else ``INSIGHTS_EDITORS``, else editors.json at the project root), read again
  whenever it changes on disk: an editor added or removed with the CLI counts at once.
- ``edit_permission(datasette, actor)``: the ``edit-notes`` permission, True only for a signed-in
  actor who is a current editor (the ``ds_actor`` cookie is signed with the secret, so a forged
  one carries no actor at all), None otherwise (Datasette's default, False, then applies).
- ``await editor_or_response(datasette, request)``: the editor's name, or the response to send
  instead: 404 on a public instance, a redirect to ``/-/login`` (coming back afterwards) for a
  reader not signed in, 403 for a signed-in actor without the permission.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import weakref
from pathlib import Path
from urllib.parse import quote

from datasette.utils.asgi import Response

from ingest.write.editors import DEFAULT_EDITORS_FILE, EDITORS_ENV, EditorsError, read_editors

log = logging.getLogger(__name__)
PERMISSION = "edit-notes"
LOGIN_PATH = "/-/login"
_public: "weakref.WeakKeyDictionary[object, bool]" = weakref.WeakKeyDictionary()
_editors_cache: dict[str, tuple[tuple, tuple[dict[str, str], dict]]] = {}
DEFAULT_EDITORS_NAME = str(DEFAULT_EDITORS_FILE)


def _served(datasette):
    return [db for name, db in datasette.databases.items() if not name.startswith("_")]


def _public_build(db) -> bool:
    """Whether ``db`` holds a public build, read with a connection of its own (no event loop needed)."""
    if db.is_memory and not db.memory_name:
        return False
    try:
        conn = db.connect()
        try:
            return conn.execute("select public from build_info").fetchall() == [(1,)]
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def is_public(datasette) -> bool:
    """True when this instance must have no write route (see the module's docstring)."""
    try:
        return _public[datasette]
    except KeyError:
        pass
    public = any(not db.is_mutable or _public_build(db) for db in _served(datasette))
    _public[datasette] = public
    return public


def configured_editors_path(datasette) -> str:
    """Read from the metadata as given (``_metadata_local``), not through ``plugin_config``:
    that asks the ``get_metadata`` hooks, ours among them, which ask for this path. A string:
    it is looked up a hundred times a page, and a Path costs more to hash than the rest."""
    plugins = (getattr(datasette, "_metadata_local", None) or {}).get("plugins") or {}
    configured = (plugins.get("insights") or {}).get("editors_file") or os.environ.get(EDITORS_ENV)
    return os.fspath(configured) if configured else DEFAULT_EDITORS_NAME


def _editors_state(datasette) -> tuple[dict[str, str], dict]:
    """(editors, datasette-auth-passwords' config), read again only when the file changed: a
    findings page asks for plugin configuration a hundred times and more."""
    if is_public(datasette):
        return {}, {}
    path = configured_editors_path(datasette)
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return {}, {}
    signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_mode)
    cached = _editors_cache.get(path)
    if cached and cached[0] == signature:
        return cached[1]
    try:
        editors = read_editors(Path(path))
    except (EditorsError, OSError) as error:
        log.error("no editor may sign in: %s", error)
        editors = {}
    if stat.st_mode & 0o077:
        log.warning("%s can be read by other users (mode %o): `chmod 600 %s`", path, stat.st_mode & 0o777, path)
    config = {**{f"{name}_password_hash": password_hash for name, password_hash in editors.items()},
              "actors": {name: {"id": name} for name in editors}}
    _editors_cache[path] = (signature, (editors, config))
    return editors, config


def current_editors(datasette) -> dict[str, str]:
    """Editor name → password hash, as the editors file says now (empty on a public instance,
    or when the file is missing or damaged: then nobody may sign in, and the log says why)."""
    return _editors_state(datasette)[0]


def auth_passwords_config(datasette) -> dict:
    """datasette-auth-passwords' accounts: ``<name>_password_hash`` per current editor, and
    each editor's actor (``{"id": name}``). A copy: Datasette merges metadata into what it gets."""
    config = _editors_state(datasette)[1]
    return {**config, "actors": dict(config["actors"])} if config else {}


def editor_name(datasette, actor) -> str | None:
    """The actor's editor name when the actor is a current editor, else None."""
    if not isinstance(actor, dict) or is_public(datasette):
        return None
    name = actor.get("id")
    return name if isinstance(name, str) and name in current_editors(datasette) else None


def edit_permission(datasette, actor) -> bool | None:
    return True if editor_name(datasette, actor) else None


async def may_edit(datasette, actor) -> bool:
    return await datasette.permission_allowed(actor, PERMISSION, default=False)


NOT_FOUND = "찾을 수 없습니다 · Not found"
FORBIDDEN = "이 계정에는 노트를 고칠 권한이 없습니다 · This account may not edit notes"


async def error_page(datasette, status: int, message: str) -> Response:
    """The page Datasette itself sends for an error (its error.html in our frame), with ``message``."""
    template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
    html = await template.render_async({"ok": False, "error": message, "status": status, "title": None,
                                        "urls": datasette.urls, "app_css_hash": datasette.app_css_hash(),
                                        "menu_links": lambda: []})
    return Response.html(html, status=status)


async def not_found(datasette) -> Response:
    return await error_page(datasette, 404, NOT_FOUND)


def route_path(path: str, base_url: str) -> str:
    """The path as Datasette routes it: without the ``base_url`` prefix (a proxy may have taken it
    off already, or not)."""
    if base_url != "/" and path.startswith(base_url):
        return "/" + path[len(base_url):]
    return path


def login_url(datasette, request) -> str:
    """``/-/login?next=<this page>``: the sign-in page, and where to come back to afterwards
    (``next`` without the ``base_url`` prefix: the redirect adds it)."""
    here = route_path(request.path, datasette.setting("base_url"))
    here += f"?{request.query_string}" if request.query_string else ""
    return datasette.urls.path(LOGIN_PATH) + "?next=" + quote(here, safe="/")


async def editor_or_response(datasette, request) -> str | Response:
    """The signed-in editor's name, or the response a write route sends instead (see above)."""
    if is_public(datasette):
        return await not_found(datasette)
    actor = request.actor
    if not actor:
        return Response.redirect(login_url(datasette, request))
    if not await may_edit(datasette, actor):
        return await error_page(datasette, 403, FORBIDDEN)
    return actor["id"]


editor_or_login = editor_or_response  # the name the writing room's routes know it by
