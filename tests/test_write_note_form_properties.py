"""Properties of the writing room's round trip (ingest/write/note_form.py), over texts no one
wrote by hand: any text comes back byte for byte, and no value typed into the form changes the
note's structure (values are data)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.notes.errors import NoteError
from ingest.notes.parse import parse_note
from ingest.write.finding_blocks import attribute_value
from ingest.write.lines import form_text, one_line
from ingest.write.note_form import FindingCard, read_form, write_form

from .conftest import NOTES, WILTON, examples

REAL_NOTE = (NOTES / f"{WILTON}.md").read_bytes().decode("utf-8")
EXAMPLES = settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
FRAGMENTS = ["---", "...", "## ", "- ", "> ", ">", ": ", ":", "```", "~~~", "- id: x", "- themes: a", "- access: internal",
             "#", " # ", "\t#", "'", '"', "\\", "\t", "\n", "\r\n", "\r", "\n\n", "\ufeff", "\u2028", "\x85", "한국어",
             "|", ">-", "[", "{", "&a", "*a", "!!int", "2016-03-17", "yes", "null", "~", "   ", "TODO"]
values = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=8).map("".join)


@st.composite
def mutated_notes(draw) -> str:
    lines = REAL_NOTE.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "insert", "splice", "truncate"]))
        if action == "delete" and len(lines) > 1:
            del lines[where]
        elif action in ("insert", "delete"):
            lines.insert(where, draw(values))
        elif action == "splice":
            cut = draw(st.integers(0, len(lines[where])))
            lines[where] = lines[where][:cut] + draw(values) + lines[where][cut:]
        else:
            lines = lines[:where] or [""]
    return draw(st.sampled_from(["", "\ufeff"])) + draw(st.sampled_from(["\n", "\r\n"])).join(lines)


@EXAMPLES
@given(mutated_notes())
@example("")
@example("---\n")
@example("## only a heading")
@example("---\nid: x\n---\n```\n## fenced\n")
def test_any_text_comes_back_byte_for_byte(text):
    """Breaks if some text, however broken, is not given back unchanged by a form saved without a change."""
    assert write_form(text, read_form(text)) == text


def reads(text: str):
    try:
        return parse_note(text, "note.md")
    except NoteError as error:  # pragma: no cover - the test fails with the reason
        raise AssertionError(error.problem) from None


@EXAMPLES
@given(title=values, title_ko=values, event=values, card_title=values, card_title_ko=values, tag=values,
       quote=values, summary=values, body=values)
@example(title="a: b # c", title_ko="x\n---\ny", event="'", card_title="## x", card_title_ko="a # b",
         tag="a, b #", quote="> q\n\n## h", summary="```\n## hidden", body="## body heading")
@example(title="", title_ko="", event="", card_title="", card_title_ko="", tag="", quote="", summary="- id: x",
         body="- kind: question")
def test_no_value_typed_into_the_form_changes_the_notes_structure(title, title_ko, event, card_title, card_title_ko,
                                                                    tag, quote, summary, body):
    """Breaks if a value with '#', ':', line breaks, '## ', '> ', '- id:' or a fence opens a field, a finding,
    a quote or a comment, or is read back as another value than the one written."""
    form = read_form(REAL_NOTE)
    form.fields.update(title=title, title_ko=title_ko, event=event)
    form.body = body
    first = form.findings[0]
    first.title, first.title_ko, first.regions = card_title, card_title_ko, [tag]
    first.quotes = [quote]
    first.summary = summary
    form.findings.append(FindingCard(id="by-hand", title=card_title, title_ko=card_title_ko, kind="question",
                                     themes=[tag], regions=[], stakeholders=[], quotes=[quote], summary=summary))
    note = reads(write_form(REAL_NOTE, form))

    for key, value in (("title", title), ("title_ko", title_ko), ("event", event)):
        assert note.front_matter.get(key) == (one_line(value) or None)
    assert [f.slug for f in note.findings] == [c.id for c in form.findings]
    for finding in (note.findings[0], note.findings[-1]):
        assert finding.title == one_line(card_title)
        assert finding.attributes.get("title_ko", "") == attribute_value(card_title_ko)
        tags = [t.strip() for t in attribute_value(tag).split(",") if t.strip()]
        assert finding.values("regions" if finding is note.findings[0] else "themes") == tags
        assert [" ".join(q.text.split()) for q in finding.quotes] == ([" ".join(form_text(quote).split())]
                                                                    if form_text(quote) else [])
        written = [unescaped(line) for line in finding.summary.split("\n")]
        typed = [unescaped(line) for line in form_text(summary).split("\n")]
        assert written in (typed, typed + ["```"])  # an unclosed fence is closed


def unescaped(line: str) -> str:
    """A summary line without the backslash that keeps '## ', '>' or '- id:' from being read as structure."""
    return re.sub(r"^(\s*)\\", r"\1", line)


@EXAMPLES
@given(mutated_notes())
def test_the_form_reads_what_the_parser_reads_whatever_the_text(text):
    """Breaks if, for some text, the cards show other titles, attributes, quotes or summaries than
    ``ingest check`` reads (the form would then edit something else than what is checked and built)."""
    try:
        note = parse_note(text, "note.md")
    except NoteError:
        return
    form = read_form(text)
    assert len(form.findings) == len(note.findings)
    assert form.body == note.body
    for card, finding in zip(form.findings, note.findings):
        assert card.title == finding.title
        for name in ("id", "title_ko", "kind"):
            assert getattr(card, name) == finding.attributes.get(name, "")
        for name in ("themes", "regions", "stakeholders"):
            assert getattr(card, name) == finding.values(name)
        assert card.access == finding.attributes.get("access")
        assert card.quotes == [q.text for q in finding.quotes] and card.summary == finding.summary
