"""How a concept's evidence adds up to a score, and when the score is too low to suggest it.

Evidence, strongest first:
- **curated neighbours** (``curated``): the findings most like the passage vote for their tags,
  each by its similarity; a concept gets ``NEIGHBOUR_POINTS`` times its share of the votes,
  scaled down while the most alike finding is less alike than ``FULL_SIMILARITY``;
- **names** (labels and aliases), ``NAME_POINTS`` per word of the passage that names it;
- **keywords**: ``PHRASE_KEYWORD_POINTS`` for a keyword of several words (디지털 트윈, 추진 체계:
  specific to its concept), ``KEYWORD_POINTS`` for a keyword of one word (지표, 참여: a word of
  many meanings) and for a word only its description uses.

A concept scoring under ``THRESHOLD`` is not suggested: a lone keyword (지표 for "the strongest
indicator of success", 참여 for universities taking part) is a hint, not a tag. A missing
suggestion costs a researcher a click; a wrong one, accepted unread, a wrong tag. The threshold
was chosen on the seed note (docs/draft.md, *How suggestions are ranked*), not on the notes it
is measured on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .curated import Neighbour

NAME_POINTS, PHRASE_KEYWORD_POINTS, KEYWORD_POINTS = 3, 2, 1
NEIGHBOUR_POINTS = 4.0  # every neighbour agreeing, the most alike at full similarity
FULL_SIMILARITY = 0.5  # the most alike finding holds half the passage's key-term weight
THRESHOLD = 2.0  # a name, two keywords, or neighbours that mostly agree; never a lone keyword
LIKE_CHARS = 40  # of a neighbour's title, in a reason


@dataclass(frozen=True)
class Suggestion:
    slug: str
    score: float
    words: tuple[str, ...] = ()  # the passage's words that matched, in order of appearance
    like: str = ""  # the title of the most alike curated finding carrying it, if any

    @property
    def reason(self) -> str:
        """``slug: words that matched``, e.g. ``financing: 비용확보, like "기존도시 스마트화를 위한 비용 확보"``."""
        parts = list(self.words) + ([f'like "{self.like}"'] if self.like else [])
        return f"{self.slug}: {', '.join(parts)}"


class Suggestions(dict):
    """Ranked suggestions for each of themes, regions and stakeholders (a dict of lists), and for
    a list with none, why (``withheld``)."""

    def __init__(self, ranked: dict[str, list[Suggestion]], withheld: dict[str, str]):
        super().__init__(ranked)
        self.withheld = withheld


@dataclass
class _Evidence:
    score: float = 0.0
    words: tuple[str, ...] = ()
    first: int = 1 << 30  # where its first word occurs; neighbours only: after every word
    like: str = ""
    sources: list[str] = field(default_factory=list)


def rank(word_matches: Sequence[tuple[str, int, tuple[str, ...], int]], neighbours: Sequence[Neighbour],
         list_name: str, known: set[str], threshold: float = THRESHOLD) -> tuple[list[Suggestion], str]:
    """The concepts of one list scoring at least ``threshold``, best first (then by where they
    occur), from ``word_matches`` (slug, points, words, first position) and ``neighbours``; and,
    when none does, why nothing is suggested."""
    evidence: dict[str, _Evidence] = defaultdict(_Evidence)
    for slug, points, words, first in word_matches:
        found = evidence[slug]
        found.score += points
        found.words, found.first = words, first
    for slug, (points, like) in neighbour_points(neighbours, list_name).items():
        if slug in known:
            evidence[slug].score += points
            evidence[slug].like = like
    ranked = sorted(evidence.items(), key=lambda item: (-item[1].score, item[1].first, item[0]))
    kept = [Suggestion(slug, round(e.score, 2), e.words, e.like) for slug, e in ranked if e.score >= threshold]
    if kept:
        return kept, ""
    if not ranked:
        return [], "no word of notes/themes.yml matched and no curated finding is alike"
    hints = ", ".join(Suggestion(slug, e.score, e.words, e.like).reason.replace(":", " from", 1) for slug, e in ranked[:2])
    return [], f"only weak hints ({hints}), below the threshold"


def neighbour_points(neighbours: Sequence[Neighbour], list_name: str) -> dict[str, tuple[float, str]]:
    """Each tag of the neighbours: its points, and the title of the most alike neighbour carrying it."""
    total = sum(n.similarity for n in neighbours)
    if not total:
        return {}
    confidence = min(1.0, neighbours[0].similarity / FULL_SIMILARITY)
    votes: dict[str, float] = defaultdict(float)
    like: dict[str, str] = {}
    for neighbour in neighbours:
        for slug in neighbour.tags.get(list_name, ()):
            votes[slug] += neighbour.similarity
            like.setdefault(slug, _short(neighbour.title))
    return {slug: (NEIGHBOUR_POINTS * vote / total * confidence, like[slug]) for slug, vote in votes.items()}


def _short(title: str) -> str:
    """A title fit for a reason: one line, no quote marks or separators of reasons, at most
    ``LIKE_CHARS`` characters."""
    title = " ".join(title.replace('"', "'").replace(";", ",").replace("#", "＃").split())
    return title if len(title) <= LIKE_CHARS else title[:LIKE_CHARS - 1].rstrip() + "…"
