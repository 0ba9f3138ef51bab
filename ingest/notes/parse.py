"""Parse one note file: YAML front matter, then one finding per '## ' heading.

The parser only reads structure; what the values mean is checked in validate.py.
A note without readable structure (not UTF-8, too large, empty, no closed front
matter) raises NoteError; problems it can read past (invalid YAML, an attribute
given twice) are collected in ``Note.problems`` so that one run reports them all.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import yaml

from .errors import NoteError, Problem
from .model import Finding, Note, Quote

# Prefix patterns use match(); whole-line patterns fullmatch() (a '$' would also match before a newline).
FENCE = re.compile(r"\s{0,3}(```|~~~)")
# A list item whose first word is followed by a colon: '- kind: observation' (but not '- access to data').
# The value ends at its last non-space character; spaces are taken a run at a time and never given
# back (a lazy '(.*?)\s*' tried the rest of a run of spaces at each of them: quadratic).
ATTRIBUTE = re.compile(r"\s*+[-*]\s++([A-Za-z_][\w-]*+)\s*+:\s*+((?:\S|\s++(?=\S))*+)\s*+")
FRONT_MATTER_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:")
QUOTE = re.compile(r"\s{0,3}>\s?(.*)")
COMMENT = re.compile(r"(?<!\S)#(?:\s.*)?\Z", re.S)  # '- themes: a, b  # why': a comment, as in YAML
MAX_NOTE_BYTES = 1_000_000  # a long trip report is about 30 kB; originals belong under notes/sources/


class _FrontMatterLoader(yaml.CSafeLoader):
    """The safe loader, except that an impossible date (2016-13-45) stays text for validation to report."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, AttributeError):
            return self.construct_scalar(node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _FrontMatterLoader.construct_yaml_timestamp)


def read_note(path: Path, notes_dir: Path) -> Note:
    """Read a note file and parse it; raise NoteError naming file and line."""
    display = path.relative_to(notes_dir).as_posix()
    size = path.stat().st_size
    if size > MAX_NOTE_BYTES:
        raise NoteError(display, 1, f"the note is {size / 1e6:.1f} MB, over the {MAX_NOTE_BYTES / 1e6:.0f} MB limit for one note",
                        "write one note per source; keep long original documents under notes/sources/ and quote from them")
    raw = path.read_bytes()
    return parse_note(decode(raw, display), display, hashlib.sha256(raw).hexdigest())


