"""Korean morphological analysis (kiwipiepy), shared by the build and the Datasette plugin.

Korean attaches particles and endings to words (홍보의, 스마트도시는) and writes compounds
with or without spaces (클라우드 펀딩 / 클라우드펀딩), so SQLite's tokenizers cannot match
it. Both sides of the search therefore run the same analysis: every word with Hangul is
replaced by its content morphemes, everything else is left exactly as written::

    >>> index_text("스마트도시는 crowdfunding (클라우드펀딩의)")
    '스마트 도시 crowdfunding (클라우드 펀딩)'

The full-text index (porter unicode61) then stems the English and matches the morphemes
as words, so the query 홍보 finds 홍보의 and 스마트도시 finds "스마트 도시".

API, batch in, text or terms out:

- ``index_texts(texts)``: what each text is indexed as (one batch, all cores);
- ``index_text(text)``: the same for one text (queries, highlighting);
- ``index_terms(text)``: just the Korean index terms, in order;
- ``term_spans(text)``: where each term of ``text`` came from, for highlighting;
- ``has_verb_stem(text)``: whether a term of ``text`` is a verb or adjective stem;
- ``warm()``: load the model now (about 1 s) rather than on first use.

The model ships in the ``kiwipiepy_model`` package: nothing is downloaded at run time.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import NamedTuple

import kiwipiepy
import kiwipiepy_model

# Morphemes that carry meaning and are indexed: nouns (general, proper), numerals,
# verb and adjective stems, roots, adverbs, and prefixes such as 신 in 신도시 (so that
# the phrase "신 도시" is not just 도시). Particles, endings, copulas, bound nouns and
# derivational suffixes (적, 화, 들) are left out. Tags like VA-I carry a conjugation
# suffix after '-'; only the part before it counts.
INDEX_TAGS = frozenset({"NNG", "NNP", "NR", "VV", "VA", "XR", "MAG", "XPN"})
STEM_TAGS = frozenset({"VV", "VA"})  # of those, the ones whose written form can differ

# Changes whenever the same text could be indexed differently: a cache key ingredient.
ANALYSIS_VERSION = (
    f"kiwipiepy {kiwipiepy.__version__}, model {kiwipiepy_model.__version__}, "
    f"tags {','.join(sorted(INDEX_TAGS))}, no multi-word dictionary, rules 1"
)

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]")

BATCH = 2000  # texts analysed together: enough to keep every core busy

_kiwi = None
_kiwi_lock = threading.Lock()  # creation, and analysis from Datasette's query threads


class TermSpan(NamedTuple):
    start: int  # character offsets of the morpheme's surface in the text
    end: int
    term: str  # what is indexed for it


def has_hangul(text: str | None) -> bool:
    return bool(text) and HANGUL.search(text) is not None


def analyser() -> kiwipiepy.Kiwi:
    """The process's one Kiwi, created on first use (about 1 s and 300 MB)."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                # num_workers=-1: a thread per core for batches. No multi-word dictionary: it
                # reads names such as 해리 포터와 마법사의 돌 as one token, particles included,
                # which no query could match; without it Kiwi also loads in half the time and
                # ~180 MB less memory (measured: 0.96 s and 328 MB against 1.9 s and 506 MB).
                kiwi = kiwipiepy.Kiwi(num_workers=-1, load_multi_dict=False)
                kiwi.tokenize("준비")  # Kiwi finishes loading lazily, on first analysis
                _kiwi = kiwi
    return _kiwi


def warm() -> None:
    analyser()


def _is_indexed(tag: str) -> bool:
    return str(tag).split("-", 1)[0] in INDEX_TAGS


def _korean_spans(text: str, tokens) -> list[tuple[int, int, str | None]]:
    """(start, end, indexed form or None) of every morpheme written in Hangul."""
    spans = []
    for token in tokens:
        surface = text[token.start:token.end]
        if token.len == 0 or HANGUL.search(surface):
            spans.append((token.start, token.end, token.form if _is_indexed(token.tag) else None))
    return spans


def _rewrite(text: str, tokens) -> str:
    """``text`` with each Hangul morpheme replaced by its indexed form (or dropped)."""
    out: list[str] = []
    cursor = 0

    def append(piece: str) -> None:
        # Morphemes are words of their own: keep them apart from the letters around them.
        if out and out[-1][-1:].isalnum() and piece[:1].isalnum():
            out.append(" ")
        out.append(piece)

    for start, end, form in _korean_spans(text, tokens):
        if start > cursor:
            append(text[cursor:start])  # non-Korean text, verbatim
        if form:
            append(form)  # particles and endings are dropped
        cursor = max(cursor, end)  # contracted forms (했 → 하 + 었) share a span
    if cursor < len(text):
        append(text[cursor:])
    return "".join(out)


def _tokenize(texts: list[str]):
    kiwi = analyser()
    if len(texts) == 1:
        with _kiwi_lock:
            return [kiwi.tokenize(texts[0])]
    with _kiwi_lock:
        return list(kiwi.tokenize(texts))  # batched over all cores


def index_texts(texts: Sequence[str]) -> list[str]:
    """What each text is indexed as. Texts without Hangul come back unchanged, unanalysed."""
    result = list(texts)
    with_hangul = [i for i, text in enumerate(texts) if has_hangul(text)]
    for start in range(0, len(with_hangul), BATCH):  # bounded memory for any number of texts
        chunk = with_hangul[start:start + BATCH]
        for i, tokens in zip(chunk, _tokenize([texts[i] for i in chunk])):
            result[i] = _rewrite(texts[i], tokens)
    return result


def index_text(text: str) -> str:
    return index_texts([text])[0]


def term_spans(text: str) -> list[TermSpan]:
    """Each indexed Korean morpheme of ``text`` with the span of text it was read from."""
    if not has_hangul(text):
        return []
    (tokens,) = _tokenize([text])
    return [TermSpan(start, end, form) for start, end, form in _korean_spans(text, tokens) if form]


def has_verb_stem(text: str) -> bool:
    """Whether a verb or adjective stem is among the indexed morphemes of ``text``: a
    conjugated word need not hold its stem as written (도와 → 돕, 했 → 하)."""
    if not has_hangul(text):
        return False
    (tokens,) = _tokenize([text])
    return any(str(token.tag).split("-", 1)[0] in STEM_TAGS for token in tokens)


def index_terms(text: str) -> list[str]:
    """The Korean terms ``text`` is indexed by, in order: 스마트도시는 → [스마트, 도시]."""
    return [span.term for span in term_spans(text)]


def morphemes(text: str) -> list[tuple[int, int, str, str]]:
    """Every morpheme of ``text`` with its part of speech: (start, end, form, tag), e.g. the
    connective ending 며 (EC) after which the draft tool ends a finding's proposed title."""
    if not has_hangul(text):
        return []
    (tokens,) = _tokenize([text])
    return [(token.start, token.end, token.form, str(token.tag)) for token in tokens]
