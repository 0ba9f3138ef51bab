"""What an AI assistant reads through ``/-/mcp`` (the tools are registered in ``plugins/mcp_tools.py``).

- ``search``: the search page's search (``escape_fts``: Korean analysed as the index is, words that
  name a concept match it; the same bm25 weights and order as the ``search`` canned query in
  metadata.json), narrowed by theme, region, stakeholder, kind and source; at most ``MAX_RESULTS``.
- ``finding_records``: each finding as the finding page shows it: titles, kind, tags with their
  labels, the quote with its language, the summary, the source, its citation in Korean and English
  (``ingest.memo.records``: the memo's and the exports' citations) and its URL on the cited site.
- ``related``: the related findings of one finding (table ``related_findings``).
- ``vocabulary``: the theme tree with counts and crosswalks; regions, stakeholders and kinds.
- ``memo``: the memo draft (개조식 outline, Markdown, with references) of at most ``MAX_MEMO`` findings
  (``ingest.memo.memo``, as ``memo.md`` downloads are made).

Every function takes an open connection of the served database, with the plugins' SQL functions
(``escape_fts``): run them in ``Datasette``'s ``execute_fn`` under its time limit (``timed``).
Every value of a request is a bound parameter; no text of a request is ever part of SQL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from datasette.utils import sqlite_timelimit

from ingest.memo.memo import memo_lines
from ingest.memo.records import Selection, read_findings
from ingest.notes.tags import TAGS
from ingest.search.query import problem
from ingest.serve.pages.cards import language

DATABASE = "insights"
MAX_RESULTS = 50  # findings a search gives at most
MAX_MEMO = 50  # findings a memo holds at most
MAX_TEXT = 500  # characters of a query or a tag value: longer is refused, not analysed
LANGUAGES = ("ko", "en")

# The ``search`` canned query's ranking (metadata.json): its first 100 hits, best first, then the
# first ``limit`` of them in its order. Filters go inside, so that they narrow the whole result and
# not only its first 100. tests/test_mcp.py checks the order is the search page's.
SEARCH_SQL = """
with hits as (
  select findings_fts.rowid as rowid,
    bm25(findings_fts, 10.0, 1.0, 0.0) as rank,
    bm25(findings_fts, 10.0, 1.0, 1.0) as concept_rank
  from findings_fts{join}
  where findings_fts match escape_fts(:q){where}
  order by rank, concept_rank
  limit 100
)
select f.id
from hits
join findings f on f.rowid = hits.rowid
order by hits.rank, hits.concept_rank, f.id
limit :limit
"""
# Without a query: the order of the memo canned query (newest source first, then the note's order).
LIST_SQL = """
select f.id
from findings f
join sources s on s.id = f.source_id
{where}
order by s.start desc, f.source_id, f.position
limit :limit
"""
FILTERS = {  # argument → its condition on findings f, bound by name
    **{tag.facet: f"f.id in (select finding_id from [{tag.link_table}] where [{tag.link_column}] = :{tag.facet})"
       for tag in TAGS},
    "kind": "f.kind = :kind",
    "source": "f.source_id = :source",
}
IDS = "select value as id from json_each(:ids) order by key"  # a list of ids, in its order, bound as JSON


class ToolProblem(ValueError):
    """What the assistant asked cannot be answered; the message says why, in Korean and English."""


def timed(conn: sqlite3.Connection, time_limit_ms: int, work: Callable[[sqlite3.Connection], object]):
    """``work(conn)`` under the instance's SQL time limit (``sql_time_limit_ms``), as pages run."""
    try:
        with sqlite_timelimit(conn, time_limit_ms):
            return work(conn)
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise ToolProblem(f"시간 제한({time_limit_ms} ms)을 넘었습니다: 범위를 좁히세요. · "
                              f"The query ran past this instance's time limit ({time_limit_ms} ms): narrow it.")
        raise


def sql_is_off(default_allow_sql: bool, metadata: object) -> bool:
    """Whether no one may run SQL of their own here: ``default_allow_sql`` is off (settings.public.json)
    and metadata.json grants ``allow_sql`` nowhere. datasette-mcp's ``execute_sql`` is then not offered."""
    def grants(node: object) -> bool:
        if isinstance(node, dict):
            return "allow_sql" in node or any(grants(value) for value in node.values())
        return isinstance(node, list) and any(grants(value) for value in node)

    return not default_allow_sql and not grants(metadata)


def check_text(name: str, value: str | None) -> str | None:
    if value is not None and len(value) > MAX_TEXT:
        raise ToolProblem(f"{name}: {MAX_TEXT}자 이하로 주세요 · at most {MAX_TEXT} characters")
    return value or None


def check_limit(limit: int, most: int) -> int:
    if not 1 <= limit <= most:
        raise ToolProblem(f"limit: 1–{most}")
    return limit


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ToolProblem(f"lang: {' or '.join(LANGUAGES)}")
    return lang


def find_ids(conn: sqlite3.Connection, query: str | None, filters: dict[str, str | None], limit: int) -> list[str]:
    """The ids the search page would rank for ``query`` (or, without one, every finding in the memo's
    order), narrowed by ``filters`` (theme, region, stakeholder, kind, source); the first ``limit``."""
    query = check_text("query", query)
    given = {name: check_text(name, value) for name, value in filters.items() if name in FILTERS}
    given = {name: value for name, value in given.items() if value is not None}
    where = " and ".join(FILTERS[name] for name in given)
    params = {**given, "limit": limit}
    if query is not None:
        if message := problem(query):
            raise ToolProblem(message)
        sql = SEARCH_SQL.format(join=" join findings f on f.rowid = findings_fts.rowid" if where else "",
                                where=f" and {where}" if where else "")
        params["q"] = query
    else:
        sql = LIST_SQL.format(where=f"where {where}" if where else "")
    return [row[0] for row in conn.execute(sql, params)]


