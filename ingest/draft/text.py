"""Plain-text and Markdown reports (UTF-8 only, said clearly when they are not), and the text
shape every reader hands over."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import ReportError

PIPE_ROW = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$")
PIPE_SEPARATOR = re.compile(r"^[\s|:\-]+$")


def read_text_report(path: Path, name: str) -> str:
    """The text of a .txt or .md report; a Markdown table's rows become tab-separated rows."""
    text = _decode(path, name)
    if path.suffix.lower() == ".txt":
        return text
    lines = []
    for line in text.split("\n"):
        match = PIPE_ROW.match(line)
        if match and PIPE_SEPARATOR.match(line):
            continue  # |---|---|
        lines.append(table_row([cell.strip() for cell in match["cells"].split("|")]) if match else line)
    return "\n".join(lines)


def _decode(path: Path, name: str) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        try:
            raw.decode("cp949")
        except UnicodeDecodeError:
            raise ReportError(f"{name}:{line}: the report is not UTF-8 text",
                             "save it as UTF-8 (in 메모장/한글: 다른 이름으로 저장 → 인코딩 UTF-8)") from None
        raise ReportError(f"{name}:{line}: the report is EUC-KR/CP949 text, not UTF-8",
                         f"convert it first: iconv -f CP949 -t UTF-8 '{name}' > report.txt") from None


def report_text(paragraphs: list[tuple[float, str]]) -> str:
    """A document's paragraphs, as (left indent in any unit, text), in the shape every reader
    hands over: one paragraph a line, each distinct indent one more leading space."""
    levels = {indent: level for level, indent in enumerate(sorted({round(i, 1) for i, _ in paragraphs}))}
    return "\n".join(" " * levels[round(indent, 1)] + text if text.strip() else ""
                     for indent, text in paragraphs) + "\n"


def table_row(cells: list[str]) -> str:
    """A table row as one line, cells joined by tabs (what structure reads as a table)."""
    return "\t".join(" ".join(cell.split()) for cell in cells)
