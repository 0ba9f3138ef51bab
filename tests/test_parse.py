import pytest

from ingest.errors import NoteError
from ingest.parse import decode, parse_note

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
    ("---\nid: [unclosed\n---\n", 3, "not valid YAML"),
    ("---\n- a list\n---\n", 2, "key: value"),
])
def test_structural_errors_name_the_line(text, line, words):
    with pytest.raises(NoteError) as error:
        parse_note(text, "bad.md")
    assert error.value.problem.path == "bad.md"
    assert error.value.problem.line == line
    assert words in error.value.problem.message


def test_non_utf8_says_which_encoding_and_how_to_convert():
    raw = MINIMAL.encode("cp949")  # 하나 stands on line 12
    with pytest.raises(NoteError) as error:
        decode(raw, "old.md")
    assert error.value.problem.line == 12
    assert "EUC-KR/CP949" in error.value.problem.message
    assert "iconv" in error.value.problem.hint
