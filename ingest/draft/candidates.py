"""Candidate findings: one per substantive bullet of the purpose, body and implications.

Every bullet is its own candidate, sub-bullets included (docs/draft.md says why). Not
candidates: lead-ins that only announce the bullets under them (``다음과 같음``, a trailing
colon), photo remarks, attachments, and anything shorter than a phrase. The overview's
schedule and expenses never reach here (``structure`` keeps them apart).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..search.korean import morphemes
from .structure import Item
from .suggest import Suggester, Suggestion

LEAD_IN = re.compile(r"(?:다음|아래)(?:과|와)\s*같|[:：]$")
PHOTO_AFTER = re.compile(r"첨부|촬영|참조|생략")  # after 사진: a photo remark
PHOTO_BEFORE = re.compile(r"첨부|촬영")  # before 사진: the same
ATTACHMENT = re.compile(r"^(?:\[?(?:첨부|붙임|별첨)\]?)\s*\d*\s*[.:：]?")
MIN_CHARS = 10
RECOMMENDATION = re.compile(r"필요(?!성)|해야|하여야|바람직|요구됨|요망"
                            r"|\b(?:should|must|needs? to|ought to|recommends?|it is essential)\b", re.IGNORECASE)
IMPLICATION_WORDS = ("시사점", "교훈")
TITLE_CHARS = 60  # a proposed title longer than this is cut at a clause boundary
MIN_TITLE_CHARS = 15
# Connective endings (EC) that close a clause: ~며, ~고, ~지만, ~으나, ~는데, ~면서, ~여서, ~므로 …
CLAUSE_ENDINGS = {"며", "으며", "고", "지만", "나", "으나", "는데", "은데", "ᆫ데", "면서", "으면서", "어서",
                  "아서", "여서", "어", "아", "여", "므로", "으므로", "라", "면", "으면", "니", "으니"}
OPENING_ADVERBS = {"또한", "하지만", "그러나", "그리고", "한편", "이에", "따라서", "특히", "다만"}


@dataclass
class Candidate:
    quote: str
    title_ko: str
    kind: str
    kind_reason: str  # the words that made the guess, or ""
    suggestions: dict[str, list[Suggestion]]


def find_candidates(items: list[Item], suggester: Suggester) -> list[Candidate]:
    return [Candidate(item.text, propose_title(item.text), *guess_kind(item), suggester.suggest(item.text))
            for item in items if is_substantive(item)]


def is_substantive(item: Item) -> bool:
    text = item.text
    return not (len(text) < MIN_CHARS or LEAD_IN.search(text) or is_photo_remark(text) or ATTACHMENT.match(text))


def is_photo_remark(text: str) -> bool:
    """사진 … 첨부/촬영/참조/생략, or 첨부/촬영 … 사진: what ``사진.*(?:…)|(?:…).*사진`` says, but
    linear (that pattern scans to the end again from every 사진 of the text)."""
    photo = text.find("사진")
    if photo < 0:
        return False
    return bool(PHOTO_AFTER.search(text, photo + 2)) or bool(PHOTO_BEFORE.search(text, 0, text.rfind("사진")))


def guess_kind(item: Item) -> tuple[str, str]:
    """recommendation for what is needed (필요, 해야), implication in an implications section or
    under a lead-in that announces 시사점, observation otherwise; with the reason."""
    if match := RECOMMENDATION.search(item.text):
        return "recommendation", match.group()
    if item.section == "implications":
        return "implication", "in the implications section"
    if item.section == "recommendations":
        return "recommendation", "in the recommendations section"
    parent = item.parent
    while parent is not None:
        if word := next((w for w in IMPLICATION_WORDS if w in parent.text), None):
            return "implication", f"under a bullet announcing {word}"
        parent = parent.parent
    return "observation", ""


def propose_title(text: str) -> str:
    """The bullet's first clause, when the bullet is too long to be a title: cut after a
    connective ending (~며, ~고, ~지만) followed by a space; without one, at a space, with '…'."""
    tokens = morphemes(text)
    if tokens and tokens[0][2] in OPENING_ADVERBS and tokens[0][3] in ("MAJ", "MAG"):
        text = text[tokens[0][1]:].lstrip()
        tokens = morphemes(text)
    if len(text) <= TITLE_CHARS:
        return text
    for _, end, form, tag in tokens:
        if tag.startswith("EC") and form in CLAUSE_ENDINGS and MIN_TITLE_CHARS <= end <= TITLE_CHARS \
                and text[end:end + 1].isspace():
            return text[:end]
    cut = text.rfind(" ", 0, TITLE_CHARS)
    return text[:cut if cut > MIN_TITLE_CHARS else TITLE_CHARS].rstrip(" ,") + "…"
