"""A note's front matter as text fields, and back, rewriting only the lines of the fields that changed.

Values and comments are read with ruamel.yaml in round-trip mode (it keeps what PyYAML drops:
comments and their columns, and which value is a date). Writing does not dump the mapping again:
each changed field's line is replaced in place by ``key: value`` (its comment kept at its
column), an emptied field's lines are removed, a new field is inserted after the field that
precedes it in the documented order (``FIELD_ORDER``). Every other byte stays: comments, blank
lines, key order, quoting, CRLF. A value is written plain when ``ingest check``'s own YAML loader
reads it back as the same text (a date for ``start``/``end``), double-quoted otherwise; ruamel is
YAML 1.2 while check reads YAML 1.1 (``yes``, ``on``, ``1_000`` are not text there), so the
judge's loader decides. Values are one line: a line break in a value becomes a space.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError as RuamelError

from ..notes.parse import _FrontMatterLoader
from .lines import content, is_blank, one_line

# The order docs/notes.md writes the fields in; a field added by the form goes after the one before it here.
FIELD_ORDER = ("id", "title", "title_ko", "type", "document_type_ko", "organization", "organization_ko", "event",
               "place", "country", "start", "end", "language", "access", "rule", "status", "document", "url")
DATE_FIELDS = ("start", "end")
KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:")  # a top-level key, as the parser finds field lines
FIELD_NAME = re.compile(r"[A-Za-z_][\w-]*")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\ufeff")


@dataclass
class FrontMatter:
    """The lines between the '---' lines (with their endings) and what the form shows of them."""

    lines: list[str]
    fields: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> [first, end) of its lines (the last, if twice)
    earlier: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # a key written twice: its other lines
    columns: dict[str, int] = field(default_factory=dict)  # key -> column of its comment
    readable: bool = True  # False: ruamel could not read it; values then come from check's loader, or as written


def _ruamel() -> YAML:
    reader = YAML(typ="rt")
    reader.preserve_quotes = True
    reader.allow_duplicate_keys = True
    return reader


def read_front_matter(lines: list[str], values: bool = True) -> FrontMatter:
    """The fields' lines, and with ``values`` their values and comments (ruamel's reading is the slow part)."""
    front = FrontMatter(lines)
    keys = [(index, match.group(1)) for index, line in enumerate(lines) if (match := KEY.match(line))]
    counts: dict[str, int] = {}
    for position, (index, key) in enumerate(keys):
        end = keys[position + 1][0] if position + 1 < len(keys) else len(lines)
        while end > index + 1 and (is_blank(lines[end - 1]) or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        if key in front.spans:
            front.earlier.setdefault(key, []).append(front.spans[key])
        front.spans[key] = (index, end)
        counts[key] = counts.get(key, 0) + 1
    if not values:
        return front
    text = unicodedata.normalize("NFC", "\n".join(content(line) for line in lines))
    try:
        data = _ruamel().load(text)
    except (RuamelError, RecursionError, ValueError, TypeError, OverflowError, AttributeError):
        data = None  # e.g. ruamel's date constructor raises on 2016-13-45
    if data is not None and not hasattr(data, "ca"):
        data = None
    if data is None:
        front.readable = False
        data = _judged(text)  # an impossible date (2016-13-45) stops ruamel, not check's loader
    for key, (start, end) in front.spans.items():
        raw, comment, column = _raw_value(key, lines[start:end])
        value = data.get(key) if data is not None and counts[key] == 1 else None
        if hasattr(data, "ca") and counts[key] == 1 and key in data:
            token = (data.ca.items.get(key) or [None, None, None, None])[2]
            if token is not None and token.start_mark.line == start:
                comment, column = token.value.split("\n")[0].lstrip("#").strip(), token.start_mark.column
            else:
                comment = column = None  # ruamel read it: a '#' it did not take for a comment is not one
        front.fields[key] = _text(value, raw)
        if comment is not None:
            front.comments[key] = unicodedata.normalize("NFC", comment)
            front.columns[key] = column
    return front


def _judged(text: str) -> dict | None:
    """The values as check's own loader reads them (no comments), or None where it cannot either."""
    try:
        data = yaml.load(text, Loader=_FrontMatterLoader)
    except Exception:  # noqa: BLE001 (invalid YAML, a tag its constructor refuses …: the values as written)
        return None
    return data if isinstance(data, dict) else None


