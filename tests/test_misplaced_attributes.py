"""A line that looks like an attribute but stands where it is read as text ('- access: internal'
below the quote or summary) is an error naming file and line: it never silently publishes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ingest.build import check_notes
from ingest.notes.parse import parse_note

from .conftest import ROOT

QUOTE = "Residents bought shares in the qzxdistrict heating scheme."
NOTE = f"""---
id: 2019-05-fixture-study
title: A study of citizen finance
title_ko: 시민 금융 연구
type: study
access: public
---

Notes on a short study.

## Citizens fund local projects
- id: citizen-funding
- title_ko: 시민이 지역 사업에 투자
- themes: crowdfunding
- kind: observation

> {QUOTE}

Citizens invest when they can see the project from their window.
"""
SUMMARY = "Citizens invest when they can see the project from their window.\n"
ATTRIBUTES_END = "- kind: observation\n"


def note_with(old: str, new: str) -> str:
    assert old in NOTE, old
    return NOTE.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line == needle)


def problems_of(notes_dir: Path, text: str) -> list[str]:
    (notes_dir / "study.md").write_text(text, encoding="utf-8")
    return [str(p) for p in check_notes(notes_dir).problems if p.path == "study.md"]


@pytest.mark.parametrize("misplaced", [
    "- access: internal", "- themes: financing", "- id: other-id", "- kind: question", "- title_ko: 다른 제목",
    "- regions: europe", "- stakeholders: citizens", "* access: internal", "  - access: internal",
    "- access : internal", "- Access: internal",
])
@pytest.mark.parametrize("where", ["after the summary", "between quote and summary", "after a blank line"])
def test_a_misplaced_finding_attribute_is_an_error_with_file_line(notes_dir, misplaced, where):
    old, new = {
        "after the summary": (SUMMARY, f"{SUMMARY}{misplaced}\n"),
        "between quote and summary": (f"> {QUOTE}\n\n", f"> {QUOTE}\n\n{misplaced}\n\n"),
        "after a blank line": (ATTRIBUTES_END, f"{ATTRIBUTES_END}\n{misplaced}\n"),
    }[where]
    text = note_with(old, new)
    key = misplaced.strip(" -*").split(":")[0].strip()
    assert f"study.md:{line_of(text, misplaced)}: error: '- {key}:' below the finding's attribute list is read as " \
           f"summary text, not as its {key.lower()} (move it up into the attribute list right under the heading" \
           in "\n".join(problems_of(notes_dir, text))


@pytest.mark.parametrize("misplaced", ["- rule: chatham-house", "- document: sources/study.txt", "- type: study",
                                       "- url: https://example.org"])
def test_a_front_matter_field_written_in_a_finding_is_an_error(notes_dir, misplaced):
    for text in (note_with(SUMMARY, f"{SUMMARY}\n{misplaced}\n"),  # in the text
                 note_with(ATTRIBUTES_END, f"{ATTRIBUTES_END}{misplaced}\n")):  # in the attribute list
        key = misplaced[2:].split(":")[0]
        [problem] = problems_of(notes_dir, text)
        assert problem.startswith(f"study.md:{line_of(text, misplaced)}: error: ") and f"'{key}'" in problem
        assert "move it into the front matter between the '---' lines" in problem


@pytest.mark.parametrize("misplaced", ["- access: internal", "- rule: chatham-house", "- kind: question"])
def test_a_field_in_the_text_before_the_first_finding_is_an_error(notes_dir, misplaced):
    text = note_with("Notes on a short study.\n", f"Notes on a short study.\n\n{misplaced}\n")
    [problem] = problems_of(notes_dir, text)
    assert problem.startswith(f"study.md:{line_of(text, misplaced)}: error: '{misplaced[:misplaced.index(':') + 1]}' "
                              "before the first finding is read as the note's text")


@pytest.mark.parametrize("attribute", ["- Access: internal", "- acess: internal", "- accses: internal"])
def test_a_misspelt_access_attribute_is_an_error_not_a_warning(notes_dir, attribute):
    """Ignored with a warning, a misspelt '- access: internal' would publish the finding."""
    text = note_with(ATTRIBUTES_END, f"{ATTRIBUTES_END}{attribute}\n")
    [problem] = problems_of(notes_dir, text)
    assert problem.startswith(f"study.md:{line_of(text, attribute)}: error: ")


@pytest.mark.parametrize("prose", [
    "- access to data is uneven between cities",
    "- themes of the day: finance and trust",
    "- Access to finance: small cities lack it",
    "- **access**: only for members",
    "1. access: only for members",
    "- Seoul: a city that already pays for its data platform",
    "```\n- access: internal\n```",
    "~~~markdown\n- themes: financing\n~~~",
])
def test_prose_that_resembles_an_attribute_is_not_an_error(notes_dir, prose):
    assert problems_of(notes_dir, note_with(SUMMARY, f"{SUMMARY}\n{prose}\n")) == []


def test_a_person_field_in_the_text_of_a_chatham_house_note_is_an_error(notes_dir):
    text = note_with("access: public\n", "access: public\nrule: chatham-house\n")
    text = text.replace(SUMMARY, f"{SUMMARY}- speaker: Jane Doe, Example City Council\n")
    [problem] = problems_of(notes_dir, text)
    assert problem.startswith(f"study.md:{line_of(text, '- speaker: Jane Doe, Example City Council')}: error: "
                              "'speaker' is not allowed: this source is under the Chatham House Rule")


def test_the_parser_records_attribute_shaped_lines_below_the_list_with_their_lines():
    text = note_with(SUMMARY, f"{SUMMARY}- access: internal\n```\n- kind: question\n```\n")
    [finding] = parse_note(text, "study.md").findings
    assert finding.attributes.get("access") is None
    assert finding.body_attributes == [(line_of(text, "- access: internal"), "access")]


def ingest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.slow  # subprocess builds scanned byte by byte, as test_public_build: not in make test-fast
def test_a_misplaced_access_line_does_not_publish_the_finding(notes_dir, tmp_path):
    """The defect: '- access: internal' after the summary became summary text, `check` said
    nothing and `build --public` shipped the finding, quote and all."""
    public_db = tmp_path / "public" / "insights.db"
    public_db.parent.mkdir()
    note = notes_dir / "study.md"
    note.write_text(NOTE, encoding="utf-8")
    assert ingest("build", "--public", "--notes", str(notes_dir), "-o", str(public_db)).returncode == 0
    assert QUOTE.encode() in public_db.read_bytes()  # the control: the scan can see the quote
    note.write_text(NOTE.replace(f"> {QUOTE}", "> Something else was said.") , encoding="utf-8")
    assert ingest("build", "--public", "--notes", str(notes_dir), "-o", str(public_db)).returncode == 0
    before = public_db.read_bytes()
    assert QUOTE.encode() not in before

    text = note_with(SUMMARY, f"{SUMMARY}- access: internal\n")
    note.write_text(text, encoding="utf-8")
    line = f"study.md:{line_of(text, '- access: internal')}: error: '- access:' below the finding's attribute list"
    checked = ingest("check", "--notes", str(notes_dir))
    assert checked.returncode == 1 and line in checked.stderr
    built = ingest("build", "--public", "--notes", str(notes_dir), "-o", str(public_db))
    assert built.returncode == 1 and line in built.stderr and "build refused" in built.stderr
    assert public_db.read_bytes() == before
    assert not [p for p in public_db.parent.iterdir() if QUOTE.encode() in p.read_bytes()]
