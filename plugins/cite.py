"""Cite downloads for reference managers (Zotero, EndNote, Mendeley): RIS, BibTeX and CSL-JSON.

    /insights/findings/<note id>~2F<finding id>.ris      that finding's reference
    /insights/findings/<note id>~2F<finding id>.bib      (and .csljson)
    /insights/findings.ris?<the page's query>            the findings of that page

Output renderers of the findings table only: every other table, and every query, offers
none and refuses them. Each finding is cited as its source (``ingest/memo/references.py``:
the same CSL-JSON item the memo and the exports format), with the finding's page as URL on
the cited site (``public_url``, else the address served from). ``?_lang=en`` gives the English
item (English title and type), Korean by default. The file name is the finding id as an
ASCII slug, never text from the request.
"""

import re

from datasette import hookimpl
from datasette.utils.asgi import BadRequest, NotFound, Response

from ingest.memo.citation import DATABASE, TABLE, finding_url
from ingest.serve.site import request_site
from ingest.memo.records import read_sources
from ingest.memo.reference_files import bibtex, csl_json, ris
from ingest.memo.references import LANGUAGES, csl_item

FORMATS = {  # extension → (writer, content type)
    "ris": (ris, "application/x-research-info-systems; charset=utf-8"),
    "bib": (bibtex, "application/x-bibtex; charset=utf-8"),
    "csljson": (csl_json, "application/vnd.citationstyles.csl+json"),
}
NOT_SLUG = re.compile(r"[^A-Za-z0-9]+")


@hookimpl
def register_output_renderer(datasette):
    return [{"extension": extension, "render": render, "can_render": can_render} for extension in FORMATS]


def can_render(database, table, query_name):
    return database == DATABASE and table == TABLE and not query_name


async def render(datasette, request, database, table, query_name, rows, view_name):
    if not can_render(database, table, query_name):
        raise NotFound(f"Only {TABLE} can be cited: RIS, BibTeX and CSL-JSON are offered there")
    lang = request.args.get("_lang") or "ko"
    if lang not in LANGUAGES:
        raise BadRequest(f"_lang must be one of {', '.join(LANGUAGES)}")
    items = await cited_items(datasette, request, database, [row["id"] for row in rows], lang)
    extension = request.url_vars.get("format") or request.path.rsplit(".", 1)[-1]
    writer, content_type = FORMATS[extension]
    name = download_name(rows[0]["id"] if view_name == "row" and rows else TABLE, extension)
    return Response(writer(items), content_type=content_type,
                    headers={"content-disposition": f'attachment; filename="{name}"'})


async def cited_items(datasette, request, database: str, finding_ids: list[str], lang: str) -> list[dict]:
    """The CSL-JSON items of these findings, in their order: each its source, with its URL."""
    site, base_url = request_site(datasette, request), datasette.setting("base_url")

    def read(conn):
        marks = ",".join("?" * len(finding_ids))
        source_of = dict(conn.execute(f"select id, source_id from findings where id in ({marks})", finding_ids))
        sources = read_sources(conn, set(source_of.values()), lang)
        return [csl_item(sources[source_of[finding_id]], lang, finding_id,
                         finding_url(site, finding_id, base_url))
                for finding_id in finding_ids if finding_id in source_of]

    return await datasette.get_database(database).execute_fn(read) if finding_ids else []


def download_name(finding_id: str, extension: str) -> str:
    """``2016-03-wilton-park-smart-cities-citizen-crowdfunding.ris``: ASCII letters, digits and '-'."""
    return (NOT_SLUG.sub("-", finding_id).strip("-")[:120] or TABLE) + "." + extension
