"""The text about to be saved, judged as `ingest check` judges it, each problem beside its field
(ingest/write/problems.py). The bad-note fixtures are check's own cases: the same problems must
be found here, placed on the field a researcher would correct."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.build import check_notes
from ingest.notes.field_names import KNOWN_FIELDS
from ingest.write.form_fields import form_from_fields
from ingest.write.note_form import read_form, write_form
from ingest.write.problems import FieldProblem, check_text

from .conftest import ROOT, WILTON, examples

FIXTURES = ROOT / "tests" / "fixtures"
BAD = FIXTURES / "bad-notes"
WILTON_TEXT = (ROOT / "notes" / f"{WILTON}.md").read_bytes().decode("utf-8")
FIELDS_OF_THE_FORM = KNOWN_FIELDS | {"body"}


def lay_out(case: str, notes_dir: Path) -> str:
    shutil.copytree(BAD / case, notes_dir, dirs_exist_ok=True)
    return next(p.name for p in (BAD / case).glob("*.md"))


def problems_of(notes_dir: Path, relative: str, **options) -> list[FieldProblem]:
    return check_text(notes_dir, relative, (notes_dir / relative).read_bytes().decode("utf-8"), **options)


# (fixture, the field its problem is placed on, words of the message)
PLACED = [
    ("malformed-yaml", "title", "not valid YAML"),
    ("missing-required-field", "type", "front matter lacks 'type'"),
    ("unknown-theme", "f-1-themes", "did you mean 'crowdfunding'?"),
    ("unknown-region", "f-1-regions", "did you mean 'europe'?"),
    ("unknown-stakeholder", "f-1-stakeholders", "did you mean 'citizens'?"),
    ("unknown-kind", "f-1-kind", "did you mean 'observation'?"),
    ("unknown-source-type", "type", "did you mean 'study'?"),
    ("duplicate-note-id", "id", f"is already used by {WILTON}.md"),
    ("duplicate-finding-id-in-a-note", "f-2-id", "is already used in finding 1"),
    ("no-quote", "f-1-quote", "has no quote"),
    ("no-summary", "f-1-summary", "has no summary"),
    ("quote-not-in-source", "f-1-quote", "이 인용문이 원문에서 찾아지지 않습니다"),
    ("invalid-date", "start", "YYYY-MM-DD"),
    ("reversed-dates", "end", "is before start"),
    ("heading-without-attributes", "f-1", "has no attribute list"),
    ("no-findings", None, "has no findings"),
    ("attribute-twice", "f-1-kind", "appears twice"),
    ("field-twice", "title", "appears twice"),
    ("speaker-under-chatham-house", "speaker", "Chatham House"),
    ("script-url", "url", "must be a web address"),
    ("unclosed-front-matter", None, "not closed"),
    ("empty-note", None, "the note is empty"),
]


@pytest.mark.parametrize("case,field,words", PLACED, ids=[c[0] for c in PLACED])
def test_each_problem_check_finds_is_placed_beside_its_field(case, field, words, notes_dir):
    """Breaks if a problem check reports is missed, placed on the wrong field, or shows a file:line."""
    relative = lay_out(case, notes_dir)
    found = problems_of(notes_dir, relative)
    matching = [p for p in found if words in p.message]
    assert matching, found
    assert matching[0].field == field and matching[0].severity == "error"
    assert all(f"{relative}:" not in p.message for p in found)


def test_the_same_errors_as_check_for_every_bad_note(notes_dir):
    """Breaks if check_text finds fewer or more errors in a note than `ingest check` does."""
    for case in sorted(p.name for p in BAD.iterdir() if any(p.glob("*.md"))):
        target = notes_dir.parent / case / "notes"
        shutil.copytree(notes_dir, target)
        relative = lay_out(case, target)
        try:
            text = (target / relative).read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        expected = [p for p in check_notes(target).problems if p.path == relative]
        found = check_text(target, relative, text)
        by_severity = lambda items: sorted(p.severity for p in items)  # noqa: E731
        assert by_severity(found) == by_severity(expected), (case, found, expected)


def test_a_good_note_has_no_problem(notes_dir):
    """Breaks if the real note, unchanged, is refused."""
    assert check_text(notes_dir, f"{WILTON}.md", WILTON_TEXT) == []


def test_a_draft_may_keep_its_todos_but_final_may_not(notes_dir):
    """Breaks if a draft's TODOs stop a save, or "Mark as final" lets a TODO through."""
    text = WILTON_TEXT.replace("access: public", "access: public\nstatus: draft")
    form = read_form(text)
    form.findings[1].summary = "TODO: summarise"
    form.findings[1].title = "TODO"
    text = write_form(text, form)
    draft = check_text(notes_dir, f"{WILTON}.md", text)
    assert {(p.field, p.severity) for p in draft} == {("f-2-summary", "warning"), ("f-2-title", "warning")}
    final = check_text(notes_dir, f"{WILTON}.md", text, final=True)
    assert {(p.field, p.severity) for p in final} == {("f-2-summary", "error"), ("f-2-title", "error")}
    assert all("TODO" in p.message for p in final)


