"""A search result's snippet: the original text around the first match, with every
word that matches the query marked, as safe HTML.

The index holds morphemes, so FTS5's own snippet() would show 홍보 where the note says
홍보의. Instead the original text is read again: Korean words through the same analysis
as the index (each morpheme knows the span of text it came from), other words as
written. Which words match is decided by SQLite itself, with the index's own tokenizer
(porter: "finance" marks "financing"), in an in-memory table of the thread's own.

A search page makes a hundred snippets, so both steps are spared what they can be:
only the words (between spaces) that hold a Korean query term as written are analysed,
each with the two words before and after it, which is context enough for the analyser
to read it as it reads the whole text (measured: docs/search.md), and each such window
once per process; a term is tested against a query once. A query with a verb or
adjective stem (돕다 → 돕, written 도와) is the exception: its words need not hold the
stem as written, so the whole text is analysed, as before.

Every piece of text is HTML-escaped before the <mark> tags are put around matches, so a
note containing ``<script>`` shows it as text (the simonw/til way: escape, then highlight).
"""

from __future__ import annotations

import functools
import html
import re
import sqlite3
import threading
import unicodedata
from typing import NamedTuple

from . import korean
from .index_text import FTS_TOKENIZE
from .query import parse

HANGUL_CLASS = korean.HANGUL.pattern[1:-1]
OTHER_WORD = re.compile(rf"(?:(?![{HANGUL_CLASS}])[^\W_])+")  # a word without Hangul
MARKED = re.compile(r"</?mark>")
CHUNK = re.compile(r"\S+")  # a word between spaces (어절)
CONTEXT = 2  # words on either side of a word, for the analyser to read it as in the whole text
WIDTH = 240  # characters of text in a snippet
LEAD = 60  # of which before the first match


class Word(NamedTuple):
    start: int
    end: int
    term: str


def words(text: str, korean_terms: tuple[str, ...] | None = ()) -> list[Word]:
    """Every searchable word of ``text`` that could match: words without Hangul as written, and
    the Korean morphemes (with their surface spans) of every space-separated word holding one
    of ``korean_terms``; all of them when ``korean_terms`` is None, none when it is empty."""
    found = [Word(m.start(), m.end(), m.group()) for m in OTHER_WORD.finditer(text)]
    if korean_terms is None:
        found += [Word(*span) for span in korean.term_spans(text)]
    elif korean_terms:
        chunks = list(CHUNK.finditer(text))
        for i, chunk in enumerate(chunks):
            if any(term in chunk.group() for term in korean_terms):
                start = chunks[max(0, i - CONTEXT)].start()
                window = text[start:chunks[min(len(chunks) - 1, i + CONTEXT)].end()]
                found += [Word(start + span.start, start + span.end, span.term) for span in window_spans(window)
                          if chunk.start() <= start + span.start and start + span.end <= chunk.end()]
    return sorted(set(found))


@functools.lru_cache(maxsize=65536)
def window_spans(window: str) -> tuple[korean.TermSpan, ...]:
    return tuple(korean.term_spans(window))


@functools.lru_cache(maxsize=1024)
def korean_terms_of(query: str) -> tuple[str, ...] | None:
    """The Korean terms a snippet looks for, as written in the text; None when one of them is a
    verb or adjective stem, which a conjugated word need not hold as written."""
    if korean.has_verb_stem(query):
        return None
    return tuple({term for item in parse(query) for term in item.terms if korean.has_hangul(term)})


class _Matcher(threading.local):
    """A thread's in-memory FTS table with the index's tokenizer, and what it has answered."""

    def __init__(self):
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute(f"create virtual table t using fts5(term, tokenize='{FTS_TOKENIZE}')")
        self.answers: dict[tuple[str, str], bool] = {}


_matcher = _Matcher()


def matching_terms(terms: set[str], query: str) -> set[str]:
    """Which of ``terms`` the query's words match, under the index's tokenizer."""
    items = parse(query)
    if not terms or not items:
        return set()
    answers = _matcher.answers
    unknown = sorted(term for term in terms if (term, query) not in answers)
    if unknown:
        if len(answers) > 200_000:
            answers.clear()  # bounded: a long-running server sees many queries
        alternatives = [f'"{term}"' for item in items for term in item.terms[:-1]]
        alternatives += [f'"{item.terms[-1]}"' + (" *" if item.prefix else "") for item in items]
        conn = _matcher.conn
        with conn:
            conn.execute("delete from t")
            conn.executemany("insert into t (rowid, term) values (?, ?)", enumerate(unknown, start=1))
            rowids = {rowid for (rowid,) in conn.execute("select rowid from t where t match ?",
                                                         (" OR ".join(alternatives),))}
        answers.update(((term, query), i in rowids) for i, term in enumerate(unknown, start=1))
    return {term for term in terms if answers[term, query]}


def snippet(text: str | None, query: str | None, width: int = WIDTH) -> str:
    """HTML: ``text`` (whitespace collapsed) around its first match, matches in <mark>."""
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    query = unicodedata.normalize("NFC", query or "")
    all_words = words(text, korean_terms_of(query) if korean.has_hangul(query) else ())
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
