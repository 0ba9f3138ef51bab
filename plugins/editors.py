"""Editors (issue 20): sign-in with datasette-auth-passwords, the ``edit-notes`` permission,
and whether a page may show its edit links. The logic is in ``ingest/serve/editor_access.py``.

- ``get_metadata``: datasette-auth-passwords' accounts come from the editors file, read again
  whenever it changes (an editor added with ``python -m ingest editor add`` signs in without a
  restart). Only when the ``plugins`` key is asked for: ``/-/metadata.json`` never shows a hash.
- ``permission_allowed``: ``edit-notes`` for current editors only.
- ``extra_template_vars``: ``may_edit`` (the actor may edit notes here) and ``editing_enabled``
  (an internal instance, where the footer offers the sign-in).
"""

from datasette import hookimpl

from ingest.serve.editor_access import PERMISSION, auth_passwords_config, edit_permission, is_public, may_edit

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
        return {"may_edit": bool(actor) and await may_edit(datasette, actor),
                "editing_enabled": not is_public(datasette)}

    return template_vars
