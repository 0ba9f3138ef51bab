"""Issue 21, item 3: candidates by kind. A report's summary, findings, implications and
recommendations come first; a press release gives its headline points (□) and their sub-points
(○, -); an English brief its executive summary, findings and recommendations bullets. Never a
candidate: programmes, participant lists, expenses, contact lines, page furniture (running
headers and footers, page numbers), a web page's menus, scripts and footer. Every quote is a
verbatim passage of the document text the draft writes (``ingest check`` on the notes folder).

The same documents printed to PDF by Chromium give the same candidates (browser tests).
"""

from __future__ import annotations

import re

import pytest

from ingest.build import check_notes
from ingest.draft.administrative import administrative

from .kind_reports import KIND_REPORTS, PDF_REPORTS, write_kind_report
from .test_draft_formats import drafted as drafted_files, empty_notes
from .test_draft_kinds import CASES, drafted

NEVER = {  # words of lines that must never be quoted, per document
    "research-report": ("국토연구원 기본연구 2024-15", "- 8 -", "········", "연구 문의", "mskim@krihs.re.kr",
                        "국토교통부. 2023.", "연구진"),
    "press-release": ("보도시점", "담당 부서", "책임자", "044-201", "붙임", "취재를 원하시면", "- 국토부,"),
    "proceedings": ("09:30", "등록", "좌장", "김영희", "홍길동", "부산광역시 스마트도시과장", "행사 문의", "세션 1.",
                    "일시:", "장소:"),
    "programme": ("14:00", "개회사", "김하늘", "좌장", "044-960-0789", "일시:", "장소:"),
    "policy-brief": ("About the authors", "research fellow", "minsoo.kim@", "Tel.", "2 / 4", "KRIHS Policy Brief No. 912",
                     "By Minsoo Kim", "Background"),
    "call-for-proposals": ("사업명:", "소요예산", "1,200,000,000원", "031-000-1234"),
    "form": ("(서명 또는 인)", "귀하", "수집 항목:", "2025년 월 일"),
    "web-page": ("본문 바로가기", "홈", "관련 기사", "스마트 가로등", "페이스북", "링크 복사", "Copyright", "02-120",
                 "02-2133", "gtag", "dataLayer", "display: inline", "내 손안에 서울", "등록일"),
}


def quotes_of(note) -> list[str]:
    return [quote.text for finding in note.findings for quote in finding.quotes]


@pytest.mark.parametrize("name, fmt", CASES)
def test_no_administrative_line_is_a_candidate_and_every_quote_checks(name, fmt, tmp_path):
    result, note = drafted(name, fmt, tmp_path)
    quotes = quotes_of(note)
    document = result.document.read_text(encoding="utf-8")
    for words in NEVER[name]:
        assert not any(words in quote for quote in quotes), (words, quotes)
    assert all(administrative(quote) is None for quote in quotes)
    assert all(" ".join(quote.split()) in " ".join(document.split()) for quote in quotes)
    checked = check_notes(result.note.parent.parent)  # quotes checked against the saved document
    assert not checked.errors and checked.finding_count == len(quotes)


def test_a_report_gives_its_summary_findings_and_recommendations_first(tmp_path):
    result, note = drafted("research-report", "hwpx", tmp_path)
    quotes = quotes_of(note)
    assert len(quotes) == 13
    assert quotes[0].startswith("스마트도시 서비스가 확산되면서")  # 요약, first
    assert quotes[3].startswith("조사 대상 지자체의 64%")  # 분석 결과 (제2장), then
    assert quotes[6].startswith("바르셀로나는 도시 데이터")  # 2. 해외 사례, under the findings
    assert quotes[8].startswith("광역 지자체 단위로")  # 제3장 정책 제언
    assert quotes[11].startswith("스마트도시 통합플랫폼은 2015년")  # the introduction's paragraphs, last
    def kind(start: str) -> str:
        return next(f.attributes["kind"] for f in note.findings if f.quotes[0].text.startswith(start))

    assert kind("공공과 민간이 함께 쓰는") == "recommendation"  # 바람직
    assert kind("헬싱키는 도시 데이터 개방") == "observation"


def test_a_press_release_gives_its_headline_points_and_their_sub_points(tmp_path):
    result, note = drafted("press-release", "hwpx", tmp_path)
    text = KIND_REPORTS["press-release"][0]
    points = [line.strip()[2:] for line in text.splitlines() if line.strip()[:2] in ("□ ", "○ ", "- ")]
    points = [point for point in points if not point.startswith("국토부,")]  # the '- 부제 -' of the headline
    assert quotes_of(note) == points and len(points) == 8
    assert not any("2027년까지 전국 100개 도시로 확산" == quote for quote in quotes_of(note))  # the headline is the title


