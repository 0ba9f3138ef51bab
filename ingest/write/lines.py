"""A note's text as lines that keep their own endings, so that what is not rewritten stays byte for byte."""

from __future__ import annotations

import re
import unicodedata

BOM = "\ufeff"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z")  # the parser's line ends: CRLF, LF, a lone CR
_SINGLE_LINE_SPACE = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+\s*")


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, each with its ending ('' for a last line without one)."""
    return _LINE.findall(text)


def content(line: str) -> str:
    """A line without its ending."""
    return line[: len(line) - len(ending(line))]


def ending(line: str) -> str:
    """The line ending ``line`` (or any text) ends with, '' if none; looks only at its end."""
    if line.endswith("\r\n"):
        return "\r\n"
    return line[-1] if line[-1:] in ("\n", "\r") else ""


def newline_of(text: str) -> str:
    """The line ending a note is written with: its first one, LF for a text without any."""
    match = re.search(r"\r\n|\n|\r", text)
    return match.group(0) if match else "\n"


def is_blank(line: str) -> bool:
    return not line.strip()


def form_text(value: str) -> str:
    """Text as the form shows and compares it: NFC (as ``check`` reads notes), LF line ends
    (a browser sends CRLF from a textarea), no blank lines around it."""
    value = unicodedata.normalize("NFC", "" if value is None else str(value))
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def one_line(value: str) -> str:
    """A value that the note holds on one line (titles, front-matter fields, attributes): line
    breaks become one space, so a pasted title cannot open a new field or finding."""
    return _SINGLE_LINE_SPACE.sub(" ", form_text(value)).strip()


def joined(chunks: list[str], newline: str) -> str:
    """Chunks of lines joined so that each one starts on a line of its own."""
    out: list[str] = []
    for chunk in chunks:
        if chunk and out and not ending(out[-1]):
            out.append(newline)
        if chunk:
            out.append(chunk)
    return "".join(out)
