"""Documents of every kind the draft tool recognises, written for the tests, in the text shape
every reader hands over (one paragraph a line, depth as leading spaces, table rows as
tab-separated cells), and the files they arrive as: HWPX and HWP 5 (python-hwpx), DOCX (python-docx), PDF
(printed by headless Chromium) through report_files.py, and a web page as a browser saves it.

Each holds what a real one holds besides its substance: running headers and page numbers, contact
lines, programmes, participant lists, expenses; the tests check that none of it becomes a
candidate. The call for proposals and the form say 비공개 the way such documents do (a
classification, a closed evaluation), which is not a meeting rule.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .report_files import write_docx, write_hwp5, write_hwpx, write_pdf

RESEARCH_REPORT = """\
기본연구 2024-15
스마트도시 데이터 거버넌스 구축 방안 연구
Data Governance for Smart Cities in Korea
연구진: 김민수, 이지현, 박준호
국토연구원
2024. 12.
요약
□ 스마트도시 서비스가 확산되면서 교통, 안전, 환경 분야의 도시 데이터가 급증하고 있으나, 데이터의 수집·관리 주체가 부서와 기관별로 나뉘어 있어 통합 활용이 어려움
□ 전국 108개 스마트도시 통합플랫폼 운영 지자체를 조사한 결과, 데이터 공유 협약을 체결한 곳은 31%에 그쳤으며 개인정보 비식별 처리 기준이 지자체마다 달랐음
□ 데이터 거버넌스를 제도화하기 위해서는 도시 데이터 책임관 지정과 공공·민간 데이터 연계 표준을 스마트도시법에 명시해야 함
목차
제1장 서론 ········ 1
제2장 스마트도시 데이터 관리 실태 ········ 7
제3장 정책 제언 ········ 41
국토연구원 기본연구 2024-15
- 1 -
제1장 서론
1. 연구의 배경과 목적
스마트도시 통합플랫폼은 2015년 이후 전국 지자체로 확산되어 CCTV 영상, 교통 신호, 대기질 측정 자료를 한곳에 모으는 기반이 되었다. 그러나 플랫폼이 모은 데이터가 도시계획과 정책 결정에 쓰이는 경우는 드물다.
이 연구는 지자체가 보유한 도시 데이터가 실제 정책으로 이어지지 못하는 제도적 원인을 진단하고, 데이터 거버넌스의 구축 방안을 제시하는 것을 목적으로 한다.
제2장 스마트도시 데이터 관리 실태
1. 분석 결과
 ○ 조사 대상 지자체의 64%는 데이터 관리 책임이 정보통신 부서에 있어, 도시계획 부서가 필요한 데이터를 요청하는 데 평균 3주가 걸렸음
 ○ 민간 기업과 데이터를 공유한 지자체는 대부분 개별 업무협약에 의존하고 있어 협약이 끝나면 데이터 연계도 중단되는 사례가 반복되었음
 ○ 개인정보 비식별 처리 기준이 기관마다 달라 동일한 유동인구 데이터도 지자체에 따라 공개 범위가 크게 차이 났음
국토연구원 기본연구 2024-15
- 8 -
2. 해외 사례
 ○ 바르셀로나는 도시 데이터 최고책임자(CDO)를 두고 시민 데이터 주권 원칙을 조례로 정하여 민간 플랫폼 기업의 데이터 반환 의무를 계약에 포함하였음
 ○ 헬싱키는 도시 데이터 개방 포털을 인근 지자체와 공동 운영하여 광역 단위의 교통·에너지 데이터 표준을 마련하였음
제3장 정책 제언
 ○ 광역 지자체 단위로 도시 데이터 책임관을 지정하고, 도시계획·교통·안전 부서가 참여하는 데이터 거버넌스 위원회를 설치해야 함
 ○ 공공과 민간이 함께 쓰는 도시 데이터 연계 표준을 마련하고, 스마트도시 인증 평가에 데이터 개방 실적을 반영하는 것이 바람직함
 ○ 시민이 자신의 데이터 활용 내역을 확인할 수 있는 데이터 이용 내역 공개 제도를 국가시범도시부터 도입할 필요가 있음
