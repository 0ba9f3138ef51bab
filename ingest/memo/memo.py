"""A memo draft in Markdown from a selection of findings, grouped by theme.

Every finding appears under each of its themes as a bullet: title, summary, quote(s)
and citation (source, organization, event, place, dates, the finding's URL), with the
number of its source in the references at the end. Headings are bilingual; ``lang``
chooses which language comes first and the language of titles and citations.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from .outline import Outline, both, marks, memo_outline, quotes, titles, word
from .records import FindingRecord, Selection, VocabularyLabels, read_findings

INDENT = "    "  # list-item continuation that Python-Markdown and CommonMark both accept


def memo_markdown(records: Iterable[FindingRecord], vocabulary: VocabularyLabels, selection: Selection,
                  built_at: str | None = None) -> str:
    return outline_markdown(memo_outline(records, vocabulary, selection, built_at))


def outline_markdown(outline: Outline) -> str:
    lang = outline.lang
    lines = [f"# {outline.title()}", ""]
    lines += [f"- {both(fact.key, lang)}: " + (f"<{fact.value}>" if fact.key == "view" else fact.value)
              for fact in outline.facts]
    lines.append("")
    if not outline.count:
        return "\n".join(lines + [word("empty", lang), ""])
    for section in outline.sections:
        lines += [f"## {section.heading}", ""]
        for entry in section.entries:
            lines += _bullet(entry.record, entry.reference, lang)
    lines += [f"## {both('references', lang)}", ""]
    lines += [f"{number}. {text}" for number, text in outline.references]
    lines.append("")
    return "\n".join(lines)


def _bullet(record: FindingRecord, reference: int, lang: str) -> list[str]:
    lines = [f"- **{titles(record, lang)[0]}** ({', '.join(marks(record, lang))})", ""]
    if record.summary:
        lines += _indented(record.summary) + [""]
    for quote in quotes(record):
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
