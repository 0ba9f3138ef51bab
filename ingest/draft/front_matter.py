"""The front matter of a document that is not a trip report, by its kind.

- a press release: the issuing organization (the ministry of its 담당 부서, or the one its
  title block names) and the 보도시점 date (the date it may be published: the citation's date);
- a report or policy brief: its publisher, year (a full date, 발행일, goes to ``start``) and,
  unless it is under the Chatham House Rule, its authors (연구진, 저자, Authors, By …);
- a forum or conference (proceedings, programme): its place and dates (일시, 장소), each place once;
- always: the title (the title block without what the document calls itself, its date and
  organization) and the language, detected from the text's letters.
"""

from __future__ import annotations

import datetime as dt
import re

from .language import language
from .overview import (COUNTRIES, DATE_LINE, ONE_DATE, ORGANIZATION, Facts, _country, _date, _dates, english_name,
                       place_list)
from .structure import Report

DOCUMENT_TYPES = {  # what a document calls itself, in its title block → document_type_ko
    "보도자료": "보도자료", "보도참고자료": "보도참고자료", "정책브리프": "정책브리프", "국토정책brief": "국토정책 Brief",
    "policybrief": "Policy Brief", "연구보고서": "연구보고서", "정책보고서": "정책보고서", "워킹페이퍼": "워킹페이퍼",
    "자료집": "자료집", "발표자료집": "발표자료집", "프로그램": "프로그램", "issuebrief": "Issue Brief",
    "기본연구": "기본연구", "수시연구": "수시연구", "정책연구": "정책연구", "workingpaper": "Working Paper",
    "제안요청서": "제안요청서", "과업지시서": "과업지시서", "서식": "서식", "신청서": "신청서",
}
SERIES_HANGUL = 4  # of those: 별지 제1호
SERIES_SLACK = 12  # 'KRIHS Policy Brief No. 912', '기본연구 2024-15': a document type and its number
ISSUED_KEYS = ("보도시점", "보도일시", "보도", "배포일시", "배포", "엠바고")
DEPARTMENT_KEYS = ("담당부서", "작성부서", "담당", "부서", "배포처", "작성자")
PUBLISHED_KEYS = ("발행일", "발간일", "발행", "발간", "등록일", "작성일", "게시일", "published", "date")
PUBLISHER_KEYS = ("발행처", "발간처", "발행기관", "펴낸곳", "주최", "주관", "publisher", "publishedby", "organizer",
                  "hostedby")
AUTHOR_KEYS = ("연구진", "저자", "집필", "연구책임자", "책임연구원", "authors", "author", "by")
EVENT_DATE_KEYS = ("일시", "기간", "날짜", "일자", "date", "dates", "when")
EVENT_PLACE_KEYS = ("장소", "개최지", "개최장소", "venue", "place", "location", "where")
YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
ENGLISH_ORGANIZATION = re.compile(r"^(?:the\s)?[A-Z][A-Za-z&.,' -]{2,80}(?:Institute|Ministry|Agency|Center|Centre|"
                                  r"University|Council|Foundation|Bank|Organisation|Organization|Forum|Authority|OECD)"
                                  r"(?:\s(?:for|of|on)\s[A-Z][A-Za-z&,' -]{2,60})?(?:\s\([A-Z]{2,10}\))?$")
DEPARTMENT = re.compile(r"^(?P<org>\S{1,20}?(?:부|처|청|위원회|시|도|군|구|원|공사))(?:\s|$)")
BY_LINE = re.compile(r"^(?:by|authors?)\s*[:：]?\s+(?P<names>[A-Z].{2,150})$", re.IGNORECASE)
SUBTITLE = re.compile(r"^[-–—]\s*\S.*\S\s*[-–—]?$")
MAX_TITLE_LINES = 3
HANGUL = re.compile(r"[\uac00-\ud7a3]")
KOREAN_CITIES = ("서울", "부산", "인천", "대구", "대전", "광주", "울산", "세종", "제주", "수원", "고양", "창원", "성남")


def kind_facts(report: Report, kind: str) -> Facts:
    facts = Facts(language=language(report.text))
    fields = {key.lower(): value for key, value in report.fields.items()}
    block = report.title_block
    facts.document_type_ko = next((label for line in block if (label := document_type(line))), None)
    facts.organization = _organization(block, fields, kind)
    _title(block, facts)
    if kind == "press-release":
        facts.start, facts.start_is = _first_date(fields, ISSUED_KEYS)
    elif kind in ("report", "policy-brief", "document", "web-page"):
        facts.start, facts.start_is = _first_date(fields, PUBLISHED_KEYS)
        facts.year = facts.start.year if facts.start else _year(block)
        facts.authors = _authors(block, fields)
    if kind == "proceedings" or (kind == "web-page" and _keyed(fields, EVENT_PLACE_KEYS)):
        facts.start, facts.end = _event_dates(report, fields)
        _event_place(fields, facts)
    return facts


