"""``check``'s problems in a researcher's words: a Korean sentence for the common ones, then the
English message and its hint, and no ``file:line`` (a line named in a message becomes the field
or finding it is on)."""

from __future__ import annotations

import re

from ..notes.errors import Problem

KOREAN = (  # (what check's message says, what a researcher reads first)
    (r"^quote not found in", "이 인용문이 원문에서 찾아지지 않습니다. 원문의 문장을 그대로 옮겨 주세요."),
    (r"^unknown theme", "주제 목록(notes/themes.yml)에 없는 주제입니다."),
    (r"^unknown region", "지역 목록에 없는 지역입니다."),
    (r"^unknown stakeholder", "이해관계자 목록에 없는 항목입니다."),
    (r"^unknown kind", "발견 유형은 observation, implication, recommendation, question 중 하나입니다."),
    (r"^unknown source type", "자료 유형 목록에 없는 유형입니다."),
    (r"lacks '", "필수 항목이 비어 있습니다."),
    (r"has no quote", "원문 인용문이 없습니다."),
    (r"has no summary", "요약이 없습니다."),
    (r"heading has no title", "영문 제목이 없습니다."),
    (r"characters long", "제목이 너무 깁니다."),
    (r"must be a date", "날짜는 2016-03-17처럼 YYYY-MM-DD로 적습니다."),
    (r"^end .* is before start", "종료일이 시작일보다 앞섭니다."),
    (r"^access must be", "공개 범위는 public 또는 internal입니다."),
    (r"^unknown rule", "규칙은 chatham-house 또는 none입니다."),
    (r"is already used", "이미 쓰인 식별자(id)입니다."),
    (r"must be lowercase words joined by", "식별자(id)는 영문 소문자 단어를 '-'로 이은 것입니다."),
    (r"remote content is not allowed", "다른 서버의 그림·파일을 불러오는 주소는 쓸 수 없습니다."),
    (r"Chatham House Rule", "채텀하우스 규칙: 발언자나 소속을 적을 수 없습니다."),
    (r"source document .* not found", "원문 파일을 찾을 수 없습니다."),
    (r"not valid YAML|could not be read", "머리말(front matter)을 읽을 수 없습니다."),
    (r"read as summary text|read as the note's text", "본문에 항목처럼 보이는 줄이 있습니다."),
    (r"lists '.*' twice|appears twice", "같은 값이 두 번 적혀 있습니다."),
    (r"square brackets", "대괄호 '['가 너무 많습니다."),
    (r"^unknown front-matter field|^unknown attribute .* is ignored", "알 수 없는 항목이라 저장되지 않습니다."),
    (r"^url .* must be a web address", "웹 주소는 https:// 또는 http://로 시작해야 합니다."),
    (r"^country .* ISO 3166", "국가는 GB, KR처럼 두 글자 코드로 적습니다."),
    (r"^language .* ISO 639-1", "언어는 ko, en처럼 두 글자 코드로 적습니다."),
    (r"^status must be", "상태는 draft(초안) 또는 final(최종본)입니다."),
    (r"has no findings", "발견(finding)이 하나도 없습니다."),
    (r"has no attribute list", "발견의 식별자, 국문 제목, 주제, 유형이 비어 있습니다."),
    (r"^the note is empty", "노트가 비어 있습니다."),
    (r"front matter is not closed|must start with front matter", "머리말(front matter)이 '---' 줄로 닫혀 있지 않습니다."),
    (r"^the note is .* MB", "노트가 너무 큽니다 (1 MB까지)."),
    (r"must be text$", "글자로 적어야 하는 항목입니다."),
    (r"must be written in lowercase|front-matter field, not a finding attribute|^unknown attribute",
     "발견 항목의 이름이 올바르지 않습니다."),
)
# check's hints speak of the file ("add '- id: …' under the heading"); beside a form field they say what to fill in.
FORM_HINTS = (
    (r"has no attribute list", "fill in the finding's id, Korean title, themes and kind"),
    (r"^finding lacks '(\w+)'", "fill in this field"),
    (r"^front matter lacks '(\w+)'", "fill in this field"),
    (r"has no quote", "paste the source's exact words into the quote box"),
    (r"has no summary", "write in a few sentences what was learned and why it matters"),
    (r"has no findings", "add at least one finding, with its quote from the source"),
    (r"the finding heading has no title", "write the finding's English title"),
    (r"^front-matter field '\w+' appears twice", "change this field and save: the note then keeps one"),
    (r"^attribute '\w+' appears twice in this finding", "change this field and save: the finding then keeps one"),
    (r"below the finding's attribute list is read as summary text",
     "set the finding's field above instead; if it is text, write it without the '- ' or the ':'"),
)
TODO_DRAFT = "아직 TODO로 남아 있습니다 (초안이라 저장은 됩니다)."
TODO_FINAL = "TODO가 남아 있어 최종본으로 표시할 수 없습니다."
_LINE = re.compile(r"\b(?:at|on) line (\d+)")


def researcher_message(problem: Problem, fields=None, *, todo: bool = False) -> str:
    """The words shown beside a field; ``fields`` (a ``FieldMap``) names the lines a message cites."""
    message, hint = problem.message, problem.hint
    if fields is not None:
        message, hint = (_LINE.sub(lambda m: "in " + fields.describe(int(m.group(1))), text) for text in (message, hint))
    if todo or "still TODO" in message or "still says TODO" in message:
        if problem.severity == "warning":
            return f"{TODO_DRAFT} · still TODO: fill it in before marking the note final."
        return f"{TODO_FINAL} · still TODO: fill it in, or save the note as a draft (status: draft)."
    hint = next((words for pattern, words in FORM_HINTS if re.search(pattern, message)), hint)
    korean = next((words for pattern, words in KOREAN if re.search(pattern, message)), None)
    english = f"{message} ({hint})" if hint else message
    words = f"{korean} · {english}" if korean else english
    which, of = fields.quotes.get(problem.line, (1, 1)) if fields is not None else (1, 1)
    return f"{which}번째 인용문 (quote {which} of {of}): {words}" if of > 1 else words
