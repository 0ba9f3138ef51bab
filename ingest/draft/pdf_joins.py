"""How two lines of one PDF paragraph join: with a space, or none (a word wrapped inside), or
with an English hyphenation undone.

A PDF keeps no trace of where the author typed spaces at line ends: Chromium and LibreOffice
draw no glyph for the space a line breaks at. Korean is wrapped inside words (LibreOffice, and
CSS ``word-break: break-all``: 워 / 크숍), English at spaces or at a hyphenation point. Decided
for each join, in order:

1. the glyph positions: a line that stops short of its column's right edge by more than the
   next line's first glyph (and a space) would have taken that glyph, so it broke at a space;
   a document whose lines often stop that short wraps only at spaces (CSS ``keep-all``, Word),
   and all its joins are spaces;
2. what the document itself writes within its lines: ``워크숍`` or ``워 크숍``, ``infrastructure`` or
   ``infra-structure``;
3. for Korean, Kiwi: the likelier of the two readings, with and without the space (워크숍 is far
   likelier than 워 크숍, 외 미국 than 외미국); where they score the same (the space changes no
   morpheme), the morphemes at the join: inside a morpheme, before a particle,
   an ending or a suffix (스마트도시|를) or after a prefix (신|도시) no space; after a
   particle or an ending (관심사는|신도시) it has one, and between two nouns (모색|추진) too, as
   the spelling rules space them (a compound the document writes whole elsewhere was settled at 2).
English: a line ending in a letter and a hyphen, the next starting in lower case, loses the
hyphen unless the document writes the word with it elsewhere; a soft hyphen (U+00AD) always.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

HANGUL = re.compile(r"[가-힣]")
CLOSING = re.compile(r"[)\]A-Za-z0-9%]")
OPEN_GLUED = {"hangul": re.compile(r"[가-힣]\("), "latin": re.compile(r"[A-Za-z]\(")}
OPEN_SPACED = {"hangul": re.compile(r"[가-힣] \("), "latin": re.compile(r"[A-Za-z] \(")}
LATIN = re.compile(r"[A-Za-z]")
# Evidence of how the document spells a word is sought this many characters either side of the
# join (some five pages): counting in the whole text would cost time in the square of its length.
WINDOW = 10_000
SPACE_SHARE = 0.3  # joins stopping a glyph short, in a document that wraps at spaces only: at least this share
TOLERANCE = 0.5  # points: glyph positions are rounded
SCORE_MARGIN = 0.3  # Kiwi's log-likelihoods: closer than this, the two readings are the same words
ATTACHED = ("J", "E", "XS", "VCP")  # Kiwi tags written onto the word before them


@dataclass
class Join:
    """The end of one line and the start of the next, and the geometry between them."""

    before: str  # the line so far
    after: str  # the next line
    gap: float  # points from the line's end to its column's right edge
    space_width: float  # of the font at the line's end
    next_glyph: float  # width of the next line's first glyph
    at: int = 0  # where the line stands in the document's text (``Joiner.within``)


class Joiner:
    """Joins lines for one document: ``within`` is the document's text, lines kept apart (its
    evidence of how it writes a word); ``joins`` all its candidate joins (to tell how it wraps)."""

    def __init__(self, within: str, joins: list[Join]):
        self.within = within
        full = [j for j in joins if HANGUL.search(j.before[-1:]) and HANGUL.search(j.after[:1])]
        short = sum(1 for j in full if j.gap > j.next_glyph + TOLERANCE)
        # Wraps only at spaces: many lines stop short of the edge by more than a glyph.
        self.spaces_only = len(full) >= 3 and short >= SPACE_SHARE * len(full)
        self._kiwi = None

    def join(self, join: Join) -> str:
        before, after = join.before.rstrip(), join.after.lstrip()
        if not before or not after:
            return before + after
        if before.endswith("\u00ad"):
            return before[:-1] + after
        if re.search(r"[A-Za-z][-\u2010]$", before) and re.match(r"[a-z]", after):
            return self._hyphenated(before, after, self.within[max(0, join.at - WINDOW):join.at + WINDOW])
        if join.gap > join.next_glyph + join.space_width + TOLERANCE:
            return f"{before} {after}"  # the next glyph and a space would have fit: a space
        left, right = before[-1], after[0]
        word_before = before.rsplit(None, 1)[-1]
        word_after = after.split(None, 1)[0]
        if right == "(" and (HANGUL.match(left) or LATIN.match(left)):  # 정부청(SNDGO): as the document writes it
            return before + ("" if self._glued_brackets["hangul" if HANGUL.match(left) else "latin"] else " ") + after
        if CLOSING.match(left) and HANGUL.match(right):  # (PPP)|과: a particle never starts a word
            return before + ("" if self._particle(word_before, word_after) else " ") + after
        if self.spaces_only or join.gap > join.next_glyph + TOLERANCE:
            return f"{before} {after}"
        if not ((HANGUL.match(left) and HANGUL.match(right)) or (LATIN.match(left) and LATIN.match(right))):
            return f"{before} {after}"
        written = self._written(word_before, word_after, self.within[max(0, join.at - WINDOW):join.at + WINDOW])
        if written is not None:
            return before + ("" if written else " ") + after
        if HANGUL.match(left) and self._kiwi_joins(word_before, word_after):
            return before + after
        return f"{before} {after}"

    @functools.cached_property
    def _glued_brackets(self) -> dict[str, bool]:
        """Whether the document writes a bracket right after a word (정부청(SNDGO)), by script."""
        return {script: len(OPEN_GLUED[script].findall(self.within)) > len(OPEN_SPACED[script].findall(self.within))
                for script in OPEN_GLUED}

    def _particle(self, left: str, right: str) -> bool:
        """Whether ``right``, read after ``left``, starts with a particle or an ending."""
        tokens = [t for t in self._analyser().tokenize(left + right) if t.len > 0 and t.start >= len(left)]
        return bool(tokens) and tokens[0].start == len(left) and str(tokens[0].tag).startswith(("J", "E", "VCP"))

    def _analyser(self):
        if self._kiwi is None:
            from ..search.korean import analyser  # the process's one Kiwi, loaded on first use

            self._kiwi = analyser()
        return self._kiwi

    def _hyphenated(self, before: str, after: str, within: str) -> str:
        head = re.search(r"([A-Za-z]+)[-\u2010]$", before)[1]
        tail = re.match(r"[a-z]+", after)[0]
        if within.count(f"{head}-{tail}") > within.count(f"{head}{tail}"):
            return before[:-1] + "-" + after
        return before[:-1] + after

    def _written(self, left: str, right: str, within: str) -> bool | None:
        """True where the document writes the two parts as one word elsewhere, False where apart."""
        for a, b in ((left, right), (_stem(left, 3), right[:3]), (left[-2:], right[:2])):
            if len(a + b) < 3:
                continue
            together, apart = within.count(a + b), within.count(f"{a} {b}")
            if together != apart:
                return together > apart
        return None

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one Joiner a document
    def _kiwi_joins(self, left: str, right: str) -> bool:
        kiwi = self._analyser()
        word = left + right
        at = len(left)
        tokens = [t for t in kiwi.tokenize(word) if t.len > 0]
        before = [t for t in tokens if t.start + t.len <= at]
        after = [t for t in tokens if t.start >= at]
        inside = any(t.start < at < t.start + t.len for t in tokens)
        if not inside and before and after:
            left_tag, right_tag = str(before[-1].tag), str(after[0].tag)
            if (right_tag.startswith(ATTACHED) or left_tag.startswith("XP")
                    or (right_tag == "VX" and after[0].form == "지")):  # a particle, an ending, 신|도시, 유리해|질
                return True
        together, apart = kiwi.analyze(word)[0][1], kiwi.analyze(f"{left} {right}")[0][1]
        if abs(together - apart) > SCORE_MARGIN:  # Kiwi reads one of the two as the likelier Korean
            return together > apart
        return inside  # the same words either way: inside a morpheme no space; between two nouns
        # (모색|추진, 투자비|부담) a space, as the spelling rules space them


def _stem(word: str, size: int) -> str:
    return word[-size:]
