"""How close the draft of the Wilton Park report comes to the note a researcher curated from it
by hand (notes/2016-03-wilton-park-smart-cities.md, 15 findings).

- recall: curated findings whose quotes all lie within the draft's candidates (a curated quote
  is often part of a bullet; a candidate quotes the whole bullet);
- theme accuracy: of those, how often a curated theme is among the candidate's top two.
The floor is the issue's: recall at least 12 of 15, accuracy at least 80 %.
"""

from __future__ import annotations

from ingest.draft.draft import draft_report
from ingest.notes.parse import read_note

from .conftest import WILTON
from .test_draft import DRAFT, WILTON_REPORT


def test_recall_and_top_two_theme_accuracy_against_the_curated_note(notes_dir, record_property, capsys):
    draft_report(WILTON_REPORT, notes_dir)
    draft = read_note(notes_dir / DRAFT, notes_dir)
    curated = read_note(notes_dir / f"{WILTON}.md", notes_dir)
    candidates = [(finding.quotes[0].text, finding.values("themes")) for finding in draft.findings]

    def holding(quote: str):
        return next((themes for text, themes in candidates if quote in text), None)

    recalled = [f for f in curated.findings if all(holding(q.text) is not None for q in f.quotes)]
    first_quote = [f for f in curated.findings if holding(f.quotes[0].text) is not None]
    quotes = [q for f in curated.findings for q in f.quotes]
    quotes_in = [q for q in quotes if holding(q.text) is not None]
    accurate = [f for f in recalled if set(f.values("themes")) & set(holding(f.quotes[0].text)[:2])]
    accuracy = len(accurate) / len(recalled)

    figures = {"recall": f"{len(recalled)}/{len(curated.findings)}",
               "recall_by_first_quote": f"{len(first_quote)}/{len(curated.findings)}",
               "quotes_within_candidates": f"{len(quotes_in)}/{len(quotes)}",
               "top_two_theme_accuracy": f"{len(accurate)}/{len(recalled)} = {accuracy:.0%}",
               "candidates": len(candidates)}
    for name, value in figures.items():
        record_property(name, value)
    with capsys.disabled():
        print("\ndraft vs curated note:", ", ".join(f"{k} {v}" for k, v in figures.items()))
    missed = [f.slug for f in curated.findings if f not in recalled]
    assert len(curated.findings) == 15
    assert len(recalled) >= 12, f"missed: {missed}"
    assert accuracy >= 0.8, [f.slug for f in recalled if f not in accurate]