def test_final_from_the_form_sets_status_and_refuses_todos(notes_dir):
    """Breaks if the page's final=1 saves a note with TODOs as final."""
    draft = WILTON_TEXT.replace("access: public", "access: public\nstatus: draft").replace(
        "## A closed round table", "## TODO a closed round table")
    text = write_form(draft, form_from_fields([("final", "1")], read_form(draft)))
    assert "status: final" in text
    assert [(p.field, p.severity) for p in check_text(notes_dir, f"{WILTON}.md", text)] == [("f-2-title", "error")]


def test_an_edited_quote_must_still_be_found_in_the_source(notes_dir):
    """Breaks if a narrowed quote is refused or a widened one that leaves the source is accepted."""
    form = read_form(WILTON_TEXT)
    form.findings[0].quotes[0] = form.findings[0].quotes[0][10:60]  # narrowed: still in the source
    assert check_text(notes_dir, f"{WILTON}.md", write_form(WILTON_TEXT, form)) == []
    form.findings[0].quotes[0] += " 그리고 원문에 없는 말"
    found = check_text(notes_dir, f"{WILTON}.md", write_form(WILTON_TEXT, form))
    assert [(p.field, p.severity) for p in found] == [("f-1-quote", "error")]


def test_a_note_outside_notes_or_in_sources_is_refused(notes_dir):
    """Breaks if a note could be saved outside notes/, under sources/ or with another suffix."""
    for relative in ("../x.md", "sources/x.md", "x.txt", ".hidden.md", "a/../../x.md", "x\0.md", "a\\..\\x.md",
                     "/etc/x.md", ""):
        found = check_text(notes_dir, relative, WILTON_TEXT)
        assert any(p.field is None and p.severity == "error" for p in found), relative


def test_a_new_note_reusing_an_id_is_refused(notes_dir):
    """Breaks if a second note may take the id of a note already in notes/."""
    found = check_text(notes_dir, "drafts/copy.md", WILTON_TEXT)
    assert [(p.field, p.severity) for p in found] == [("id", "error")]
    assert f"{WILTON}.md" in found[0].message


def test_checking_one_note_does_not_read_the_others_again(notes_dir):
    """Breaks if a save pays for every note in notes/ (a generous bound at 2,000 notes; make bench measures)."""
    template = (FIXTURES / "good-notes" / "template" / "study.md").read_text(encoding="utf-8")
    folder = notes_dir / "many"
    folder.mkdir()
    for number in range(2_000):
        (folder / f"n{number}.md").write_text(template.replace("2019-05-fixture-study", f"n-{number}"), encoding="utf-8")
    check_text(notes_dir, f"{WILTON}.md", WILTON_TEXT)  # the first save reads each id once
    started = time.perf_counter()
    assert check_text(notes_dir, f"{WILTON}.md", WILTON_TEXT) == []
    assert time.perf_counter() - started < 2.0


@pytest.mark.slow  # drafting loads the Korean analyser
def test_a_draft_filled_in_through_the_form_can_be_marked_final(tmp_path):
    """Breaks if a draft from `make draft`, its TODOs filled in through the HTTP form, is not accepted as
    final, or if what is left TODO is not named beside each field."""
    from ingest.draft.draft import draft_report
    from ingest.write.form_fields import fields_for

    notes = tmp_path / "notes"
    shutil.copytree(ROOT / "notes", notes)
    note = draft_report(notes / "sources" / "wilton-park-2016-trip-report.ko.txt", notes).note
    relative = note.relative_to(notes).as_posix()
    text = note.read_bytes().decode("utf-8")
    assert all(p.severity == "warning" for p in check_text(notes, relative, text))
    left = {p.field for p in check_text(notes, relative, text, final=True)}
    cards = len(read_form(text).findings)
    assert "body" in left and {f"f-{n}-title" for n in range(1, cards + 1)} <= left
    assert {f"f-{n}-summary" for n in range(1, cards + 1)} <= left

    fields = [(name, value) for name, value in fields_for(read_form(text)) if not name.endswith(("-title", "-summary"))]
    fields += [("title", "Disrupting cities through technology"), ("body", "A closed forum."), ("final", "1")]
    for number in range(1, cards + 1):
        fields += [(f"f-{number}-title", f"Finding {number}"), (f"f-{number}-summary", "What was learned.")]
    fields = [(name, "financing" if name.endswith("-themes") and value == "TODO" else value) for name, value in fields]
    final = write_form(text, form_from_fields(fields, read_form(text)))
    assert "status: final" in final
    assert [p for p in check_text(notes, relative, final, final=True) if p.severity == "error"] == []


