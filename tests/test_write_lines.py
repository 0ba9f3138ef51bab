"""A note's lines as the parser cuts them, each keeping its own ending (ingest/write/lines.py)."""

from __future__ import annotations

import unicodedata

from ingest.write.lines import content, ending, form_text, joined, newline_of, one_line, split_lines


def test_lines_keep_their_endings_so_joining_them_gives_the_text_back():
    """Breaks if a CRLF, a lone CR or a last line without an ending is lost or split differently from the parser."""
    text = "a\r\nb\rc\n\nd"
    lines = split_lines(text)
    assert lines == ["a\r\n", "b\r", "c\n", "\n", "d"] and "".join(lines) == text
    assert [content(line) for line in lines] == ["a", "b", "c", "", "d"]
    assert [ending(line) for line in lines] == ["\r\n", "\r", "\n", "\n", ""]
    assert split_lines("") == [] and split_lines("x\u2028y\n") == ["x\u2028y\n"]  # U+2028 is no line end here


def test_a_note_is_written_with_its_own_line_ending():
    """Breaks if a CRLF note gets LF lines (or the reverse) where the form adds or rewrites lines."""
    assert newline_of("---\r\nid: x\r\n") == "\r\n" and newline_of("---\nid: x") == "\n" and newline_of("x") == "\n"
    assert joined(["a", "b\n", "c"], "\r\n") == "a\r\nb\nc"


def test_form_text_is_what_check_compares():
    """Breaks if a browser's CRLF or composed Hangul (NFC) against a decomposed note counts as a change."""
    assert form_text("\r\n 한글\r\n둘째 줄 \r\n") == "한글\n둘째 줄"
    assert form_text(unicodedata.normalize("NFD", "한글")) == "한글"
    assert one_line(" a\r\n\r\n b\u2028c ") == "a b c"