def _raw_value(key: str, lines: list[str]) -> tuple[str, str | None, int | None]:
    """The value as written (without its key and comment), its comment and the comment's column."""
    first = content(lines[0])
    after = first[KEY.match(first).end():]
    comment = column = None
    if (match := re.search(r"(?<=\s)#", after)) and not _inside_quotes(after[: match.start()]):
        comment, column = after[match.end():].strip(), len(first) - len(after) + match.start()
        after = after[: match.start()]
    parts = [after.strip()] + [content(line).strip() for line in lines[1:]]
    return unicodedata.normalize("NFC", " ".join(p for p in parts if p)), comment, column


def _inside_quotes(text: str) -> bool:
    stripped = text.strip()
    return stripped[:1] in ("'", '"') and not (len(stripped) > 1 and stripped[-1] == stripped[0])


def _text(value, raw: str) -> str:
    """A value as the form's text: strings as read, dates as YYYY-MM-DD, anything else as written."""
    if value is None:
        return "" if raw in ("", "~", "null", "Null", "NULL") else raw
    if isinstance(value, str):
        return unicodedata.normalize("NFC", str(value))
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return raw


def write_front_matter(front: FrontMatter, fields: dict[str, str], comments: dict[str, str], newline: str) -> list[str]:
    """The front matter's new lines: unchanged fields byte for byte, changed ones on one line each."""
    wanted = {key: one_line(value) for key, value in fields.items()}
    for key in wanted:
        if not FIELD_NAME.fullmatch(key):
            raise ValueError(f"'{key}' is not a front-matter field name")
    replaced: dict[int, tuple[int, str | None]] = {}  # first line -> (end, new line or None to remove)
    for key, (start, end) in front.spans.items():
        value = wanted.get(key, "")
        comment = comments.get(key)
        if not value and one_line(front.fields.get(key, "")):
            replaced[start] = (end, None)
        elif not value:
            continue  # empty before and after ('end:' with nothing): not touched
        elif value != one_line(front.fields.get(key, "")) or comment != front.comments.get(key):
            replaced[start] = (end, field_line(key, value, comment, front.columns.get(key), newline))
        else:
            continue
        for first, last in front.earlier.get(key, []):  # a field written twice, edited: one line is left
            replaced[first] = (last, None)
    inserts: dict[int, list[str]] = {}
    for key in sorted((k for k, v in wanted.items() if v and k not in front.spans), key=_order):
        inserts.setdefault(_insert_at(front, key, replaced), []).append(
            field_line(key, wanted[key], comments.get(key), None, newline))
    out: list[str] = []
    index = 0
    while index <= len(front.lines):
        out += inserts.get(index, [])
        if index == len(front.lines):
            break
        if index in replaced:
            end, line = replaced[index]
            out += [line] if line is not None else []
            index = end
        else:
            out.append(front.lines[index])
            index += 1
    return out


def _order(key: str) -> tuple[int, str]:
    return (FIELD_ORDER.index(key) if key in FIELD_ORDER else len(FIELD_ORDER), key)


def _insert_at(front: FrontMatter, key: str, replaced: dict[int, tuple[int, str | None]]) -> int:
    """After the kept field that comes last before ``key`` in the documented order, else before the first one."""
    kept = {k: span for k, span in front.spans.items() if replaced.get(span[0], (0, ""))[1] is not None}
    before = [k for k in kept if _order(k) < _order(key)]
    if before:
        return kept[max(before, key=_order)][1]
    if kept:
        return min(start for start, _ in kept.values())
    return len(front.lines)


def field_line(key: str, value: str, comment: str | None, column: int | None, newline: str) -> str:
    line = f"{key}: {scalar(key, value)}"
    if comment:
        comment = one_line(comment)
        padding = max(2, (column or 0) - len(line))
        line += " " * padding + "# " + comment
    return line + newline


def scalar(key: str, value: str) -> str:
    """``value`` as YAML that check's loader reads back as that text (as a date for start and end)."""
    if key in DATE_FIELDS and DATE.fullmatch(value):
        return value
    if not re.search(r"\s#|^#|:\s|:$|^[\s'\"]", value) and _reads_as(value, value):
        return value
    quoted = '"' + "".join(_escape(c) for c in value) + '"'
    if not _reads_as(quoted, value):  # cannot happen for text; refuse rather than write another value
        raise ValueError(f"'{key}' cannot be written as YAML text")
    return quoted


def _escape(char: str) -> str:
    if char in ('"', "\\"):
        return "\\" + char
    if _NOT_PRINTABLE.fullmatch(char):
        return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"
    return char


def _reads_as(written: str, value: str) -> bool:
    try:
        return yaml.load(f"k: {written}", Loader=_FrontMatterLoader) == {"k": value}
    except Exception:  # noqa: BLE001 (a YAML error, or a tag whose constructor fails: '!!int' alone)
        return False
