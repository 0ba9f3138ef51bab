"""What a spreadsheet cell or a memo bullet holds of a finding's Markdown.

Notes are hard-wrapped; a rendered page joins the lines of a paragraph with a space.
``unwrap`` does the same to the text itself, so a cell or a memo bullet reads as the
page does: soft line breaks become spaces, while paragraph breaks, list items, block
quotes, headings, tables, rules, hard breaks and code keep their lines. The Markdown
markup itself (``*emphasis*``, links) is kept: memos are Markdown.
"""

from __future__ import annotations

import re

# A line that opens a Markdown block of its own: never joined to the line before it.
BLOCK_START = re.compile(
    r" {0,3}(?:[-*+]\s|\d{1,9}[.)]\s|>|#{1,6}(?:\s|$)|\||```|~~~|(?:[-=*_]\s*){3,}$)"
)
HEADING = re.compile(r" {0,3}#{1,6}(?:\s|$)")
FENCE = re.compile(r" {0,3}(?:```|~~~)")
INDENTED_CODE = re.compile(r"(?: {4}|\t)")
# Plain prose — no line starts with a space or a block marker, none ends with a space or a
# backslash, no run of blank lines — is unwrapped with str methods; the rest line by line.
LINE_STARTS = frozenset(" \t-*+>#|=_~`0123456789")
LINE_ENDS = frozenset(" \t\\")


def unwrap(text: str | None) -> str | None:
    """Join the soft-wrapped lines of each Markdown paragraph with a single space."""
    if not text or "\n" not in text:
        return text
    if _plain(text):
        return "\n\n".join(paragraph.replace("\n", " ") for paragraph in text.split("\n\n"))
    return _unwrap_lines(text)


def _plain(text: str) -> bool:
    if text[0] == "\n" or text[-1] == "\n":
        return False
    after_blank = False
    for line in text.split("\n"):
        if not line:
            if after_blank:
                return False
            after_blank = True
        elif line[0] in LINE_STARTS or line[-1] in LINE_ENDS:
            return False
        else:
            after_blank = False
    return True


def _unwrap_lines(text: str) -> str:
    out: list[str] = []
    joinable = False  # may the next line continue the last one?
    in_fence = False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
            joinable = False
        elif in_fence:
            out.append(line)
        elif not line.strip():
            out.append("")
            joinable = False
        elif joinable and not BLOCK_START.match(line):
            out[-1] = out[-1] + " " + _trim(line.lstrip())
            joinable = not _hard_break(line)
        elif not joinable and INDENTED_CODE.match(line) and (not out or not out[-1]):
            out.append(line)  # indented code after a blank line: kept as it is
        else:
            out.append(_trim(line))
            joinable = not (_hard_break(line) or HEADING.match(line))
    return "\n".join(out)


def _hard_break(line: str) -> bool:
    return line.endswith("  ") or line.endswith("\\")


def _trim(line: str) -> str:
    """Trailing spaces go, except the two that make a hard line break."""
    return line if _hard_break(line) else line.rstrip()


# Characters XML 1.0 forbids (C0 controls but tab, LF and CR; surrogates; U+FFFE, U+FFFF).
# CR is allowed by XML but ends a line in Word and Hancom alike: it goes as well.
NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
MARKDOWN_EMPHASIS = re.compile(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1")  # not _: snake_case stays
MARKDOWN_CODE = re.compile(r"`([^`\n]+)`")


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML part (HWPX, DOCX) cannot hold: the one gate
    every string passes on its way into an office file. lxml escapes ``<``, ``&`` and quotes."""
    return NOT_XML.sub("", text)


def inline_plain(text: str) -> str:
    """Markdown's inline markup read as a person reads it: ``*word*`` → ``word``,
    ``[label](url)`` → ``label``, `` `code` `` → ``code``. For office files, which show text."""
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = MARKDOWN_CODE.sub(r"\1", text)
    return MARKDOWN_EMPHASIS.sub(r"\2", text)
