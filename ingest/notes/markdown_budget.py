"""How much Markdown one text may ask of the renderer.

Python-Markdown reads the square brackets of one paragraph in time that grows with their square
(links and images are matched from every opening ``[``): 4,000 ``![a`` in one summary take about
8 s, and the pages render summaries as they are served. A text with more than ``MAX_BRACKETS``
is an error of ``check``, found before anything renders it; at the limit a text renders in about
30 ms. Real notes use a handful (links, references).
"""

from __future__ import annotations

from .errors import Problem
from .model import Note

MAX_BRACKETS = 300


def within_budget(text: str) -> bool:
    return text.count("[") <= MAX_BRACKETS


def over_budget_problems(note: Note, texts: list[tuple[int, str]]) -> list[Problem]:
    """An error for each of ``texts`` (first line, text) of ``note`` past the budget."""
    return [Problem(note.path, line,
                    f"this text has {text.count('['):,} square brackets '[', more than {MAX_BRACKETS}: pages would "
                    "take seconds to show it",
                    "keep square brackets for links and references; remove the others or write them as (…)")
            for line, text in texts if not within_budget(text)]
