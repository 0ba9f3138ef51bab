"""The review page's HTTP form ⇄ NoteForm (ingest/write/form_fields.py), as issue 20 item 8 writes it.

Each test posts what a browser or a script would post (``parse_qsl`` of a url-encoded body) and
reads the saved note's text back through the parser.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from ingest.notes.parse import parse_note
from ingest.write.form_fields import fields_for, form_from_fields, split_quotes
from ingest.write.note_form import read_form, write_form

from .conftest import ROOT

WILTON_NOTE = ROOT / "notes" / "2016-03-wilton-park-smart-cities.md"
TEXT = WILTON_NOTE.read_bytes().decode("utf-8")


def posted(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What the server reads: the fields url-encoded by a browser, then parsed back."""
    return parse_qsl(urlencode(fields), keep_blank_values=True)


def saved(fields: list[tuple[str, str]], text: str = TEXT) -> str:
    return write_form(text, form_from_fields(posted(fields), read_form(text)))


def findings(text: str):
    return parse_note(text, "note.md").findings


def without(fields, *names):
    return [(name, value) for name, value in fields if name not in names]


def replaced(fields, name, *values):
    """``fields`` with every ``name`` replaced by ``values`` at the place of the first one."""
    out, done = [], False
    for key, value in fields:
        if key == name:
            if not done:
                out += [(name, v) for v in values]
                done = True
        else:
            out.append((key, value))
    return out


def test_the_page_posting_back_what_it_drew_saves_the_same_bytes():
    """Breaks if fields_for and form_from_fields are not inverse, or a textarea's CRLF counts as a change."""
    fields = [(name, value.replace("\n", "\r\n")) for name, value in fields_for(read_form(TEXT))]
    fields += [("csrftoken", "x"), ("digest", "y")]
    assert saved(fields) == TEXT


def test_an_empty_post_changes_nothing():
    """Breaks if a field absent from the POST is emptied instead of keeping the note's value."""
    assert saved([]) == TEXT
    assert saved([("csrftoken", "x")]) == TEXT


def test_front_matter_fields_by_their_note_names():
    """Breaks if a front-matter field is not set by its name, or an emptied one is not removed."""
    after = saved([("title_ko", "새 제목"), ("place", ""), ("status", "draft"), ("speaker", "Someone"),
                   ("f-x-title", "ignored"), ("unknown", "ignored")])
    front = parse_note(after, "n.md").front_matter
    assert front["title_ko"] == "새 제목" and "place" not in front and front["status"] == "draft"
    assert "speaker" not in front and "unknown" not in front


def test_final_marks_the_note_final():
    """Breaks if final=1 does not set status: final."""
    draft = saved([("status", "draft")])
    assert parse_note(saved([("final", "1")], draft), "n.md").front_matter["status"] == "final"
    assert parse_note(saved([("final", "")], draft), "n.md").front_matter["status"] == "draft"


def test_card_fields_edit_the_card_they_were_drawn_as():
    """Breaks if f-<n>-<field> edits another card, or tags are not read one value per repeated field."""
    fields = fields_for(read_form(TEXT))
    fields = replaced(fields, "f-2-themes", "", "financing", "governance")
    fields = replaced(fields, "f-2-summary", "New summary.")
    fields = replaced(fields, "f-2-quote", "첫 인용\r\n\r\n둘째 인용")
    fields = replaced(fields, "f-2-title_ko", "새 국문 제목")
    after = findings(saved(fields))
    opened = read_form(TEXT).findings
    assert after[1].values("themes") == ["financing", "governance"]
    assert after[1].summary == "New summary." and after[1].attributes["title_ko"] == "새 국문 제목"
    assert [q.text for q in after[1].quotes] == ["첫 인용", "둘째 인용"]
    assert [f.slug for f in after] == [c.id for c in opened]
    assert after[0].summary == opened[0].summary and after[2].summary == opened[2].summary


def test_a_tag_list_can_be_emptied_by_its_blank_hidden_value():
    """Breaks if a card that posts only the blank f-<n>-regions keeps its old regions."""
    fields = replaced(fields_for(read_form(TEXT)), "f-1-regions", "")
    assert findings(saved(fields))[0].values("regions") == []


