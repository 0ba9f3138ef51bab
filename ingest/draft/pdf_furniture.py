"""Page furniture in a PDF: running headers and footers, and page numbers.

A PDF has no header or footer, only lines at the top and bottom of its pages. A line among the
first or last ``EDGE_LINES`` of a page is furniture when the same text (digits aside: ``- 3 -``,
``국토연구원 | 12``) stands at the same edge of at least ``SHARE`` of the pages (two at least:
odd and even pages often carry different ones), or when it is a bare page number
(``3``, ``- 3 -``, ``3 / 30``, ``Page 3 of 30``, ``iv``).
"""

from __future__ import annotations

import re
from collections import defaultdict

EDGE_LINES = 2
SHARE = 0.4
PAGE_NUMBER = re.compile(r"^[\s\-–—|(\[]*(?:(?:page|p\.)\s*)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:/|of)\s*\d{1,4})?"
                         r"(?:\s*(?:쪽|페이지|면))?[\s\-–—|)\]]*$", re.IGNORECASE)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split())).lower()


def furniture(pages: list[list]) -> set[int]:
    """The ids (``id(line)``) of the furniture lines among ``pages`` (each page's lines, top to bottom)."""
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    edges = []
    for number, lines in enumerate(pages):
        ordered = sorted(lines, key=lambda line: line.top)
        top, bottom = ordered[:EDGE_LINES], ordered[-EDGE_LINES:] if len(ordered) > EDGE_LINES else []
        for edge, candidates in (("top", top), ("bottom", bottom)):
            for line in candidates:
                seen[(edge, _key(line.text))].add(number)
                edges.append((edge, line))
    needed = max(2, SHARE * len(pages))
    return {id(line) for edge, line in edges
            if PAGE_NUMBER.match(line.text) or len(seen[(edge, _key(line.text))]) >= needed}
