"""A memo draft in Markdown from a selection of findings, grouped by theme.

Every finding appears under each of its themes as a bullet: title, summary, quote(s)
and citation (its source's reference with the finding's URL, ingest/memo/references.py),
with the number of its source in the references at the end. Headings are bilingual; ``lang``
chooses which language comes first and the language of titles and citations.

The memo is made line by line as it is sent (``memo_lines``), from the memo's outline
(``outline.py``: read in two passes, and walked by the HWPX and DOCX memos too): memory stays
flat however many findings it holds. The selection line is the
request's text, so it is escaped (``markdown_text``): it shows as typed, never as a link, an
image or HTML.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from typing import NamedTuple

from .loads_nothing import loads_nothing
from .outline import MemoFinding, Outline, both, read_outline, word
from .records import Selection

INDENT = "    "  # list-item continuation that Python-Markdown and CommonMark both accept


class MemoPart(NamedTuple):
    about: list[tuple[str, str]]  # (label, plain text): what was selected, from where, how many, when
    lines: Iterator[str]  # the memo's Markdown after its header, made as it is read


def memo_lines(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
               lang: str = "ko", limit: int | None = None) -> Iterator[str]:
    """The memo draft of ``selection``, line by line, header first (what ``build_memo`` joins)."""
    memo = read_memo(conn, selection, url_for, lang, limit)
    yield f"# {both('title', lang)}"
    yield ""
    for key, value in memo.about:  # the selection is the request's text: escaped; the view's URL is encoded
        if key == both("selection", lang):
            value = markdown_text(value)
        yield f"- {key}: " + (f"<{value}>" if key == both("view", lang) else value)
    yield ""
    yield from memo.lines


def read_memo(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
              lang: str = "ko", limit: int | None = None, total: int | None = None) -> MemoPart:
    """The memo of ``selection`` (of its first ``limit`` findings, if given), in constant memory:
    its outline (``outline.read_outline``, two passes) as Markdown. ``total``, if given, is the
    count of findings the header gives (the whole selection's, when ``limit`` cuts the memo short)."""
    outline = read_outline(conn, selection, url_for, lang, limit, total)
    about = [(both(key, lang), value) for key, value in outline.facts]
    return MemoPart(about, _body(outline) if outline.count else iter([word("empty", lang), ""]))


def _body(outline: Outline) -> Iterator[str]:
    lang = outline.lang
    for section in outline.sections:
        yield from (f"## {section.heading}", "")
        for finding, number in outline.entries(section):  # a bullet is one string of several lines
            yield "\n".join(_bullet(finding))
            yield from (f"{INDENT}{word('source', lang)} [{number}]: {_safe(finding.citation)}", "")
    yield from (f"## {both('references', lang)}", "")
    for number, reference in outline.references:
        yield f"{number}. {_safe(reference)}"
    yield ""


def _bullet(finding: MemoFinding) -> list[str]:
    """The bullet of a finding, without its source line (whose number the memo's order decides)."""
    lines = [f"- **{_safe(finding.title)}** ({finding.marks})", ""]
    if finding.summary:
        lines += _indented(_safe(finding.summary)) + [""]
    for quote in finding.quotes:
        lines += _indented("\n".join("> " + line for line in _safe(quote).split("\n"))) + [""]
    return lines


def _safe(text: str) -> str:
    """``text``, or, if it would load something from another server, the same shown as typed."""
    return loads_nothing(text, markdown_text)


def _indented(text: str) -> list[str]:
    return [INDENT + line if line else "" for line in text.split("\n")]


def markdown_text(text: str) -> str:
    """``text`` as Markdown that shows it as it is, on one line: no link, image, HTML or emphasis.

    Line breaks and other control characters become spaces (a line break could open a heading or
    a list); ``&`` and ``<`` become entities (raw HTML); Markdown's punctuation is escaped with a
    backslash, the set that CommonMark and Python-Markdown both honour.
    """
    text = CONTROL.sub(" ", text).replace("&", "&amp;").replace("<", "&lt;")
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()>#+\-.!])")


def build_memo(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
               lang: str = "ko") -> str:
    """The memo draft of ``selection`` read from an open insights.db connection."""
    return "\n".join(memo_lines(conn, selection, url_for, lang))

