"""Web pages saved as HTML (ingest/draft/html.py): the article's text in the shape every reader
hands over, the page's chrome (scripts, styles, menus, site header and footer, share buttons,
related links) dropped, in the encoding the page declares, within the same limits as every
other reader (read in the child process, by reading.read_report)."""

from __future__ import annotations

import dataclasses

import pytest

from ingest.draft.errors import ReportError
from ingest.draft.html import decode_html, html_text
from ingest.draft.limits import DEFAULT_LIMITS
from ingest.draft.reading import read_report

from .kind_reports import WEB_PAGE, web_page_in

ARTICLE = """\
서울시, 디지털 트윈으로 침수 위험 미리 본다
등록일: 2024.07.02 · 작성부서: 서울특별시 디지털도시국 공간정보담당관
서울시가 도시 전체를 3차원 가상공간에 옮긴 디지털 트윈 ‘S-Map’에 실시간 강우 자료를 연계해, 집중호우 때 침수가 예상되는 도로와 지하공간을 미리 보여주는 서비스를 시작한다.
"""


def test_a_saved_page_reads_as_its_article(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(WEB_PAGE, encoding="utf-8")
    read = read_report(page)
    assert read.format == "html"
    lines = read.text.splitlines()
    assert lines[0] == "# 서울시, 디지털 트윈으로 침수 위험 미리 본다"  # the h1, as a Markdown heading
    assert lines[1] == "등록일: 2024.07.02 · 작성부서: 서울특별시 디지털도시국 공간정보담당관"
    assert lines[2].startswith("서울시가 도시 전체를 3차원") and lines[2].endswith("서비스를 시작한다.")
    assert "## 자치구·시민과 함께 쓰는 플랫폼" in lines
    assert "- 침수 위험 정보는 자치구 재난안전상황실과 공유되어 반지하 주택 거주자 대피 안내에 활용된다." in lines
    assert " - 위험 단계가 ‘경계’로 오르면 해당 지역 주민에게 안전 안내 문자가 자동으로 발송된다." in lines  # nested list
    assert lines[-1] == "문의: 디지털도시국 공간정보담당관 02-2133-0000"  # kept as text; never a candidate
    for chrome in ("본문 바로가기", "뉴스", "홈 >", "페이스북", "관련 기사", "Copyright", "세종대로", "gtag", "querySelector",
                   "display", "내 손안에 서울"):
        assert chrome not in read.text, chrome


@pytest.mark.parametrize("encoding", ["euc-kr", "cp949", "utf-8"])
def test_the_page_is_read_in_the_encoding_it_declares(encoding, tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(web_page_in(encoding))
    assert read_report(page).text.startswith("# 서울시, 디지털 트윈으로 침수 위험 미리 본다\n")


def test_a_page_that_declares_nothing_is_read_as_utf8_else_as_cp949():
    undeclared = WEB_PAGE.replace('<meta charset="utf-8">', "")
    assert decode_html(undeclared.encode("utf-8"), "p") == undeclared
    assert decode_html(undeclared.encode("cp949"), "p") == undeclared  # an old Korean site's page
    assert decode_html(b"\xef\xbb\xbf" + undeclared.encode("utf-8"), "p") == undeclared


def test_without_a_main_element_the_body_is_read_without_its_chrome():
    page = """<html><body><div id="gnb"><a>메뉴</a></div><div role="navigation">바로가기</div>
    <div class="content"><h2>사업 개요</h2><p>세종 5-1 생활권은 <b>국가시범도시</b>로 지정되었다.</p>
    <table><tr><th>구분</th><th>내용</th></tr><tr><td>면적</td><td>2.7㎢</td></tr></table>
    <ol><li>자율주행 셔틀<ol><li>BRT 연계</li></ol></li></ol></div>
    <footer>세종특별자치시청</footer><script>alert(1)</script><noscript>자바스크립트를 켜세요</noscript></body></html>"""
    assert html_text(page, "p") == ("## 사업 개요\n세종 5-1 생활권은 국가시범도시로 지정되었다.\n구분\t내용\n면적\t2.7㎢\n"
                                    "- 자율주행 셔틀\n - BRT 연계\n")


def test_a_page_over_a_limit_is_refused_as_every_report_is(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body>" + "<p>스마트도시 데이터 허브 확산 계획</p>" * 3_000 + "</body></html>", encoding="utf-8")
    limits = dataclasses.replace(DEFAULT_LIMITS, report_paragraphs=1_000)
    with pytest.raises(ReportError, match="more than 1,000 paragraphs") as refused:
        read_report(page, limits)
    assert refused.value.limit == "report_paragraphs"


def test_a_page_nested_past_the_parsers_depth_is_refused_without_a_traceback(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 100_000 + "깊은 곳의 문장" + "</div>" * 100_000 + "</body></html>")
    with pytest.raises(ReportError, match="deep.html: cannot be read as HTML: its elements are nested more deeply"):
        read_report(page)


def test_a_page_with_only_chrome_has_no_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>제목</title></head><body><nav>홈</nav><script>x()</script></body></html>")
    with pytest.raises(ReportError, match="the report has no text"):
        read_report(page)


def test_a_page_without_an_h1_is_titled_by_its_title_without_the_site_name():
    page = ("<html><head><title>국가시범도시 세종 5-1 생활권 착공 | 국토교통부</title></head><body>"
            "<div class='board-view'><h3>보도 설명</h3><p>세종 5-1 생활권은 자율주행과 공유 모빌리티를 전제로 설계되었다.</p></div></body></html>")
    assert html_text(page, "p").splitlines()[:2] == ["# 국가시범도시 세종 5-1 생활권 착공", "### 보도 설명"]
