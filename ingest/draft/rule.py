"""The meeting rule a document states, guessed only from words that mean it.

``chatham-house`` when the text names the Rule (Chatham House, 채텀하우스), or says the meeting
was closed: 비공개 회의, 비공개 포럼, 비공개로 진행, closed-door, off the record. A bare 비공개 is
not enough: a document classified 비공개 (정보공개법), or a call for proposals whose evaluation is
비공개, says nothing about who may be quoted. A call for proposals or a form gets no guess at all.
Every pattern is linear: fixed words and bounded gaps.
"""

from __future__ import annotations

import re

CHATHAM = re.compile(r"chatham\s?house|채텀\s?하우스|채텀하우스", re.IGNORECASE)
MEETING = r"(?:회의|포럼|세미나|토론회?|간담회|워크숍|워크샵|회담|협의회?|논의|세션|라운드테이블|원탁회의)"
CLOSED = re.compile(rf"비공개\s?{MEETING}|비공개(?:적으로|로)\s?(?:\S{{1,12}}\s){{0,3}}?(?:진행|개최|열린|열렸|논의|토론|집중\s?논의)"
                    r"|closed[- ]door|off[- ]the[- ]record|held in private|behind closed doors", re.IGNORECASE)


def guess_rule(text: str, request: str | None = None) -> tuple[str, str] | None:
    """('chatham-house', why) or None; ``request`` ('a call for proposals', 'a form') gets None."""
    if request:
        return None
    if match := CHATHAM.search(text):
        return "chatham-house", f"the document names the Chatham House Rule ('{match.group()}')"
    if match := CLOSED.search(text):
        return "chatham-house", f"guessed from '{match.group()}' (a closed meeting): confirm it, or write none"
    return None
