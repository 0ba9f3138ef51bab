"""What a search-box query means, as an FTS5 expression over ``findings_fts``.

Datasette's own rules, with Korean read the way the index reads it:

- every word must match (AND); "a quoted phrase" matches its words in order, and an
  unbalanced quote is closed at the end;
- a word with Hangul is analysed like the index (``korean.index_text``), so 스마트도시는
  becomes the phrase "스마트 도시" and 홍보의 becomes 홍보;
- any other word is matched as written (the index porter-stems English: financing finds
  finance); everything is quoted, so AND, OR, NOT, NEAR, -, ( and : are plain text;
- a trailing ``*`` asks for words that begin with what was typed: 도시* finds 도시락,
  financ* finds finance and financing. Without it, words match whole (도시 never finds 도시락).

A query with nothing to search for (``*``, ``"``, ``-``, only particles) matches no row,
and ``problem()`` says why in words a researcher understands.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from . import korean

# A quoted phrase (optionally followed by *), or a run of anything but space and quotes.
ITEM = re.compile(r'"([^"]*)"(\*?)|([^\s"]+)')
WORD = re.compile(r"[^\W_]+")  # what the unicode61 tokenizer keeps as a token
MATCH_NOTHING = '""'  # an empty phrase: a valid FTS5 query that matches no row


class Item(NamedTuple):
    terms: tuple[str, ...]  # the words of the phrase, as the index holds them
    prefix: bool  # the last word may continue (a trailing *)

    def fts(self) -> str:
        phrase = '"' + " ".join(self.terms) + '"'
        return phrase + " *" if self.prefix else phrase


def parse(query: str) -> list[Item]:
    """The phrases of ``query``, each analysed; items with nothing to search are left out."""
    if query.count('"') % 2:
        query += '"'
    items = []
    for match in ITEM.finditer(query):
        quoted, star, word = match.groups()
        if word is not None:
            text, prefix = word.rstrip("*"), word.endswith("*")
        else:
            text, prefix = quoted, bool(star)
        terms = tuple(WORD.findall(korean.index_text(text) if korean.has_hangul(text) else text))
        if terms:
            items.append(Item(terms, prefix))
    return items


@functools.lru_cache(maxsize=4096)  # a page runs it once per query it makes: count, rows, facets
def fts_match(query: str) -> str:
    """The FTS5 MATCH expression for ``query``; never raises, never an FTS5 syntax error."""
    items = parse(query or "")
    return " ".join(item.fts() for item in items) if items else MATCH_NOTHING


def problem(query: str) -> str | None:
    """A friendly message when a non-empty ``query`` has nothing to search for, else None."""
    if not (query or "").strip() or parse(query):
        return None
    shown = query.strip()
    return (
        f"검색할 낱말이 없습니다: “{shown}”. 한글이나 영어 낱말을 입력하세요. "
        f"낱말 끝에 *를 붙이면 그것으로 시작하는 낱말을 모두 찾습니다 (예: 도시*). · "
        f"Nothing to search for in “{shown}”: type a Korean or English word; "
        f"end it with * to find every word that begins with it (e.g. financ*)."
    )
