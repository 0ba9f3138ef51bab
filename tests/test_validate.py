"""Validation reports every problem as path:line: message (hint)."""

from pathlib import Path

import pytest

from ingest.build import check_notes

from .conftest import WILTON


def check_with(notes_dir: Path, wilton_note: str, old: str, new: str) -> list[str]:
    assert old in wilton_note, old
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace(old, new, 1), encoding="utf-8")
    return [str(p) for p in check_notes(notes_dir).problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_real_notes_are_clean(notes_dir):
    checked = check_notes(notes_dir)
    assert checked.problems == []
    assert checked.finding_count == 15


def test_unknown_theme_suggests_the_closest(notes_dir, wilton_note):
    problems = check_with(notes_dir, wilton_note, "- themes: financing, crowdfunding,", "- themes: financing, crowdfundng,")
    line = line_of(wilton_note, "- themes: financing, crowdfunding,")
    assert problems == [f"{WILTON}.md:{line}: error: unknown theme 'crowdfundng' "
                        "(did you mean 'crowdfunding'? tags come from notes/themes.yml)"]


@pytest.mark.parametrize("old, new, words", [
    ("- regions: europe\n", "- regions: eurpoe\n", "unknown region 'eurpoe' (did you mean 'europe'?"),
    ("- stakeholders: citizens\n", "- stakeholders: citizen\n", "unknown stakeholder 'citizen' (did you mean 'citizens'?"),
    ("- kind: recommendation", "- kind: recomendation", "unknown kind 'recomendation' (did you mean 'recommendation'?"),
])
def test_every_controlled_list_suggests(notes_dir, wilton_note, old, new, words):
    problems = check_with(notes_dir, wilton_note, old, new)
    assert len(problems) == 1 and words in problems[0]


def test_quote_not_in_the_source_document(notes_dir, wilton_note):
    quote = "> 스마트도시는 아직까지 제대로 된 개념이 존재하지 않으며"
    problems = check_with(notes_dir, wilton_note, quote, "> 스마트도시는 이미 제대로 된 개념이 존재하며")
    assert problems == [f"{WILTON}.md:{line_of(wilton_note, quote)}: error: quote not found in "
                        "sources/wilton-park-2016-trip-report.ko.txt (quotes must be verbatim passages "
                        "of the source document; copy the text exactly)"]


def test_quote_comparison_ignores_line_breaks(notes_dir, wilton_note):
    quote = "> 스마트도시는 아직까지 제대로 된 개념이 존재하지 않으며"
    assert check_with(notes_dir, wilton_note, quote, "> 스마트도시는 아직까지\n> 제대로 된 개념이   존재하지 않으며") == []


def test_missing_field_and_reversed_dates(notes_dir, wilton_note):
    text = wilton_note.replace("type: trip-report\n", "").replace("end: 2016-03-20", "end: 2016-03-10")
    (notes_dir / f"{WILTON}.md").write_text(text, encoding="utf-8")
    problems = [str(p) for p in check_notes(notes_dir).problems]
    assert f"{WILTON}.md:1: error: front matter lacks 'type' (add 'type: …' between the '---' lines)" in problems
    assert any(p.startswith(f"{WILTON}.md:{line_of(text, 'end:')}: error: end 2016-03-10 is before start") for p in problems)


def test_chatham_house_sources_may_not_name_speakers(notes_dir, wilton_note):
    problems = check_with(notes_dir, wilton_note, "language: ko\n", "language: ko\nspeakers: [Someone]\n")
    assert problems == [f"{WILTON}.md:{line_of(wilton_note, 'language: ko') + 1}: error: 'speakers' is not allowed: "
                        "this source is under the Chatham House Rule (remove every speaker, participant and affiliation)"]


def test_duplicate_finding_id(notes_dir, wilton_note):
    problems = check_with(notes_dir, wilton_note, "- id: private-investment", "- id: retrofit-financing")
    assert len(problems) == 1
    assert "finding id 'retrofit-financing' is already used at line" in problems[0]


def test_duplicate_note_id_across_files(notes_dir, wilton_note):
    (notes_dir / "copy.md").write_text(wilton_note, encoding="utf-8")
    problems = [str(p) for p in check_notes(notes_dir).problems]
    assert problems == [f"copy.md:2: error: note id '{WILTON}' is already used by {WILTON}.md (give every note its own id)"] \
        or problems == [f"{WILTON}.md:2: error: note id '{WILTON}' is already used by copy.md (give every note its own id)"]


def test_unknown_front_matter_key_is_a_warning(notes_dir, wilton_note):
    problems = check_with(notes_dir, wilton_note, "language: ko\n", "language: ko\norganisation: KRIHS\n")
    assert len(problems) == 1
    assert "warning: unknown front-matter field 'organisation' is ignored (did you mean 'organization'?)" in problems[0]


@pytest.mark.parametrize("field, value, words", [
    ("url", r'"https://example.org/report\n"', "must be a web address"),
    ("id", r'"2016-03-wilton-park-smart-cities\n"', "must be lowercase words joined by '-'"),
    ("country", r'"GB\n"', "must be an ISO 3166 two-letter code"),
])
def test_newline_in_a_front_matter_value_is_refused(notes_dir, wilton_note, field, value, words):
    """Checks match the whole value: a trailing newline (YAML "…\\n") is not let through by '$'."""
    problems = check_with(notes_dir, wilton_note, "language: ko\n", f"language: ko\n{field}: {value}\n")
    assert any(f"{WILTON}.md:" in p and words in p for p in problems), problems
