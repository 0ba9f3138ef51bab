"""A search result's snippet: the original text around the first match, with every
word that matches the query marked, as safe HTML.

The index holds morphemes, so FTS5's own snippet() would show 홍보 where the note says
홍보의. Instead the original text is read again: Korean words through the same analysis
as the index (each morpheme knows the span of text it came from), other words as
written. Which words match is decided by SQLite itself, with the index's own tokenizer
(porter: "finance" marks "financing"), in a throwaway in-memory table.

Every piece of text is HTML-escaped before the <mark> tags are put around matches, so a
note containing ``<script>`` shows it as text (the simonw/til way: escape, then highlight).
"""

from __future__ import annotations

import html
import re
import sqlite3
from typing import NamedTuple

from . import korean
from .index_text import FTS_TOKENIZE
from .query import parse

HANGUL_CLASS = korean.HANGUL.pattern[1:-1]
OTHER_WORD = re.compile(rf"(?:(?![{HANGUL_CLASS}])[^\W_])+")  # a word without Hangul
MARKED = re.compile(r"</?mark>")
WIDTH = 240  # characters of text in a snippet
LEAD = 60  # of which before the first match


class Word(NamedTuple):
    start: int
    end: int
    term: str


def words(text: str, korean_too: bool = True) -> list[Word]:
    """Every searchable word of ``text``: Korean morphemes with their surface spans, other words as written."""
    found = [Word(m.start(), m.end(), m.group()) for m in OTHER_WORD.finditer(text)]
    if korean_too:
        found += [Word(*span) for span in korean.term_spans(text)]
    return sorted(found)


def matching_terms(terms: set[str], query: str) -> set[str]:
    """Which of ``terms`` the query's words match, under the index's tokenizer."""
    items = parse(query)
    if not terms or not items:
        return set()
    alternatives = [f'"{term}"' for item in items for term in item.terms[:-1]]
    alternatives += [f'"{item.terms[-1]}"' + (" *" if item.prefix else "") for item in items]
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"create virtual table t using fts5(term, tokenize='{FTS_TOKENIZE}')")
        ordered = sorted(terms)
        conn.executemany("insert into t (rowid, term) values (?, ?)", enumerate(ordered, start=1))
        rowids = conn.execute("select rowid from t where t match ?", (" OR ".join(alternatives),)).fetchall()
    finally:
        conn.close()
    return {ordered[rowid - 1] for (rowid,) in rowids}


def snippet(text: str | None, query: str | None, width: int = WIDTH) -> str:
    """HTML: ``text`` (whitespace collapsed) around its first match, matches in <mark>."""
    text = " ".join((text or "").split())
    query = query or ""
    all_words = words(text, korean_too=korean.has_hangul(query))
    matched = matching_terms({w.term for w in all_words}, query)
    marks = [w for w in all_words if w.term in matched]
    start = max(0, marks[0].start - LEAD) if marks else 0
    if start:
        start = text.find(" ", start, marks[0].start) + 1 or start  # begin at a word
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)  # end at a word, after the first match
        if space > (marks[0].end if marks else start):
            end = space
    out = ["…" if start else ""]
    cursor = start
    for word in marks:
        if word.start < cursor or word.end > end:
            continue  # overlapping, or outside the snippet
        out += [html.escape(text[cursor:word.start]), "<mark>", html.escape(text[word.start:word.end]), "</mark>"]
        cursor = word.end
    out += [html.escape(text[cursor:end]), "…" if end < len(text) else ""]
    return "".join(out)


def is_snippet_html(value: object) -> bool:
    """True when ``value`` is text whose only markup is <mark> and </mark>: safe to render as HTML."""
    return isinstance(value, str) and not re.search(r"[<>]", MARKED.sub("", value))
