"""A note's text ⇄ the writing room's form (ingest/write/note_form.py).

The round trip is exact for every note we have; a save rewrites only what changed, so a diff
of a hand-written note shows only the edited lines; form values are data and cannot change the
note's structure. Each test names what breaks it.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from ingest.draft.draft import draft_report
from ingest.notes.parse import parse_note
from ingest.write.note_form import FindingCard, NoteForm, read_form, write_form

from .conftest import ROOT
from .report_files import write_docx, write_hwpx

FIXTURES = ROOT / "tests" / "fixtures"
WILTON_NOTE = ROOT / "notes" / "2016-03-wilton-park-smart-cities.md"
TEMPLATE = FIXTURES / "good-notes" / "template" / "study.md"


def every_note() -> list[Path]:
    notes = sorted((ROOT / "notes").rglob("*.md")) + sorted(FIXTURES.rglob("*.md"))
    return [path for path in notes if "sources" not in path.relative_to(ROOT).parts]


def text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # not read_text: that would turn CRLF into LF


def changed_lines(before: str, after: str) -> list[str]:
    """The lines a unified diff marks as removed or added."""
    return [line for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def card(**values) -> FindingCard:
    base = dict(id="added-by-hand", title="Added by hand", title_ko="직접 추가한 발견", kind="observation",
                themes=["financing"], regions=[], stakeholders=[], quotes=["a quote"], summary="A summary.")
    return FindingCard(**{**base, **values})


def findings_of(text: str):
    return parse_note(text, "note.md").findings


# -- the round trip ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", every_note(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_note_we_have_comes_back_byte_for_byte(path):
    """Breaks if reading and writing a form changes any byte of any note (BOM, CRLF, tabs, comments …)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: the writing room never opens it (check names its encoding)")
    assert write_form(text, read_form(text)).encode("utf-8") == raw


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> list[str]:
    """The notes `make draft` writes for our reports."""
    folder = tmp_path_factory.mktemp("drafts")
    notes = folder / "notes"
    shutil.copytree(ROOT / "notes", notes)
    wilton = (notes / "sources" / "wilton-park-2016-trip-report.ko.txt").read_text(encoding="utf-8")
    reports = [FIXTURES / "reports" / "world-cities-summit-2018.ko.txt",
               notes / "sources" / "wilton-park-2016-trip-report.ko.txt",
               write_docx(wilton, folder / "wilton-docx.docx"), write_hwpx(wilton, folder / "wilton-hwpx.hwpx")]
    return [text_of(draft_report(report, notes, force=True).note) for report in reports]


def test_drafts_come_back_byte_for_byte_and_show_their_reasons(drafts):
    """Breaks if a draft's suggestion comments are lost or not shown as the card's reasons."""
    for text in drafts:
        form = read_form(text)
        assert write_form(text, form) == text
        assert form.fields["status"] == "draft"
        assert any("themes" in c.reasons and ":" in c.reasons["themes"] for c in form.findings)
        assert all(c.themes == [] or "#" not in " ".join(c.themes) for c in form.findings)
    assert any("rule" in read_form(text).comments for text in drafts)  # the draft's reason for the rule


def test_a_form_sent_back_as_a_browser_sends_it_changes_nothing():
    """Breaks if CRLF line ends (textareas) or composed Hangul (NFC) in an unchanged form count as a change."""
    text = text_of(WILTON_NOTE)
    form = read_form(text)
    form.body = form.body.replace("\n", "\r\n") + "\r\n"
    for c in form.findings:
        c.summary = "\r\n" + c.summary.replace("\n", "\r\n")
        c.quotes = [q + "\r\n" for q in c.quotes]
    assert write_form(text, form) == text


def test_a_decomposed_hangul_note_is_shown_composed_and_kept_when_unchanged():
    """Breaks if the form shows NFD text (a browser sends NFC) or if an unchanged NFD note is rewritten."""
    import unicodedata
    text = unicodedata.normalize("NFD", text_of(TEMPLATE))
    form = read_form(text)
    assert form.fields["title_ko"] == unicodedata.normalize("NFC", form.fields["title_ko"])
    assert form.findings[0].title_ko == unicodedata.normalize("NFC", form.findings[0].title_ko)
    assert write_form(text, form) == text


# -- what the form reads ------------------------------------------------------------------------------

