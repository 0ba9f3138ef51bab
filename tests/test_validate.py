"""Validation reports every problem as path:line: message (hint).

Each kind of bad note (unknown tags with suggestions, duplicate ids, missing fields, reversed dates,
quotes not in the source, Chatham House speakers, unknown front-matter keys) is one case of
tests/test_bad_notes.py, through `check` and `build`; here only what those cases do not cover."""

from pathlib import Path

import pytest

from ingest.build import check_notes

from .conftest import WILTON


def check_with(notes_dir: Path, wilton_note: str, old: str, new: str) -> list[str]:
    assert old in wilton_note, old
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace(old, new, 1), encoding="utf-8")
    return [str(p) for p in check_notes(notes_dir).problems]


def test_the_frozen_corpus_is_clean(notes_dir):
    checked = check_notes(notes_dir)
    assert checked.problems == []
    assert checked.finding_count == 15


def test_quote_comparison_ignores_line_breaks(notes_dir, wilton_note):
    quote = "> 스마트도시는 아직까지 제대로 된 개념이 존재하지 않으며"
    assert check_with(notes_dir, wilton_note, quote, "> 스마트도시는 아직까지\n> 제대로 된 개념이   존재하지 않으며") == []


@pytest.mark.parametrize("field, value, words", [
    ("url", r'"https://example.org/report\n"', "must be a web address"),
    ("id", r'"2016-03-wilton-park-smart-cities\n"', "must be lowercase words joined by '-'"),
    ("country", r'"GB\n"', "must be an ISO 3166 two-letter code"),
])
def test_newline_in_a_front_matter_value_is_refused(notes_dir, wilton_note, field, value, words):
    """Checks match the whole value: a trailing newline (YAML "…\\n") is not let through by '$'."""
    problems = check_with(notes_dir, wilton_note, "language: ko\n", f"language: ko\n{field}: {value}\n")
    assert any(f"{WILTON}.md:" in p and words in p for p in problems), problems
