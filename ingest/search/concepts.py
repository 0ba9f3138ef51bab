"""Search by concept: what a finding's tags add to the index, and which query words name a tag.

The vocabulary knows that 크라우드펀딩, crowdfunding and 클라우드 펀딩 are one concept, and
that crowdfunding is a kind of financing. So each finding's row of the full-text index
has a third column, ``concepts``, holding one token per concept it carries: its themes
and every ancestor of each (so "financing" finds crowdfunding findings), its regions and
its stakeholder types. The tokens (``themecrowdfunding``, ``regioneurope``) are not words
anyone types: only a query word that equals a concept's label or alias is matched
against them, so 시민 (citizens) never finds a finding through the alias 시민 참여 of
another concept, and no finding comes back that has neither the words nor the concept.

A name's key is its words as the index reads them (Korean through the same analysis),
joined and case-folded: 클라우드펀딩, 클라우드 펀딩 and 클라우드펀딩의 share the key 클라우드펀딩.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from ..notes.errors import Problem
from ..notes.model import Finding
from ..notes.tags import TAGS
from ..notes.vocabulary import Vocabulary, broader_themes
from . import korean

WORD = re.compile(r"[^\W_]+")  # a token of the unicode61 tokenizer
COLUMN = "concepts"


class ConceptName(NamedTuple):
    key: str  # the name's words as indexed, joined and case-folded
    token: str  # what the concepts column holds for the concept
    facet: str  # theme, region or stakeholder
    value: str  # the concept's slug
    label: str  # 한국어 · English


def words_key(words: Iterable[str]) -> str:
    return "".join(words).casefold()


def analysed_words(texts: Sequence[str], analyse: Callable[[Sequence[str]], list[str]] = korean.index_texts
                   ) -> list[tuple[str, ...]]:
    """Each text's words as the index reads them, case-folded, in one batch: the one way a name
    is read, by search here and by the draft tool's suggestions (클라우드펀딩의 → 클라우드, 펀딩)."""
    return [tuple(word.casefold() for word in WORD.findall(text)) for text in analyse(list(texts))]


def text_key(text: str) -> str:
    """The key of a name as written: 클라우드 펀딩 → 클라우드펀딩, Crowd-funding → crowdfunding."""
    return words_key(analysed_words([text])[0])


def concept_token(facet: str, slug: str) -> str:
    return facet + slug.replace("-", "")


class Concepts:
    """The concept side of one vocabulary: index tokens for findings, names for queries."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.parents = {slug: term.parent for slug, term in vocabulary.themes.items()}

    def tokens(self, finding: Finding) -> str:
        """The ``concepts`` column of a finding: its tags, and the broader themes of its themes."""
        tokens = []
        for tag in TAGS:
            for slug in finding.values(tag.name):
                chain = broader_themes(self.parents, slug) if tag.name == "themes" else [slug]
                tokens += [concept_token(tag.facet, s) for s in chain]
        return " ".join(dict.fromkeys(tokens))

    def names(self, where: str = "themes.yml") -> tuple[list[ConceptName], list[Problem]]:
        """Every label and alias with its key; two concepts whose names share a key are a
        problem at the line of the second (the vocabulary's own check compares spellings;
        this one compares what the analyser makes of them)."""
        names: dict[str, ConceptName] = {}
        lines: dict[str, int] = {}
        clashes: set[tuple[str, str]] = set()
        problems = []
        written_names = [(tag.facet, term, written) for tag in TAGS
                         for term in self.vocabulary.terms(tag.name).values() for written in term.names]
        keys = map(words_key, analysed_words([written for *_, written in written_names]))
        for (facet, term, written), key in zip(written_names, keys):
            name = ConceptName(key, concept_token(facet, term.slug), facet, term.slug, term.label)
            if not name.key:
                continue
            other = names.setdefault(name.key, name)
            lines.setdefault(name.key, term.line)
            if other.token != name.token and (other.token, name.token) not in clashes:
                clashes.add((other.token, name.token))  # said once for a pair of concepts
                problems.append(Problem(
                    where, term.line,
                    f"'{written}' reads as the same words as a name of {other.facet} '{other.value}' "
                    f"(line {lines[name.key]}) but belongs to {facet} '{term.slug}'",
                    "a name belongs to one concept: keep it on one, or make it a keyword"))
        return list(names.values()), problems


def lookup_in(conn: sqlite3.Connection) -> Callable[[Iterable[str]], dict[str, ConceptName]]:
    """Which of some keys name a concept, read from the database's ``concept_names`` (none
    in a database without it). The keys travel as one bound JSON parameter."""
    def lookup(keys: Iterable[str]) -> dict[str, ConceptName]:
        try:
            rows = conn.execute("select key, token, facet, value, label from concept_names "
                                "where key in (select value from json_each(?))", [json.dumps(list(keys))]).fetchall()
        except sqlite3.Error:
            return {}
        return {row[0]: ConceptName(*row) for row in rows}
    return lookup
