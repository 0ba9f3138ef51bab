import pytest

from ingest.notes.errors import NoteError
from ingest.notes.parse import decode, parse_note

from .conftest import WILTON

MINIMAL = """---
id: minimal
title: Minimal
type: study
access: public
---

About the source.

## A finding
- id: one
- title_ko: 하나
- themes: financing, crowdfunding
- kind: observation

> first quote
> continues here

> second quote

The summary, in *Markdown*.

```
## not a finding: inside a code fence
```
"""


def test_the_real_note_has_every_finding_in_order(wilton_note):
    note = parse_note(wilton_note, f"{WILTON}.md")
    assert note.id == WILTON
    assert note.front_matter["rule"] == "chatham-house"
    slugs = [f.slug for f in note.findings]
    assert len(slugs) == 15 == len(set(slugs))
    for key_finding in ("retrofit-financing", "citizen-crowdfunding", "citizen-governance", "international-promotion"):
        assert key_finding in slugs
    for finding in note.findings:
        assert finding.title and finding.quotes and finding.summary
        assert wilton_note.splitlines()[finding.line - 1] == f"## {finding.title}"


def test_attributes_quotes_and_summary():
    note = parse_note(MINIMAL, "minimal.md")
    (finding,) = note.findings
    assert finding.slug == "one"
    assert finding.values("themes") == ["financing", "crowdfunding"]
    assert finding.attribute_lines["themes"] == 13
    assert [q.text for q in finding.quotes] == ["first quote\ncontinues here", "second quote"]
    assert [q.line for q in finding.quotes] == [16, 19]
    assert finding.summary.startswith("The summary, in *Markdown*.")
    assert "## not a finding" in finding.summary
    assert note.body == "About the source."
    assert note.field_lines == {"id": 2, "title": 3, "type": 4, "access": 5}


def test_crlf_bom_and_tabs_are_accepted():
    text = "\ufeff" + MINIMAL.replace("- themes: financing", "-\tthemes:\tfinancing").replace("\n", "\r\n")
    note = parse_note(decode(text.encode("utf-8"), "x.md"), "x.md")
    assert note.findings[0].values("themes") == ["financing", "crowdfunding"]
    assert note.findings[0].quotes[0].text == "first quote\ncontinues here"


@pytest.mark.parametrize("text, line, words", [
    ("", 1, "empty"),
    ("# no front matter\n", 1, "must start with front matter"),
    ("---\nid: x\n", 1, "not closed"),
])
def test_structural_errors_name_the_line(text, line, words):
    with pytest.raises(NoteError) as error:
        parse_note(text, "bad.md")
    assert error.value.problem.path == "bad.md"
    assert error.value.problem.line == line
    assert words in error.value.problem.message


@pytest.mark.parametrize("front_matter, line, words", [
    ("id: [unclosed\n", 2, "not valid YAML"),
    ("- a list\n", 2, "key: value"),
    ("id: !!int abc\n", 2, "could not be read"),
])
def test_unreadable_front_matter_is_reported_and_the_findings_still_read(front_matter, line, words):
    text = MINIMAL.replace("id: minimal\ntitle: Minimal\ntype: study\naccess: public\n", front_matter)
    note = parse_note(text, "bad.md")
    (problem,) = note.problems
    assert (problem.path, problem.line) == ("bad.md", line) and words in problem.message
    assert not note.front_matter_read
    assert [f.slug for f in note.findings] == ["one"]


def test_an_attribute_given_twice_is_reported_and_the_first_kept():
    note = parse_note(MINIMAL.replace("- kind: observation", "- kind: observation\n- kind: question"), "x.md")
    (problem,) = note.problems
    assert str(problem) == "x.md:15: error: attribute 'kind' appears twice in this finding (keep one '- kind: …' line; the first, on line 14, is used)"
    assert note.findings[0].attributes["kind"] == "observation"


def test_an_impossible_date_stays_text_for_validation():
    note = parse_note(MINIMAL.replace("type: study", "type: study\nstart: 2016-13-45"), "x.md")
    assert note.problems == [] and note.front_matter["start"] == "2016-13-45"


def test_non_utf8_says_which_encoding_and_how_to_convert():
    raw = MINIMAL.encode("cp949")  # 하나 stands on line 12
    with pytest.raises(NoteError) as error:
        decode(raw, "old.md")
    assert error.value.problem.line == 12
    assert "EUC-KR/CP949" in error.value.problem.message
    assert "iconv" in error.value.problem.hint
