"""What a memo holds, in whatever format it is written: the outline that the Markdown,
HWPX and DOCX memos walk.

A title; facts about the selection (what, the view's URL, how many, when the data was
built); per theme — the themes filtered by first, then the most frequent — its findings,
each with the number of its source; the count of findings per theme; the references, one per
source in order of first citation (``formatted_reference``, the style's one rendering). A
finding with several themes is under each.

``read_outline`` reads it in two passes, in constant memory: the first reads the selection
once, writes what the memo says of each finding into a temporary table and files it under
each of its themes (the sections' order needs every theme's count, and the references'
numbers the sections' order); the second reads the findings back theme by theme as a writer
walks the sections (``Outline.entries``). Temporary tables live in a file, so the memo of a
million findings never sits in memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from itertools import islice
from typing import NamedTuple

from .records import CHUNK, FindingRecord, Selection, VocabularyLabels, label, read_findings, read_sources
from .references import formatted_reference

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
    "by_theme": ("주제별 시사점 수", "Findings by theme"),
    "theme": ("주제", "Theme"),
}


def word(key: str, lang: str) -> str:
    ko, en = WORDS[key]
    return ko if lang == "ko" else en


def both(key: str, lang: str) -> str:
    return label(*WORDS[key], lang)


class MemoFinding(NamedTuple):
    """What a memo says of a finding, in the memo's language (a row of ``temp.memo_findings``)."""

    source_id: str
    title: str  # in the memo's language
    other_title: str | None  # in the other language, when it differs
    marks: str  # its kind, and whether it is internal: "관찰, 내부 자료 · Internal"
    summary: str | None
    quote: str | None  # paragraphs separated by a blank line
    citation: str  # its source's reference with the finding's URL (FindingRecord.citation)

    @classmethod
    def of(cls, record: FindingRecord, lang: str) -> "MemoFinding":
        korean, english = record.title_ko or record.title, record.title
        title, other = (korean, english) if lang == "ko" else (english, record.title_ko)
        marks = [record.kind_label.split(" · ")[0]] + ([both("internal", lang)] if record.internal else [])
        return cls(record.source_id, title, other if other and other != title else None, ", ".join(marks),
                   record.summary, record.quote, record.citation)

    @property
    def quotes(self) -> list[str]:
        return [quote for quote in (self.quote or "").split("\n\n") if quote]


class Entry(NamedTuple):
    finding: MemoFinding
    reference: int  # the number of its source in the references


class Section(NamedTuple):
    theme: str  # slug
    heading: str  # bilingual label, the memo's language first
    count: int  # findings under it


class Outline(NamedTuple):
    conn: sqlite3.Connection  # holds the temporary tables the sections' entries are read from
    lang: str
    facts: list[tuple[str, str]]  # (key of WORDS, plain text)
    count: int  # findings selected (each once, whatever its number of themes)
    sections: list[Section]
    references: list[tuple[int, str]]  # (number, source's reference), in order of first citation
    numbers: dict[str, int]  # source id → its number

    def title(self) -> str:
        return both("title", self.lang)

    def entries(self, section: Section) -> Iterator[Entry]:
        """The findings under ``section``, in the selection's order, read as they are asked for."""
        for row in self.conn.execute(SECTION_FINDINGS, (section.theme,)):
            finding = MemoFinding(*row)
            yield Entry(finding, self.numbers[finding.source_id])


SECTION_FINDINGS = f"""
    select {', '.join(f'f.{name}' for name in MemoFinding._fields)}
    from temp.memo_themes t join temp.memo_findings f using (position) where t.theme = ? order by t.position
"""
# Each source once, in the order a reader first meets it: by section, then by position in it.
SOURCES_IN_ORDER = """
    select f.source_id from temp.memo_themes t join temp.memo_sections s using (theme)
    join temp.memo_findings f using (position) group by f.source_id order by min(s.rank * 4294967296 + t.position)
"""


def read_outline(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
                 lang: str = "ko", limit: int | None = None, total: int | None = None) -> Outline:
    """The outline of ``selection`` (of its first ``limit`` findings, if given). ``total``, if
    given, is the count of findings the facts give (the whole selection's, when ``limit`` cuts it short)."""
    vocabulary = VocabularyLabels.read(conn, lang)
    count = _file_by_theme(conn, selection, url_for, vocabulary, limit)
    facts = [("selection", selection.description or word("everything", lang))]
    if selection.view_url:
        facts.append(("view", selection.view_url))
    facts.append(("count", str(count if total is None else total)))
    if built := built_at(conn):
        facts.append(("built", built))
    counts = dict(conn.execute("select theme, count(*) from temp.memo_themes group by theme").fetchall())
    themes = _section_order(counts, selection.focus_themes, vocabulary)
    numbers, references = _references(conn, themes, lang)
    sections = [Section(theme, vocabulary.label("themes", theme), counts[theme]) for theme in themes]
    return Outline(conn, lang, facts, count, sections, references, numbers)


def _references(conn: sqlite3.Connection, themes: list[str], lang: str) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Each cited source's number, in the order of first citation when ``themes`` are the sections'
    order, and the references list: (number, the source's ``formatted_reference``)."""
    conn.executemany("insert into temp.memo_sections values (?, ?)", [(t, rank) for rank, t in enumerate(themes)])
    order = [source_id for source_id, in conn.execute(SOURCES_IN_ORDER)]
    sources = {}
    for start in range(0, len(order), CHUNK):
        sources.update(read_sources(conn, order[start:start + CHUNK], lang))
    numbers = {source_id: number for number, source_id in enumerate(order, start=1)}
    return numbers, [(numbers[s], formatted_reference(sources[s], lang)) for s in order]


def _file_by_theme(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
                   vocabulary: VocabularyLabels, limit: int | None) -> int:
    """Fill ``temp.memo_findings`` (position, MemoFinding) and ``temp.memo_themes`` (theme, position);
    return the count of findings."""
    for statement in ("drop table if exists temp.memo_findings", "drop table if exists temp.memo_themes",
                      "drop table if exists temp.memo_sections",
                      "create temp table memo_findings (position integer primary key, "
                      f"{', '.join(MemoFinding._fields)})",
                      "create temp table memo_themes (theme text, position integer)",
                      "create temp table memo_sections (theme text primary key, rank integer)"):
        conn.execute(statement)
    records = islice(read_findings(conn, selection, url_for, vocabulary.lang, vocabulary), limit)
    count = 0
    while batch := list(islice(records, CHUNK)):
        conn.executemany(f"insert into temp.memo_findings values (?{', ?' * len(MemoFinding._fields)})", [
            (count + i, *MemoFinding.of(r, vocabulary.lang)) for i, r in enumerate(batch)])
        conn.executemany("insert into temp.memo_themes values (?, ?)", [
            (theme, count + i) for i, r in enumerate(batch) for theme in dict.fromkeys(r.themes)])
        count += len(batch)
    conn.execute("create index temp.memo_themes_in_order on memo_themes (theme, position)")
    return count


def _section_order(counts: dict[str, int], focus: tuple[str, ...], vocabulary: VocabularyLabels) -> list[str]:
    """The themes filtered by first, then the most frequent, then the vocabulary's order."""
    order = vocabulary.order["themes"]
    first = [t for t in dict.fromkeys(focus) if t in counts]
    rest = sorted((t for t in counts if t not in first), key=lambda t: (-counts[t], order.get(t, len(order)), t))
    return first + rest


def built_at(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("select built_at from build_info limit 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None
