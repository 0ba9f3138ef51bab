"""Reference images and texts shown together: the no-remote-content rule across fields.

A memo joins every finding of a note (of several notes) into one Markdown text, and a
reference image takes its address from a definition anywhere in it. These tests break if
`check` again reads each field alone with a pattern of its own: if ``![px]`` in one finding
and ``[px]: https://…`` in another pass (the trigger of issue 19, item 4), if a reference image
of any form (full, collapsed, shortcut) passes, or if an error stops naming the file and the
lines of the use and of the definition.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from ingest.notes.parse import parse_note
from ingest.notes.remote_note import remote_content_problems

from .conftest import ROOT

HEAD = """\
---
id: 2020-04-references
title: References
title_ko: 참조
type: study
organization: KRIHS
access: public
---

"""


def finding(slug: str, summary: str, quote: str = "인용문.") -> str:
    return (f"## Finding {slug}\n- id: {slug}\n- title_ko: 시사점 {slug}\n- themes: governance\n- kind: observation\n\n"
            f"> {quote}\n\n{summary}\n\n")


TWO_FINDINGS = HEAD + finding("defines", "A summary.\n\n[px]: https://tracker.example/pixel.png") + finding(
    "uses", "Look: ![px]")


def errors_of(text: str) -> list[str]:
    return [f"{p.line}: {p.message}" for p in remote_content_problems(parse_note(text, "note.md"))]


def test_check_refuses_a_definition_in_one_finding_used_as_an_image_in_another(notes_dir):
    """The trigger as found: `check` passed, and the memo preview then loaded the pixel."""
    (notes_dir / "references.md").write_text(TWO_FINDINGS, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ingest", "check", "--notes", str(notes_dir)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("references.md:")]
    use = TWO_FINDINGS.split("\n").index("Look: ![px]") + 1
    definition = TWO_FINDINGS.split("\n").index("[px]: https://tracker.example/pixel.png") + 1
    assert errors == [
        f"references.md:{use}: error: remote content is not allowed: ![px] loads https://tracker.example/pixel.png, "
        f"defined on line {definition} (pages showing it would make every reader's browser call that server; "
        "describe the image in words, or link to it with [text](https://…), which loads nothing until a reader clicks)"]


# Each: a text that shows an image from another server in some renderer of the memo or the pages.
REFUSED = {
    "inline": "![a](https://t.example/a.png)",
    "inline with title": '![a](https://t.example/a.png "T")',
    "inline in angle brackets": "![a](<https://t.example/a b.png>)",
    "protocol-relative": "![a](//t.example/a.png)",
    "full reference": "![a][r]\n\n[r]: https://t.example/a.png",
    "collapsed reference": "![r][]\n\n[r]: https://t.example/a.png",
    "shortcut reference": "![r]\n\n[r]: https://t.example/a.png",
    "definition indented 3 spaces, with title": "![r]\n\n   [r]: https://t.example/a.png 'T'",
    "definition in angle brackets with title on the next line": "![r]\n\n[r]: <https://t.example/a.png>\n  \"T\"",
    "definition before its use, in upper case": "[R]: https://t.example/a.png\n\nsee ![r]",
    "definition in a quote": "![r]\n\n> [r]: https://t.example/a.png",
    "label over two lines": "![big\nred][r]\n\n[r]: https://t.example/a.png",
    "reference without definition": "![r]",
    "reference defined locally": "![r]\n\n[r]: /-/static/app.css",
    "img": '<img src="https://t.example/a.png">',
    "img srcset": '<img srcset="/a.png 1x, https://t.example/a.png 2x">',
    "picture source srcset": '<picture><source srcset="https://t.example/a.webp"><img src="/a.png"></picture>',
    "svg image": '<svg><image href="https://t.example/a.svg"/></svg>',
    "svg image xlink": '<svg><image xlink:href="https://t.example/a.svg"/></svg>',
    "video poster": '<video poster="https://t.example/a.png"></video>',
    "audio src": '<audio src="https://t.example/a.mp3"></audio>',
    "iframe": '<iframe src="https://t.example/"></iframe>',
    "object": '<object data="https://t.example/a.swf"></object>',
    "embed": '<embed src="https://t.example/a.swf">',
    "link": '<link rel="stylesheet" href="https://t.example/a.css">',
    "style attribute url()": '<span style="background-image: url(https://t.example/a.png)">x</span>',
    "style element @import": '<style>@import "https://t.example/a.css";</style>',
    "meta refresh": '<meta http-equiv="refresh" content="0; url=https://t.example/">',
    "entity-encoded scheme": '<img src="&#104;ttps://t.example/a.png">',
    "tab in the scheme": '<img src="ht\tps://t.example/a.png">',
}


@pytest.mark.parametrize("summary", REFUSED.values(), ids=REFUSED.keys())
def test_every_form_of_image_is_refused_in_a_summary(summary):
    assert errors_of(HEAD + finding("one", summary)), summary


@pytest.mark.parametrize("where", ["summary", "quote", "description", "title"])
def test_a_shortcut_image_is_refused_wherever_its_definition_is(where):
    """Definition in the note's description, use in a finding's summary, quote or title (each
    shown beside the other in the memo)."""
    use = "see ![px] here"
    text = HEAD + "Described.\n\n[px]: https://tracker.example/pixel.png\n\n" + {
        "summary": finding("one", use),
        "quote": finding("one", "A summary.", quote=use),
        "description": finding("one", "A summary."),
        "title": finding("one", "A summary.").replace("## Finding one", f"## Finding {use}"),
    }[where]
    if where == "description":
        text = text.replace("Described.", f"Described, {use}.")
    errors = errors_of(text)
    if where == "description":  # use and definition in one text: the use's line, and the address
        assert errors == ["10: remote content is not allowed: https://tracker.example/pixel.png"]
    else:
        assert len(errors) == 1 and "loads https://tracker.example/pixel.png, defined on line 12" in errors[0], errors


ALLOWED = {
    "link": "[a](https://t.example/)",
    "reference link": "[a][r]\n\n[r]: https://t.example/",
    "shortcut reference link": "[r]\n\n[r]: https://t.example/",
    "inline image on this server": "![a](/-/static/app.css)",
    "inline data image": "![dot](data:image/gif;base64,R0lGODlhAQABAAAAACw=)",
    "escaped bang": "\\![px] is how the syntax looks",
    "escaped bracket": "!\\[px] is how the syntax looks",
    "code span": "`![px]` is how the syntax looks",
    "autolink": "<https://t.example/>",
}


@pytest.mark.parametrize("summary", ALLOWED.values(), ids=ALLOWED.keys())
def test_links_and_images_that_load_nothing_remote_are_allowed(summary):
    text = HEAD + finding("one", summary + "\n\n[px]: https://tracker.example/pixel.png")
    assert errors_of(text) == []


def test_a_tag_split_over_two_fields_is_found_in_the_note_read_as_one_text():
    """A front-matter value that opens a tag and a summary that closes it: no field alone holds
    an element, the note read as one text does (as a page showing both would)."""
    text = HEAD.replace("organization: KRIHS", "organization: '<video poster=\"https://tracker.example/split.png'")
    text += finding("one", 'The end"></video>')
    assert errors_of(text) == [
        "6: remote content is not allowed: https://tracker.example/split.png (a tag that starts here and ends "
        "in another field: the pages and the memo show the fields together)"]