def known_ids(conn: sqlite3.Connection, ids: list[str]) -> list[str]:
    """Those of ``ids`` that are findings here, in their order, each once."""
    found = {row[0] for row in conn.execute(
        "select id from findings where id in (select value from json_each(:ids))", {"ids": json.dumps(ids)})}
    return [finding_id for finding_id in dict.fromkeys(ids) if finding_id in found]


def vocabulary_labels(conn: sqlite3.Connection) -> dict[str, dict[str, tuple[str, str]]]:
    """table → slug → (ko, en), for the tags and kinds."""
    return {table: {row[0]: (row[1], row[2]) for row in conn.execute(f"select id, ko, en from [{table}]")}
            for table in (*(tag.name for tag in TAGS), "kinds")}


def _labelled(labels: dict[str, tuple[str, str]], slug: str) -> dict:
    ko, en = labels.get(slug, (slug, slug))
    return {"id": slug, "ko": ko, "en": en}


def finding_records(conn: sqlite3.Connection, ids: list[str], url_for: Callable[[str], str]) -> list[dict]:
    """What an assistant is given of each finding of ``ids`` that exists, in their order."""
    if not ids:
        return []
    selection = Selection(IDS, {"ids": json.dumps(ids)})
    in_korean = list(read_findings(conn, selection, url_for, "ko"))
    in_english = {record.id: record for record in read_findings(conn, selection, url_for, "en")}
    labels = vocabulary_labels(conn)
    tags = {row[0]: row[1:] for row in conn.execute(
        "select id, themes, regions, stakeholders from findings where id in (select value from json_each(:ids))",
        {"ids": json.dumps(ids)})}
    sources = {row[0]: dict(zip(("id", "title", "title_ko", "type", "start", "end", "rule"), row)) for row in conn.execute(
        'select id, title, title_ko, type, start, "end", rule from sources '
        "where id in (select source_id from findings where id in (select value from json_each(:ids)))",
        {"ids": json.dumps(ids)})}
    results = []
    for record in in_korean:
        english = in_english[record.id]
        results.append({
            "id": record.id,
            "url": record.url,
            "title_ko": record.title_ko,
            "title_en": record.title,
            "kind": _labelled(labels["kinds"], record.kind),
            **{tag.name: [_labelled(labels[tag.name], slug) for slug in json.loads(value or "[]")]
               for tag, value in zip(TAGS, tags[record.id])},
            "quote": {"text": record.quote, "lang": language(record.quote)} if record.quote else None,
            "summary": record.summary,
            "source": sources.get(record.source_id),
            "citation": {"ko": record.citation, "en": english.citation},
            "access": record.access,
        })
    return results


def related(conn: sqlite3.Connection, finding_id: str, url_for: Callable[[str], str]) -> list[dict]:
    """The findings related to ``finding_id``, closest first: id, titles, URL and score."""
    return [{"id": row[0], "title_ko": row[1], "title_en": row[2], "url": url_for(row[0]), "score": row[3]}
            for row in conn.execute(
                "select r.related_id, f.title_ko, f.title, r.score from related_findings r "
                "join findings f on f.id = r.related_id where r.finding_id = :id order by r.rank", {"id": finding_id})]


def vocabulary(conn: sqlite3.Connection) -> dict:
    """The theme tree (each theme with its labels, crosswalks, how many findings carry it, and its
    narrower themes), and the regions, stakeholder types and kinds with their counts."""
    themes = {}
    for row in conn.execute(
            "select t.id, t.ko, t.en, t.parent, t.description, t.iso37120, t.giffinger, t.service_field, "
            "(select count(*) from findings_themes x where x.theme_id = t.id) from themes t order by t.rowid"):
        slug, ko, en, parent, description, iso37120, giffinger, service_field, count = row
        themes[slug] = {"id": slug, "ko": ko, "en": en, "description": description, "findings": count,
                        "crosswalks": {"iso37120": iso37120, "giffinger": giffinger,
                                       "smart_city_act_service_field": service_field},
                        "parent": parent, "narrower": []}
    roots = []
    for theme in themes.values():
        parent = themes.get(theme["parent"])
        (parent["narrower"] if parent is not None and parent is not theme else roots).append(theme)
    flat = {}
    for tag in TAGS[1:]:
        flat[tag.name] = [{"id": row[0], "ko": row[1], "en": row[2], "findings": row[3]} for row in conn.execute(
            f"select v.id, v.ko, v.en, (select count(*) from [{tag.link_table}] x where x.[{tag.link_column}] = v.id) "
            f"from [{tag.name}] v order by v.rowid")]
    flat["kinds"] = [{"id": row[0], "ko": row[1], "en": row[2], "findings": row[3]} for row in conn.execute(
        "select k.id, k.ko, k.en, (select count(*) from findings f where f.kind = k.id) from kinds k order by k.rowid")]
    return {"themes": roots, **flat,
            "crosswalks": {"iso37120": "ISO 37120:2018 theme", "giffinger": "Giffinger et al. (2007) dimension",
                           "smart_city_act_service_field": "스마트도시법 시행령 제2조 스마트도시서비스 분야"}}


def memo(conn: sqlite3.Connection, ids: list[str], url_for: Callable[[str], str], lang: str,
         focus_theme: str | None, description: str) -> str:
    """The memo draft of the findings ``ids`` (in their order), as ``memo.md`` is made."""
    selection = Selection(IDS, {"ids": json.dumps(ids)}, focus_themes=(focus_theme,) if focus_theme else (),
                          description=description)
    return "\n".join(memo_lines(conn, selection, url_for, lang))
