"""Search that understands Korean: the findings page's ``_search`` and the canned ``search`` query.

- ``escape_fts(query)``: Datasette's table page matches ``_search`` against
  ``escape_fts(:search)``. Ours (registered last, so it replaces Datasette's) analyses
  Hangul words the way the index was built (ingest.search.query).
- ``search_snippet(text, query)``: the original text around the first match, matches in
  <mark>, escaped first (ingest.search.snippet); the ``snippet`` column of a query is
  rendered as that HTML, and only when its sole markup is <mark>.
- A query with nothing to search for shows a friendly message on the page instead of an
  error (the FTS5 expression it becomes matches no row).
- The analyser (about 1 s to load) is loaded at start-up, so the first search is fast.
"""

import asyncio

from datasette import hookimpl
from markupsafe import Markup

from ingest.search import korean
from ingest.search.query import fts_match, problem
from ingest.search.snippet import is_snippet_html, snippet

DATABASE = "insights"
SEARCHES = {"findings": "_search", "search": "q"}  # page (table or canned query) → its query parameter


@hookimpl
def startup(datasette):
    async def warm():
        await asyncio.get_running_loop().run_in_executor(None, korean.warm)

    return warm


@hookimpl(trylast=True)
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, lambda query: fts_match("" if query is None else str(query)),
                         deterministic=True)
    conn.create_function("search_snippet", 2, lambda text, query: snippet(
        None if text is None else str(text), None if query is None else str(query)), deterministic=True)


@hookimpl
def render_cell(value, column, table, database):
    if database == DATABASE and table is None and column == "snippet" and is_snippet_html(value):
        return Markup(value)
    return None


@hookimpl
def extra_template_vars(request, database, datasette):
    """Say why a search found nothing when the query has no word to search for."""
    if request is None or database != DATABASE:
        return {}
    parameter = SEARCHES.get(request.url_vars.get("table"))
    message = problem(request.args.get(parameter, "")) if parameter else None
    if message:
        datasette.add_message(request, message, datasette.WARNING)
    return {}
