"""Search that understands Korean: the findings page's ``_search`` and the canned ``search`` query.

- ``escape_fts(query)``: Datasette's table page matches ``_search`` against
  ``escape_fts(:search)``. Ours (registered last, so it replaces Datasette's) analyses
  Hangul words the way the index was built, and lets a word that names a concept match
  that concept too (ingest.search.query, ingest.search.concepts); the page says which.
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
from ingest.search.concepts import lookup_in
from ingest.search.query import concepts_matched, fts_match, problem
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
    lookup = lookup_in(conn)
    conn.create_function("escape_fts", 1, lambda query: fts_match("" if query is None else str(query), lookup),
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
    """Say which concepts a search also matched, or why it found nothing."""
    if request is None or database != DATABASE:
        return {}
    parameter = SEARCHES.get(request.url_vars.get("table"))
    query = request.args.get(parameter, "") if parameter else ""
    if not query.strip():
        return {}

    async def say_why():
        if message := problem(query):
            datasette.add_message(request, message, datasette.WARNING)
            return {}
        matched = await datasette.get_database(DATABASE).execute_fn(
            lambda conn: concepts_matched(query, lookup_in(conn)))
        for words, concept in matched:
            datasette.add_message(request, concept_message(words, concept), datasette.INFO)
        return {}

    return say_why


FACET_NAMES = {"theme": ("주제", "the theme"), "region": ("지역", "the region"),
               "stakeholder": ("이해관계자", "the stakeholder type")}


def concept_message(words: str, concept) -> str:
    korean_name, english_name = FACET_NAMES[concept.facet]
    return (f"‘{words}’(으)로 {korean_name} {concept.label}에 속한 시사점도 찾았습니다. · "
            f"‘{words}’ also matched {english_name} {concept.label}.")