def test_the_form_reads_fields_cards_quotes_and_summaries_as_check_does():
    """Breaks if the form shows other values than the parser reads."""
    text = text_of(WILTON_NOTE)
    form = read_form(text)
    note = parse_note(text, "wilton.md")
    assert form.fields["start"] == "2016-03-17" and form.fields["rule"] == "chatham-house"
    assert set(form.fields) == set(note.front_matter)
    assert form.body == note.body
    assert [c.id for c in form.findings] == [f.slug for f in note.findings]
    for c, f in zip(form.findings, note.findings):
        assert c.title == f.title and c.title_ko == f.attributes["title_ko"] and c.kind == f.attributes["kind"]
        assert c.themes == f.values("themes") and c.regions == f.values("regions")
        assert c.quotes == [q.text for q in f.quotes] and c.summary == f.summary
        assert c.source is not None and c.source in text


def test_comments_are_read_beside_their_fields():
    """Breaks if a front-matter comment or an attribute's reason is not read, or read into the value."""
    text = text_of(TEMPLATE)
    form = read_form(text)
    assert form.fields["id"] == "2019-05-fixture-study" and form.comments == {}
    assert all("#" not in value for value in form.fields.values() if value)
    hand = text.replace("- themes: crowdfunding", "- themes: crowdfunding  # 시민 투자") \
        .replace("access: public", "access: public   # public | internal")
    form = read_form(hand)
    assert form.findings[0].themes == ["crowdfunding"] and form.findings[0].reasons == {"themes": "시민 투자"}
    assert form.fields["access"] == "public" and form.comments["access"] == "public | internal"


# -- a save changes only what changed -------------------------------------------------------------------

def test_editing_one_summary_touches_only_that_summary():
    """Breaks if a save rewrites anything but the edited summary's lines (issue 20: the diff touches only it)."""
    text = text_of(WILTON_NOTE)
    form = read_form(text)
    old = form.findings[2].summary
    form.findings[2].summary = "Views differ by field.\nA shared concept comes first."
    after = write_form(text, form)
    removed = [line[1:] for line in changed_lines(text, after) if line.startswith("-")]
    added = [line[1:] for line in changed_lines(text, after) if line.startswith("+")]
    assert "".join(removed).split() == old.split()
    assert added == ["Views differ by field.\n", "A shared concept comes first.\n"]
    assert read_form(after).findings[2].summary == "Views differ by field.\nA shared concept comes first."


def test_a_changed_field_changes_only_its_own_line_and_keeps_its_comment():
    """Breaks if a front-matter change touches other lines, or drops the comment written on its line."""
    text = text_of(TEMPLATE).replace("type: study", "type: study                   # one of source_types")
    form = read_form(text)
    form.fields["type"] = "interview"
    after = write_form(text, form)
    assert changed_lines(text, after) == ["-type: study                   # one of source_types\n",
                                          "+type: interview               # one of source_types\n"]


def test_an_emptied_field_is_removed_and_a_new_one_added_in_the_documented_order():
    """Breaks if an empty field is written as 'key: ' or a new field lands out of docs/notes.md's order."""
    text = text_of(WILTON_NOTE)
    form = read_form(text)
    form.fields["place"] = ""
    form.fields["status"] = "draft"
    form.fields["url"] = "https://www.wiltonpark.org.uk/event/wp1449/"
    after = write_form(text, form)
    keys = [line.split(":")[0] for line in after.split("---\n")[1].splitlines()]
    assert "place" not in keys
    assert keys.index("status") == keys.index("rule") + 1 and keys.index("url") == keys.index("document") + 1
    assert len(changed_lines(text, after)) == 3


def test_a_title_that_looks_like_a_date_or_a_boolean_stays_text():
    """Breaks if a value is written so that check's YAML reads it as a date, a number or true/false."""
    text = text_of(TEMPLATE)
    form = read_form(text)
    form.fields.update(title="2016-03-17", title_ko="yes", organization="1_000", event="null", place="'quoted'",
                       start="2016-03-17")
    note = parse_note(write_form(text, form), "note.md")
    assert note.front_matter["title"] == "2016-03-17" and note.front_matter["title_ko"] == "yes"
    assert note.front_matter["organization"] == "1_000" and note.front_matter["event"] == "null"
    assert note.front_matter["place"] == "'quoted'"
    assert str(note.front_matter["start"]) == "2016-03-17" and not isinstance(note.front_matter["start"], str)