국토연구원 기본연구 2024-15
- 42 -
참고문헌
국토교통부. 2023. 「제4차 스마트도시 종합계획」.
연구 문의: 김민수 연구위원 (044-960-0123, mskim@krihs.re.kr)
"""

PRESS_RELEASE = """\
보도자료
보도시점\t2024. 5. 14.(화) 11:00\t배포\t2024. 5. 13.(월)
국토교통부
스마트도시 데이터 허브, 2027년까지 전국 100개 도시로 확산
- 국토부, 「스마트도시 데이터 허브 확산 계획」 발표… 지자체 데이터 연계 표준 마련 -
□ 국토교통부는 지자체가 따로 운영하던 교통, 안전, 환경 데이터를 하나로 연결하는 스마트도시 데이터 허브를 2027년까지 전국 100개 도시로 확산하는 계획을 발표했다.
 ○ 데이터 허브는 세종과 부산 국가시범도시에서 실증을 마친 도시 데이터 통합 관리 체계로, 도시 문제를 데이터로 분석하고 해결 방안을 찾는 기반이 된다.
 ○ 올해는 15개 도시를 선정하여 도시당 최대 30억 원의 국비를 지원하고, 지방비 매칭 비율은 재정 여건에 따라 차등 적용한다.
□ 이번 계획의 핵심은 지자체마다 달랐던 데이터 연계 방식을 표준화하는 것이다.
 ○ 국토교통부는 하반기까지 데이터 연계 표준 지침을 마련하여, 민간 기업이 개발한 서비스도 별도 개발 없이 여러 도시에 적용할 수 있도록 한다.
  - 교통 신호, 공유 모빌리티, 주차 데이터부터 표준을 적용하고 2026년에는 에너지와 환경 데이터로 넓힌다.
 ○ 개인정보는 가명 처리 후 허브에 저장하고, 시민이 자신의 데이터가 어떻게 쓰였는지 확인할 수 있는 열람 기능을 갖춘다.
□ 국토교통부 도시정책관은 “데이터 허브가 확산되면 도시마다 중복 투자하던 플랫폼 비용을 줄이고, 작은 도시도 검증된 스마트 서비스를 빠르게 도입할 수 있을 것”이라고 말했다.
담당 부서\t국토교통부 도시경제과\t책임자\t과장 홍길동 (044-201-3801)
\t\t담당자\t사무관 김철수 (044-201-3802)
붙임 1. 스마트도시 데이터 허브 확산 계획 요약 1부.
이 보도자료와 관련하여 보다 자세한 내용이나 취재를 원하시면 국토교통부 도시경제과 김철수 사무관(☎ 044-201-3802)에게 연락주시기 바랍니다.
"""

PROCEEDINGS = """\
제5회 스마트도시 국제 포럼 자료집
Smart City International Forum 2024
일시: 2024. 10. 15.(화) ~ 10. 16.(수)
장소: 서울 코엑스 그랜드볼룸, 서울 코엑스 그랜드볼룸, 부산 벡스코
주최: 국토교통부, 국토연구원
프로그램
시간\t세션\t발표자
09:30~10:00\t등록\t
10:00~10:20\t개회사\t국토교통부 차관
10:20~12:00\t세션 1. 데이터 기반 도시 운영\t박철수 (국토연구원 연구위원)
13:30~15:30\t세션 2. 시민 참여와 리빙랩\t이수진 (서울연구원 선임연구위원)
개회사
스마트도시 정책이 기술 실증을 넘어 시민의 삶을 바꾸는 단계로 나아가야 할 때입니다. 이번 포럼이 도시 간 경험을 나누는 자리가 되기를 바랍니다.
세션 1. 데이터 기반 도시 운영
좌장: 김영희 (서울대학교 교수)
발표 요지
 ○ 서울시는 도시 데이터를 활용해 심야 버스 노선을 재설계한 결과 심야 시간대 택시 승차 거부 민원이 40% 줄었음
 ○ 데이터 기반 도시 운영이 지속되려면 데이터 분석 인력을 외부 용역이 아닌 지자체 조직 안에 두어야 한다는 점이 강조되었음
 ○ 싱가포르 도시재개발청은 버추얼 싱가포르를 도시계획 협의 단계에서 활용하여 개발 사업의 일조·통풍 영향을 사전에 검토하고 있음
