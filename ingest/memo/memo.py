"""A memo draft in Markdown from a selection of findings, grouped by theme.

Every finding appears under each of its themes as a bullet: title, summary, quote(s)
and citation (source, organization, event, place, dates, the finding's URL), with the
number of its source in the references at the end. Headings are bilingual; ``lang``
chooses which language comes first and the language of titles and citations.

The memo is made line by line as it is sent (``memo_lines``), in two passes over the selection
(``read_memo``): memory stays flat however many findings it holds. The selection line is the
request's text, so it is escaped (``markdown_text``): it shows as typed, never as a link, an
image or HTML.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from itertools import islice
from typing import NamedTuple

from .citation import source_citation
from .records import CHUNK, FindingRecord, Selection, SelectionError, Vocabulary, label, read_findings

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

    Two passes: the first files each selected finding under each of its themes in a temporary
    table (id, theme, position: not the findings themselves), and counts them; the second reads
    the findings theme by theme, in the sections' order, as the lines are asked for. A finding with
    three themes is read three times, and the memo of a million findings never sits in memory.
    """
    vocabulary = Vocabulary.read(conn, lang)
    count, counts = _file_by_theme(conn, selection, limit)
    about = [(both("selection", lang), selection.description or word("everything", lang))]
    if selection.view_url:
        about.append((both("view", lang), selection.view_url))
    about.append((both("count", lang), str(count if total is None else total)))
    if built := built_at(conn):
        about.append((both("built", lang), built))
    themes = _section_order(counts, selection.focus_themes, vocabulary)
    return MemoPart(about, _body(conn, themes, vocabulary, url_for) if count else iter([word("empty", lang), ""]))


def _body(conn, themes: list[str], vocabulary: Vocabulary, url_for: Callable[[str], str]) -> Iterator[str]:
    lang = vocabulary.lang
    references: dict[str, tuple[int, str]] = {}  # source id → its number (in order of first citation), citation
    for theme in themes:
        yield from (f"## {vocabulary.label('themes', theme)}", "")
        of_theme = Selection(THEME_ROWS, (theme,), id_column="finding_id")
        for record in read_findings(conn, of_theme, url_for, lang, vocabulary):
            if record.source_id not in references:
                references[record.source_id] = (len(references) + 1, source_citation(record.source, lang))
            yield from _bullet(record, references[record.source_id][0], lang)
    yield from (f"## {both('references', lang)}", "")
    for number, citation in references.values():
        yield f"{number}. {citation}"
    yield ""


THEME_ROWS = "select finding_id from temp.memo_rows where theme = ? order by position"


def _file_by_theme(conn: sqlite3.Connection, selection: Selection, limit: int | None) -> tuple[int, dict[str, int]]:
    """Fill ``temp.memo_rows`` (theme, position, finding id); return the findings and the count per theme."""
    conn.execute("drop table if exists temp.memo_rows")
    conn.execute("create temp table memo_rows (theme text, position integer, finding_id text)")
    count = 0

    def rows():
        nonlocal count
        for position, (finding_id, themes) in enumerate(islice(_ids_and_themes(conn, selection), limit)):
            count += 1
            for theme in dict.fromkeys(json.loads(themes) if themes else ()):
                yield theme, position, finding_id

    conn.executemany("insert into temp.memo_rows values (?, ?, ?)", rows())
    conn.execute("create index temp.memo_rows_by_theme on memo_rows (theme, position)")
    return count, dict(conn.execute("select theme, count(*) from temp.memo_rows group by theme").fetchall())


def _ids_and_themes(conn: sqlite3.Connection, selection: Selection) -> Iterator[tuple[str, str | None]]:
    """(finding id, its themes as JSON) of every finding of the selection, in its order."""
    cursor = conn.execute(selection.sql, selection.params)
    columns = [d[0] for d in cursor.description]
    if selection.direct:
        id_index, themes_index = columns.index("id"), columns.index("themes")
        while batch := cursor.fetchmany(CHUNK):
            yield from ((row[id_index], row[themes_index]) for row in batch)
        return
    if selection.id_column not in columns:
        raise SelectionError(f"the query has no '{selection.id_column}' column of finding ids")
    id_index = columns.index(selection.id_column)
    while batch := cursor.fetchmany(CHUNK):
        ids = [row[id_index] for row in batch]
        marks = ",".join("?" * len(ids))
        themes = dict(conn.execute(f"select id, themes from findings where id in ({marks})", ids).fetchall())
        yield from ((i, themes[i]) for i in ids if i in themes)


def _section_order(counts: dict[str, int], focus: tuple[str, ...], vocabulary: Vocabulary) -> list[str]:
    """The themes filtered by first, then the most frequent, then the vocabulary's order."""
    order = vocabulary.order["themes"]
    first = [t for t in dict.fromkeys(focus) if t in counts]
    rest = sorted((t for t in counts if t not in first), key=lambda t: (-counts[t], order.get(t, len(order)), t))
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
