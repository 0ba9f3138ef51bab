"""A front-matter value written by the writing room (ingest/write/front_matter.py) is read back by
check's own YAML loader as exactly the text typed: a date only for start and end."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.notes.parse import _FrontMatterLoader
from ingest.write.front_matter import field_line, read_front_matter, scalar, write_front_matter
from ingest.write.lines import one_line

from .conftest import examples


def read_back(line: str):
    return yaml.load(line, Loader=_FrontMatterLoader)


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=40))
@example("yes")
@example("2016-03-17")
@example("1_000")
@example("'quoted'")
@example("a: b # c")
@example("!!int 3")
@example("&anchor")
@example("*alias")
@example("- item")
@example("[a, b]")
@example("{a: b}")
@example("% directive")
@example("@at")
@example("`tick")
@example("\ufeffbom")
@example("\x85next line")
@example("null")
@example("~")
@example("\x7f\x80\ud7ff\ue000")
def test_any_text_is_written_as_yaml_that_reads_back_as_that_text(value):
    """Breaks if some typed text comes back from check's loader as another value (a bool, a date, a list …)."""
    text = one_line(value)
    if not text:
        return
    assert read_back(field_line("title", text, None, None, "\n")) == {"title": text}


def test_a_date_is_a_date_only_in_start_and_end():
    """Breaks if a start date is written as text (check wants a date) or a title date as a date."""
    assert read_back("start: " + scalar("start", "2016-03-17")) == {"start": dt.date(2016, 3, 17)}
    assert read_back("title: " + scalar("title", "2016-03-17")) == {"title": "2016-03-17"}
    assert read_back("start: " + scalar("start", "17 March 2016")) == {"start": "17 March 2016"}


def test_a_comment_is_kept_at_its_column():
    """Breaks if a changed field's comment moves or is lost."""
    lines = ["type: study              # one of source_types\n", "access: public\n"]
    front = read_front_matter(lines)
    assert front.comments == {"type": "one of source_types"} and front.columns["type"] == 25
    out = write_front_matter(front, {"type": "interview", "access": "public"}, front.comments, "\n")
    assert out == ["type: interview          # one of source_types\n", "access: public\n"]