def test_an_english_brief_gives_its_executive_summary_findings_and_recommendations_first(tmp_path):
    result, note = drafted("policy-brief", "docx", tmp_path)
    quotes = quotes_of(note)
    assert [q.split()[0] for q in quotes] == ["Korea's", "Operating", "Services", "Residents", "Existing",
                                              "The", "Local", "A", "The"]
    assert quotes[5].startswith("The central government should")  # Recommendations before the Background text
    assert quotes[8].startswith("The Smart City Act of 2017")
    kinds = [f.attributes["kind"] for f in note.findings]
    assert kinds[5:8] == ["recommendation"] * 3


def test_proceedings_give_the_talks_and_the_discussion_not_the_programme(tmp_path):
    result, note = drafted("proceedings", "docx", tmp_path)
    quotes = quotes_of(note)
    assert len(quotes) == 6
    assert quotes[0].startswith("서울시는 도시 데이터를 활용해 심야 버스")  # 발표 요지 (a summary) first
    assert quotes[-1].startswith("스마트도시 사업의 성과 지표를")  # 종합 토론 결과
    assert not any("이번 포럼이 도시 간 경험을" in quote for quote in quotes)  # the opening remarks, in the programme


def test_a_programme_gives_its_purpose_only(tmp_path):
    result, note = drafted("programme", "hwpx", tmp_path)
    (quote,) = quotes_of(note)
    assert quote.startswith("국가시범도시와 지자체 리빙랩의 운영 경험을 공유하고")  # 개최 취지
    fm = note.front_matter
    assert (fm["place"], fm["country"], str(fm["start"]), str(fm["end"])) == ("세종 국토연구원 대회의실", "KR", "2024-06-20", "2024-06-20")


def test_a_web_page_gives_its_article_with_its_list_and_sub_point(tmp_path):
    result, note = drafted("web-page", "html", tmp_path)
    quotes = quotes_of(note)
    assert len(quotes) == 6 and quotes[0].startswith("서울시가 도시 전체를 3차원")
    assert "위험 단계가 ‘경계’로 오르면 해당 지역 주민에게 안전 안내 문자가 자동으로 발송된다." in quotes


def test_the_trip_reports_give_the_candidates_they_gave(tmp_path):
    """Trip reports as before issue 21: tests/test_draft.py and test_draft_second_report.py hold
    their candidates; here, that none of theirs is taken for an administrative line."""
    from .test_draft import WILTON_REPORT
    from .test_draft_second_report import SINGAPORE_REPORT
    for report, count in ((WILTON_REPORT, 18), (SINGAPORE_REPORT, 14)):
        note, _ = drafted_files(report, empty_notes(tmp_path / report.stem))
        assert note.count("\n## ") == count


@pytest.mark.parametrize("line, what", [
    ("- 3 -", "page number"), ("12 / 40", "page number"), ("Page 7", "page number"),
    ("담당자: 김철수 사무관", "contact line"), ("문의: 044-201-3802", "contact line"), ("Contact: a.b@krihs.re.kr", "contact line"),
    ("이 보도자료와 관련하여 취재를 원하시면 연락주시기 바랍니다.", "contact line"),
    ("10:00~10:20 개회사", "programme line"), ("좌장: 김영희 (서울대학교 교수)", "programme line"),
    ("Coffee break", "programme line"), ("홍길동 (국토교통부 과장)", "participant"),
    ("항공료: 1,250,000원", "expenses"), ("신청인 (서명 또는 인)", "signature line"),
])
def test_administrative_lines_are_named(line, what):
    assert administrative(line) == what


@pytest.mark.parametrize("line", [
    "스마트도시 민원 챗봇은 전화 문의를 30% 줄였음",  # about phones and enquiries, not a contact line
    "총 사업비 1조 2천억원 규모의 국가시범도시 사업은 민간 투자를 유치하였음",  # money, not expenses
    "스마트도시 시장 규모는 2030년까지 두 배로 커질 전망임",
    "The city hall's contact centre now answers most requests through a chatbot.",
])
def test_substantive_lines_are_not_taken_for_administrative_ones(line):
    assert administrative(line) is None


def _type(note: str) -> str:
    return re.search(r"^type: (\S+)", note, re.MULTILINE).group(1)


@pytest.mark.parametrize("name", PDF_REPORTS)
def test_the_same_document_printed_to_pdf_gives_the_same_candidates(name, tmp_path, browser):
    """Breaks if printing a document to PDF changes its kind or any candidate. The front matter may
    differ where the PDF reader sets a line aside as page furniture: the brief's series line, which
    runs over every page, is no title-block line in its PDF (so no document_type_ko there)."""
    text_result, _ = drafted(name, "txt", tmp_path / "txt")
    (tmp_path / "pdf").mkdir()
    pdf = write_kind_report(name, "pdf", tmp_path / "pdf", browser)
    note, source = drafted_files(pdf, empty_notes(tmp_path / "pdf" / "notes"))
    text_note = text_result.note.read_text(encoding="utf-8")
    assert _type(note) == _type(text_note)
    assert note[note.index("\n## "):] == text_note[text_note.index("\n## "):]  # every candidate, as written
    assert not check_notes(tmp_path / "pdf" / "notes").errors
