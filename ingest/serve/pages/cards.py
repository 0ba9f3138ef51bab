"""Finding cards: titles, kind, tag labels, source and the first lines of the summary, for any
list of finding ids (the findings list, a source's findings, related findings, search results)."""

from __future__ import annotations

import json
import re

from datasette.database import QueryInterrupted
from datasette.utils import tilde_encode

from ingest.memo.citation import DATABASE, finding_url

TAGS = ("themes", "regions", "stakeholders")  # findings columns holding JSON arrays of slugs
VOCABULARY_SQL = """
select 'themes' as vocabulary, id, ko, en, parent from themes
union all select 'regions', id, ko, en, null from regions
union all select 'stakeholders', id, ko, en, null from stakeholders
union all select 'kinds', id, ko, en, null from kinds
union all select 'source_types', id, ko, en, null from source_types
"""
CARDS_SQL = """
select f.id, f.title, f.title_ko, f.kind, f.themes, f.regions, f.stakeholders, f.summary,
       f.source_id, s.title as source_title, s.title_ko as source_title_ko, s.start, s."end"
from findings f join sources s on s.id = f.source_id
where f.id in (select value from json_each(:ids))
"""
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LETTER = re.compile(r"[^\W\d_]")
MARKUP = re.compile(r"[*_`#>]+|\[([^\]]*)\]\([^)]*\)")
EXCERPT_CHARS = 180


async def optional_rows(db, sql: str, params: dict | None = None):
    """Rows of a query the page can do without: None when it exceeds the time limit."""
    try:
        return (await db.execute(sql, params)).rows
    except QueryInterrupted:
        return None


async def vocabulary(db) -> dict[str, dict[str, dict]]:
    """Every label of the controlled vocabulary: ``{"themes": {slug: {"ko", "en", "parent"}}, …}``."""
    labels: dict[str, dict[str, dict]] = {}
    for row in (await db.execute(VOCABULARY_SQL)).rows:
        labels.setdefault(row["vocabulary"], {})[row["id"]] = {
            "id": row["id"], "ko": row["ko"], "en": row["en"], "parent": row["parent"]}
    return labels


def date_range(start: str | None, end: str | None) -> str | None:
    """``2016-03-17 – 2016-03-20``, or the one date there is."""
    if start and end and end != start:
        return f"{start} – {end}"
    return start or end


def tags(value: str | None, labels: dict[str, dict]) -> list[dict]:
    """A JSON array of slugs as their labels (a slug missing from the vocabulary shows as itself)."""
    slugs = json.loads(value) if value else []
    return [labels.get(slug) or {"id": slug, "ko": slug, "en": slug, "parent": None} for slug in slugs]


def excerpt(markdown: str | None, limit: int = EXCERPT_CHARS) -> str:
    """The first words of a Markdown text as plain text, cut at a word boundary."""
    text = " ".join(MARKUP.sub(lambda m: m.group(1) or "", markdown or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:·") + " …"


def language(text: str | None) -> str:
    """``ko`` when at least a fifth of the text's letters are Hangul, else ``en``: the lang attribute."""
    letters = len(LETTER.findall(text or ""))
    return "ko" if letters and len(HANGUL.findall(text or "")) * 5 >= letters else "en"


def source_path(source_id: str) -> str:
    """A source's row page (ids are slugs; tilde-encoded as Datasette's row URLs are)."""
    return f"/{DATABASE}/sources/{tilde_encode(source_id)}"


async def finding_cards(db, ids: list[str], labels: dict | None = None) -> list[dict]:
    """A card for each id that exists, in the order of ``ids``."""
    if not ids:
        return []
    labels = labels or await vocabulary(db)
    rows = {row["id"]: row for row in (await db.execute(CARDS_SQL, {"ids": json.dumps(list(ids))})).rows}
    return [card(rows[i], labels) for i in ids if i in rows]


def card(row, labels: dict) -> dict:
    text = excerpt(row["summary"])
    return {
        "id": row["id"], "path": finding_url("", row["id"]), "title": row["title"], "title_ko": row["title_ko"],
        "kind": labels.get("kinds", {}).get(row["kind"]) or {"id": row["kind"], "ko": row["kind"], "en": row["kind"]},
        **{column: tags(row[column], labels.get(column, {})) for column in TAGS},
        "excerpt": text, "excerpt_lang": language(text),
        "source": {"id": row["source_id"], "path": source_path(row["source_id"]),
                   "title": row["source_title"], "title_ko": row["source_title_ko"],
                   "dates": date_range(row["start"], row["end"])},
    }
