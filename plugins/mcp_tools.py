"""Our tools on datasette-mcp's ``/-/mcp`` (Streamable HTTP), for AI assistants (docs/assistants.md).

``search_findings``, ``get_finding``, ``list_themes`` and ``memo``, registered through its
``register_mcp_tools`` hook; all read-only. What they read and how: ``ingest/serve/assistant_tools.py``.
They read the ``insights`` database the instance serves (a public instance serves only its public
build), under Datasette's SQL time limit, with every argument bound. datasette-mcp's own
``execute_sql`` is not offered where SQL is off (settings.public.json), and refuses where it is not allowed. The Host header is checked for
``/-/mcp`` as for every path (``plugins/security.py``).
"""

from __future__ import annotations

from typing import Annotated, Optional

from datasette import hookimpl
from datasette.utils.asgi import Request
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from ingest.memo.citation import finding_url
from ingest.serve import assistant_tools as tools
from ingest.serve.site import request_site

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
CITE = ("답변에 쓴 시사점마다 여기서 받은 url과 citation(ko 또는 en)을 그대로 인용하세요. "
        "Cite every finding you use with the url and the citation (ko or en) returned here, as given.")

Text = Annotated[Optional[str], Field(max_length=tools.MAX_TEXT)]


@hookimpl
def register_mcp_tools(datasette, mcp):

    async def run(ctx: Context, work):
        """``work(conn, url_for)`` on the insights database, under the SQL time limit."""
        request = Request(ctx.request_context.request.scope, None)
        actor = request.scope.get("actor")
        if tools.DATABASE not in datasette.databases or not await datasette.permission_allowed(
                actor, "view-database", tools.DATABASE, default=True):
            raise ToolError(f"데이터베이스 {tools.DATABASE}이(가) 없습니다 · No database {tools.DATABASE!r} here.")
        site, base_url = request_site(datasette, request), datasette.setting("base_url")
        time_limit = datasette.setting("sql_time_limit_ms")

        def url_for(finding_id: str) -> str:
            return finding_url(site, finding_id, base_url)

        try:
            return await datasette.get_database(tools.DATABASE).execute_fn(
                lambda conn: tools.timed(conn, time_limit, lambda c: work(c, url_for)))
        except tools.ToolProblem as problem:
            raise ToolError(str(problem)) from None

    @mcp.tool(name="search_findings", annotations=READ_ONLY, description=(
        "시사점 검색: 검색 페이지와 같은 검색입니다 (한국어 형태소 분석, 주제·지역·이해관계자 이름으로도 찾음, 관련도 순). "
        "theme·region·stakeholder·kind·source(출처 id)로 좁힐 수 있고(list_themes가 그 id를 줌), 검색어가 비면 "
        "조건에 맞는 시사점을 최근 출처부터 보여 줍니다. "
        "Search the findings as the search page does (Korean-aware, by concept, best first); narrow by "
        "theme, region, stakeholder, kind or source id (list_themes gives the ids); an empty query lists "
        "what the filters select, newest source first; limit ≤ 50. " + CITE))
    async def search_findings(ctx: Context, query: Annotated[str, Field(max_length=tools.MAX_TEXT)],
                              theme: Text = None, region: Text = None, stakeholder: Text = None,
                              kind: Text = None, source: Text = None,
                              limit: Annotated[int, Field(ge=1, le=tools.MAX_RESULTS)] = 10) -> list[dict]:
        filters = {"theme": theme, "region": region, "stakeholder": stakeholder, "kind": kind, "source": source}
        return await run(ctx, lambda conn, url_for: tools.finding_records(
            conn, tools.find_ids(conn, query, filters, tools.check_limit(limit, tools.MAX_RESULTS)), url_for))

    @mcp.tool(name="get_finding", annotations=READ_ONLY, description=(
        "시사점 하나: search_findings와 같은 내용에 관련 시사점을 더합니다. "
        "One finding by its id (e.g. 2016-03-wilton-park-smart-cities/citizen-crowdfunding): the same "
        "fields as search_findings, plus its related findings. " + CITE))
    async def get_finding(ctx: Context, id: Annotated[str, Field(max_length=tools.MAX_TEXT)]) -> dict:
        def read(conn, url_for):
            records = tools.finding_records(conn, [id], url_for)
            if not records:
                raise tools.ToolProblem(f"그런 시사점이 없습니다: {id!r} · No finding has the id {id!r}; "
                                        "search_findings gives the ids.")
            return {**records[0], "related": tools.related(conn, id, url_for)}

        return await run(ctx, read)

    @mcp.tool(name="list_themes", annotations=READ_ONLY, description=(
        "주제 분류 체계(상위·하위 주제, 시사점 수, ISO 37120·Giffinger·스마트도시법 분야 대응)와 지역·이해관계자·유형. "
        "The theme vocabulary as a tree with finding counts and crosswalks (ISO 37120, Giffinger, the "
        "Smart City Act's service fields), and the regions, stakeholder types and kinds: the ids that "
        "search_findings and memo filter by. " + CITE))
    async def list_themes(ctx: Context) -> dict:
        return await run(ctx, lambda conn, url_for: tools.vocabulary(conn))

    @mcp.tool(name="memo", annotations=READ_ONLY, description=(
        "개조식 메모 초안(Markdown, 주제별, 참고문헌 포함). finding_ids(최대 50개)를 주거나, 없으면 "
        "query·theme 등 search_findings와 같은 조건의 처음 limit개로 만듭니다. "
        "A memo draft (개조식 outline in Markdown, grouped by theme, with its references) of the findings "
        "given by id (at most 50), or else of the first `limit` findings that the same arguments as "
        "search_findings select. Keep its citations and URLs when you use it. " + CITE))
    async def memo(ctx: Context,
                   finding_ids: Annotated[Optional[list[Annotated[str, Field(max_length=tools.MAX_TEXT)]]],
                                          Field(max_length=tools.MAX_MEMO)] = None,
                   query: Text = None, theme: Text = None, region: Text = None, stakeholder: Text = None,
                   kind: Text = None, source: Text = None, lang: str = "ko",
                   limit: Annotated[int, Field(ge=1, le=tools.MAX_MEMO)] = 20) -> str:
        filters = {"theme": theme, "region": region, "stakeholder": stakeholder, "kind": kind, "source": source}

        def write(conn, url_for):
            tools.check_limit(limit, tools.MAX_MEMO)
            tools.check_language(lang)
            if finding_ids is not None and len(finding_ids) > tools.MAX_MEMO:
                raise tools.ToolProblem(f"finding_ids: 최대 {tools.MAX_MEMO}개 · at most {tools.MAX_MEMO}")
            if finding_ids:
                ids = tools.known_ids(conn, finding_ids)
                described = f"시사점 {len(ids)}건 (id로 고름) · {len(ids)} findings chosen by id"
            else:
                ids = tools.find_ids(conn, query, filters, limit)
                described = " · ".join(f"{name}: {value}" for name, value in (("query", query), *filters.items())
                                       if value) or "all findings"
            return tools.memo(conn, ids, url_for, lang, theme, described)

        return await run(ctx, write)


@hookimpl(trylast=True, specname="register_mcp_tools")
def no_sql_tool_where_sql_is_off(datasette, mcp):
    """After datasette-mcp's own tools: where nobody may run SQL (a public instance), its
    ``execute_sql`` is not even listed (it would refuse every call anyway)."""
    if tools.sql_is_off(datasette.setting("default_allow_sql"), datasette.metadata()):
        mcp.remove_tool("execute_sql")
