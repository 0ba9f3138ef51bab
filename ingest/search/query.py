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

Words are matched in the title and the body. A word, a quoted phrase or a run of words
that equals a concept's label or alias (크라우드펀딩, 클라우드 펀딩, "crowdfunding", 재원) also
matches that concept: the findings tagged with it, or with a narrower theme, whatever
their text says (see ``concepts``). ``lookup`` tells which keys name a concept; without
it, words are matched as words only.

A query with nothing to search for (``*``, ``"``, ``-``, only particles) matches no row,
and ``problem()`` says why in words a researcher understands.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Collection
from typing import NamedTuple

from . import korean
from .concepts import COLUMN, ConceptName, words_key

# A quoted phrase (optionally followed by *), or a run of anything but space and quotes.
ITEM = re.compile(r'"([^"]*)"(\*?)|([^\s"]+)')
WORD = re.compile(r"[^\W_]+")  # what the unicode61 tokenizer keeps as a token
MATCH_NOTHING = '""'  # an empty phrase: a valid FTS5 query that matches no row
WORDS = "{title body}"  # the columns a word is matched in
LONGEST_NAME = 4  # words: the longest run of query words tried as one concept's name

Lookup = Callable[[Collection[str]], dict[str, ConceptName]]  # keys → the concepts they name


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


class Group(NamedTuple):
    items: tuple[Item, ...]  # words that must all match (in the title or the body) …
    concept: ConceptName | None  # … or, when they name one, this concept

    def fts(self) -> str:
        words = " AND ".join(item.fts() for item in self.items)
        words = f"{WORDS} : ({words})" if len(self.items) > 1 else f"{WORDS} : {words}"
        return f'({words} OR {COLUMN} : "{self.concept.token}")' if self.concept else words


def nfc(text: str) -> str:
    """A query as the index holds text: composed (NFC). A decomposed 조달 (NFD, pasted from a macOS
    file name) is another string, and kiwipiepy reads its jamo as no word at all."""
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=4096)  # a page runs it once per query it makes: count, rows, facets
def candidate_keys(query: str) -> tuple[tuple[Item, ...], dict[tuple[int, int], str]]:
    """The query's items, and for every run of them that could be a name, its key."""
    items = tuple(parse(query))
    keys = {}
    for start in range(len(items)):
        for end in range(start + 1, min(len(items), start + LONGEST_NAME) + 1):
            if any(item.prefix for item in items[start:end]):
                break  # financ* asks for words, not for a concept
            keys[start, end] = words_key(term for item in items[start:end] for term in item.terms)
    return items, keys


def groups(query: str, lookup: Lookup | None = None) -> list[Group]:
    """The query's items, longest runs that name a concept first, left to right."""
    items, keys = candidate_keys(nfc(query or ""))
    named = lookup(set(keys.values())) if lookup and keys else {}
    found, start = [], 0
    while start < len(items):
        end = next((end for end in range(min(len(items), start + LONGEST_NAME), start, -1)
                    if keys.get((start, end)) in named), None)
        if end is None:
            found.append(Group(items[start:start + 1], None))
            start += 1
        else:
            found.append(Group(items[start:end], named[keys[start, end]]))
            start = end
    return found


def fts_match(query: str, lookup: Lookup | None = None) -> str:
    """The FTS5 MATCH expression for ``query``; never raises, never an FTS5 syntax error."""
    found = groups(query, lookup)
    return " AND ".join(group.fts() for group in found) if found else MATCH_NOTHING


def concepts_matched(query: str, lookup: Lookup) -> list[tuple[str, ConceptName]]:
    """(the words as typed, the concept they name) for every concept the query matches."""
    return [(" ".join(" ".join(item.terms) for item in group.items), group.concept)
            for group in groups(query, lookup) if group.concept]


def problem(query: str) -> str | None:
    """A friendly message when a non-empty ``query`` has nothing to search for, else None."""
    if not (query or "").strip() or parse(nfc(query)):
        return None
    shown = query.strip()
    return (
        f"검색할 낱말이 없습니다: “{shown}”. 한글이나 영어 낱말을 입력하세요. "
        f"낱말 끝에 *를 붙이면 그것으로 시작하는 낱말을 모두 찾습니다 (예: 도시*). · "
        f"Nothing to search for in “{shown}”: type a Korean or English word; "
        f"end it with * to find every word that begins with it (e.g. financ*)."
    )
