"""Issue 21, item 2: the front matter a document gives, by its kind: a press release's issuing
organization and 보도시점; a report's publisher, year and (unless under the Chatham House Rule)
authors; an event's place (each place once) and dates; always the language; the rule only from
words that mean a closed meeting, with the reason as a comment.

The note format has no field for a report's year or authors (yet): the draft gives them in a
comment line of the front matter, for the person finishing the note.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.draft.front_matter import kind_facts
from ingest.draft.language import language
from ingest.draft.overview import read_facts
from ingest.draft.rule import guess_rule
from ingest.draft.sections import read_sections
from ingest.draft.structure import read_structure

from .kind_reports import RESEARCH_REPORT
from .test_draft_kinds import drafted


def front_matter_text(result) -> str:
    return result.note.read_text(encoding="utf-8").split("\n---\n", 1)[0]


def test_a_press_release_gives_its_ministry_and_its_embargo_date(tmp_path):
    result, note = drafted("press-release", "hwpx", tmp_path)
    fm = note.front_matter
    assert fm["organization"] == "국토교통부"  # of its 담당 부서, 국토교통부 도시경제과
    assert fm["start"] == dt.date(2024, 5, 14) and "end" not in fm  # 보도시점, not the 배포 date (5. 13.)
    assert "start: 2024-05-14  # the 보도시점 date" in front_matter_text(result)
    assert fm["document_type_ko"] == "보도자료"
    assert fm["title_ko"] == "스마트도시 데이터 허브, 2027년까지 전국 100개 도시로 확산"  # the headline, not its '- 부제 -'
    assert (fm["title"], fm["language"], fm["access"], fm["status"]) == ("TODO", "ko", "internal", "draft")
    assert note.id == "2024-05-press-release"  # dated by 보도시점


def test_a_report_gives_its_publisher_year_and_authors(tmp_path):
    result, note = drafted("research-report", "hwpx", tmp_path)
    fm = note.front_matter
    assert fm["organization"] == "국토연구원" and fm["document_type_ko"] == "기본연구"
    assert fm["title_ko"] == "스마트도시 데이터 거버넌스 구축 방안 연구"
    assert fm["title"] == "Data Governance for Smart Cities in Korea"  # the English line under it
    assert "start" not in fm  # '2024. 12.' is a month, not a date
    assert "# the document gives its year 2024; authors 김민수, 이지현, 박준호" in front_matter_text(result)
    assert note.id == "2024-research-report"


def test_a_report_under_the_chatham_house_rule_gives_no_authors(tmp_path):
    text = RESEARCH_REPORT.replace("요약\n", "요약\n□ 이 보고서의 전문가 자문회의는 채텀하우스 규칙에 따라 진행되었으며 발언자를 밝히지 않음\n", 1)
    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    from ingest.draft.draft import draft_report

    from .test_draft_formats import empty_notes
    result = draft_report(report, empty_notes(tmp_path / "notes"))
    front = front_matter_text(result)
    assert "rule: chatham-house  # the document names the Chatham House Rule ('채텀하우스')" in front
    assert "year 2024" in front and "김민수" not in front


def test_an_english_brief_gives_its_language_publisher_year_and_authors(tmp_path):
    result, note = drafted("policy-brief", "docx", tmp_path)
    fm = note.front_matter
    assert fm["language"] == "en" and "title_ko" not in fm
    assert fm["title"] == "Making Smart City Pilots Pay Off: Lessons from Korea's National Pilot Cities"
    assert fm["organization"] == "Korea Research Institute for Human Settlements"
    assert fm["document_type_ko"] == "Policy Brief"
    assert "# the document gives its year 2025; authors Minsoo Kim, Jihyun Lee" in front_matter_text(result)


def test_an_event_gives_its_place_once_and_its_dates(tmp_path):
    result, note = drafted("proceedings", "docx", tmp_path)
    fm = note.front_matter
    assert fm["place"] == "서울 코엑스 그랜드볼룸, 부산 벡스코"  # the line names the COEX hall twice (two days)
    assert (fm["country"], fm["start"], fm["end"]) == ("KR", dt.date(2024, 10, 15), dt.date(2024, 10, 16))
    assert fm["event"] == fm["title"] == "Smart City International Forum 2024"
    assert fm["organization"] == "국토교통부, 국토연구원"  # 주최
    assert fm["rule"] == "chatham-house"
    assert "rule: chatham-house  # the document names the Chatham House Rule" in front_matter_text(result)


def test_a_web_page_gives_its_site_owner_and_date(tmp_path):
    result, note = drafted("web-page", "html", tmp_path)
    fm = note.front_matter
    assert fm["title_ko"] == "서울시, 디지털 트윈으로 침수 위험 미리 본다"  # its h1, not the <title> with the site name
    assert fm["organization"] == "서울특별시" and fm["start"] == dt.date(2024, 7, 2)
    assert "start: 2024-07-02  # the 등록일 date" in front_matter_text(result)


def test_a_multi_city_trip_names_each_city_once():
    """The issue's trigger: a place read as 시카고, 시카고, 샌프란시스코, 뉴욕. Decided: every city
    of the mission, in order, each once (a mission to three cities is about all three)."""
    report = read_structure("출장 복명서\n\n1. 출장개요\n- 출장기간: 2019.05.20 ~ 2019.05.26\n"
                            "- 출장지: 미국 시카고, 시카고, 샌프란시스코, 뉴욕\n", "r.txt")
    facts = read_facts(report)
    assert (facts.place, facts.country) == ("시카고, 샌프란시스코, 뉴욕, United States", "US")


@pytest.mark.parametrize("text, code", [
    ("스마트도시 데이터 허브는 Smart City Data Hub로 부른다.", "ko"),
    ("Smart cities need data governance. 스마트도시", "en"),
    ("スマートシティの推進に関する基本方針を定める。", "ja"),
    ("智慧城市建设需要数据治理和公众参与。", "zh"),
])
def test_the_language_is_detected_from_the_text(text, code):
    assert language(text) == code


@pytest.mark.parametrize("text", [
    "평가위원 명단은 비공개로 하며, 제출 자료는 비공개 대상 정보로 관리함",  # a call for proposals
    "이 문서는 「공공기관의 정보공개에 관한 법률」 제9조에 따른 비공개 문서임",  # a classification
    "보안등급: 비공개",
    "비공개 예산 항목은 별도로 관리한다",
])
def test_a_bare_non_disclosure_is_not_a_meeting_rule(text):
    assert guess_rule(text) is None


@pytest.mark.parametrize("text, words", [
    ("본 포럼의 경우 비공개 포럼이기 때문에 사진 촬영이 불가", "비공개 포럼"),
    ("전문가 간담회는 비공개 회의로 열렸다", "비공개 회의"),
    ("토론은 비공개로 진행되었음", "비공개로 진행"),
    ("The roundtable was a closed-door meeting of city leaders.", "closed-door"),
    ("Remarks were off the record.", "off the record"),
])
def test_a_closed_meeting_is_a_guess_with_its_words_as_the_reason(text, words):
    rule, reason = guess_rule(text)
    assert rule == "chatham-house" and f"guessed from '{words}" in reason and "confirm it, or write none" in reason


@pytest.mark.parametrize("text", ["under the Chatham House Rule", "채텀하우스 규칙에 따라", "채텀 하우스 룰"])
def test_the_rule_named_is_the_rule(text):
    assert guess_rule(text)[1].startswith("the document names the Chatham House Rule")


def test_a_call_for_proposals_or_a_form_gets_no_guess_even_for_a_closed_meeting():
    assert guess_rule("제안서 평가는 비공개 회의로 진행함", "a call for proposals") is None


def test_the_seed_report_keeps_its_guess_from_its_closed_forum(tmp_path):
    from ingest.draft.draft import draft_report

    from .test_draft import WILTON_REPORT
    from .test_draft_formats import empty_notes
    front = front_matter_text(draft_report(WILTON_REPORT, empty_notes(tmp_path / "notes")))
    assert "rule: chatham-house  # guessed from '비공개적으로 주요 전략에 대한 집중논의' (a closed meeting)" in front


def test_the_fields_of_a_title_block_row_are_read():
    """A press release's header table: 보도시점 | date | 배포 | date, as every office reader hands it over."""
    report = read_sections("보도자료\n보도시점\t2024. 5. 14.(화) 11:00\t배포\t2024. 5. 13.(월)\n국토교통부\n"
                           "스마트도시 확산 계획 발표\n□ 국토교통부는 스마트도시 확산 계획을 발표했다.\n")
    facts = kind_facts(report, "press-release")
    assert facts.start == dt.date(2024, 5, 14) and facts.organization == "국토교통부"


