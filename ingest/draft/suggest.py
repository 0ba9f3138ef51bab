"""Themes, regions and stakeholders for a passage: from the curated findings like it, the
vocabulary's names, keywords and descriptions; nothing where the evidence is weak.

Passage and vocabulary go through the same morphological analysis as search
(``ingest.search.korean``): Korean words become their content morphemes (particles and
endings dropped, compounds split), other words are compared case-insensitively. A concept's
name (labels and aliases), keyword or description word matches when it occurs in the passage
as a run of morphemes, so 비용확보를 matches the alias 비용 확보 and 클라우드 펀딩에 the alias
클라우드 펀딩. Each word counts once however often it occurs; where matches overlap, the
longest wins. A description word counts as a keyword when no other concept of its list has it
in its description. The curated findings like the passage (``curated``) vote for their tags;
how the evidence adds up, and the threshold under which nothing is suggested, is
``suggest_scores``. Each suggestion keeps its reason: the words that matched and the curated
finding it is like.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..notes.vocabulary import CONCEPT_LISTS, Vocabulary
from ..search.concepts import WORD, analysed_words
from ..search.key_terms import STOPWORDS
from ..search.korean import HANGUL, term_spans
from .curated import CuratedFindings, passage_terms
from .suggest_scores import KEYWORD_POINTS as KEYWORD_WEIGHT
from .suggest_scores import NAME_POINTS as NAME_WEIGHT
from .suggest_scores import PHRASE_KEYWORD_POINTS
from .suggest_scores import THRESHOLD, Suggestion, Suggestions, rank

__all__ = ["Suggester", "Suggestion", "Suggestions", "no_suggestion_note"]

MAX_PHRASE_TERMS = 8
LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
MIN_DESCRIPTION_WORD = 4  # shorter description words (city, data …) say too little


@dataclass(frozen=True)
class _Phrase:
    slug: str
    weight: int


class Suggester:
    """Suggests tags for passages from one vocabulary (analysed once) and, when given, the
    curated findings of the knowledge base."""

    def __init__(self, vocabulary: Vocabulary, curated: CuratedFindings | None = None, threshold: float = THRESHOLD):
        self.curated, self.threshold = curated, threshold
        self.known = {name: set(vocabulary.terms(name)) for name in CONCEPT_LISTS}
        entries = []  # (list, slug, weight, word)
        for list_name in CONCEPT_LISTS:
            for term in vocabulary.terms(list_name).values():
                entries += [(list_name, term.slug, NAME_WEIGHT, name) for name in (term.slug, *term.names)]
                entries += [(list_name, term.slug, KEYWORD_WEIGHT, word) for word in term.keywords]
            entries += [(list_name, slug, KEYWORD_WEIGHT, word) for slug, word in _description_words(vocabulary, list_name)]
        analysed = analysed_words([word.replace("-", " ") for *_, word in entries])
        # A phrase is looked up by its morphemes written together: Kiwi reads 국가시범도시 alone
        # as one morpheme but as 국가 + 시범 + 도시 in a sentence, and both must match.
        self.phrases: dict[str, dict[str, list[_Phrase]]] = {name: defaultdict(list) for name in CONCEPT_LISTS}
        for (list_name, slug, weight, _), terms in zip(entries, analysed):
            if terms and not all(len(term) == 1 and HANGUL.match(term) for term in terms):  # 각 국 → 국: noise
                if weight == KEYWORD_WEIGHT and len(terms) > 1:  # a phrase (디지털 트윈) says more than a word (지표)
                    weight = PHRASE_KEYWORD_POINTS
                self.phrases[list_name]["".join(terms)].append(_Phrase(slug, weight))

    def suggest(self, passage: str) -> Suggestions:
        """Ranked suggestions for each of themes, regions and stakeholders, and why a list has none."""
        tokens = _tokens(passage)
        terms = [term for _, _, term in tokens]
        neighbours = self.curated.neighbours(passage_terms([passage])[0]) if self.curated else []
        ranked, withheld = {}, {}
        for list_name, by_joined in self.phrases.items():
            learned = (lambda slug, phrase, name=list_name: self.curated.keyword_evidence(phrase, name, slug)) \
                if self.curated else None
            ranked[list_name], why = rank(_matches(passage, tokens, terms, by_joined, learned), neighbours, list_name,
                                          self.known[list_name], self.threshold)
            if why:
                withheld[list_name] = why
        return Suggestions(ranked, withheld)


def no_suggestion_note(suggestions, list_name: str) -> str:
    """What a draft says where a list has no suggestion: why, and where to choose."""
    why = getattr(suggestions, "withheld", {}).get(list_name) or "no word of notes/themes.yml matched"
    return f"no suggestion: {why}; choose {list_name} in notes/themes.yml"


def _description_words(vocabulary: Vocabulary, list_name: str) -> list[tuple[str, str]]:
    """(slug, word) for each word that only one concept of the list has in its description."""
    words = {}
    for term in vocabulary.terms(list_name).values():
        found = {w.casefold() for w in WORD.findall(term.description)}
        words[term.slug] = {w for w in found if len(w) >= MIN_DESCRIPTION_WORD and w not in STOPWORDS}
    owners = defaultdict(list)
    for slug, found in words.items():
        for word in found:
            owners[word].append(slug)
    return sorted((slugs[0], word) for word, slugs in owners.items() if len(slugs) == 1)


def _matches(passage: str, tokens, terms: list[str], by_joined: dict[str, list[_Phrase]],
             learned: Callable[[str, tuple[str, ...]], float] | None = None
             ) -> list[tuple[str, float, tuple[str, ...], int]]:
    """The concepts of one list whose phrases occur in the passage: (slug, points, words, first
    position). A keyword's points are corrected by ``learned(slug, its terms)``: what the curated
    findings holding it say of it."""
    matches: dict[str, dict[tuple[int, int], tuple[str, int, tuple[str, ...]]]] = defaultdict(dict)
    for start in range(len(terms)):
        joined = ""
        for end in range(start, min(start + MAX_PHRASE_TERMS, len(terms))):
            joined += terms[end]
            for phrase in by_joined.get(joined, ()):
                span = (tokens[start][0], tokens[end][1])
                spans = matches[phrase.slug]
                match = (joined, phrase.weight, tuple(terms[start:end + 1]))
                spans[span] = max(spans.get(span, (joined, 0, ())), match, key=lambda m: m[1])
    every_span = {span for spans in matches.values() for span in spans}
    found = []
    for slug, spans in matches.items():
        kept = {span: match for span, match in spans.items() if not _inside(span, every_span)}
        if not kept:
            continue
        points = 0.0
        for weight, phrase_terms in {joined: (weight, phrase_terms) for joined, weight, phrase_terms in kept.values()}.values():
            if learned is not None and weight < NAME_WEIGHT:  # each word once, however often it occurs
                weight = max(0.0, weight + learned(slug, phrase_terms))
            points += weight
        words = tuple(dict.fromkeys(passage[start:end] for start, end in sorted(kept)))
        found.append((slug, points, words, min(kept)[0]))
    return found


def _inside(span: tuple[int, int], spans) -> bool:
    """Whether a longer match holds this one: the longest match wins, so 비용 inside 비용확보
    counts once, and 신도시 inside 신도시 구축이 불가능 (existing cities) not for new cities."""
    return any(other != span and other[0] <= span[0] and span[1] <= other[1] for other in spans)


def _tokens(passage: str) -> list[tuple[int, int, str]]:
    """(start, end, term) of every word of the passage, as search analyses it."""
    tokens = [(span.start, span.end, span.term.casefold()) for span in term_spans(passage)]
    tokens += [(m.start(), m.end(), m.group().casefold()) for m in LATIN_WORD.finditer(passage)]
    return sorted(tokens)
