"""Which items of a document become candidates, and in which order, by its kind.

A trip report's items go as they come (``candidates`` judges each). Any other document's go
in two passes: its summary, findings, implications and recommendations first (what a reader of a
report or a brief wants), then the body; a press release's body is its headline points (□) and
their sub-points (○, -). In every kind, an administrative line is never a candidate: contact
lines, page furniture (running headers and footers, page numbers), programme lines,
participants, expenses and bare fields (``administrative``).
"""

from __future__ import annotations

from .administrative import administrative, repeated_lines
from .sections import PRIORITY_SECTIONS
from .structure import Item, Report


def candidate_items(report: Report, kind: str) -> list[Item]:
    repeated = repeated_lines(report.text)
    items = [item for item in report.items if not administrative(item.text, repeated)]
    if kind == "trip-report":
        return items
    if kind == "press-release" and any(item.rank for item in items):
        items = [item for item in items if item.rank or item.section in PRIORITY_SECTIONS]
    return [item for item in items if item.section in PRIORITY_SECTIONS] + \
        [item for item in items if item.section not in PRIORITY_SECTIONS]