def document_type(line: str) -> str | None:
    """What a title block's line says the document is (보도자료, Policy Brief …), when the line is
    only that, maybe with its series and number."""
    squeezed = re.sub(r"\s+", "", line).lower()
    return next((label for key, label in DOCUMENT_TYPES.items()
                 if key in squeezed and len(squeezed) - len(key) <= SERIES_SLACK
                 and len(HANGUL.findall(squeezed.replace(key, ""))) <= SERIES_HANGUL), None)


def _organization(block: list[str], fields: dict[str, str], kind: str) -> str | None:
    for key in PUBLISHER_KEYS:
        if fields.get(key):
            return fields[key]
    names = [line for line in block if (ORGANIZATION.match(line) or ENGLISH_ORGANIZATION.match(line))
             and not re.search(r"[:：]", line)]
    if kind in ("press-release", "web-page") or not names:
        department = next((fields[key] for key in DEPARTMENT_KEYS if fields.get(key)), "")
        if match := DEPARTMENT.match(department):
            return match["org"]
    return names[0] if names else None


def _title(block: list[str], facts: Facts) -> None:
    lines, english = [], []
    for line in block:
        if not line:  # where a table was
            if lines:
                break
            continue
        if document_type(line) or DATE_LINE.fullmatch(line) or line == facts.organization \
                or re.match(r"^[^:：]{1,12}[:：]", line) or BY_LINE.match(line) or _is_date_only(line):
            if lines:
                break
            continue
        if SUBTITLE.match(line) and lines:
            break  # '- 부제 -' under a press release's headline
        if facts.language == "ko" and not HANGUL.search(line):
            english.append(line)  # the English title under the Korean one
            continue
        lines.append(line)
        if len(lines) == MAX_TITLE_LINES:
            break
    if not lines and not english:
        return
    title = " ".join(lines)
    if facts.language == "ko":
        facts.title_ko = title or None
        facts.title_en = english[0] if english else english_name(title)
    else:
        facts.title_en = title


def _is_date_only(line: str) -> bool:
    """'2024. 12.', 'December 2024', '2024년 5월': a date and nothing else."""
    return bool(YEAR.search(line)) and len(re.sub(r"[0-9.\s년월일()]|january|february|march|april|may|june|july|august"
                                                  r"|september|october|november|december", "", line.lower())) == 0


def _keyed(fields: dict[str, str], keys: tuple[str, ...]) -> list[str]:
    return [fields[key] for key in keys if fields.get(key)] + \
        [value for key, value in fields.items() if key not in keys and any(key.startswith(k) for k in keys) and value]


def _first_date(fields: dict[str, str], keys: tuple[str, ...]) -> tuple[dt.date | None, str | None]:
    """The first date of the first field named by ``keys`` that has one, and that field's name."""
    named = [(key, fields[key]) for key in keys if fields.get(key)]
    named += [(key, value) for key, value in fields.items() if key not in keys and any(key.startswith(k) for k in keys)]
    for key, value in named:
        if (match := ONE_DATE.search(value)) and (day := _date(match["sy"], match["sm"], match["sd"])):
            return day, f"the {key} date"
    return None, None


def _year(block: list[str]) -> int | None:
    years = [int(match.group()) for line in block if _is_date_only(line) or len(line) < 30
             for match in YEAR.finditer(line)]
    return years[-1] if years else None


def _authors(block: list[str], fields: dict[str, str]) -> list[str]:
    value = next(iter(_keyed(fields, AUTHOR_KEYS)), "")
    if not value:
        value = next((match["names"] for line in block if (match := BY_LINE.match(line))), "")
    value = re.sub(r"\([^()]{0,60}\)", "", value)  # (연구위원), (KRIHS)
    names = [name.strip(" .") for name in re.split(r",|·|ㆍ|\band\b|&|;", value)]
    return [name for name in names if 1 < len(name) <= 40]


def _event_dates(report: Report, fields: dict[str, str]) -> tuple[dt.date | None, dt.date | None]:
    keyed = Report(fields={key: value for key, value in fields.items()
                           if any(key.startswith(k) for k in EVENT_DATE_KEYS)}, title_block=report.title_block)
    start, end = _dates(keyed)
    if start:
        return start, end
    day, _ = _first_date(fields, EVENT_DATE_KEYS)
    return day, day


def _event_place(fields: dict[str, str], facts: Facts) -> None:
    value = next(iter(_keyed(fields, EVENT_PLACE_KEYS)), "")
    if not value:
        return
    places = place_list(re.sub(r"\([^()]{0,40}\)", "", value))
    country = _country(value)
    if country:
        facts.country = COUNTRIES[country][0]
    elif any(city in value for city in KOREAN_CITIES):
        facts.country = "KR"
    facts.place = ", ".join(places) or None