def test_a_trip_report_whose_overview_is_a_table_names_each_city_once(tmp_path):
    """The issue's trigger as it arrives: a DOCX whose 출장개요 is a table, one city a day in the
    출장지 row. Its rows are fields (not a schedule); the country, named only in the title, is found there."""
    import docx

    from ingest.draft.draft import draft_report
    from ingest.notes.parse import read_note

    from .test_draft_formats import empty_notes
    document = docx.Document()
    for line in ("해외출장 복명서", "미국 스마트시티 엑스포 참석 및 도시 데이터 정책 조사", "국토연구원", "1. 출장개요"):
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=5)
    table.cell(0, 0).text = "출장기간"
    table.cell(0, 1).merge(table.cell(0, 4)).text = "2019. 5. 20.(월) ~ 5. 26.(일)"
    table.cell(1, 0).text = "출 장 지"
    for column, city in enumerate(["시카고", "시카고", "샌프란시스코", "뉴욕"], start=1):
        table.cell(1, column).text = city
    table.cell(2, 0).text = "출장자"
    table.cell(2, 1).merge(table.cell(2, 4)).text = "김민수 연구위원"
    document.add_paragraph("2. 출장내용")
    document.add_paragraph("시카고시는 도시 데이터 포털을 통해 600여 종의 데이터를 공개하고 있음", style="List Bullet")
    document.save(tmp_path / "chicago.docx")
    notes = empty_notes(tmp_path / "notes")
    result = draft_report(tmp_path / "chicago.docx", notes)
    fm = read_note(result.note, notes).front_matter
    assert (fm["type"], fm["place"], fm["country"]) == ("trip-report", "시카고, 샌프란시스코, 뉴욕, United States", "US")
    assert (fm["start"], fm["end"]) == (dt.date(2019, 5, 20), dt.date(2019, 5, 26))
