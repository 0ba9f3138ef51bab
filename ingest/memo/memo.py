"""A memo draft in Markdown from a selection of findings, grouped by theme.

Every finding appears under each of its themes as a bullet: title, summary, quote(s)
and citation (source, organization, event, place, dates, the finding's URL), with the
number of its source in the references at the end. Headings are bilingual; ``lang``
chooses which language comes first and the language of titles and citations.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable

from .citation import source_citation
from .records import FindingRecord, Selection, VocabularyLabels, label, read_findings

INDENT = "    "  # list-item continuation that Python-Markdown and CommonMark both accept
WORDS = {
    "title": ("정책 메모 초안", "Policy memo draft"),
    "selection": ("선택", "Selection"),
    "everything": ("모든 시사점", "every finding"),
    "view": ("화면", "View"),
    "count": ("시사점", "Findings"),
    "built": ("데이터 빌드", "Data built"),
    "source": ("출처", "Source"),
    "references": ("참고문헌", "References"),
    "internal": ("내부 자료", "Internal"),
    "empty": ("선택한 시사점이 없습니다.", "No finding is selected."),
}


def word(key: str, lang: str) -> str:
    ko, en = WORDS[key]
    return ko if lang == "ko" else en


def both(key: str, lang: str) -> str:
    return label(*WORDS[key], lang)


def memo_markdown(records: Iterable[FindingRecord], vocabulary: VocabularyLabels, selection: Selection,
                  built_at: str | None = None) -> str:
    lang = vocabulary.lang
    by_theme: dict[str, list[FindingRecord]] = defaultdict(list)
    count = 0
    for record in records:
        count += 1
        for theme in dict.fromkeys(record.themes):
            by_theme[theme].append(record)
    lines = [f"# {both('title', lang)}", ""]
    lines.append(f"- {both('selection', lang)}: {selection.description or word('everything', lang)}")
    if selection.view_url:
        lines.append(f"- {both('view', lang)}: <{selection.view_url}>")
    lines.append(f"- {both('count', lang)}: {count}")
    if built_at:
        lines.append(f"- {both('built', lang)}: {built_at}")
    lines.append("")
    if not count:
        return "\n".join(lines + [word("empty", lang), ""])

    references: dict[str, int] = {}  # source id → its number, in order of first citation
    reference_text: dict[str, str] = {}
    for theme in _section_order(by_theme, selection.focus_themes, vocabulary):
        lines += [f"## {vocabulary.label('themes', theme)}", ""]
        for record in by_theme[theme]:
            number = references.setdefault(record.source_id, len(references) + 1)
            reference_text.setdefault(record.source_id, source_citation(record.source, lang))
            lines += _bullet(record, number, lang)
    lines += [f"## {both('references', lang)}", ""]
    for source_id, number in references.items():
        lines.append(f"{number}. {reference_text[source_id]}")
    lines.append("")
    return "\n".join(lines)


def _section_order(by_theme: dict[str, list], focus: tuple[str, ...], vocabulary: VocabularyLabels) -> list[str]:
    """The themes filtered by first, then the most frequent, then the vocabulary's order."""
    order = vocabulary.order["themes"]
    first = [t for t in dict.fromkeys(focus) if t in by_theme]
    rest = sorted((t for t in by_theme if t not in first),
                  key=lambda t: (-len(by_theme[t]), order.get(t, len(order)), t))
    return first + rest


def _bullet(record: FindingRecord, reference: int, lang: str) -> list[str]:
    title = (record.title_ko or record.title) if lang == "ko" else record.title
    marks = [record.kind_label.split(" · ")[0]]
    if record.internal:
        marks.append(both("internal", lang))
    lines = [f"- **{title}** ({', '.join(marks)})", ""]
    if record.summary:
        lines += _indented(record.summary) + [""]
    for quote in filter(None, (record.quote or "").split("\n\n")):
        lines += _indented("\n".join("> " + line for line in quote.split("\n"))) + [""]
    lines += [f"{INDENT}{word('source', lang)} [{reference}]: {record.citation}", ""]
    return lines


def _indented(text: str) -> list[str]:
    return [INDENT + line if line else "" for line in text.split("\n")]


def build_memo(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
               lang: str = "ko") -> str:
    """The memo draft of ``selection`` read from an open insights.db connection."""
    vocabulary = VocabularyLabels.read(conn, lang)
    records = read_findings(conn, selection, url_for, lang, vocabulary)
    return memo_markdown(records, vocabulary, selection, built_at(conn))


def built_at(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("select built_at from build_info limit 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None