def test_no_message_names_a_file_line(notes_dir):
    """Breaks if a researcher is shown 'line 17' instead of the field or finding it is about."""
    import re
    for case in ("duplicate-finding-id-in-a-note", "attribute-twice", "malformed-yaml", "multiple-problems"):
        relative = lay_out(case, notes_dir)
        for problem in problems_of(notes_dir, relative):
            assert not re.search(r"\bline \d+|\.md:\d+", problem.message), problem


def test_problems_are_numbered_as_the_cards_of_the_posted_form(notes_dir):
    """Breaks if, with a card dropped or moved, a problem is shown beside another card than its own."""
    from ingest.write.problems import on_form

    form = form_from_fields([("f-1-id", read_form(WILTON_TEXT).findings[0].id),  # dropped: no keep
                             ("f-3-quote", "원문에 없는 인용"), ("f-3-order", "0")], read_form(WILTON_TEXT))
    assert [c.keep for c in form.findings][:3] == [True, False, True]  # card 3 first, then dropped card 1
    text = write_form(WILTON_TEXT, form)
    found = check_text(notes_dir, f"{WILTON}.md", text)
    assert [p.field for p in found] == ["f-1-quote"]  # the text's first finding
    assert [p.field for p in on_form(found, form)] == ["f-1-quote"]
    form.findings.insert(0, form.findings.pop(1))  # the dropped card drawn first
    assert [p.field for p in on_form(found, form)] == ["f-2-quote"]


def test_final_leaves_a_note_without_status_as_it_is():
    """Breaks if marking an already final note adds a 'status: final' line."""
    assert write_form(WILTON_TEXT, form_from_fields([("final", "1")], read_form(WILTON_TEXT))) == WILTON_TEXT


def test_a_quote_not_found_says_which_of_the_cards_quotes_it_is(notes_dir):
    """Breaks if, in a card with several quotes, the message does not say which one is not in the source."""
    form = read_form(WILTON_TEXT)
    form.findings[1].quotes[1] += " 원문에 없는 말"
    found = check_text(notes_dir, f"{WILTON}.md", write_form(WILTON_TEXT, form))
    assert [(p.field, p.severity) for p in found] == [("f-2-quote", "error")]
    assert found[0].message.startswith("2번째 인용문 (quote 2 of 2): 이 인용문이 원문에서 찾아지지 않습니다")


# Values a researcher might type, good and bad: tags of the vocabulary and typos, dates, TODOs, quotes.
TYPED = st.sampled_from(["", "TODO", "financing", "financng", "europe", "citizens", "2016-03-17", "2016-13-45",
                         "internal", "public", "question", "observaton", "- access: internal", "## x", "> y",
                         "기존도시 스마트화를 위한 비용 확보", "![x](https://tracker.example/p.png)", "a # b", "x\ny"])


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["title", "start", "end", "access", "rule", "status", "country"]), field_value=TYPED,
       attribute=st.sampled_from(["themes", "regions", "stakeholders", "kind", "access", "title_ko", "id"]),
       attribute_value=TYPED, quote=TYPED, summary=TYPED, final=st.booleans())
def test_check_text_finds_what_check_finds_in_the_saved_file(notes_dir, field, field_value, attribute, attribute_value,
                                                             quote, summary, final):
    """Breaks if a text check_text lets through is refused by `ingest check` once saved, or the reverse."""
    form = read_form(WILTON_TEXT)
    form.fields[field] = field_value
    card = form.findings[3]
    if attribute in ("themes", "regions", "stakeholders"):
        setattr(card, attribute, [attribute_value])
    else:
        setattr(card, attribute, attribute_value)
    card.quotes, card.summary = [quote], summary
    text = write_form(WILTON_TEXT, form)
    found = check_text(notes_dir, f"{WILTON}.md", text, final=final)
    (notes_dir / f"{WILTON}.md").write_bytes(text.encode("utf-8"))
    checked = [p for p in check_notes(notes_dir).problems if p.path == f"{WILTON}.md"]
    if final and read_form(text).fields.get("status") == "draft":
        checked = [p for p in checked if "TODO" not in p.message]  # final=True judges TODOs as errors: below
        found = [p for p in found if "TODO" not in p.message]
    assert bool([p for p in found if p.severity == "error"]) == bool([p for p in checked if p.severity == "error"]), \
        (found, checked)
    assert all(p.field is None or p.field in FIELDS_OF_THE_FORM or re.fullmatch(r"f-\d+(-\w+)?", p.field)
               for p in found)


def test_every_problem_of_a_bad_note_opens_with_korean_words(notes_dir):
    """Breaks if a problem check reports in the bad-note fixtures is shown to a researcher in English only."""
    for case, _, _ in PLACED:
        target = notes_dir.parent / case / "notes"
        shutil.copytree(notes_dir, target)
        for problem in problems_of(target, lay_out(case, target)):
            assert re.match(r"[\uac00-\ud7a3]|\d+번째", problem.message), problem