세션 2. 시민 참여와 리빙랩
발표 요지
 ○ 성남시 리빙랩은 주민이 직접 문제를 정의하고 해결책을 시험하는 방식으로 보행 안전 서비스를 개발하였으며, 주민 제안의 절반 이상이 실제 사업으로 이어졌음
 ○ 라운드테이블은 채텀하우스 규칙(Chatham House Rule)에 따라 진행되어 발언자를 밝히지 않으며, 참석자들은 리빙랩 성과를 예산 편성과 연계할 제도가 필요하다는 데 의견을 모았음
종합 토론 결과
 ○ 스마트도시 사업의 성과 지표를 설치한 장비 수가 아니라 시민이 체감하는 서비스 개선으로 바꾸어야 한다는 데 공감대가 형성되었음
참석자 명단
홍길동 (국토교통부 과장)
이영수 (부산광역시 스마트도시과장)
행사 문의: 국토연구원 스마트공간연구센터 (044-960-0456)
"""

PROGRAMME = """\
2024 스마트도시 리빙랩 워크숍
프로그램
일시: 2024. 6. 20.(목) 14:00~17:30
장소: 세종 국토연구원 대회의실
개최 취지
국가시범도시와 지자체 리빙랩의 운영 경험을 공유하고, 주민이 제안한 서비스가 실증 이후에도 지속되기 위한 예산·조직 과제를 함께 논의하고자 합니다.
시간\t내용\t발표자
14:00~14:10\t개회사\t국토연구원 부원장
14:10~15:00\t세종 리빙랩 운영 성과\t김하늘 (세종특별자치시 스마트도시과)
15:10~16:30\t종합 토론\t좌장: 이민호 (한양대학교 교수)
문의: 국토연구원 스마트공간연구센터 (044-960-0789)
"""

POLICY_BRIEF = """\
KRIHS Policy Brief No. 912
Making Smart City Pilots Pay Off: Lessons from Korea's National Pilot Cities
Korea Research Institute for Human Settlements
By Minsoo Kim and Jihyun Lee
March 2025
Executive summary
- Korea's two national pilot smart cities, Sejong 5-1 and Busan Eco Delta City, have shown that smart services are easiest to adopt when they are planned together with the land use and infrastructure of a new district.
- Operating costs, not construction costs, now decide whether a pilot service survives: a third of the services tested since 2019 stopped when their demonstration budget ended.
Key findings
- Services run by a special purpose company with private investors lasted longer than those run directly by local governments, because revenues from mobility and energy services covered part of their operating costs.
- Residents used data-based services most when they had been involved in choosing them; services selected by central agencies alone saw low take-up.
- Existing cities struggle to copy the pilot cities' model, since retrofitting sensors and networks into old districts costs two to three times more per household.
Background
The Smart City Act of 2017 designated two national pilot cities to test regulation-free zones for urban innovation. Eight years on, both have moved from construction to operation, and local governments elsewhere are asking which of their services can be transferred.
Recommendations
- The central government should fund the first five years of operating costs for services that prove their value, instead of financing only their construction.
- Local governments should involve residents through living labs before selecting services, and publish the results of each service's evaluation.
- A retrofitting programme for existing cities needs its own financing model, combining public funds with private investment and citizen crowdfunding.
About the authors
Minsoo Kim is a research fellow at the Smart Space Research Center of KRIHS.
Contact: minsoo.kim@krihs.re.kr | Tel. +82-44-960-0123
KRIHS Policy Brief No. 912
2 / 4
KRIHS Policy Brief No. 912
3 / 4
"""

CALL_FOR_PROPOSALS = """\
2025년 스마트도시 통합플랫폼 고도화 사업
제 안 요 청 서
2025. 2.
○○시 스마트도시과
1. 사업 개요
 가. 사업명: 2025년 스마트도시 통합플랫폼 고도화 사업
 나. 사업기간: 계약일로부터 2025. 12. 31.까지
 다. 소요예산: 금 1,200,000,000원 (부가가치세 포함)
