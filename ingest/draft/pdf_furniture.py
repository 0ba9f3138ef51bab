"""Page furniture in a PDF: running headers and footers, and page numbers.

A PDF has no header or footer, only lines at the top and bottom of its pages. A line among the
first or last ``EDGE_LINES`` of a page is furniture when the same text (or the same but for a
number that counts up with the pages: ``국토연구원 | 12``) stands at the same edge of at least ``SHARE`` of the pages (two at least:
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


def _key(text: str, page: int) -> tuple[str, int]:
    """The line's words, its last number standing for the page's: a running foot (``국토연구원 |
    12``) counts up with the pages, a line that only happens to hold a number does not."""
    words = "".join(text.split()).lower()
    numbers = list(re.finditer(r"\d+", words))
    if not numbers:
        return words, 0
    last = numbers[-1]
    return words[:last.start()] + "#" + words[last.end():], int(last[0][:6]) - page


def furniture(pages: list[list]) -> set[int]:
    """The ids (``id(line)``) of the furniture lines among ``pages`` (each page's lines, top to bottom)."""
    seen: dict[tuple, set[int]] = defaultdict(set)
    edges = []
    for number, lines in enumerate(pages, start=1):
        ordered = sorted(lines, key=lambda line: line.top)
        top, bottom = ordered[:EDGE_LINES], ordered[-EDGE_LINES:] if len(ordered) > EDGE_LINES else []
        for edge, candidates in (("top", top), ("bottom", bottom)):
            for line in candidates:
                keys = ((edge, "".join(line.text.split()).lower()), (edge, *_key(line.text, number)))
                for key in keys:
                    seen[key].add(number)
                edges.append((line, keys))
    needed = max(2, SHARE * len(pages))
    return {id(line) for line, keys in edges
            if PAGE_NUMBER.match(line.text) or any(len(seen[key]) >= needed for key in keys)}
