"""A finding's page and a source's page: the rows, their labels, the citation and related findings."""

from __future__ import annotations

from ingest.db.related import RELATED
from ingest.memo.citation import SourceRef, citation, finding_url
from ingest.notes.vocabulary import broader_themes

from .cards import TAGS, date_range, finding_cards, language, source_path, tags, vocabulary

SOURCE_SQL = """
select s.*, st.ko as type_ko, st.en as type_en
from sources s left join source_types st on st.id = s.type
where s.id = :id
"""
# The build ranks them (ingest/db/related.py): other sources first, then by the rarity of what they share.
RELATED_SQL = "select related_id as id from related_findings where finding_id = :id order by rank limit :limit"
RULES = {
    "chatham-house": {
        "ko": "채텀하우스 규칙", "en": "Chatham House Rule",
        "explanation_ko": "회의 내용은 쓸 수 있지만 발언자와 소속은 밝히지 않습니다.",
        "explanation_en": "What was said may be used; who said it, and their affiliation, may not.",
    },
}


async def related_findings(db, finding_id: str, limit: int = RELATED) -> list[str]:
    """The findings the build ranked as related to this one, at most ``limit``."""
    rows = (await db.execute(RELATED_SQL, {"id": finding_id, "limit": limit})).rows
    return [row["id"] for row in rows]


async def source(db, source_id: str) -> dict | None:
    rows = (await db.execute(SOURCE_SQL, {"id": source_id})).rows
    if not rows:
        return None
    row = dict(rows[0])
    return {**row, "dates": date_range(row["start"], row["end"]), "rule_badge": RULES.get(row["rule"] or ""),
            "path": source_path(row["id"])}


def with_broader(themes: dict[str, dict], slugs: list[str]) -> list[str]:
    """The themes and every broader theme of each, in order."""
    parents = {slug: theme["parent"] for slug, theme in themes.items()}
    return list(dict.fromkeys(broader for slug in slugs for broader in broader_themes(parents, slug)))


def in_common(mine: dict[str, list[dict]], card: dict, themes: dict[str, dict]) -> list[dict]:
    """The tags a related finding shares with this one: the narrowest themes both fall under
    (crowdfunding and private investment share financing), then regions and stakeholders."""
    own = with_broader(themes, [tag["id"] for tag in mine["themes"]])
    shared = [slug for slug in with_broader(themes, [tag["id"] for tag in card["themes"]]) if slug in own]
    narrowest = [slug for slug in shared if not any(other != slug and slug in with_broader(themes, [other])
                                                    for other in shared)]
    return [themes[slug] for slug in narrowest] + [
        tag for column in ("regions", "stakeholders") for tag in card[column]
        if tag["id"] in {own_tag["id"] for own_tag in mine[column]}]


def citations(source_row: dict, url: str) -> dict[str, str]:
    """The finding's citation in Korean and in English, exactly as memos cite it."""
    return {lang: citation(SourceRef.from_row(source_row, lang), url, lang) for lang in ("ko", "en")}


async def finding_page(db, finding_id: str, public_url: str, base_url: str = "/") -> dict | None:
    """Everything a finding's page shows; ``public_url`` is the scheme and host its citation names."""
    rows = (await db.execute("select * from findings where id = :id", {"id": finding_id})).rows
    if not rows:
        return None
    finding = dict(rows[0])
    labels = await vocabulary(db)
    src = await source(db, finding["source_id"])
    related = await finding_cards(db, await related_findings(db, finding_id), labels)
    mine = {column: tags(finding[column], labels.get(column, {})) for column in TAGS}
    return {
        "finding": finding,
        "kind": labels.get("kinds", {}).get(finding["kind"]),
        **mine,
        "summary_lang": language(finding["summary"]),
        "quotes": [q.strip() for q in (finding["quote"] or "").split("\n\n") if q.strip()],
        "source": src,
        "citations": citations(src, finding_url(public_url, finding_id, base_url)),
        "related": [card | {"in_common": in_common(mine, card, labels.get("themes", {}))} for card in related],
    }


async def source_page(db, source_id: str) -> dict | None:
    """A source's metadata and every one of its findings, in note order, as cards."""
    src = await source(db, source_id)
    if src is None:
        return None
    ids = [row["id"] for row in (await db.execute(
        "select id from findings where source_id = :id order by position", {"id": source_id})).rows]
    return {"source": src, "findings": await finding_cards(db, ids)}