def test_an_unchanged_card_keeps_its_block_and_a_changed_one_keeps_unchanged_lines():
    """Breaks if a changed card's untouched attribute lines lose their comments, or unchanged cards change."""
    text = text_of(TEMPLATE).replace("- themes: crowdfunding", "- themes: crowdfunding  # 시민 투자") \
        .replace("- kind: observation", "- kind: observation  # 관찰")
    form = read_form(text)
    form.findings[0].kind = "implication"
    after = write_form(text, form)
    assert changed_lines(text, after) == ["-- kind: observation  # 관찰\n", "+- kind: implication\n"]
    assert "- themes: crowdfunding  # 시민 투자\n" in after


def test_dropping_moving_and_adding_cards_moves_whole_blocks():
    """Breaks if a dropped card leaves lines behind, a moved card is altered, or a new card is malformed."""
    text = text_of(WILTON_NOTE)
    form = read_form(text)
    first, second, third = form.findings[:3]
    form.findings[0], form.findings[1] = second, first
    third.keep = False
    form.findings.insert(3, card())
    after = write_form(text, form)
    assert second.source + first.source in after and third.source not in after
    note = parse_note(after, "wilton.md")
    assert [f.slug for f in note.findings][:3] == [second.id, first.id, "added-by-hand"]
    added = note.findings[2]
    assert added.attributes == {"id": "added-by-hand", "title_ko": "직접 추가한 발견", "themes": "financing",
                                "kind": "observation"}
    assert [q.text for q in added.quotes] == ["a quote"] and added.summary == "A summary."
    assert len(note.findings) == len(form.findings) - 1


def test_a_card_added_last_to_a_file_without_a_final_line_end():
    """Breaks if a new finding is glued to the last line of a note that does not end in a line end."""
    text = text_of(TEMPLATE).rstrip("\n")
    form = read_form(text)
    form.findings.append(card())
    after = write_form(text, form)
    assert [f.slug for f in parse_note(after, "note.md").findings] == [form.findings[0].id, "added-by-hand"]
    assert after.endswith("A summary.\n")


def test_the_last_finding_moved_up_gets_a_line_end_before_the_next():
    """Breaks if moving the file's last block (no line end) before another glues two headings together."""
    text = text_of(TEMPLATE).rstrip("\n")
    form = read_form(text)
    form.findings.append(card())
    two = write_form(text, form)
    form = read_form(two.rstrip("\n"))
    form.findings.reverse()
    after = write_form(two.rstrip("\n"), form)
    assert [f.slug for f in parse_note(after, "note.md").findings] == ["added-by-hand", "citizen-funding"]


@pytest.mark.parametrize("fixture", ["crlf/crlf.md", "bom/bom.md", "tabs/tabs.md"])
def test_crlf_bom_and_tabs_survive_an_edit(fixture):
    """Breaks if editing a CRLF, BOM or tab-indented note mixes line ends, drops the BOM or touches other lines."""
    path = FIXTURES / "good-notes" / fixture
    text = text_of(path)
    form = read_form(text)
    old_title, old_summary = form.fields["title"], form.findings[0].summary
    form.findings[0].summary = "Edited."
    form.fields["title"] = "Edited title"
    after = write_form(text, form)
    assert after.startswith("\ufeff") == text.startswith("\ufeff")
    if "\r\n" in text:
        assert after.count("\r\n") == after.count("\n")
    changed = [line.rstrip("\r\n").lstrip("\ufeff") for line in changed_lines(text, after)]
    assert sorted(changed) == sorted([f"-title: {old_title}", "+title: Edited title", "+Edited.",
                                      *("-" + line for line in old_summary.split("\n"))])
    back = read_form(after)
    assert back.findings[0].summary == "Edited." and back.fields["title"] == "Edited title"
    assert back.findings[0].themes == form.findings[0].themes


def test_trailing_spaces_and_a_multi_line_summary_with_several_quotes_survive():
    """Breaks if an edit elsewhere strips trailing spaces or re-flows a multi-line summary."""
    text = text_of(TEMPLATE).replace("Citizens invest when", "Citizens invest   \nwhen") + "\n"
    text = text.replace("> Residents bought", "> First quote.\n\n> Residents bought")
    form = read_form(text)
    assert len(form.findings[0].quotes) == 2 and "\n" in form.findings[0].summary
    form.fields["title"] = "Another title"
    after = write_form(text, form)
    assert "Citizens invest   \nwhen" in after and "> First quote.\n\n> Residents bought" in after


# -- values are data -------------------------------------------------------------------------------------

