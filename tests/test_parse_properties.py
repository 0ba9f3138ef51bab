"""Whatever a researcher's editor saves, the parser answers with a Note or a NoteError,
and validation of what parses answers with Problems: never any other exception."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.build import check_notes
from ingest.notes.errors import NoteError
from ingest.notes.model import Note
from ingest.notes.parse import decode, parse_note
from ingest.notes.validate import Validator

from .conftest import NOTES, WILTON, examples

REAL_NOTE = (NOTES / f"{WILTON}.md").read_text(encoding="utf-8")
REAL_LINES = REAL_NOTE.split("\n")
VOCABULARY = check_notes(NOTES).vocabulary
EXAMPLES = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Fragments that matter to the note format, YAML and Markdown: mutations splice them in.
FRAGMENTS = ["---", "...", "## ", "- ", "> ", ": ", "```", "~~~", "id:", "- id: x", "- themes: ", "start: ",
             "2016-13-45", "2016-02-30 25:00", "!!int x", "!!binary", "!!python/object:os.system", "&a", "*a",
             "<<: *a", "[", "]", "{", "}", "'", '"', "\\", "\t", "\r\n", "\r", "\ufeff", "\x00", "\u2028",
             "\x85", "한국어", "|", ">-", "? ", "%YAML 1.1", "#", "access: internal", "rule: chatham-house"]


def parse_and_validate(text: str) -> None:
    try:
        note = parse_note(text, "note.md")
    except NoteError as error:
        assert error.problem.path == "note.md" and error.problem.line >= 1
        return
    assert isinstance(note, Note)
    validator = Validator(VOCABULARY, NOTES)
    problems = validator.check(note) + validator.check(note)  # the second time, a duplicate id
    assert all(problem.path == "note.md" and problem.line >= 1 for problem in problems)
    assert all(isinstance(str(problem), str) for problem in problems)


@st.composite
def mutated_notes(draw) -> str:
    lines = list(REAL_LINES)
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "splice", "truncate", "swap"]))
        if action == "delete":
            del lines[where]
        elif action == "duplicate":
            lines.insert(where, lines[where])
        elif action == "insert":
            lines.insert(where, draw(st.sampled_from(FRAGMENTS) | st.text(max_size=40)))
        elif action == "splice":
            line = lines[where]
            cut = draw(st.integers(0, len(line)))
            lines[where] = line[:cut] + draw(st.sampled_from(FRAGMENTS) | st.text(max_size=10)) + line[cut:]
        elif action == "truncate":
            lines = lines[:where]
        else:
            other = draw(st.integers(0, len(lines) - 1))
            lines[where], lines[other] = lines[other], lines[where]
        if not lines:
            break
    return "\n".join(lines)


@EXAMPLES
@given(st.text())
@example("---\nstart: 2016-13-45\n---\n")
@example("---\na: &a [*a]\n---\n")
@example("---\nid: !!int abc\n---\n")
@example("---\n" + "[" * 2000 + "\n---\n")
@example("---\ndocument: \"a\\0b\"\n---\n## x\n- id: a\n\n> q\n")
def test_any_text_gives_a_note_or_a_note_error(text):
    parse_and_validate(text)


@EXAMPLES
@given(mutated_notes())
def test_any_mutation_of_the_real_note_gives_a_note_or_a_note_error(text):
    parse_and_validate(text)


@EXAMPLES
@given(st.binary(max_size=400) | st.builds(lambda b, t: t.encode("cp949", "ignore") + b, st.binary(max_size=20), st.text()))
def test_any_bytes_decode_or_give_a_note_error(raw):
    try:
        decode(raw, "note.md")
    except NoteError as error:
        assert error.problem.line >= 1 and "not UTF-8" in error.problem.message
