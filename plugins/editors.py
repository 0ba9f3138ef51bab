"""Editors (issue 20): sign-in with datasette-auth-passwords, the ``edit-notes`` permission,
and whether a page may show its edit links. The logic is in ``ingest/serve/editor_access.py``.

- ``get_metadata``: datasette-auth-passwords' accounts come from the editors file, read again
  whenever it changes (an editor added with ``python -m ingest editor add`` signs in without a
  restart). Only when the ``plugins`` key is asked for: ``/-/metadata.json`` never shows a hash.
- ``permission_allowed``: ``edit-notes`` for current editors only.
- ``extra_template_vars``: ``may_edit`` (the actor may edit notes here: the row pages' edit
  links), ``editing_enabled`` (an internal instance) and ``sign_in_url`` (there, once it has an
  editor: the footer's sign-in, coming back to the page). templates/base.html leaves out datasette-auth-passwords'
  own English "Log in" menu link: it would open a menu on every page, public ones too.
- ``asgi_wrapper``: back to the page the editor came from after signing in; no sign-in page on
  a public instance; no password tool anywhere (``ingest/serve/sign_in.py``).
"""

from datasette import hookimpl

from ingest.serve.editor_access import (LOGIN_PATH, PERMISSION, auth_passwords_config, current_editors,
                                        edit_permission, is_public, login_url, may_edit)
from ingest.serve.sign_in import around_sign_in

AUTH_PLUGIN = "datasette-auth-passwords"


@hookimpl
def get_metadata(datasette, key, database, table):
    if key != "plugins":
        return {}
    return {"plugins": {AUTH_PLUGIN: auth_passwords_config(datasette)}}


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    if action == PERMISSION:
        return edit_permission(datasette, actor)
    return None


@hookimpl
def extra_template_vars(request, datasette):
    async def template_vars():
        actor = request.actor if request is not None else None
        internal = not is_public(datasette)
        offer_sign_in = (internal and request is not None and bool(current_editors(datasette))
                         and request.path != datasette.urls.path(LOGIN_PATH))
        return {"may_edit": bool(actor) and await may_edit(datasette, actor),
                "editing_enabled": internal,
                "sign_in_url": login_url(datasette, request) if offer_sign_in else None}

    return template_vars


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: around_sign_in(app, datasette)
