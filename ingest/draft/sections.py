"""The parts of a document of any kind but a trip report: title block, fields, sections by role.

Reads the text shape every reader hands over (one paragraph a line, depth as leading spaces,
table rows as tab-separated cells) into ``structure.Report``. A heading is a numbered or
Markdown one (as in a trip report), a chapter or section (제1장, 제2절), or a line that is
only a section's name (요약, Executive summary, 정책 제언, Key findings), which is how a Word
heading or a web page's ``<h2>`` arrives. Each heading gives its section a role: what the
candidates take first (summary, findings, implications, recommendations), the body, or what
never becomes a candidate (contents, programme, participants, expenses, contact, references,
attachments). The title block is what comes before the first heading or bullet; its
``key: value`` lines and two-cell table rows are the document's fields (보도시점, 장소, 일시 …).
"""

from __future__ import annotations

import re

from .administrative import PAGE_NUMBER, repeated_lines
from .structure import HEADING, MARKER, MAX_HEADING, SENTENCE_END, Item, Report, _indent, _rank

PRIORITY_SECTIONS = ("summary", "findings", "implications", "recommendations")
SKIPPED_SECTIONS = ("contents", "programme", "participants", "expenses", "contact", "references", "attachments")
# What a heading says its section is (spaces removed, lowercase), tried in this order.
SECTION_ROLES = (
    ("attachments", ("첨부", "붙임", "부록", "별첨", "annex", "appendix")),
    ("references", ("참고문헌", "참고자료", "references", "bibliography", "endnotes")),
    ("contents", ("목차", "차례", "contents")),
    ("contact", ("문의", "연락처", "담당부서", "담당자", "contact")),
    ("participants", ("참석자", "참가자", "발표자", "토론자", "연구진", "명단", "participants", "speakers",
                      "abouttheauthor", "authors")),
    ("expenses", ("경비", "소요예산", "budget", "expenses")),
    ("programme", ("프로그램", "세부일정", "행사일정", "일정표", "시간표", "programme", "program", "agenda", "schedule")),
    ("recommendations", ("제언", "정책과제", "추진과제", "정책방향", "개선방안", "향후과제", "과제", "건의",
                         "recommendation", "nextsteps", "whatshouldbedone", "policyoptions")),
    ("implications", ("시사점", "함의", "교훈", "implication", "lessons", "conclusion", "결론", "맺음말")),
    ("findings", ("분석결과", "주요결과", "연구결과", "조사결과", "주요내용", "결과", "발견", "findings", "results",
                  "keyfacts")),
    ("summary", ("요약", "요지", "핵심", "초록", "취지", "executivesummary", "summary", "keymessages", "abstract", "overview",
                 "개요", "highlights")),
)
CHAPTER = re.compile(r"^(?:#{1,6}\s*)?제\s?[0-9]{1,2}\s?[장절]\s+(?P<text>\S.{0,58})$")
# A line that is only a section's name, maybe numbered or in brackets: 【요약】, 1. 정책 제언, Key findings.
NAME_ONLY = re.compile(r"^[\[【<〈(]?\s*(?:[0-9IVXⅠ-Ⅹ]{1,4}[.)]\s*)?(?P<text>[^\t]{1,40}?)\s*[\]】>〉)]?$")
TOC_ENTRY = re.compile(r"(?:[·.…‥ㆍ]\s?){4,}\s*[0-9ivx]{1,4}$")
PAGE_AT_END = re.compile(r"\s[0-9]{1,3}$")
TITLE_HEADING = re.compile(r"^#\s+\S")  # a Markdown or web page's one '# ' heading, before any other: the title
SUBTITLE = re.compile(r"^[-–—]\s+\S.{0,100}\S\s+[-–—]$")
# A Word heading or a web page's in English: a few words, capitalised, no closing punctuation (Background)
ENGLISH_HEADING = re.compile(r"^[A-Z][A-Za-z'’-]*(?: [A-Za-z'’&-]+){0,5}$")
FIELD_SEPARATOR = re.compile(r"\s[·|]\s")
PARAGRAPH_CHARS = 80  # a line this long is text, not part of the title block
FIELD = re.compile(r"^(?P<key>[^:：\t]{1,12}?)\s*[:：]\s*(?P<value>\S.*)$")


