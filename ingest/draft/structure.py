"""The parts of a trip report (해외출장 복명서), from its text.

Every reader (text, HWPX, DOCX, PDF) hands over the same shape of text: one paragraph a
line, its depth as leading spaces, table rows as cells joined by tabs. This module finds in
it the title block (lines before the first heading), the overview (출장개요: its
``key: value`` fields and the schedule table), and the items (bullets and paragraphs) of the
purpose, body (출장내용) and implications (시사점, 향후 과제) sections, each with the item it
hangs under.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import DraftError

# A heading: a Markdown '#', or a number (1. / II. / Ⅲ. / 가.) before a short text.
NUMBER = r"(?:[0-9]{1,2}|[IVX]{1,4}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|[가-하])\s*[.)]"
HEADING = re.compile(rf"^(?:#{{1,6}}\s*(?:{NUMBER}\s*)?|{NUMBER}\s+)(?P<text>\S.*)$")
SENTENCE_END = re.compile(r"(?:음|함|임|됨|다|[.!?])\s*$")  # 개요 is a heading: no 요
MAX_HEADING = 60
# Bullet markers, in the order reports nest them (□ above ○ above - above ·).
MARKER_RANKS = {"□": 1, "■": 1, "◆": 1, "◇": 1, "▣": 1, "○": 2, "◦": 2, "●": 2, "ㅇ": 2, "◎": 2,
                "-": 3, "–": 3, "—": 3, "*": 3, "·": 4, "ㆍ": 4, "•": 4, "▪": 4, "∙": 4, "※": 5}
MARKER = re.compile(r"^(?P<marker>[□■◆◇▣○◦●ㅇ◎\-–—*·ㆍ•▪∙※])\s+(?P<text>\S.*)$")
FIELD = re.compile(r"^(?P<key>[^:：\t]{1,12}?)\s*[:：]\s*(?P<value>.*)$")

# What a heading says its section is, tried in this order (spaces removed).
SECTION_WORDS = (
    ("attachments", ("첨부", "붙임", "참고자료", "사진")),
    ("implications", ("시사점", "과제", "제언", "건의", "결론", "소감", "활용방안")),
    ("purpose", ("목적",)),
    ("logistics", ("일정", "경비", "출장비", "여비", "출장자", "참석자", "출장단")),
    ("overview", ("개요",)),
    ("body", ("내용", "결과", "논의", "활동")),
)
# An overview written as a table: rows whose first cell names a field, and what a schedule's header says.
FIELD_ROW_KEYS = ("출장지", "출장국", "방문국", "방문지", "장소", "출장기간", "출장일시", "기간", "일시", "출장자", "출장목적")
SCHEDULE_HEADER = ("출발", "도착", "방문기관", "내용", "업무")
OVERVIEW_SECTIONS = ("overview", "purpose", "logistics")
ITEM_SECTIONS = ("purpose", "body", "implications")
BODY_SECTIONS = ("body", "implications", "attachments")


@dataclass
class Item:
    """A bullet or paragraph of the purpose, body or implications."""

    text: str  # without its marker: the words a quote takes verbatim
    line: int  # in the report's text
    section: str  # purpose | body | implications
    indent: int
    rank: int  # of its marker (0: none)
    parent: Item | None = None


@dataclass
class Report:
    title_block: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # overview 'key: value', key without spaces
    schedule: list[list[str]] = field(default_factory=list)  # rows of the overview's table
    items: list[Item] = field(default_factory=list)
    text: str = ""


def read_structure(text: str, name: str) -> Report:
    """The report's parts; DraftError when it has no 출장개요 (not a trip report)."""
    report = Report(text=text)
    section = None  # before the first heading: the title block
    stack: list[Item] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if (heading := _heading(line)) is not None:
            section = _section(heading, section)
            stack.clear()
            continue
        if section is None:
            report.title_block.append(line)
        elif section in OVERVIEW_SECTIONS:
            _overview_line(report, section, raw, line, number)
        elif section in ITEM_SECTIONS:
            if "\t" not in line:  # a table inside the body is not a bullet
                report.items.append(_item(raw, number, section, stack))
    if not report.fields and not report.schedule and not any(i.section == "purpose" for i in report.items):
        raise DraftError(f"{name}: no 출장개요 (trip overview) found, so this does not look like a trip report",
                         "the draft tool reads 해외출장 복명서: a title block, then '1. 출장개요' with purpose, "
                         "dates and place, then '2. 출장내용' and the implications")
    return report


def _heading(line: str) -> str | None:
    match = HEADING.match(line)
    if not match or "\t" in line:
        return None
    text = match["text"].strip()
    if len(text) > MAX_HEADING or (not line.startswith("#") and SENTENCE_END.search(text)):
        return None
    return text


def _section(heading: str, current: str | None) -> str | None:
    words = re.sub(r"\s+", "", heading)
    for section, keys in SECTION_WORDS:
        if any(key in words for key in keys):
            if section in OVERVIEW_SECTIONS and current in BODY_SECTIONS:
                break  # the overview comes first: '1. 세계도시정상회의 개요' in the body is a sub-heading
            return section
    # An unnamed sub-heading ("1. Wilton Park Forum") stays in the section it is in; before the
    # first named one (a Markdown '# 2016. 3.'), the title block goes on.
    return "overview" if current in OVERVIEW_SECTIONS else current


def _overview_line(report: Report, section: str, raw: str, line: str, number: int) -> None:
    if "\t" in raw.strip("\n"):
        cells = [cell.strip() for cell in raw.strip().split("\t")]
        if (key := _field_row_key(cells)) is not None:  # 출장지 | 시카고 | 시카고 | 샌프란시스코 | 뉴욕
            report.fields.setdefault(key, ", ".join(dict.fromkeys(cell for cell in cells[1:] if cell)))
        else:
            report.schedule.append(cells)
        return
    marker = MARKER.match(line)
    content = marker["text"] if marker else line
    if (match := FIELD.match(content)) and section != "purpose":
        key = re.sub(r"\s+", "", match["key"])
        report.fields.setdefault(key, match["value"].strip())
        if "목적" in key and match["value"].strip():
            report.items.append(Item(match["value"].strip(), number, "purpose", 0, 0))
    elif section == "purpose":
        report.items.append(Item(content.strip(), number, "purpose", _indent(raw), _rank(marker)))


def _field_row_key(cells: list[str]) -> str | None:
    """The key of an overview table's row that is a field (출장기간 | 2019. 5. 20. ~ 5. 26.), not
    the schedule's header (일자 | 출발지 | 도착지 …) or one of its days."""
    key = re.sub(r"\s+", "", cells[0]).rstrip(":：")
    if len(cells) < 2 or not any(cells[1:]) or not any(word in key for word in FIELD_ROW_KEYS) or len(key) > 12:
        return None
    if any(word in re.sub(r"\s+", "", cell) for cell in cells[1:] for word in SCHEDULE_HEADER):
        return None
    return key


def _item(raw: str, number: int, section: str, stack: list[Item]) -> Item:
    line = raw.strip()
    marker = MARKER.match(line)
    item = Item((marker["text"] if marker else line).strip(), number, section, _indent(raw), _rank(marker))
    while stack and not _is_ancestor(stack[-1], item):
        stack.pop()
    item.parent = stack[-1] if stack else None
    stack.append(item)
    return item


def _is_ancestor(above: Item, item: Item) -> bool:
    return above.indent < item.indent or (above.indent == item.indent and above.rank < item.rank)


def _indent(raw: str) -> int:
    return len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())


def _rank(marker: re.Match | None) -> int:
    return MARKER_RANKS[marker["marker"]] if marker else 0
