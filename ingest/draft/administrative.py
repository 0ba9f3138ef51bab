"""Lines that are never a candidate finding, whatever the kind of document: contact lines,
page furniture, programme lines, participant lists, expenses and bare fields.

Each test is on one line (an item's text) and linear in it; ``repeated_lines`` finds the running
headers and footers a reader left in the text (a line that recurs on every page).
"""

from __future__ import annotations

import re
from collections import Counter

CONTACT = re.compile(r"(?:담당\s?자|담당\s?부서|전화|문의|연락처|e-?mail|이메일|\btel|\bfax|팩스)\s*[:：.]|☎"
                     r"|(?:문의|연락)\s?(?:하여\s?)?주시기|취재를?\s?원하|(?<![\w.+-])[\w.+-]+@[\w-]+\.[a-z]{2,}"
                     r"|\b0[0-9]{1,2}[-)]\s?[0-9]{3,4}-[0-9]{4}\b", re.IGNORECASE)
PAGE_NUMBER = re.compile(r"^[-–—(\[]?\s*(?:page\s*)?[0-9ivxIVX]{1,4}\s*(?:/\s*[0-9]{1,4})?\s*[-–—)\]]?$"
                         r"|^(?:p\.|페이지)\s*[0-9]{1,4}$", re.IGNORECASE)
TIME = re.compile(r"^\(?[0-9]{1,2}:[0-9]{2}|[0-9]{1,2}:[0-9]{2}\s*[~∼〜～\-–]\s*[0-9]{1,2}:[0-9]{2}")
PROGRAMME_OPENING = re.compile(r"^(?:좌\s?장|사\s?회|발\s?표|토\s?론|지정\s?토론|종합\s?토론|개\s?회|폐\s?회|등\s?록|휴\s?식|중\s?식"
                               r"|개회사|환영사|축사|기조\s?연설|세션\s?[0-9Ⅰ-Ⅹ]|moderator|chair|keynote|registration"
                               r"|coffee break|lunch|opening remarks|closing remarks|session\s?[0-9])\s*[:：)\]]?",
                               re.IGNORECASE)
# 홍길동 (국토연구원 연구위원), 김민수 국토연구원 선임연구위원: a name and where the person works
PERSON = re.compile(r"^[가-힣]{2,4}\s*[(（]?[^()（）]{0,30}(?:연구원|대학교|대학|교수|위원|박사|과장|국장|팀장|실장|센터장|사무관|주무관)"
                    r"[)）]?$")
EXPENSE = re.compile(r"(?:항공|숙박|체재|일비|식비|여비|경비|출장비|등록비|예산)\S{0,4}\s*[:：]?\s*[0-9][0-9,]*\s*(?:천원|만원|원|달러|USD|KRW)")
FIELD = re.compile(r"^[^:：\t]{1,12}[:：]\s*\S.{0,40}$")  # a short 'key: value' line: a field, not a finding
SIGNATURE = re.compile(r"\(서명\s?또는\s?인\)|\(인\)$|귀하$|\(signature\)", re.IGNORECASE)
RUNNING_REPEATS = 3  # a line that recurs this often is a running header or footer


def administrative(text: str, repeated: set[str] = frozenset()) -> str | None:
    """What makes the line administrative ('contact line', 'page number' …), or None."""
    line = text.strip()
    if line in repeated:
        return "running header or footer"
    if PAGE_NUMBER.match(line):
        return "page number"
    if CONTACT.search(line):
        return "contact line"
    if TIME.search(line) or PROGRAMME_OPENING.match(line):
        return "programme line"
    if PERSON.match(line):
        return "participant"
    if EXPENSE.search(line):
        return "expenses"
    if FIELD.match(line):
        return "field"
    if SIGNATURE.search(line):
        return "signature line"
    return None


def repeated_lines(text: str) -> set[str]:
    """Lines that recur as page furniture: the same short line three times or more."""
    counts = Counter(line.strip() for line in text.split("\n") if 0 < len(line.strip()) <= 60)
    return {line for line, count in counts.items() if count >= RUNNING_REPEATS}