2. 추진 배경 및 목적
 ○ 2017년 구축한 통합플랫폼의 노후 장비를 교체하고, 재난·안전 상황 발생 시 경찰·소방과의 영상 연계 속도를 높이기 위함
 ○ 인공지능 영상 분석을 도입하여 어린이 보호구역과 하천 범람 위험 지역의 이상 상황을 자동으로 감지하는 체계를 마련
3. 과업 내용
 ○ 통합플랫폼 서버와 저장장치 교체 및 클라우드 전환 설계
 ○ 인공지능 영상 분석 서비스 3종 구축과 관제 요원 교육 실시
4. 제안서 평가
 ○ 평가위원 명단은 비공개로 하며, 제안서 평가는 비공개로 진행함
 ○ 제출된 제안서와 평가 자료는 「공공기관의 정보공개에 관한 법률」 제9조에 따른 비공개 대상 정보로 관리함
문의: 스마트도시과 정보통신팀 (031-000-1234)
"""

FORM = """\
[별지 제1호 서식]
스마트도시 시민 리빙랩 참여 신청서
신청인\t성명\t\t생년월일\t
\t주소\t\t연락처\t
참여 분야\t□ 교통 □ 안전 □ 환경 □ 복지
참여 동기 (200자 이내)\t
개인정보 수집·이용 동의
 ○ 수집 항목: 성명, 생년월일, 주소, 연락처
 ○ 이용 목적: 리빙랩 참여자 선정 및 활동 안내
 ○ 제출된 신청서는 비공개로 관리되며, 참여자 선정 심사는 비공개로 진행됩니다.
