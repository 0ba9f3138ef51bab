"""What a finding has in common with others: the terms its related findings are found by.

A finding's related terms are the words of its titles as the index reads them (Korean as
morphemes, English case-folded) and the tokens of its ``concepts`` column, marked so that no
word can be taken for a concept. English function words, bare numbers and one-letter or
one-syllable words (most are verb stems: 하, 되, 있) relate nothing and are left out::

    >>> related_terms("Citizens fund the retrofit\\n시민 투자 하 확대", "themecrowdfunding themefinancing")
    ['citizens', 'fund', 'retrofit', '시민', '투자', '확대', 'concept:themecrowdfunding', 'concept:themefinancing']

How shared terms are weighted and ranked is ``ingest/db/related.py``.
"""

from __future__ import annotations

from .concepts import WORD, concept_token

CONCEPT = "concept:"  # no word of a title holds a colon
THEME = CONCEPT + concept_token("theme", "")  # what the terms that are themes begin with

# English function words: in every other title, they relate nothing.
STOPWORDS = frozenset("""
a about after against all also an and any are as at be been before between both but by can could
do does for from had has have how if in into is it its may more most much must no nor not of on or
other our over per should so such than that the their them then there these they this those through
to under up upon was we were what when where whether which while who why will with within without would
""".split())


def related_terms(title: str, concepts: str) -> list[str]:
    """The distinct terms of a finding's indexed title, then its concept tokens, in order."""
    words = (word.casefold() for word in WORD.findall(title))
    terms = [w for w in dict.fromkeys(words) if len(w) > 1 and w not in STOPWORDS and not w.isdigit()]
    return terms + [CONCEPT + token for token in dict.fromkeys(concepts.split())]
