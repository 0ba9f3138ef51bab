"""Themes, regions and stakeholders for a passage, from the vocabulary's names and keywords.

Passage and vocabulary go through the same morphological analysis as search
(``ingest.search.korean``): Korean words become their content morphemes (particles and
endings dropped, compounds split), other words are compared case-insensitively. A concept
is suggested when one of its names (labels and aliases) or keywords occurs in the passage
as a run of morphemes, so 비용확보를 matches the alias 비용 확보 and 클라우드 펀딩에 the alias
클라우드 펀딩. A name weighs three times a keyword (it says what the passage is about, a
keyword only points that way), each word once however often it occurs; concepts are ranked by
weight, then by where they first occur. Where matches overlap, the longest wins.
Each suggestion keeps the words of the passage that matched, as its reason.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..notes.vocabulary import CONCEPT_LISTS, Vocabulary
from ..search.concepts import analysed_words
from ..search.korean import HANGUL, term_spans

NAME_WEIGHT, KEYWORD_WEIGHT = 3, 1
MAX_PHRASE_TERMS = 8
LATIN_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class Suggestion:
    slug: str
    weight: int
    words: tuple[str, ...]  # the passage's words that matched, in order of appearance

    @property
    def reason(self) -> str:
        return f"{self.slug}: {', '.join(self.words)}"


@dataclass(frozen=True)
class _Phrase:
    slug: str
    weight: int


class Suggester:
    """Matches passages against one vocabulary's names and keywords (analysed once)."""

    def __init__(self, vocabulary: Vocabulary):
        entries = []  # (list, slug, weight, word)
        for list_name in CONCEPT_LISTS:
            for term in vocabulary.terms(list_name).values():
                entries += [(list_name, term.slug, NAME_WEIGHT, name) for name in (term.slug, *term.names)]
                entries += [(list_name, term.slug, KEYWORD_WEIGHT, word) for word in term.keywords]
        analysed = analysed_words([word.replace("-", " ") for *_, word in entries])
        # A phrase is looked up by its morphemes written together: Kiwi reads 국가시범도시 alone
        # as one morpheme but as 국가 + 시범 + 도시 in a sentence, and both must match.
        self.phrases: dict[str, dict[str, list[_Phrase]]] = {name: defaultdict(list) for name in CONCEPT_LISTS}
        for (list_name, slug, weight, _), terms in zip(entries, analysed):
            if terms and not all(len(term) == 1 and HANGUL.match(term) for term in terms):  # 각 국 → 국: noise
                self.phrases[list_name]["".join(terms)].append(_Phrase(slug, weight))

    def suggest(self, passage: str) -> dict[str, list[Suggestion]]:
        """Ranked suggestions for each of themes, regions and stakeholders."""
        tokens = _tokens(passage)
        terms = [term for _, _, term in tokens]
        return {list_name: _rank(passage, tokens, terms, by_joined) for list_name, by_joined in self.phrases.items()}


def _rank(passage: str, tokens, terms: list[str], by_joined: dict[str, list[_Phrase]]) -> list[Suggestion]:
    """The concepts of one list whose phrases occur in the passage, best first."""
    matches: dict[str, dict[tuple[int, int], tuple[str, int]]] = defaultdict(dict)  # slug → span → (phrase, weight)
    for start in range(len(terms)):
        joined = ""
        for end in range(start, min(start + MAX_PHRASE_TERMS, len(terms))):
            joined += terms[end]
            for phrase in by_joined.get(joined, ()):
                span = (tokens[start][0], tokens[end][1])
                spans = matches[phrase.slug]
                spans[span] = max(spans.get(span, (joined, 0)), (joined, phrase.weight), key=lambda m: m[1])
    every_span = {span for spans in matches.values() for span in spans}
    ranked = []
    for slug, spans in matches.items():
        kept = {span: match for span, match in spans.items() if not _inside(span, every_span)}
        if not kept:
            continue
        weight = sum(dict(kept.values()).values())  # each word once, however often it occurs
        words = tuple(dict.fromkeys(passage[start:end] for start, end in sorted(kept)))
        ranked.append((-weight, min(kept)[0], Suggestion(slug, weight, words)))
    return [suggestion for *_, suggestion in sorted(ranked, key=lambda s: s[:2])]


def _inside(span: tuple[int, int], spans) -> bool:
    """Whether a longer match holds this one: the longest match wins, so 비용 inside 비용확보
    counts once, and 신도시 inside 신도시 구축이 불가능 (existing cities) not for new cities."""
    return any(other != span and other[0] <= span[0] and span[1] <= other[1] for other in spans)


def _tokens(passage: str) -> list[tuple[int, int, str]]:
    """(start, end, term) of every word of the passage, as search analyses it."""
    tokens = [(span.start, span.end, span.term.casefold()) for span in term_spans(passage)]
    tokens += [(m.start(), m.end(), m.group().casefold()) for m in LATIN_WORD.finditer(passage)]
    return sorted(tokens)