def read_sections(text: str) -> Report:
    """The document's parts; never refuses (a document of no known shape is all body)."""
    report = Report(text=text)
    section: str | None = None  # None: the title block
    stack: list[Item] = []
    furniture = repeated_lines(text)
    title_lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line or (section is not None and line in furniture) or PAGE_NUMBER.match(line):
            continue  # page furniture: running headers and footers (the first is the title's), page numbers
        if "\t" in raw:
            _table_row(report, raw.strip(" \n"), section)
            if section is None:
                report.title_block.append("")  # a title goes on to its next line, never past a table
            continue
        if TOC_ENTRY.search(line[-80:]) or (section == "contents" and PAGE_AT_END.search(line)):
            continue  # an entry of the contents: '제1장 서론 ······ 1'
        role = None if section is None and TITLE_HEADING.match(line) else heading_role(line, section is not None)
        if role is not None:
            section = _next_section(role, section, line)
            stack.clear()
            continue
        if section is None and (TITLE_HEADING.match(line) or SUBTITLE.match(line)):
            report.title_block.append(line.lstrip("# "))  # a page's '# title', a press release's '- 부제 -'
            continue
        marker = MARKER.match(line)
        if section is None and not marker and len(line) < PARAGRAPH_CHARS:
            report.title_block.append(line)
            title_lines.append((number, raw))
            _fields(report, line)
            continue
        section = section or "body"
        if len(line) < PARAGRAPH_CHARS:  # a programme's 일시 and 장소 are fields too
            _fields(report, marker["text"] if marker else line)
        if section in SKIPPED_SECTIONS:
            continue
        item = Item((marker["text"] if marker else line).strip(), number, section, _indent(raw), _rank(marker))
        while stack and not (stack[-1].indent < item.indent
                             or (stack[-1].indent == item.indent and stack[-1].rank < item.rank)):
            stack.pop()
        item.parent = stack[-1] if stack else None
        stack.append(item)
        report.items.append(item)
    if not report.items and section is None:  # short lines only (verses, a list of names): what could be read is all there is
        report.items = [Item(raw.strip(), number, "body", _indent(raw), 0) for number, raw in title_lines[1:]]
    return report


def _fields(report: Report, line: str) -> None:
    """The fields of a 'key: value' line, or of several on one line (등록일: … · 작성부서: …)."""
    for part in FIELD_SEPARATOR.split(line):
        if match := FIELD.match(part.strip()):
            report.fields.setdefault(re.sub(r"\s+", "", match["key"]), match["value"].strip())


def _next_section(role: str, current: str | None, line: str) -> str:
    """A heading of no known role ('') keeps the section it is in (가. 데이터 거버넌스 under 정책
    제언), except a new chapter, and except after the title block or a skipped section."""
    if role:
        return role
    if CHAPTER.match(line) and "장" in line[:8] or current is None or current in SKIPPED_SECTIONS:
        return "body"
    return current


def heading_role(line: str, after_title: bool = True) -> str | None:
    """The role of the section a heading opens ('' for a heading of no known role), or None
    when the line is not a heading."""
    if MARKER.match(line) or len(line) > MAX_HEADING + 6:
        return None
    if match := CHAPTER.match(line):
        return role_of(match["text"]) or ""
    if (match := HEADING.match(line)) and not SENTENCE_END.search(match["text"]) and len(match["text"]) <= MAX_HEADING:
        return role_of(match["text"]) or ""
    if (match := NAME_ONLY.match(line)) and (role := role_of(match["text"], whole=True)):
        return role
    if after_title and ENGLISH_HEADING.match(line):
        return "body"
    return None


def role_of(heading: str, whole: bool = False) -> str | None:
    """The role a heading's words name; with ``whole``, only when the heading is nothing but a
    section's name (two words of slack: 정책 제언 및 과제, Summary of findings)."""
    words = re.sub(r"[\s\W_]+", "", heading.lower())
    for role, keys in SECTION_ROLES:
        for key in keys:
            if key in words and (not whole or len(words) <= len(key) + 6):
                return role
    return None


def _table_row(report: Report, line: str, section: str | None) -> None:
    """A table's row: a field when it pairs keys and values (보도시점 | 2024. 5. 14.), kept as a
    row of the schedule (the event's programme, the trip's days) otherwise."""
    cells = [cell.strip() for cell in line.split("\t")]
    filled = [cell for cell in cells if cell]
    if section in (None, "body", "summary") and 2 <= len(filled) <= 4 and len(filled) % 2 == 0 \
            and all(len(key) <= 12 for key in filled[::2]):
        for key, value in zip(filled[::2], filled[1::2]):
            report.fields.setdefault(re.sub(r"\s+", "", key), value)
    report.schedule.append(cells)
