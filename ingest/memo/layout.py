"""The memo's outline laid out as paragraphs, for the office writers (HWPX, DOCX).

Two layouts. **개조식** (``gaejosik``, the default), as Korean public bodies write reports:
short statements under markers, one level deeper each —

    □ 시민이 주체가 되는 크라우드펀딩의 필요성 (Citizens as investors: …) [관찰]
      ○ the summary, one point per paragraph or list item
        - “the quote, in italics”
        ※ 출처 [1]: the citation, with the finding's URL

**prose**: the same content as plain paragraphs — a bold title, the summary's paragraphs,
the quote indented, the citation. A writer maps a block's ``kind`` to a character and
paragraph format and its ``level`` to an indent; it never decides what is said.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from .outline import Entry, Outline, both, word
from .text import inline_plain

STYLES = ("gaejosik", "prose")
MARKERS = {
    "gaejosik": {"item": "□ ", "point": "○ ", "quote": "- ", "source": "※ "},
    "prose": {},
}
LEVELS = {  # indent level of each kind of finding block
    "gaejosik": {"item": 0, "point": 1, "quote": 2, "source": 2},
    "prose": {"item": 0, "point": 0, "quote": 1, "source": 0},
}
LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+")


class Run(NamedTuple):
    text: str
    strong: bool = False


class Block(NamedTuple):
    """One paragraph. Kinds: title, fact, note, heading, item, point, quote, source, reference."""

    kind: str
    runs: tuple[Run, ...]
    level: int = 0
    hanging: bool = False  # starts with a marker (□, ○, -, ※, "1."): the lines after it align past it

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


class Table(NamedTuple):
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]


def check_style(style: str) -> str:
    if style not in STYLES:
        raise ValueError(f"unknown memo style {style!r}: use one of {', '.join(STYLES)}")
    return style


def memo_blocks(outline: Outline, style: str = "gaejosik") -> Iterator[Block | Table]:
    """Every paragraph and table of the memo, in order."""
    lang = outline.lang
    check_style(style)
    yield Block("title", (Run(outline.title(), True),))
    for key, value in outline.facts:
        yield Block("fact", (Run(f"{both(key, lang)}: ", True), Run(value)))
    if not outline.count:
        yield Block("note", (Run(word("empty", lang)),))
        return
    for section in outline.sections:
        yield Block("heading", (Run(section.heading, True),))
        for entry in outline.entries(section):
            yield from finding_blocks(entry, lang, style)
    yield Block("heading", (Run(both("by_theme", lang), True),))
    yield Table((both("theme", lang), both("count", lang)),
                [(section.heading, str(section.count)) for section in outline.sections])
    yield Block("heading", (Run(both("references", lang), True),))
    for number, text in outline.references:
        yield Block("reference", (Run(f"{number}. {text}"),), hanging=True)


def finding_blocks(entry: Entry, lang: str, style: str) -> Iterator[Block]:
    finding, marker, level = entry.finding, MARKERS[style], LEVELS[style]
    hanging = bool(marker)
    other = f" ({finding.other_title})" if finding.other_title else ""
    yield Block("item", (Run(marker.get("item", "") + finding.title, True), Run(f"{other} [{finding.marks}]")),
                level["item"], hanging)
    for point in summary_points(finding.summary):
        yield Block("point", (Run(marker.get("point", "") + point),), level["point"], hanging)
    for quote in filter(str.strip, finding.quotes):
        yield Block("quote", (Run(f"{marker.get('quote', '')}“{quote.strip()}”"),), level["quote"], hanging)
    source = f"{marker.get('source', '')}{word('source', lang)} [{entry.reference}]: {finding.citation}"
    yield Block("source", (Run(source),), level["source"], hanging)


def summary_points(summary: str | None) -> list[str]:
    """The summary's points: each paragraph, each list item, as plain text on one line."""
    points: list[str] = []
    for paragraph in (summary or "").split("\n\n"):
        current: list[str] = []
        for line in paragraph.split("\n"):
            if LIST_ITEM.match(line) and current:
                points.append(" ".join(current))
                current = []
            if line.strip():
                current.append(LIST_ITEM.sub("", line).strip())
        if current:
            points.append(" ".join(current))
    return [inline_plain(point) for point in points]
