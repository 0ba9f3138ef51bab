"""What a memo holds, in whatever format it is written: the outline that the Markdown,
HWPX and DOCX memos walk.

A title; facts about the selection (what, the view's URL, how many, when the data was
built); per theme — the themes filtered by first, then the most frequent — its findings,
each numbered after its source; the count of findings per theme; the references, one per
source in order of first citation. A finding with several themes is under each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from .citation import SourceRef, source_citation
from .records import FindingRecord, Selection, VocabularyLabels, label

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


def reference_text(source: SourceRef, lang: str) -> str:
    """A source as the references list names it: the one seam to the citation style."""
    return source_citation(source, lang)


class Entry(NamedTuple):
    record: FindingRecord
    reference: int  # the number of its source in the references


class Section(NamedTuple):
    theme: str  # slug
    heading: str  # bilingual label, the memo's language first
    entries: list[Entry]


class Fact(NamedTuple):
    key: str  # a key of WORDS
    value: str


class Outline(NamedTuple):
    lang: str
    facts: list[Fact]
    count: int  # findings selected (each once, whatever its number of themes)
    sections: list[Section]
    references: list[tuple[int, str]]  # (number, source's reference)

    def title(self) -> str:
        return both("title", self.lang)

    def theme_counts(self) -> list[tuple[str, int]]:
        """(theme heading, findings under it), in the order of the sections."""
        return [(section.heading, len(section.entries)) for section in self.sections]


def memo_outline(records: Iterable[FindingRecord], vocabulary: VocabularyLabels, selection: Selection,
                 built_at: str | None = None) -> Outline:
    lang = vocabulary.lang
    by_theme: dict[str, list[FindingRecord]] = defaultdict(list)
    count = 0
    for record in records:
        count += 1
        for theme in dict.fromkeys(record.themes):
            by_theme[theme].append(record)
    facts = [Fact("selection", selection.description or word("everything", lang))]
    if selection.view_url:
        facts.append(Fact("view", selection.view_url))
    facts.append(Fact("count", str(count)))
    if built_at:
        facts.append(Fact("built", built_at))

    numbers: dict[str, int] = {}  # source id → its number, in order of first citation
    references: list[tuple[int, str]] = []
    sections = []
    for theme in section_order(by_theme, selection.focus_themes, vocabulary):
        entries = []
        for record in by_theme[theme]:
            if record.source_id not in numbers:
                numbers[record.source_id] = len(numbers) + 1
                references.append((numbers[record.source_id], reference_text(record.source, lang)))
            entries.append(Entry(record, numbers[record.source_id]))
        sections.append(Section(theme, vocabulary.label("themes", theme), entries))
    return Outline(lang, facts, count, sections, references)


def section_order(by_theme: dict[str, list], focus: tuple[str, ...], vocabulary: VocabularyLabels) -> list[str]:
    """The themes filtered by first, then the most frequent, then the vocabulary's order."""
    order = vocabulary.order["themes"]
    first = [t for t in dict.fromkeys(focus) if t in by_theme]
    rest = sorted((t for t in by_theme if t not in first),
                  key=lambda t: (-len(by_theme[t]), order.get(t, len(order)), t))
    return first + rest


def titles(record: FindingRecord, lang: str) -> tuple[str, str | None]:
    """The finding's title in the memo's language, and the other one if it differs."""
    korean, english = record.title_ko or record.title, record.title
    first, second = (korean, english) if lang == "ko" else (english, record.title_ko)
    return first, (second if second and second != first else None)


def marks(record: FindingRecord, lang: str) -> list[str]:
    """What kind of finding it is, and whether it is internal."""
    found = [record.kind_label.split(" · ")[0]]
    if record.internal:
        found.append(both("internal", lang))
    return found


def quotes(record: FindingRecord) -> list[str]:
    """The finding's quotes (separated by a blank line in the database)."""
    return [q for q in (record.quote or "").split("\n\n") if q.strip()]