def decode(raw: bytes, display: str) -> str:
    """UTF-8 (with or without BOM), or a NoteError that says how to convert."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        guess = "an unknown encoding"
        for encoding, name in (("cp949", "EUC-KR/CP949"), ("utf-16", "UTF-16")):
            try:
                raw.decode(encoding)
                guess = name
                break
            except UnicodeDecodeError:
                continue
        raise NoteError(
            display, line, f"the file is not UTF-8 (it looks like {guess})",
            f"save it as UTF-8, e.g. iconv -f CP949 -t UTF-8 {display} > converted.md",
        ) from None


def parse_note(text: str, display: str, digest: str = "") -> Note:
    # Decomposed Hangul (NFD: a macOS file name, some PDF extractors) is another string than the
    # composed form (NFC) a browser sends: one form for every text, from here on.
    text = unicodedata.normalize("NFC", text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not text.strip():
        raise NoteError(display, 1, "the note is empty", "start with front matter between '---' lines")
    if lines[0].strip() != "---":
        raise NoteError(display, 1, "a note must start with front matter between '---' lines",
                        "put '---' on the first line, the YAML fields, then '---'")
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise NoteError(display, 1, "the front matter is not closed",
                        "add a line '---' after the last front-matter field") from None
    problems: list[Problem] = []
    try:
        front_matter = _front_matter(lines[1:close], display)
    except NoteError as error:  # report it, and still read the findings
        problems.append(error.problem)
        front_matter = None
    field_lines = _field_lines(lines[1:close], display, problems)
    body, findings = _body(lines, close + 1, display, problems)
    first_finding = findings[0].line - 1 if findings else len(lines)
    description_line = next((i + 1 for i in range(close + 1, len(lines)) if lines[i].strip()), close + 2)
    return Note(display, front_matter or {}, field_lines, body, findings, digest,
                body_line=close + 2, description_line=description_line, problems=problems,
                front_matter_read=front_matter is not None,
                body_attributes=_attribute_lines(lines[close + 1:first_finding], close + 2))


def _front_matter(yaml_lines: list[str], display: str) -> dict:
    try:
        data = yaml.load("\n".join(yaml_lines), Loader=_FrontMatterLoader)
    except yaml.YAMLError as error:
        mark, context_mark = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
        line = mark.line + 2 if mark else 2
        problem = getattr(error, "problem", None) or str(error)
        if context_mark and context_mark.line + 2 != line:  # e.g. an unclosed '[': name the line it opens on
            problem = f"{problem} on line {line}, {error.context} that starts here"
            line = context_mark.line + 2
        raise NoteError(display, line, f"the front matter is not valid YAML: {problem}",
                        "check indentation and quote values that contain ': ' or start with special characters") from None
    except Exception as error:  # a tagged value its constructor rejects, e.g. '!!int abc', or nesting too deep
        raise NoteError(display, 2, f"the front matter could not be read: {type(error).__name__}: {str(error)[:200]}",
                        "write plain 'key: value' lines without YAML tags") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise NoteError(display, 2, "the front matter must be 'key: value' lines")
    return data


def _field_lines(yaml_lines: list[str], display: str, problems: list[Problem]) -> dict[str, int]:
    """Front-matter key -> its line in the file; a key given twice is a problem (YAML keeps the last)."""
    field_lines: dict[str, int] = {}
    for number, line in enumerate(yaml_lines, start=2):
        if (match := FRONT_MATTER_KEY.match(line)):
            key = match.group(1)
            if key in field_lines:
                problems.append(Problem(display, number, f"front-matter field '{key}' appears twice",
                                        f"keep one '{key}:' line; only the last one counts"))
            else:
                field_lines[key] = number
    return field_lines


def _body(lines: list[str], start: int, display: str, problems: list[Problem]) -> tuple[str, list[Finding]]:
    """Split the Markdown after the front matter into the preamble and findings."""
    preamble: list[str] = []
    sections: list[tuple[int, list[str]]] = []  # (heading index, lines after it)
    in_fence = False
    for index in range(start, len(lines)):
        line = lines[index]
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            sections.append((index, []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    findings = [_finding(lines[i][3:].strip(), i + 1, rest, display, problems) for i, rest in sections]
    return "\n".join(preamble).strip(), findings


def _finding(title: str, heading_line: int, rest: list[str], display: str, problems: list[Problem]) -> Finding:
    finding = Finding(title=title, line=heading_line)
    position = 0

    def skip_blank() -> None:
        nonlocal position
        while position < len(rest) and not rest[position].strip():
            position += 1

    skip_blank()
    while position < len(rest) and (match := ATTRIBUTE.fullmatch(rest[position])):
        key, value = match.group(1), COMMENT.sub("", match.group(2)).rstrip()
        line = heading_line + 1 + position
        if key in finding.attributes:
            problems.append(Problem(display, line, f"attribute '{key}' appears twice in this finding",
                                    f"keep one '- {key}: …' line; the first, on line {finding.attribute_lines[key]}, is used"))
        else:
            finding.attributes[key] = value
            finding.attribute_lines[key] = line
        position += 1
    attributes_end = position
    skip_blank()
    while position < len(rest) and QUOTE.match(rest[position]):
        quote_line = heading_line + 1 + position
        quote: list[str] = []
        while position < len(rest) and (match := QUOTE.fullmatch(rest[position])):
            quote.append(match.group(1))
            position += 1
        finding.quotes.append(Quote("\n".join(quote).strip(), quote_line))
        skip_blank()
    finding.summary_line = heading_line + 1 + position
    finding.summary = "\n".join(rest[position:]).strip()
    finding.body_attributes = _attribute_lines(rest[attributes_end:], heading_line + 1 + attributes_end)
    return finding


def _attribute_lines(lines: list[str], first_line: int) -> list[tuple[int, str]]:
    """(line, key) of each line shaped like an attribute, outside fenced code blocks."""
    found, in_fence = [], False
    for number, line in enumerate(lines, start=first_line):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := ATTRIBUTE.fullmatch(line)):
            found.append((number, match.group(1)))
    return found