위와 같이 스마트도시 시민 리빙랩에 참여를 신청합니다.
2025년 월 일
신청인 (서명 또는 인)
○○시장 귀하
작성 요령
1. 참여 분야는 하나 이상 선택하되, 최대 두 개까지 선택할 수 있습니다.
2. 참여 동기는 해당 분야에서 겪은 불편이나 개선 아이디어를 중심으로 작성합니다.
"""

WEB_PAGE = """\
<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8">
<title>서울시, 디지털 트윈으로 침수 위험 미리 본다 | 내 손안에 서울</title>
<link rel="stylesheet" href="./page_files/common.css">
<script src="./page_files/analytics.js"></script>
<script>window.dataLayer = window.dataLayer || []; gtag('config', 'G-XXXX');</script>
<style>.gnb li { display: inline }</style>
</head>
<body>
<a class="skip-link" href="#content">본문 바로가기</a>
<header class="site-header"><div class="logo">내 손안에 서울</div>
<nav class="gnb"><ul><li><a href="/">홈</a></li><li><a href="/news">뉴스</a></li><li><a href="/policy">정책</a></li></ul></nav>
</header>
<div class="breadcrumb">홈 &gt; 뉴스 &gt; 도시·주택</div>
<main id="content">
<article>
<header><h1>서울시, 디지털 트윈으로 침수 위험 미리 본다</h1>
<p class="meta">등록일: 2024.07.02 · 작성부서: 서울특별시 디지털도시국 공간정보담당관</p></header>
<p>서울시가 도시 전체를 3차원 가상공간에 옮긴 디지털 트윈 ‘S-Map’에 실시간 강우 자료를 연계해, 집중호우 때 침수가 예상되는 도로와 지하공간을 미리 보여주는 서비스를 시작한다.</p>
<p>그동안 침수 예측은 하천 수위와 과거 피해 기록에 의존해 왔으나, 앞으로는 하수관로 용량과 지형 자료를 함께 분석해 골목 단위의 침수 위험을 1시간 전에 알려준다.</p>
<h2>자치구·시민과 함께 쓰는 플랫폼</h2>
<ul>
<li>침수 위험 정보는 자치구 재난안전상황실과 공유되어 반지하 주택 거주자 대피 안내에 활용된다.</li>
<li>시민은 스마트폰으로 자신이 사는 동네의 침수 위험 단계를 확인할 수 있다.
<ul><li>위험 단계가 ‘경계’로 오르면 해당 지역 주민에게 안전 안내 문자가 자동으로 발송된다.</li></ul></li>
</ul>
<p>서울시는 하반기에 폭염과 미세먼지 예측 모델도 디지털 트윈에 더해, 기후 재난 전반에 대응하는 도시 관리 플랫폼으로 키울 계획이다.</p>
<div class="share"><button>페이스북 공유</button><button>링크 복사</button></div>
<p class="contact">문의: 디지털도시국 공간정보담당관 02-2133-0000</p>
</article>
</main>
<aside class="related-links"><h2>관련 기사</h2><ul><li><a href="/a">스마트 가로등 설치 확대</a></li></ul></aside>
<footer class="site-footer"><p>서울특별시 중구 세종대로 110 서울특별시청 (우)04524 · 전화 02-120</p>
<p>Copyright &copy; Seoul Metropolitan Government. All rights reserved.</p></footer>
<script>document.querySelectorAll('.share button').forEach(b => b.addEventListener('click', share));</script>
</body></html>
"""

KIND_REPORTS = {  # name: (text, the formats it arrives in)
    "research-report": (RESEARCH_REPORT, ("hwpx", "docx")),
    "press-release": (PRESS_RELEASE, ("hwpx", "hwp")),  # ministries still send HWP 5
    "proceedings": (PROCEEDINGS, ("docx", "hwpx")),
    "programme": (PROGRAMME, ("hwpx",)),
    "policy-brief": (POLICY_BRIEF, ("docx",)),
    "call-for-proposals": (CALL_FOR_PROPOSALS, ("hwpx",)),
    "form": (FORM, ("hwpx", "docx")),
}
PDF_REPORTS = ("research-report", "press-release", "proceedings", "policy-brief")  # also printed to PDF


def write_kind_report(name: str, file_format: str, folder: Path, browser=None) -> Path:
    """The document ``name`` written as ``file_format`` (txt, hwpx, docx, pdf, html) in ``folder``."""
    path = folder / f"{name}.{file_format}"
    if name == "web-page":
        assert file_format == "html", file_format
        path.write_text(WEB_PAGE, encoding="utf-8")
        return path
    text = KIND_REPORTS[name][0]
    if file_format == "txt":
        path.write_text(text, encoding="utf-8")
    elif file_format == "pdf":
        write_pdf(spaced(text), path, browser)
    else:
        {"hwpx": write_hwpx, "hwp": write_hwp5, "docx": write_docx}[file_format](text, path)
    return path


def spaced(text: str) -> str:
    """The text as a printed page spaces it: a gap (an empty paragraph) after every line that is
    not a bullet or a table row, as a cover page, headings and body paragraphs have, so that a
    PDF reader sees where a paragraph ends."""
    lines = []
    for line in text.splitlines():
        lines.append(line)
        if "\t" not in line and (line.strip()[:2] not in ("□ ", "○ ", "- ") or re.fullmatch(r"- \d+ -", line)):
            lines.append("")
    return "\n".join(lines) + "\n"


def web_page_in(encoding: str) -> bytes:
    """The web page as a site serving ``encoding`` would have it saved (its meta charset says so)."""
    return WEB_PAGE.replace('<meta charset="utf-8">', f'<meta charset="{html.escape(encoding)}">').encode(encoding)
