"""How well the draft's theme suggestions hold on notes they did not learn from.

Leave one note out at a time: the held-out note's findings are the candidates (each passage is
its quotes, as a draft's candidate is the bullet it quotes), the other notes are the curated
findings the suggester learns from, and the note's own themes are the truth.

- **precision**: the share of candidates with a suggestion that have a curated theme among the
  top two;
- **coverage**: the share of candidates with a suggestion.

The measure pools every held-out note except the seed (the Wilton Park note, which the
vocabulary's first keywords were written from): the seed's own figures are printed beside it.
The notes written for the measure (tests/fixtures/suggest-notes/) were each committed before
any figure was measured on them; docs/draft.md says in which order, and what was seen. Notes
whose tags are placeholders (the hostile, formula and remote fixtures tag every payload
``governance``) or that are broken on purpose (bad-notes) are not curation and are left out; a
note found twice (the corpus's copy of the seed, the good-notes' copies of one study) counts once.

``python -m ingest.draft.suggest_eval`` (or ``make suggest-eval``) prints the table;
``tests/test_suggest_generalise.py`` asserts on the same figures.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..notes.discover import VOCABULARY_FILE, discover
from ..notes.model import Finding, Note
from ..notes.parse import read_note
from ..notes.vocabulary import CONCEPT_LISTS, Vocabulary, load_vocabulary
from ..search import korean
from .curated import CuratedFindings
from .suggest import Suggester
from .suggest_scores import THRESHOLD

ROOT = Path(__file__).resolve().parents[2]
SEED = "2016-03-wilton-park-smart-cities"
# Folders holding curated notes: the repository's, then the test fixtures' that are curated.
FOLDERS = ("notes", "tests/fixtures/corpus", "tests/fixtures/study-note", "tests/fixtures/good-notes",
           "tests/fixtures/suggest-notes")
TOP = 2  # a suggestion counts as right when a curated theme is among the first two


@dataclass
class Fold:
    note: str
    candidates: int = 0
    suggested: int = 0
    right: int = 0  # a curated theme among the top two

    @property
    def precision(self) -> float:
        return self.right / self.suggested if self.suggested else 0.0

    @property
    def coverage(self) -> float:
        return self.suggested / self.candidates if self.candidates else 0.0

    def __add__(self, other: Fold) -> Fold:
        return Fold("", self.candidates + other.candidates, self.suggested + other.suggested, self.right + other.right)


def curated_notes(root: Path = ROOT, folders: Sequence[str] = FOLDERS) -> list[Note]:
    """Every curated note of those folders, once per note id, in order."""
    notes: dict[str, Note] = {}
    for folder in folders:
        for path in discover(root / folder)[0]:
            note = read_note(path, root / folder)
            if note.front_matter.get("status") != "draft" and any(f.values("themes") for f in note.findings):
                notes.setdefault(note.id, note)
    return list(notes.values())


def passage(finding: Finding) -> str:
    return "\n".join(quote.text for quote in finding.quotes) or finding.attributes.get("title_ko", "")


def leave_one_out(vocabulary: Vocabulary, notes: Sequence[Note], threshold: float = THRESHOLD) -> list[Fold]:
    """One fold per note: its findings' themes suggested from every other note's."""
    return leave_one_out_lists(vocabulary, notes, threshold)["themes"]


def leave_one_out_lists(vocabulary: Vocabulary, notes: Sequence[Note], threshold: float = THRESHOLD
                        ) -> dict[str, list[Fold]]:
    """The folds of themes, regions and stakeholders, from one suggestion per finding: a
    finding counts for a list where its note curated that list for it."""
    analyse = _cached(korean.index_texts)
    folds: dict[str, list[Fold]] = {name: [] for name in CONCEPT_LISTS}
    for held_out in notes:
        curated = CuratedFindings.from_notes([note for note in notes if note is not held_out], analyse)
        suggester = Suggester(vocabulary, curated, threshold)
        for name in CONCEPT_LISTS:
            folds[name].append(Fold(held_out.id))
        for finding in held_out.findings:
            if not finding.values("themes"):
                continue
            suggestions = suggester.suggest(passage(finding))
            for name in CONCEPT_LISTS:
                truth = set(finding.values(name))
                if not truth:
                    continue
                fold, slugs = folds[name][-1], [s.slug for s in suggestions[name]]
                fold.candidates += 1
                fold.suggested += bool(slugs)
                fold.right += bool(truth & set(slugs[:TOP]))
    return folds


def measure(folds: Sequence[Fold], seed: str = SEED) -> Fold:
    """The held-out figures: every fold but the seed's, pooled."""
    total = Fold("held out")
    for fold in folds:
        if fold.note != seed:
            total = total + fold
    total.note = "held out (the measure)"
    return total


def table(folds: Sequence[Fold], seed: str = SEED) -> str:
    rows = ["| held-out note | candidates | suggested | right (top two) | precision | coverage |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for fold in [*folds, measure(folds, seed)]:
        name = f"{fold.note} (seed, not the measure)" if fold.note == seed else fold.note
        rows.append(f"| {name} | {fold.candidates} | {fold.suggested} | {fold.right} | "
                    f"{fold.precision:.0%} | {fold.coverage:.0%} |")
    return "\n".join(rows)


def _cached(analyse):
    """The analysis of each text once: every fold indexes the same findings again."""
    seen: dict[str, str] = {}

    def cached(texts: Sequence[str]) -> list[str]:
        missing = [text for text in dict.fromkeys(texts) if text not in seen]
        seen.update(zip(missing, analyse(missing)))
        return [seen[text] for text in texts]
    return cached


def main(argv: Sequence[str] = ()) -> None:
    vocabulary = load_vocabulary(ROOT / "notes" / VOCABULARY_FILE, VOCABULARY_FILE)
    notes = curated_notes()
    thresholds = [float(t) for t in argv] or [THRESHOLD]
    for threshold in thresholds:
        print(f"\nthreshold {threshold:g} (leave one note out; themes of {len(notes)} curated notes)\n")
        folds = leave_one_out_lists(vocabulary, notes, threshold)
        print(table(folds["themes"]))
        print("\nthe other lists (reported, not the measure), held out pooled:\n")
        print("| list | candidates | suggested | right (top two) | precision | coverage |\n| --- | ---: | ---: | ---: | ---: | ---: |")
        for name in CONCEPT_LISTS[1:]:
            total = measure(folds[name])
            print(f"| {name} | {total.candidates} | {total.suggested} | {total.right} | "
                  f"{total.precision:.0%} | {total.coverage:.0%} |")

if __name__ == "__main__":
    main(sys.argv[1:])
