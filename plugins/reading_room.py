"""The reading room: the pages researchers read (templates/index.html, themes.html,
table-, row- and query-insights-*.html) get what they show from queries of our own
(ingest/serve/pages), never from Datasette's template variables (not a stable interface in 0.65).

- ``/``: what this is, search, the theme tree, the newest sources, a chart, the memo downloads.
- ``/themes``: the vocabulary as a tree with counts and crosswalks; regions and stakeholders.
- A finding's and a source's row page: labels, the citation, related findings, cards.
- The findings list and the search query: each row a card (``finding_cards(ids)``).
"""

from datasette import Response, hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import tilde_decode
from datasette_render_markdown import render_markdown
from markupsafe import Markup

from ingest.search.snippet import is_snippet_html
from ingest.serve.pages.cards import finding_cards, language
from ingest.serve.pages.chart import stacked_bars
from ingest.serve.pages.finding import finding_page, source_page
from ingest.serve.pages.overview import overview
from ingest.serve.site import links_prefixed_once, prefixed_once, request_site

DATABASE = "insights"
CARD_PAGES = {"table-insights-findings.html", "query-insights-search.html"}


def by_region_chart(by_region: dict | None):
    if not by_region or not by_region["themes"]:
        return None
    return stacked_bars(
        "주제별·지역별 시사점 수 · Findings per theme by region",
        "각 막대는 상위 주제 하나(하위 주제 포함), 색은 지역입니다. Each bar is a top-level theme with its "
        "sub-themes; each colour a region. The table beside the chart gives the same figures.",
        [f"{t['ko']} · {t['en']}" for t in by_region["themes"]],
        [f"{r['ko']} · {r['en']}" for r in by_region["regions"]],
        by_region["counts"])


async def home_vars(datasette) -> dict:
    data = await overview(datasette.get_database(DATABASE))
    return {"overview": data, "chart": by_region_chart(data["by_region"])}


def row_id(request) -> str:
    return tilde_decode(request.url_vars["pks"])


@hookimpl
def prepare_jinja2_environment(env, datasette):
    """``|prefixed_once`` (a URL) and ``|links_prefixed_once`` (a rendered page whose markup is
    already safe): Datasette's own format links under a base_url, prefixed once."""
    env.filters["prefixed_once"] = lambda url: prefixed_once(url, datasette.setting("base_url"))
    env.filters["links_prefixed_once"] = lambda page: Markup(links_prefixed_once(str(page), datasette.setting("base_url")))


@hookimpl
def extra_template_vars(template, request, datasette):
    if request is None or DATABASE not in datasette.databases:
        return {}
    db = datasette.get_database(DATABASE)

    async def cards(ids):
        """The page's findings as cards; None when reading them ran out of time (the page then
        shows Datasette's plain rows, which it already has)."""
        try:
            return await finding_cards(db, [str(i) for i in ids])
        except QueryInterrupted:
            return None

    async def search_cards(rows):
        """Cards of the search query's ranked rows, each with its snippet (only <mark> as markup);
        None when reading them ran out of time."""
        snippets = {row["id"]: row["snippet"] for row in rows}
        try:
            found = await finding_cards(db, list(snippets))
        except QueryInterrupted:
            return None
        for card in found:
            text = snippets[card["id"]]
            card["snippet"] = Markup(text) if is_snippet_html(text) else text
            card["snippet_lang"] = language(str(Markup(text).striptags()))
        return found

    async def page_vars():
        if template == "index.html":
            return await home_vars(datasette)
        if template == "row-insights-findings.html":
            page = await finding_page(db, row_id(request), request_site(datasette, request),
                                      datasette.setting("base_url"))
            return {"page": page, "summary_html": render_markdown(page["finding"]["summary"]) if page else ""}
        if template == "row-insights-sources.html":
            page = await source_page(db, row_id(request))
            if page:
                page["description_html"] = render_markdown(page["source"]["description"])
                page["description_lang"] = language(page["source"]["description"])
            return {"page": page}
        if template in CARD_PAGES:
            return {"finding_cards": cards, "search_cards": search_cards}
        return {}

    return page_vars


async def themes_view(datasette, request):
    if DATABASE not in datasette.databases:
        return Response.text("No insights database is served.", status=404)
    data = await overview(datasette.get_database(DATABASE))
    return Response.html(await datasette.render_template(
        "themes.html", {"overview": data, "metadata": datasette.metadata()}, request=request))


@hookimpl
def register_routes():
    return [(r"^/themes$", themes_view)]
