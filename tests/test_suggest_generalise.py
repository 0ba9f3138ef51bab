"""Suggestions on notes the suggester did not learn from (ingest/draft/suggest_eval.py): leave
one curated note out at a time, suggest its findings' themes from the others, and compare with
its curated themes. The seed (Wilton Park), whose words the vocabulary was first written from, is
reported beside the measure, not in it. The bar is the issue's: precision >= 80 % and coverage
>= 60 % over the held-out candidates, at the threshold chosen before they were written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.build import check_notes
from ingest.draft.suggest_eval import ROOT, SEED, curated_notes, leave_one_out, leave_one_out_lists, measure, table
from ingest.notes.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def every_list():
    vocabulary = load_vocabulary(ROOT / "notes" / "themes.yml", "themes.yml")
    return leave_one_out_lists(vocabulary, curated_notes())


@pytest.fixture(scope="module")
def folds(every_list):
    return every_list["themes"]


def test_the_measure_holds_notes_of_other_shapes(folds):
    """The repository's note, the curated fixtures and the press release and research report
    written for this measure; each note once, placeholder-tagged fixtures left out."""
    notes = {fold.note for fold in folds}
    assert {SEED, "2025-03-smart-city-data-press-release", "2024-11-smart-mobility-research-report",
            "2024-05-smart-city-indicators-study"} <= notes
    # written later, and committed before any figure was measured on them (docs/draft.md)
    assert {"2025-06-smart-city-financing-brief", "2025-04-urban-digital-twins-brief",
            "2025-09-data-governance-forum", "2025-10-hanoi-bac-ninh-site-visit"} <= notes
    # the confirmation batch, written after the crosswalk keywords and measured once
    assert {"2025-07-busan-eco-delta-press-release", "2025-05-secondary-cities-roundtable",
            "2025-08-city-smart-officer-interview"} <= notes
    assert "2020-01-hostile-payloads" not in notes and len(notes) == len(folds)
    assert measure(folds).candidates >= 80


def test_the_notes_written_for_the_measure_pass_ingest_check(tmp_path: Path):
    """Breaks if a held-out note's quote is not verbatim in its source document, or a tag is
    not in notes/themes.yml: a measure on malformed notes would measure nothing."""
    notes = tmp_path / "notes"
    shutil.copytree(ROOT / "tests" / "fixtures" / "suggest-notes", notes)
    shutil.copy(ROOT / "notes" / "themes.yml", notes / "themes.yml")
    checked = check_notes(notes)
    assert checked.problems == [] and len(checked.notes) >= 9


def test_held_out_precision_is_at_least_80_percent(folds):
    """A curated theme among the top two, over the held-out candidates with a suggestion."""
    print("\n" + table(folds))
    assert measure(folds).precision >= 0.80


def test_held_out_coverage_is_at_least_60_percent(folds):
    """The share of held-out candidates with a suggestion."""
    assert measure(folds).coverage >= 0.60


def test_the_seed_is_reported_beside_the_measure(folds):
    seed = next(fold for fold in folds if fold.note == SEED)
    assert seed.candidates == 15 and seed.precision >= 0.9
    assert f"{SEED} (seed, not the measure)" in table(folds)


def test_regions_and_stakeholders_are_measured_where_curated(every_list):
    """Reported beside the measure (make suggest-eval): each list counts the held-out findings
    that curate it, and the themes' folds are those of ``leave_one_out``. Breaks if a list is
    measured on findings that have no truth for it."""
    notes = curated_notes()
    for name in ("regions", "stakeholders"):
        expected = sum(1 for note in notes if note.id != SEED for f in note.findings
                       if f.values("themes") and f.values(name))
        assert measure(every_list[name]).candidates == expected
        assert 0 <= measure(every_list[name]).right <= measure(every_list[name]).suggested
    vocabulary = load_vocabulary(ROOT / "notes" / "themes.yml", "themes.yml")
    assert [vars(f) for f in leave_one_out(vocabulary, notes[:3])] == \
        [vars(f) for f in leave_one_out_lists(vocabulary, notes[:3])["themes"]]
