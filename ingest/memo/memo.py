"""A memo draft in Markdown from a selection of findings, grouped by theme.

Every finding appears under each of its themes as a bullet: title, summary, quote(s)
and citation (its source's reference with the finding's URL, ingest/memo/references.py),
with the number of its source in the references at the end. Headings are bilingual; ``lang``
chooses which language comes first and the language of titles and citations.

The memo is made line by line as it is sent (``memo_lines``), in two passes (``read_memo``):
memory stays flat however many findings it holds. The selection line is the
request's text, so it is escaped (``markdown_text``): it shows as typed, never as a link, an
image or HTML.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from itertools import islice
from typing import NamedTuple

from .citation import source_citation
from .records import CHUNK, FindingRecord, Selection, VocabularyLabels, label, read_findings

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


class MemoPart(NamedTuple):
    about: list[tuple[str, str]]  # (label, plain text): what was selected, from where, how many, when
    lines: Iterator[str]  # the memo's Markdown after its header, made as it is read


def memo_lines(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
               lang: str = "ko", limit: int | None = None) -> Iterator[str]:
    """The memo draft of ``selection``, line by line, header first (what ``build_memo`` joins)."""
    memo = read_memo(conn, selection, url_for, lang, limit)
    yield f"# {both('title', lang)}"
    yield ""
    for key, value in memo.about:  # the selection is the request's text: escaped; the view's URL is encoded
        if key == both("selection", lang):
            value = markdown_text(value)
        yield f"- {key}: " + (f"<{value}>" if key == both("view", lang) else value)
    yield ""
    yield from memo.lines


def read_memo(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
              lang: str = "ko", limit: int | None = None, total: int | None = None) -> MemoPart:
    """The memo of ``selection`` (of its first ``limit`` findings, if given), in constant memory.

    ``total``, if given, is the count of findings the header gives (the whole selection's, when
    ``limit`` cuts the memo short).

    Two passes: the first reads the selection once, writes each finding's bullet into a temporary
    table and files it under each of its themes (the sections' order needs every theme's count);
    the second reads the bullets back theme by theme, in that order, as the lines are asked for.
    Temporary tables live in a file, so the memo of a million findings never sits in memory.
    """
    vocabulary = VocabularyLabels.read(conn, lang)
    count, counts, sources = _file_by_theme(conn, selection, url_for, vocabulary, limit)
    about = [(both("selection", lang), selection.description or word("everything", lang))]
    if selection.view_url:
        about.append((both("view", lang), selection.view_url))
    about.append((both("count", lang), str(count if total is None else total)))
    if built := built_at(conn):
        about.append((both("built", lang), built))
    themes = _section_order(counts, selection.focus_themes, vocabulary)
    return MemoPart(about, _body(conn, themes, vocabulary, sources) if count else iter([word("empty", lang), ""]))


def _body(conn, themes: list[str], vocabulary: VocabularyLabels, sources: dict[str, str]) -> Iterator[str]:
    lang = vocabulary.lang
    references: dict[str, int] = {}  # source id → its number, in order of first citation
    for theme in themes:
        yield from (f"## {vocabulary.label('themes', theme)}", "")
        for source_id, bullet, citation in conn.execute(THEME_BULLETS, (theme,)):
            number = references.setdefault(source_id, len(references) + 1)
            yield from (bullet, f"{INDENT}{word('source', lang)} [{number}]: {citation}", "")
    yield from (f"## {both('references', lang)}", "")
    for source_id, number in references.items():
        yield f"{number}. {sources[source_id]}"
    yield ""


THEME_BULLETS = """
    select b.source_id, b.bullet, b.citation from temp.memo_themes t join temp.memo_bullets b using (position)
    where t.theme = ? order by t.position
"""


def _file_by_theme(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
                   vocabulary: VocabularyLabels, limit: int | None) -> tuple[int, dict[str, int], dict[str, str]]:
    """Fill ``temp.memo_bullets`` (position, source, bullet, citation) and ``temp.memo_themes``
    (theme, position); return the count of findings, their count per theme, and each source's citation."""
    for statement in ("drop table if exists temp.memo_bullets", "drop table if exists temp.memo_themes",
                      "create temp table memo_bullets (position integer primary key, source_id text, bullet text,"
                      " citation text)",
                      "create temp table memo_themes (theme text, position integer)"):
        conn.execute(statement)
    records = islice(read_findings(conn, selection, url_for, vocabulary.lang, vocabulary), limit)
    count, sources = 0, {}
    while batch := list(islice(records, CHUNK)):
        conn.executemany("insert into temp.memo_bullets values (?, ?, ?, ?)", [
            (count + i, r.source_id, "\n".join(_bullet(r, vocabulary.lang)), r.citation) for i, r in enumerate(batch)])
        conn.executemany("insert into temp.memo_themes values (?, ?)", [
            (theme, count + i) for i, r in enumerate(batch) for theme in dict.fromkeys(r.themes)])
        for r in batch:
            if r.source_id not in sources:
                sources[r.source_id] = source_citation(r.source, vocabulary.lang)
        count += len(batch)
    conn.execute("create index temp.memo_themes_in_order on memo_themes (theme, position)")
    counts = dict(conn.execute("select theme, count(*) from temp.memo_themes group by theme").fetchall())
    return count, counts, sources


def _section_order(counts: dict[str, int], focus: tuple[str, ...], vocabulary: VocabularyLabels) -> list[str]:
    """The themes filtered by first, then the most frequent, then the vocabulary's order."""
    order = vocabulary.order["themes"]
    first = [t for t in dict.fromkeys(focus) if t in counts]
    rest = sorted((t for t in counts if t not in first), key=lambda t: (-counts[t], order.get(t, len(order)), t))
    return first + rest


def _bullet(record: FindingRecord, lang: str) -> list[str]:
    """The bullet of a finding, without its source line (whose number the memo's order decides)."""
    title = (record.title_ko or record.title) if lang == "ko" else record.title
    marks = [record.kind_label.split(" · ")[0]]
    if record.internal:
        marks.append(both("internal", lang))
    lines = [f"- **{title}** ({', '.join(marks)})", ""]
    if record.summary:
        lines += _indented(record.summary) + [""]
    for quote in filter(None, (record.quote or "").split("\n\n")):
        lines += _indented("\n".join("> " + line for line in quote.split("\n"))) + [""]
    return lines


def _indented(text: str) -> list[str]:
    return [INDENT + line if line else "" for line in text.split("\n")]


def markdown_text(text: str) -> str:
    """``text`` as Markdown that shows it as it is, on one line: no link, image, HTML or emphasis.

    Line breaks and other control characters become spaces (a line break could open a heading or
    a list); ``&`` and ``<`` become entities (raw HTML); Markdown's punctuation is escaped with a
    backslash, the set that CommonMark and Python-Markdown both honour.
    """
    text = CONTROL.sub(" ", text).replace("&", "&amp;").replace("<", "&lt;")
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()>#+\-.!])")


def build_memo(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
               lang: str = "ko") -> str:
    """The memo draft of ``selection`` read from an open insights.db connection."""
    return "\n".join(memo_lines(conn, selection, url_for, lang))


def built_at(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("select built_at from build_info limit 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None