def test_a_card_without_keep_is_dropped_and_a_card_not_posted_is_kept():
    """Breaks if an unticked keep box keeps the card, or a script's partial POST drops the others."""
    fields = without(fields_for(read_form(TEXT)), "f-3-keep")
    opened = read_form(TEXT).findings
    assert [f.slug for f in findings(saved(fields))] == [c.id for i, c in enumerate(opened) if i != 2]
    after = findings(saved([("f-2-summary", "Only this.")]))
    assert len(after) == len(opened) and after[1].summary == "Only this."


def test_cards_are_saved_in_the_order_of_their_order_fields():
    """Breaks if f-<n>-order does not reorder cards (missing or bad values count as n)."""
    fields = fields_for(read_form(TEXT))
    fields = replaced(fields, "f-3-order", "0.5")
    fields = replaced(fields, "f-1-order", "not a number")
    opened = [c.id for c in read_form(TEXT).findings]
    assert [f.slug for f in findings(saved(fields))] == [opened[2], opened[0], opened[1], *opened[3:]]


def test_a_card_keeps_its_source_by_id_even_when_cards_were_drawn_in_another_order():
    """Breaks if a card is matched by position when its posted id names another opened card (n is its
    place on the page as drawn, so the page's order is the order saved)."""
    opened = read_form(TEXT)
    fields = [("f-1-id", opened.findings[1].id), ("f-1-keep", "1"), ("f-1-summary", "Second, edited."),
              ("f-2-id", opened.findings[0].id), ("f-2-keep", "1")]
    after = findings(saved(fields))
    assert after[0].slug == opened.findings[1].id and after[0].summary == "Second, edited."
    assert after[1].slug == opened.findings[0].id and after[1].summary == opened.findings[0].summary


def test_an_edited_id_keeps_the_card_at_its_position():
    """Breaks if renaming a finding's id turns the card into a new one (losing its unchanged lines)."""
    fields = replaced(fields_for(read_form(TEXT)), "f-1-id", "renamed-finding")
    after = saved(fields)
    assert [f.slug for f in findings(after)][0] == "renamed-finding"
    assert len([line for line in after.splitlines() if line.startswith("- id:")]) == len(read_form(TEXT).findings)


def test_a_finding_added_by_hand_as_f_new_or_a_higher_number():
    """Breaks if f-new-… or f-<n+1>-… is not added, or an empty new card is added."""
    count = len(read_form(TEXT).findings)
    new = [("f-new-id", "by-hand"), ("f-new-title", "By hand"), ("f-new-title_ko", "직접"), ("f-new-kind", "question"),
           ("f-new-themes", "financing"), ("f-new-quote", "인용"), ("f-new-summary", "Why.")]
    after = findings(saved(new))
    assert [f.slug for f in after][-1] == "by-hand" and after[-1].attributes["kind"] == "question"
    higher = [(name.replace("f-new-", f"f-{count + 1}-"), value) for name, value in new]
    after = findings(saved(higher + [(f"f-{count + 1}-keep", "1"), (f"f-{count + 1}-order", "0")]))
    assert after[0].slug == "by-hand" and len(after) == count + 1
    assert len(findings(saved([("f-new-id", ""), ("f-new-summary", " ")]))) == count


def test_quotes_are_one_textarea_separated_by_blank_lines():
    """Breaks if a blank line (with CRLF or spaces) does not separate quotes."""
    assert split_quotes("a\r\nb\r\n \r\nc\n\n\n") == ["a\nb", "c"]
    assert split_quotes("  ") == []


def test_dates_typed_as_korean_reports_write_them_are_saved_as_iso_dates():
    """Breaks if 2016.03.17 or 2016년 3월 17일 in start/end is saved as text that check refuses."""
    for typed in ("2016.03.17", "2016. 3. 17.", "2016년 3월 17일", "2016/3/17", " 2016-3-17 "):
        assert parse_note(saved([("start", typed)]), "n.md").front_matter["start"].isoformat() == "2016-03-17"
    assert parse_note(saved([("start", "2016.13.45")]), "n.md").front_matter["start"] == "2016.13.45"
    assert parse_note(saved([("title", "2016.03.17")]), "n.md").front_matter["title"] == "2016.03.17"


def test_no_person_field_can_be_posted_into_a_chatham_house_note():
    """Breaks if a POST can add a speaker or an affiliation to a note under the Chatham House Rule."""
    assert "rule: chatham-house" in TEXT
    posted_fields = [("speaker", "Someone"), ("affiliation", "Somewhere"), ("f-1-speaker", "Someone"),
                     ("f-1-affiliation", "Somewhere"), ("f-new-speaker", "Someone")]
    assert saved(posted_fields) == TEXT
