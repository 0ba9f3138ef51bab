"""What the writing room's pages show, apart from the note itself: the vocabulary's labels in both
languages, the source's fields and their explanations, the draft's suggestions beside each tag,
and each problem placed beside its field. Plain data for templates/write-*.html."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.notes.discover import VOCABULARY_FILE
from ingest.notes.vocabulary import Vocabulary, load_vocabulary

TAG_LISTS = (("themes", "주제", "Themes"), ("regions", "지역", "Regions"), ("stakeholders", "이해관계자", "Stakeholders"))
RULES = {
    "chatham-house": ("채텀하우스 규칙 · Chatham House Rule",
                      "발언 내용은 쓰되 누가 말했는지, 어느 소속인지는 어디에도 쓰지 않습니다 · What was said may be "
                      "used, but never who said it or whom they work for."),
    "none": ("규칙 없음 · No rule", "발언을 출처와 함께 인용할 수 있습니다 · What was said may be attributed."),
}
ACCESS = {"internal": "내부 · Internal (this institute only)", "public": "공개 · Public (also on the public site)"}
LANGUAGES = {"ko": "한국어 · Korean", "en": "영어 · English"}


@dataclass(frozen=True)
class Field:
    name: str  # the note's own name, and the form field's
    ko: str
    en: str
    kind: str  # text, date, select
    hint: str = ""


SOURCE_FIELDS = (
    Field("title_ko", "제목(한국어)", "Korean title", "text"),
    Field("title", "제목(영어)", "English title", "text"),
    Field("type", "출처 유형", "Type of source", "select"),
    Field("organization", "기관", "Organization", "text", "the organization that wrote or held it"),
    Field("event", "행사", "Event", "text"),
    Field("place", "장소", "Place", "text"),
    Field("country", "국가", "Country", "text", "two-letter ISO code, e.g. GB"),
    Field("start", "시작일", "Start", "date"),
    Field("end", "종료일", "End", "date"),
    Field("language", "언어", "Language", "select"),
    Field("access", "공개 범위", "Access", "select"),
    Field("rule", "규칙", "Rule", "select", "the rule the meeting was held under"),
)
FINDING_KINDS_LIST = "kinds"


def vocabulary_of(notes_dir: Path) -> Vocabulary:
    return load_vocabulary(notes_dir / VOCABULARY_FILE, VOCABULARY_FILE)


def options(vocabulary: Vocabulary, field_name: str) -> list[tuple[str, str]]:
    """(value, label in both languages) of a select field."""
    if field_name == "type":
        return [(t.slug, f"{t.ko} · {t.en}") for t in vocabulary.source_types.values()]
    if field_name == "kind":
        return [(t.slug, f"{t.ko} · {t.en}") for t in vocabulary.kinds.values()]
    if field_name == "language":
        return list(LANGUAGES.items())
    if field_name == "access":
        return list(ACCESS.items())
    if field_name == "rule":
        return [(slug, label) for slug, (label, _why) in RULES.items()]
    return []


def with_current(choices: list[tuple[str, str]], current: str) -> list[tuple[str, str]]:
    """The choices, with the current value first when it is none of them (a TODO, a typo): the
    form shows what the note says and the problem beside it, never silently another value."""
    if current and current not in {value for value, _ in choices}:
        return [(current, f"{current} (고르십시오 · choose one)"), *choices]
    return choices


def reasons(comment: str | None) -> tuple[dict[str, str], str]:
    """The draft's comment on a tag list, ``a: words; b: words`` → ({a: words, b: words}, ""), or
    (``{}``, the whole comment) when it says why nothing is suggested."""
    if not comment:
        return {}, ""
    found: dict[str, str] = {}
    for part in re.split(r";\s+", comment.strip()):
        slug, colon, words = part.partition(":")
        if not colon or not re.fullmatch(r"[a-z0-9-]+", slug.strip()):
            return {}, comment.strip()
        found[slug.strip()] = words.strip()
    return found, ""


def tag_choices(vocabulary: Vocabulary, list_name: str, chosen: list[str], comment: str | None) -> dict:
    """Every term of a tag list as a checkbox: slug, label (both languages), depth (themes under
    their parent), checked, and the draft's reason where it suggested it. The chosen ones come
    first, in the note's order (a browser posts boxes in page order: a form sent back unchanged
    keeps the note's line as it was), a value not in the vocabulary among them so that the problem
    beside it can be fixed; then the rest of the vocabulary as a tree."""
    suggested, why_none = reasons(comment)
    terms = vocabulary.terms(list_name)

    def box(slug: str, depth: int) -> dict:
        term = terms.get(slug)
        return {"slug": slug, "ko": term.ko if term else slug, "en": term.en if term else "not in the vocabulary",
                "depth": depth, "checked": slug in chosen, "reason": suggested.get(slug, ""), "unknown": term is None}

    first = list(dict.fromkeys(chosen))
    boxes = [box(slug, 0) for slug in first]
    boxes += [box(slug, _depth(terms, slug)) for slug in _tree_order(terms) if slug not in first]
    return {"boxes": boxes, "chosen": len(first), "why_none": why_none, "suggested": list(suggested)}


def _depth(terms, slug: str) -> int:
    depth, seen = 0, {slug}
    while (parent := terms[slug].parent) and parent in terms and parent not in seen:
        depth, slug = depth + 1, parent
        seen.add(slug)
    return depth


def _tree_order(terms) -> list[str]:
    children: dict[str | None, list[str]] = {}
    for slug, term in terms.items():
        children.setdefault(term.parent if term.parent in terms else None, []).append(slug)
    ordered: list[str] = []

    def walk(parent):
        for slug in children.get(parent, []):
            if slug not in ordered:
                ordered.append(slug)
                walk(slug)
    walk(None)
    return ordered + [slug for slug in terms if slug not in ordered]


def problems_by_field(problems) -> dict[str, list]:
    """Each problem under its field's name (``title_ko``, ``f-2-quote``; ``""``: the note as a whole)."""
    placed: dict[str, list] = {}
    for problem in problems:
        placed.setdefault(problem.field or "", []).append(problem)
    return placed
