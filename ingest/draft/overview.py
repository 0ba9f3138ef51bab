"""The front matter a report states about itself: title, organization, dates, place, country.

Dates are read as reports write them (``2016.03.17(목) ~ 2016.03.20(일)``, ``2018. 7. 8.~7. 12.``,
``2019-05-20 ~ 05-24``); a country from the Korean or English name in the place line (영국 →
GB); the venue from the schedule table's arrival column (도착지), where the trip stayed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from .language import language
from .structure import Report

# Korean and English country names → ISO 3166 code and English name (the countries of trips so far
# and their likely neighbours; add a line when a report names another).
COUNTRIES = {
    "영국": ("GB", "United Kingdom"), "United Kingdom": ("GB", "United Kingdom"), "UK": ("GB", "United Kingdom"),
    "프랑스": ("FR", "France"), "독일": ("DE", "Germany"), "스페인": ("ES", "Spain"), "네덜란드": ("NL", "Netherlands"),
    "벨기에": ("BE", "Belgium"), "스위스": ("CH", "Switzerland"), "오스트리아": ("AT", "Austria"),
    "이탈리아": ("IT", "Italy"), "덴마크": ("DK", "Denmark"), "스웨덴": ("SE", "Sweden"), "핀란드": ("FI", "Finland"),
    "노르웨이": ("NO", "Norway"), "에스토니아": ("EE", "Estonia"), "포르투갈": ("PT", "Portugal"),
    "아일랜드": ("IE", "Ireland"), "폴란드": ("PL", "Poland"), "체코": ("CZ", "Czechia"),
    "미국": ("US", "United States"), "캐나다": ("CA", "Canada"), "멕시코": ("MX", "Mexico"),
    "브라질": ("BR", "Brazil"), "칠레": ("CL", "Chile"), "콜롬비아": ("CO", "Colombia"), "페루": ("PE", "Peru"),
    "일본": ("JP", "Japan"), "중국": ("CN", "China"), "대만": ("TW", "Taiwan"), "홍콩": ("HK", "Hong Kong"),
    "몽골": ("MN", "Mongolia"), "싱가포르": ("SG", "Singapore"), "베트남": ("VN", "Vietnam"),
    "태국": ("TH", "Thailand"), "인도네시아": ("ID", "Indonesia"), "말레이시아": ("MY", "Malaysia"),
    "필리핀": ("PH", "Philippines"), "캄보디아": ("KH", "Cambodia"), "라오스": ("LA", "Laos"),
    "미얀마": ("MM", "Myanmar"), "인도": ("IN", "India"), "방글라데시": ("BD", "Bangladesh"),
    "사우디아라비아": ("SA", "Saudi Arabia"), "사우디": ("SA", "Saudi Arabia"), "아랍에미리트": ("AE", "United Arab Emirates"),
    "UAE": ("AE", "United Arab Emirates"), "카타르": ("QA", "Qatar"), "쿠웨이트": ("KW", "Kuwait"),
    "이스라엘": ("IL", "Israel"), "터키": ("TR", "Türkiye"), "튀르키예": ("TR", "Türkiye"),
    "케냐": ("KE", "Kenya"), "르완다": ("RW", "Rwanda"), "이집트": ("EG", "Egypt"), "남아공": ("ZA", "South Africa"),
    "호주": ("AU", "Australia"), "뉴질랜드": ("NZ", "New Zealand"), "한국": ("KR", "Republic of Korea"),
}
HOME = ("서울", "인천", "김포", "부산", "세종", "공항", "귀국", "출국")  # where a schedule starts and ends

# Every pattern here reads report text, so each is linear in it: a run of spaces is taken whole
# (possessive \s*+: what follows a run is never a space, so giving one back could not help), and
# a search never starts again inside a run it failed on (tests/test_draft_patterns.py).
DATE = r"(?:(?P<{p}y>\d{{4}})\s*+[.\-/년]\s*+)?(?P<{p}m>\d{{1,2}})\s*+[.\-/월]\s*+(?P<{p}d>\d{{1,2}})\s*+[.일]?"
WEEKDAY = r"(?:\s*+\([^)]{1,3}\))?"
DATE_RANGE = re.compile(DATE.format(p="s") + WEEKDAY + r"\s*+(?:[~∼〜～]|-(?!\d{2}\b)|부터)\s*+" + DATE.format(p="e"))
ONE_DATE = re.compile(r"(?P<sy>\d{4})\s*+[.\-/년]\s*+(?P<sm>\d{1,2})\s*+[.\-/월]\s*+(?P<sd>\d{1,2})")
DATE_KEYS = ("일시", "기간", "날짜", "일자", "일정")
PLACE_KEYS = ("출장지", "출장국", "방문국", "방문지", "장소", "국가", "지역")
ORGANIZATION = re.compile(r"^\S.{0,25}(?:연구원|연구소|연구센터|공사|재단|대학교|학회|협회|위원회|부|청|처|원)$")
DOCUMENT_TYPE = re.compile(r"복명서|출장\s*보고|결과\s*보고|보고서")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 .,:&'’\-]*[A-Za-z0-9.]")
# The inner text holds no opening mark either: a run of openers without a closer fails at each at once.
QUOTED = re.compile(r"[「『“\"'‘《<](?P<inner>[^「『“‘《<」』”\"'’》>]+)[」』”\"'’》>]")
DATE_LINE = re.compile(r"[\d.\s년월일()-]+")
BRACKETS_OR_TIME = re.compile(r"\([^()]*\)|\d{1,2}:\d{2}")
ARROW = re.compile(r"->|→|⇒")
PLACE_SEPARATOR = re.compile(r"[,·/;]|→|->")


@dataclass
class Facts:
    title_ko: str | None = None
    title_en: str | None = None  # the English event name, when the report gives one
    organization: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    place: str | None = None
    country: str | None = None  # ISO 3166 code
    language: str = "ko"
    # Set by the kind of source (kinds.py, front_matter.py); a trip report's are the defaults.
    kind: str = "trip-report"
    kind_reason: str = ""
    kind_read_as: str = "trip-report"  # the kind whose reading it got (a study is read as a report)
    document_type_ko: str | None = None  # what the document calls itself: 보도자료, 정책브리프 …
    start_is: str | None = None  # what the start date is, when not the event's: '보도시점', '발행일'
    year: int | None = None  # a report's year of publication
    authors: list[str] = field(default_factory=list)  # a report's authors (never under the Chatham House Rule)


def read_facts(report: Report) -> Facts:
    facts = Facts(language=language(report.text))
    _title(report.title_block, facts)
    facts.start, facts.end = _dates(report)
    _place(report, facts)
    return facts


def _title(block: list[str], facts: Facts) -> None:
    lines = [line for line in block if not DOCUMENT_TYPE.search(line) or len(line) > 20]
    lines = [line for line in lines if not DATE_LINE.fullmatch(line)]
    organizations = [line for line in lines if ORGANIZATION.match(line)]
    if organizations:
        facts.organization = organizations[-1]
        lines = [line for line in lines if line != facts.organization]
    if lines:
        facts.title_ko = " ".join(lines)
        facts.title_en = english_name(facts.title_ko)


def english_name(title: str) -> str | None:
    """The event's English name in a Korean title: ``Wilton Park Forum 「Disrupting …」 발표 참석``
    → ``Wilton Park Forum: Disrupting …``; None when the title has no English words."""
    quoted = [m["inner"].strip() for m in QUOTED.finditer(title) if LATIN_RUN.fullmatch(m["inner"].strip())]
    outside = QUOTED.sub(" ", title)
    runs = [run.strip() for run in LATIN_RUN.findall(outside) if len(run.strip()) > 2]
    parts = runs[:1] + quoted[:1] if quoted else runs[:1]
    return ": ".join(parts) if parts else None


def _dates(report: Report) -> tuple[dt.date | None, dt.date | None]:
    keyed = [v for k, v in report.fields.items() if any(word in k for word in DATE_KEYS)]
    for text in keyed + list(report.fields.values()) + ["\n".join(report.title_block)]:
        if (match := DATE_RANGE.search(text)) and match["sy"]:
            start = _date(match["sy"], match["sm"], match["sd"])
            end = _date(match["ey"] or match["sy"], match["em"], match["ed"])
            if start and end and end >= start:
                return start, end
        if text in keyed and (match := ONE_DATE.search(text)):
            day = _date(match["sy"], match["sm"], match["sd"])
            return day, day
    return None, None


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _place(report: Report, facts: Facts) -> None:
    value = next((v for k, v in report.fields.items() if any(word in k for word in PLACE_KEYS) and v), "")
    country = _country(value) or (_country(" ".join(report.title_block)) if value else None)
    city = value
    if country:
        facts.country = COUNTRIES[country][0]
        city = _without(value, country) if country in value else value  # a country named only in the title
    venue = _venue(report.schedule, city)
    parts = [p for p in (venue, *place_list(city), COUNTRIES[country][1] if country else None) if p]
    facts.place = ", ".join(dict.fromkeys(parts)) or None


def place_list(value: str) -> list[str]:
    """The places a line names, each once, in order: a multi-city trip's ``시카고, 시카고,
    샌프란시스코, 뉴욕`` (a city per day of the schedule) is ``시카고, 샌프란시스코, 뉴욕``."""
    return list(dict.fromkeys(part.strip() for part in PLACE_SEPARATOR.split(value) if part.strip()))


def _without(value: str, country: str) -> str:
    """The place line without the country's name and the space, comma or bracket after it
    (``영국 런던`` → ``런던``), found by str.find: a pattern with ``\\s*`` before the name
    would scan every run of spaces again from each of its spaces."""
    at = value.find(country)
    after = value[at + len(country):].lstrip()
    after = after[1:].lstrip() if after[:1] in (",", "(") else after
    return f"{value[:at].rstrip()} {after}".strip(" ,()")


def _country(text: str) -> str | None:
    found = [(m.start(), name) for name in COUNTRIES
             if (m := re.search(rf"(?<![A-Za-z가-힣]){re.escape(name)}(?![A-Za-z])", text))]
    return min(found)[1] if found else None


def _venue(schedule: list[list[str]], city: str) -> str | None:
    """Where the trip stayed: the arrival (도착지) the schedule names most often, other than a
    city reached by plane (``영국 런던 (14:25)``) or home."""
    if not schedule:
        return None
    header = [re.sub(r"\s+", "", cell) for cell in schedule[0]]
    column = next((i for i, cell in enumerate(header) if "도착" in cell), None)
    if column is None:
        return None
    places = Counter()
    for row in schedule[1:]:
        cell = row[column] if column < len(row) else ""
        place = ARROW.split(cell)[-1]
        place = BRACKETS_OR_TIME.sub("", place).strip(" ,")
        if place and place != city and not _country(place) and not any(home in place for home in HOME):
            places[place] += 1
    return places.most_common(1)[0][0] if places else None
