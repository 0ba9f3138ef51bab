"""Suggestions on notes the suggester did not learn from (ingest/draft/suggest_eval.py): leave
one curated note out at a time, suggest its findings' themes from the others, and compare with
its curated themes. The seed (Wilton Park), whose words the vocabulary was written from, is
reported beside the measure, not in it."""

from __future__ import annotations

import pytest

from ingest.draft.suggest_eval import ROOT, SEED, curated_notes, leave_one_out, measure, table
from ingest.notes.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def folds():
    vocabulary = load_vocabulary(ROOT / "notes" / "themes.yml", "themes.yml")
    return leave_one_out(vocabulary, curated_notes())


def test_the_measure_holds_notes_of_other_shapes(folds):
    """The repository's note, the curated fixtures and the press release and research report
    written for this measure; each note once, placeholder-tagged fixtures left out."""
    notes = {fold.note for fold in folds}
    assert {SEED, "2025-03-smart-city-data-press-release", "2024-11-smart-mobility-research-report",
            "2024-05-smart-city-indicators-study"} <= notes
    assert "2020-01-hostile-payloads" not in notes and len(notes) == len(folds)
    assert measure(folds).candidates >= 25


def test_held_out_precision_is_at_least_80_percent(folds):
    """A curated theme among the top two, over the held-out candidates with a suggestion."""
    print("\n" + table(folds))
    assert measure(folds).precision >= 0.80


@pytest.mark.xfail(strict=True, reason="measured 42 % (11 of 26 held-out candidates) at the threshold chosen on the "
                                       "seed and the Singapore report: too few curated notes to learn from yet; "
                                       "see docs/draft.md")
def test_held_out_coverage_is_at_least_60_percent(folds):
    """The share of held-out candidates with a suggestion."""
    assert measure(folds).coverage >= 0.60


def test_the_seed_is_reported_beside_the_measure(folds):
    seed = next(fold for fold in folds if fold.note == SEED)
    assert seed.candidates == 15 and seed.precision >= 0.9
    assert f"{SEED} (seed, not the measure)" in table(folds)
