"""Which kind of source a document is, and why: the words that say so, weighed.

Each kind has signs: words a document of that kind carries (보도자료 and 보도시점 for a press
release, 목차 and 제1장 for a report …), weighed more near the top, where a document says what
it is. The kind with the most weight wins if it has enough; the reason names the signs found.
A document with no kind's signs is a plain ``document``: it is still drafted, from what could be
read. A call for proposals (제안요청서) or a form is recognised as such, and typed ``document``:
it asks for work or data and reports none, so it is neither a trip report nor a meeting.

Every pattern is linear in the text (tests/test_draft_patterns.py): fixed words, bounded gaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("trip-report", "report", "press-release", "proceedings", "policy-brief", "web-page", "document")
TOP_LINES = 25  # the document's opening lines, where it says what it is: signs there weigh double
REQUEST_LINES = 8  # a call for proposals or a form says so in its title
ENOUGH = 4  # the least weight that decides a kind
HTML_WEIGHT = 3  # a web page saved as HTML, unless its words say more firmly what it is


@dataclass(frozen=True)
class Sign:
    kind: str
    pattern: re.Pattern
    weight: int
    says: str  # what the sign is, for the reason


def _sign(kind: str, pattern: str, weight: int, says: str) -> Sign:
    return Sign(kind, re.compile(pattern, re.IGNORECASE | re.MULTILINE), weight, says)


SIGNS = (
    _sign("trip-report", r"복명서", 4, "복명서"),
    _sign("trip-report", r"출장\s?(?:결과\s?)?보고", 4, "출장 보고"),
    _sign("trip-report", r"출장\s?개요", 3, "출장개요"),
    _sign("trip-report", r"출장\s?(?:목적|기간|일시|일정|경비)|출\s?장\s?지\s*[:：]", 2, "출장 목적·기간·지"),
    _sign("trip-report", r"결과\s?보고", 1, "결과보고"),
    _sign("press-release", r"^[ \t]*보\s?도\s?자\s?료[ \t]*$|press release", 4, "보도자료"),
    _sign("press-release", r"보도\s?시점|보도\s?일시|배포\s?일시|엠바고|embargo", 3, "보도시점"),
    _sign("press-release", r"담당\s?부서|책임자\s|담당자\s", 1, "담당 부서"),
    _sign("report", r"^[ \t]*(?:목\s?차|차\s?례|table of contents|contents)[ \t]*$", 3, "목차"),
    _sign("report", r"^[ \t]*(?:#+[ \t]*)?제\s?[1-9]\s?장\s", 2, "장·절"),
    _sign("report", r"^[ \t]*(?:#+[ \t]*)?제\s?[1-9]\s?절\s", 1, "장·절"),
    _sign("report", r"^[ \t]*(?:#+[ \t]*)?(?:[0-9IⅠⅡⅢⅣⅤ]+\.\s*)?(?:요\s?약|연구\s?요약|국문\s?요약)[ \t]*$", 2, "요약"),
    _sign("report", r"정책\s?제언|정책\s?과제", 2, "정책 제언"),
    _sign("report", r"연구\s?보고서|기본\s?과제|수시\s?과제|연구\s?진\s*[:：]|ISBN|발간\s?등록\s?번호", 3, "연구보고서"),
    _sign("proceedings", r"자료집|발표\s?자료|proceedings", 3, "자료집"),
    _sign("proceedings", r"프로그램|programme|program\b|agenda", 1, "프로그램"),
    _sign("proceedings", r"좌\s?장|기조\s?연설|개회사|환영사|축사|keynote|moderator|panel\s?discussion", 2, "좌장·기조연설"),
    _sign("proceedings", r"세션\s?[0-9Ⅰ-Ⅹ]|session\s?[0-9]", 2, "세션"),
    _sign("proceedings", r"포럼|세미나|학술\s?대회|심포지엄|컨퍼런스|콘퍼런스|워크숍|forum|conference|symposium", 1, "포럼·세미나"),
    _sign("policy-brief", r"정책\s?브리프|policy\s?brief|issue\s?brief|국토정책\s?brief|브리프", 5, "정책 브리프"),
    _sign("policy-brief", r"^[ \t]*(?:#+[ \t]*)?(?:executive summary|key findings|key messages|policy recommendations)[ \t]*$", 2,
          "executive summary, key findings"),
)

# Documents that ask for work or data: never a trip report, a meeting, or under a meeting rule.
REQUESTS = (
    (re.compile(r"제안\s?요청서|과업\s?지시서|과업\s?내용서|입찰\s?공고|용역\s?공고|request\s?for\s?proposals?|call\s?for\s?proposals?", re.IGNORECASE),
     "a call for proposals"),
    (re.compile(r"신청서|별지\s?(?:제\s?)?[0-9]{1,3}\s?호|^[ \t]*\[?(?:서식|양식)\s?[0-9]{0,3}\]?|작성\s?요령|기재\s?요령"
                r"|\(서명\s?또는\s?인\)|application\s?form", re.MULTILINE | re.IGNORECASE), "a form"),
)


@dataclass(frozen=True)
class Kind:
    slug: str
    reason: str
    request: str | None = None  # 'a call for proposals' or 'a form', when the document is one


def recognise(text: str, file_format: str = "txt") -> Kind:
    """The document's kind and why it was chosen."""
    lines = [line for line in text.split("\n") if line.strip()]
    top = "\n".join(lines[:TOP_LINES])
    title = "\n".join(re.sub(r"[ \t]+", "", line) for line in lines[:REQUEST_LINES])  # 제 안 요 청 서
    for pattern, what in REQUESTS:
        if match := pattern.search(title):
            return Kind("document", f"{what} ('{match.group()}' near the top): drafted as a plain document, "
                                    "neither a trip report nor a meeting", what)
    weights: dict[str, int] = {}
    found: dict[str, list[str]] = {}
    for sign in SIGNS:
        if sign.pattern.search(top):
            weight = 2 * sign.weight
        elif sign.pattern.search(text):
            weight = sign.weight
        else:
            continue
        weights[sign.kind] = weights.get(sign.kind, 0) + weight
        if sign.says not in found.setdefault(sign.kind, []):
            found[sign.kind].append(sign.says)
    if file_format == "html":
        weights["web-page"] = weights.get("web-page", 0) + HTML_WEIGHT
        found.setdefault("web-page", []).append("saved as HTML")
    ranked = sorted(weights, key=lambda kind: (-weights[kind], KINDS.index(kind)))
    if not ranked or weights[ranked[0]] < ENOUGH and ranked[0] != "web-page":
        return Kind("document", "no kind's signs (복명서, 보도자료, 목차, 자료집, 브리프 …): drafted as a plain document")
    chosen = ranked[0]
    if file_format == "html" and chosen != "web-page" and weights[chosen] < 2 * ENOUGH:
        chosen = "web-page"
    return Kind(chosen, f"recognised from {', '.join(found[chosen])}")


def given(slug: str) -> Kind:
    """The kind a person chose (``--type``)."""
    return Kind(slug, "given (--type)")