HOSTILE = "## Injected\n- id: injected\n> quoted\n---\ntitle: x # y: z"


def test_hostile_titles_and_attributes_cannot_change_the_structure():
    """Breaks if a value with '#', ':' or line breaks opens a field, a finding or a comment."""
    text = text_of(TEMPLATE)
    form = read_form(text)
    form.fields["title"] = HOSTILE
    form.findings[0].title = HOSTILE
    form.findings[0].title_ko = "비용 # 확보: 재원"
    after = write_form(text, form)
    note = parse_note(after, "note.md")
    assert not note.problems and len(note.findings) == 1
    assert note.front_matter["title"] == " ".join(HOSTILE.split("\n"))
    assert note.findings[0].title == " ".join(HOSTILE.split("\n"))
    assert note.findings[0].attributes["title_ko"] == "비용 ＃ 확보: 재원"
    assert set(note.findings[0].attributes) == {"id", "title_ko", "themes", "regions", "stakeholders", "kind"}


@pytest.mark.parametrize("summary", ["## A heading\ntext", "- id: other\n- kind: question", "> not a quote",
                                     "```\nunclosed fence\n\n## Hidden heading"])
def test_a_summary_cannot_open_a_finding_a_quote_or_hide_the_next_heading(summary):
    """Breaks if a summary starting with '## ', '- id:' or '> ', or an unclosed fence, changes the findings."""
    text = text_of(WILTON_NOTE)
    form = read_form(text)
    form.findings[0].summary = summary
    after = write_form(text, form)
    findings = findings_of(after)
    assert [f.slug for f in findings] == [c.id for c in form.findings]
    assert [q.text for q in findings[0].quotes] == form.findings[0].quotes
    assert findings[0].attributes["id"] == form.findings[0].id


def test_attribute_shaped_summary_lines_stay_text_for_check_to_report():
    """Breaks if '- access: internal' in a summary silently becomes an attribute (check must name it)."""
    text = text_of(TEMPLATE)
    form = read_form(text)
    form.findings[0].summary = "- access: internal"
    finding = findings_of(write_form(text, form))[0]
    assert "access" not in finding.attributes and finding.body_attributes


def test_a_card_without_attributes_or_quotes_cannot_take_its_summary_for_attributes():
    """Breaks if a summary's '- id: x' becomes the id of a card whose attributes were all emptied."""
    form = NoteForm({"id": "n", "title": "t", "type": "study", "access": "public"}, {}, "",
                    [card(id="", title_ko="", kind="", themes=[], quotes=[], summary="- id: sneaky")])
    finding = findings_of(write_form("---\nid: n\n---\n", form))[0]
    assert finding.attributes == {} and finding.summary.endswith("- id: sneaky")


def test_a_quote_with_several_lines_and_a_blank_one_stays_one_quote():
    """Breaks if a blank line inside a quote splits it, or a quote line escapes its '> '."""
    text = text_of(TEMPLATE)
    form = read_form(text)
    form.findings[0].quotes = ["first line\n## not a heading\n\nafter a blank"]
    finding = findings_of(write_form(text, form))[0]
    assert [q.text for q in finding.quotes] == ["first line\n## not a heading\n\nafter a blank"]


def test_the_body_cannot_open_a_finding():
    """Breaks if the text before the first finding can start a finding of its own."""
    text = text_of(WILTON_NOTE)
    form = read_form(text)
    form.body = "About the forum.\n## Not a finding"
    note = parse_note(write_form(text, form), "wilton.md")
    assert len(note.findings) == len(form.findings) and note.body.startswith("About the forum.")


def test_a_note_without_front_matter_gets_one_when_fields_are_set():
    """Breaks if fields set on a note without front matter are lost or written into its body."""
    form = read_form("Some text.\n")
    assert form.fields == {} and form.body == "Some text."
    form.fields.update(id="n", title="T")
    after = write_form("Some text.\n", form)
    assert after == "---\nid: n\ntitle: T\n---\nSome text.\n"


def test_a_field_name_that_is_not_a_name_is_refused():
    """Breaks if a key from a script ('a: b\\nc') could write YAML structure."""
    text = text_of(TEMPLATE)
    form = read_form(text)
    form.fields["a: b\nc"] = "x"
    with pytest.raises(ValueError):
        write_form(text, form)


# -- front matter as people write it ---------------------------------------------------------------------

