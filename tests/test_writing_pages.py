"""What the writing room's pages show besides the note (ingest/serve/writing_pages.py,
writing_config.py) and how a note is found by its id (ingest/write/note_files.py)."""

from __future__ import annotations

import pytest

from ingest.serve.writing_config import DEFAULT_UPLOAD_BYTES, upload_bytes
from ingest.serve.writing_pages import RULES, options, reasons, tag_choices, vocabulary_of, with_current
from ingest.write.note_files import find_note

from .conftest import WILTON


class FakeDatasette:  # only the metadata as given: the config readers take nothing else
    def __init__(self, insights: dict):
        self._metadata_local = {"plugins": {"insights": insights}}


def test_a_note_is_found_by_the_id_in_its_front_matter_not_its_file_name(notes_dir):
    assert find_note(notes_dir, WILTON) == f"{WILTON}.md"
    (notes_dir / "drafts").mkdir()
    moved = (notes_dir / f"{WILTON}.md").read_text(encoding="utf-8")
    (notes_dir / f"{WILTON}.md").unlink()
    (notes_dir / "drafts" / "renamed.md").write_text(moved, encoding="utf-8")
    assert find_note(notes_dir, WILTON) == "drafts/renamed.md"
    assert find_note(notes_dir, "renamed") is None, "a file's name is not its id"


@pytest.mark.parametrize("note_id", ["../themes", "..", "x/../../etc", "sources", "themes.yml", "", "A", "a b"])
def test_what_is_no_note_id_finds_nothing(notes_dir, note_id):
    """Breaks if a URL's id were ever used to build a path."""
    assert find_note(notes_dir, note_id) is None


def test_the_database_hint_is_checked_against_the_file(notes_dir):
    assert find_note(notes_dir, WILTON, hint=f"{WILTON}.md") == f"{WILTON}.md"
    assert find_note(notes_dir, "not-there", hint=f"{WILTON}.md") is None
    assert find_note(notes_dir, WILTON, hint="../../etc/passwd") == f"{WILTON}.md"


def test_the_upload_limit_comes_from_the_metadata_then_the_environment():
    assert upload_bytes(FakeDatasette({}), {}) == DEFAULT_UPLOAD_BYTES == 50_000_000
    assert upload_bytes(FakeDatasette({}), {"INSIGHTS_UPLOAD_BYTES": "1_000"}) == 1000
    assert upload_bytes(FakeDatasette({"upload_bytes": 2000}), {"INSIGHTS_UPLOAD_BYTES": "1000"}) == 2000
    with pytest.raises(ValueError, match="INSIGHTS_UPLOAD_BYTES"):
        upload_bytes(FakeDatasette({}), {"INSIGHTS_UPLOAD_BYTES": "lots"})


def test_the_draft_s_reasons_are_read_per_tag():
    assert reasons("crowdfunding: 클라우드 펀딩, 시민들이 주체; private-investment: 민간투자자") == (
        {"crowdfunding": "클라우드 펀딩, 시민들이 주체", "private-investment": "민간투자자"}, "")
    assert reasons("no region named in the bullet") == ({}, "no region named in the bullet")
    assert reasons(None) == ({}, "")


def test_tags_are_offered_in_both_languages_with_the_suggestions_beside_them(notes_dir):
    vocabulary = vocabulary_of(notes_dir)
    choices = tag_choices(vocabulary, "themes", ["finanzing", "crowdfunding"], "crowdfunding: 클라우드 펀딩; strategy: 전략")
    typo, crowdfunding, *rest = choices["boxes"]
    assert typo["slug"] == "finanzing" and typo["checked"] and typo["unknown"], "a typo stays visible, checked"
    assert crowdfunding["slug"] == "crowdfunding" and crowdfunding["checked"] and crowdfunding["reason"] == "클라우드 펀딩"
    assert crowdfunding["ko"] == vocabulary.themes["crowdfunding"].ko and crowdfunding["en"] == vocabulary.themes["crowdfunding"].en
    assert choices["chosen"] == 2 and not any(b["checked"] for b in rest)
    strategy = next(b for b in rest if b["slug"] == "strategy")
    assert strategy["reason"] == "전략", "a suggestion the editor unticked keeps its reason"
    assert {b["slug"] for b in rest} | {"crowdfunding"} == set(vocabulary.themes)
    assert max(b["depth"] for b in rest) >= 1, "themes under a parent are indented"


def test_chosen_tags_come_first_in_the_note_s_order(notes_dir):
    """Breaks if a form sent back unchanged reordered a note's tags (a browser posts boxes in page order)."""
    boxes = tag_choices(vocabulary_of(notes_dir), "themes", ["strategy", "concept-and-standards"], None)["boxes"]
    assert [b["slug"] for b in boxes[:2]] == ["strategy", "concept-and-standards"]


def test_every_rule_has_its_one_line_explanation_and_a_todo_stays_a_choice(notes_dir):
    vocabulary = vocabulary_of(notes_dir)
    assert [value for value, _ in options(vocabulary, "rule")] == list(RULES) == ["chatham-house", "none"]
    assert "never who said it" in RULES["chatham-house"][1]
    assert with_current(options(vocabulary, "access"), "TODO")[0][0] == "TODO"
    assert {value for value, _ in options(vocabulary, "kind")} == set(vocabulary.kinds)
