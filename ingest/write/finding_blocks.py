"""One finding's block of lines ('## ' heading to the next) read as the parser reads it, and written back.

A block is cut into the parts the parser sees (heading, attribute list, quotes, summary) with
their lines as written. A changed card is written part by part: a part whose values did not change
keeps its lines byte for byte, an attribute line whose value did not change keeps its comment.

What a form's values may not do to the note's structure is escaped, never refused, and always so
that ``ingest check`` still reads the value the researcher meant or reports it beside its field:
- titles and attribute values are one line (a line break becomes a space); in an attribute a
  '#' standing alone as a word would start a comment, so it is written as the fullwidth '＃' (the
  draft tool does the same);
- a summary line starting with '## ' (a new finding) is written '\\## ' (Markdown shows '## ');
  a summary whose first line starts with '>' (a quote) gets '\\>'; an unclosed code fence is
  closed (it would hide the headings after it); a summary line shaped like an attribute
  ('- access: internal') is left for check to report, as it reports it in a file, except where
  no attribute list precedes it and it would become one: then it is escaped ('\\- ').
- each quote line is written after '> ' (a blank line inside a quote as '>'), so a quote cannot
  leave its quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..notes.parse import ATTRIBUTE, COMMENT, FENCE, QUOTE
from .lines import content, form_text, is_blank, one_line

ATTRIBUTE_ORDER = ("id", "title_ko", "themes", "regions", "stakeholders", "kind", "access")
_LONE_HASH = r"(?<!\S)#(?=\s|\Z)"


@dataclass
class Block:
    heading: str
    gap: list[str] = field(default_factory=list)  # blank lines between heading and attribute list
    attributes: list[tuple[str | None, str]] = field(default_factory=list)  # (key, line); key None: a repeat
    after_attributes: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)  # quote lines and the blank lines between and after them
    summary: list[str] = field(default_factory=list)  # up to its last non-blank line
    tail: list[str] = field(default_factory=list)  # blank lines after the summary

    @property
    def title(self) -> str:
        return form_text(content(self.heading)[3:])

    def values(self) -> dict[str, str]:
        """Attribute -> value as the parser reads it (first occurrence, comment removed)."""
        return {key: form_text(_value(line)) for key, line in self.attributes if key}

    def reasons(self) -> dict[str, str]:
        found = {}
        for key, line in self.attributes:
            if key and (comment := _comment(line)) is not None:
                found[key] = comment
        return found

    def quote_texts(self) -> list[str]:
        texts, current = [], None
        for line in self.quotes:
            if (match := QUOTE.fullmatch(content(line))):
                current = [] if current is None else current
                current.append(match.group(1))
            elif current is not None:
                texts.append(form_text("\n".join(current)))
                current = None
        if current is not None:
            texts.append(form_text("\n".join(current)))
        return texts

    def summary_text(self) -> str:
        return form_text("\n".join(content(line) for line in self.summary))


def split_block(lines: list[str]) -> Block:
    """The parts of one block (its heading first), cut where ``parse._finding`` cuts them."""
    block = Block(lines[0])
    rest, position = lines[1:], 0
    while position < len(rest) and is_blank(rest[position]):
        block.gap.append(rest[position])
        position += 1
    seen = set()
    while position < len(rest) and (match := ATTRIBUTE.fullmatch(content(rest[position]))):
        key = match.group(1)
        block.attributes.append((None if key in seen else key, rest[position]))
        seen.add(key)
        position += 1
    while position < len(rest) and is_blank(rest[position]):
        block.after_attributes.append(rest[position])
        position += 1
    while position < len(rest) and QUOTE.match(content(rest[position])):
        while position < len(rest) and QUOTE.fullmatch(content(rest[position])):
            block.quotes.append(rest[position])
            position += 1
        while position < len(rest) and is_blank(rest[position]):
            block.quotes.append(rest[position])
            position += 1
    summary = rest[position:]
    last = max((i for i, line in enumerate(summary) if not is_blank(line)), default=-1)
    block.summary, block.tail = summary[: last + 1], summary[last + 1:]
    return block


def repeated(line: str) -> str:
    """The name of the attribute on ``line``."""
    match = ATTRIBUTE.fullmatch(content(line))
    return match.group(1) if match else ""


def _value(line: str) -> str:
    match = ATTRIBUTE.fullmatch(content(line))
    return COMMENT.sub("", match.group(2)).rstrip() if match else ""


def _comment(line: str) -> str | None:
    match = ATTRIBUTE.fullmatch(content(line))
    found = COMMENT.search(match.group(2)) if match else None
    return found.group(0)[1:].strip() if found else None


def tags(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def attribute_value(value: str) -> str:
    """One line, and no '#' the parser would take for the start of a comment."""
    return re.sub(_LONE_HASH, "＃", one_line(value))


def attribute_line(key: str, value: str, reason: str | None, newline: str) -> str:
    line = f"- {key}: {attribute_value(value)}"
    if reason and one_line(reason):
        line += "  # " + one_line(reason)
    return line + newline


def quote_lines(quotes: list[str], newline: str) -> list[str]:
    lines = []
    for quote in quotes:
        for line in form_text(quote).split("\n"):
            lines.append(f"> {line}{newline}" if line.strip() else f">{newline}")
        lines.append(newline)
    return lines


def markdown_lines(text: str, newline: str, *, summary: bool = False, after_attributes: bool = True) -> list[str]:
    """Markdown ``text`` as lines that stay where they are put: no '## ' heading, no unclosed
    fence, and a first line the parser could read as a quote or an attribute escaped (see module)."""
    out, in_fence, first = [], False, True
    for line in form_text(text).split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.startswith("## "):
            line = "\\" + line
        if first and line.strip() and summary:
            if QUOTE.match(line):
                line = line.replace(">", "\\>", 1)
            elif not after_attributes and ATTRIBUTE.fullmatch(line):
                stripped = line.lstrip()
                line = line[: len(line) - len(stripped)] + "\\" + stripped
            first = False
        out.append(line)
    if in_fence:
        out.append("```")
    return [line + newline for line in out] if any(line.strip() for line in out) else []