def test_a_front_matter_ruamel_cannot_read_still_opens_and_can_be_fixed():
    """Breaks if an impossible date or broken YAML makes the note impossible to open, or a fix touches other lines."""
    for case, key, fixed in (("invalid-date", "start", "2016-03-17"), ("malformed-yaml", "title", "A study")):
        text = text_of(FIXTURES / "bad-notes" / case / "bad.md")
        form = read_form(text)
        assert write_form(text, form) == text
        assert form.fields["title_ko"] == "시민 금융 연구"
        form.fields[key] = fixed
        after = write_form(text, form)
        assert len(changed_lines(text, after)) == 2
        note = parse_note(after, "bad.md")
        assert note.front_matter_read and str(note.front_matter[key]) == fixed


def test_a_field_written_twice_is_edited_where_check_reads_it():
    """Breaks if the form shows or edits the first of two 'title:' lines (YAML, and check, keep the last),
    or if editing it leaves the other line (the form shows one field: check's error would stay)."""
    text = text_of(FIXTURES / "bad-notes" / "field-twice" / "bad.md")
    form = read_form(text)
    assert form.fields["title"] == "Another title"
    form.fields["title"] = "Fixed"
    assert changed_lines(text, write_form(text, form)) == ["-title: A study of citizen finance\n",
                                                          "-title: Another title\n", "+title: Fixed\n"]
    assert not parse_note(write_form(text, form), "bad.md").problems  # edited, the field is written once


def test_a_multi_line_value_is_replaced_whole_and_comment_lines_between_fields_stay():
    """Breaks if a folded value leaves continuation lines behind, or a comment line goes with a removed field."""
    text = text_of(TEMPLATE).replace("title: A study of citizen finance\n",
                                     "title: >-\n  A study of\n  citizen finance\n# The Korean title:\n")
    form = read_form(text)
    assert form.fields["title"] == "A study of citizen finance"
    form.fields["title"] = "Shorter"
    form.fields["title_ko"] = ""
    after = write_form(text, form)
    assert "title: Shorter\n# The Korean title:\ntype: study\n" in after
    assert write_form(after, read_form(after)) == after


def test_an_empty_field_left_empty_is_not_touched_when_another_changes():
    """Breaks if 'end:' with no value (shown as an empty field) is removed because another field changed."""
    text = text_of(TEMPLATE).replace("access: public\n", "access: public\nend:\n")
    form = read_form(text)
    assert form.fields["end"] == ""
    form.fields["title"] = "Changed"
    assert changed_lines(text, write_form(text, form)) == ["-title: A study of citizen finance\n", "+title: Changed\n"]


def test_a_summary_added_where_there_was_none_is_followed_by_a_blank_line():
    """Breaks if a summary written into a finding that had none runs into the next finding's heading."""
    text = text_of(WILTON_NOTE)
    first = read_form(text).findings[0]
    without_summary = text.replace(first.summary + "\n", "")
    form = read_form(without_summary)
    assert form.findings[0].summary == ""
    form.findings[0].summary = "Now summarised."
    after = write_form(without_summary, form)
    assert "> 포럼에서는 스마트도시의 전략" in after and "Now summarised.\n\n## A closed round table" in after
    assert findings_of(after)[0].summary == "Now summarised."


def test_the_drafts_reason_for_each_suggested_tag(drafts):
    """Breaks if the page cannot show, beside each suggested tag, the words of the report that matched it."""
    card = next(c for c in read_form(drafts[0]).findings if len(c.themes) > 1)
    reasons = card.reasons_by_tag("themes")
    assert list(reasons) == card.themes and all(reasons.values())
    hand = read_form(text_of(TEMPLATE).replace("- themes: crowdfunding", "- themes: crowdfunding  # 시민 투자"))
    assert hand.findings[0].reasons_by_tag("themes") == {}  # a comment in another form is shown whole


def test_an_attribute_written_twice_is_edited_where_check_reads_it_and_then_written_once():
    """Breaks if the card shows the second of two '- kind:' lines (check keeps the first), or editing it
    leaves the other one."""
    text = text_of(FIXTURES / "bad-notes" / "attribute-twice" / "bad.md")
    form = read_form(text)
    assert form.findings[0].kind == findings_of(text)[0].attributes["kind"]
    assert write_form(text, form) == text
    form.findings[0].kind = "implication"
    after = write_form(text, form)
    assert [line for line in after.splitlines() if line.startswith("- kind:")] == ["- kind: implication"]
    assert not parse_note(after, "bad.md").problems
