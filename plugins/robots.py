"""``/robots.txt``: crawlers stay out of any instance that serves internal material.

An instance counts as public only when every database it serves is a public build
(``build_info.public = 1``, written by ``python -m ingest build --public``). Anything else
(an internal build, a database without ``build_info``) answers ``Disallow: /``. Deciding from
the data rather than from a flag means no forgotten option can open an internal
insights.db to crawlers. A public instance lets crawlers read its pages but not the
endless combinations of facets, searches and exports, nor the downloads and the memo page of
any view, with or without a query string (the unfiltered findings page links them with none).
The ``*`` wildcard is the one Google, Bing and Naver honour; a robots.txt rule is a prefix, so
``/*/-/memo`` covers ``/-/memo``, ``/-/memo.md`` and every other memo format, query or not.
"""

from datasette import hookimpl
from datasette.utils.asgi import Response

from ingest.serve.export_limits import is_public_build

BLOCK_ALL = "User-agent: *\nDisallow: /\n"
PUBLIC = (
    "User-agent: *\n"
    "# Pages, yes; facet and search combinations and exports, no.\n"
    "Disallow: /*?\n"
    "Disallow: /*.json\n"
    "Disallow: /*.csv\n"
    "# Downloads and memo drafts of a view, with or without a query string.\n"
    "Disallow: /*/-/export.\n"
    "Disallow: /*/-/memo\n"
)


async def is_public_instance(datasette) -> bool:
    databases = [db for name, db in datasette.databases.items() if not name.startswith("_")]
    if not databases:
        return False
    for db in databases:
        if not await is_public_build(db):
            return False
    return True


async def robots_txt(datasette):
    return Response.text(PUBLIC if await is_public_instance(datasette) else BLOCK_ALL)


@hookimpl
def register_routes():
    return [(r"^/robots\.txt$", robots_txt)]
