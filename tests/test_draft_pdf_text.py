"""Text from a PDF as the document has it (issue 21, item 4): words joined across line wraps as the
language needs, columns in reading order, running headers, footers and page numbers dropped,
paragraphs rebuilt from line spacing and indents. The PDFs are printed by headless Chromium from
HTML written in each test; the joins are also tested alone (pdf_joins.Joiner)."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pdfplumber
import pytest

from ingest.draft import pdf_furniture, pdf_joins, pdf_lines
from ingest.draft.limits import DEFAULT_LIMITS
from ingest.draft.pdf import read_pdf_text
from ingest.draft.pdf_joins import Join, Joiner

from .test_draft_patterns import BOUND, RUN, UNITS, _all_methods

# Reports repeat their terms: a heading or summary writes them unwrapped, which settles how a
# compound wrapped between two nouns (민간|기업) is spelled where Kiwi alone cannot tell.
TERMS = "주요 용어: 민간기업, 규제 샌드박스, 기반시설조성비, 리빙랩, 스마트 네이션"
KOREAN = [
    "국내 스마트도시 구축을 위하여 기반시설조성비를 활용하는 방안과 워크숍에서 논의된 문제를 해결하기 위한 시민참여형 리빙랩 운영 방안을 설명하였음",
    "하지만 유럽권 국가들의 관심사는 신도시 구축이 불가능하기 때문에 기존도시에서의 스마트도시 구축을 위한 비용확보에 대한 논의가 있었음",
    "싱가포르 정부는 스마트 네이션 추진 체계를 총리실 산하에 두고 부처 간 데이터 공유와 디지털 정부 서비스를 일원화하였음",
    "향후 국가시범도시 조성 과정에서 민간기업의 참여를 유도하기 위한 규제 샌드박스와 인센티브 제도의 개선이 필요함",
]


def printed(browser, path: Path, body: str, style: str = "", **pdf) -> Path:
    page = browser.new_page()
    try:
        page.set_content(f"""<!doctype html><html lang="ko"><head><meta charset="utf-8"><style>
            body {{ font-family: 'NanumGothic', sans-serif; font-size: 10.5pt; line-height: 1.6; }}
            p {{ margin: 0 0 0.6em; }} {style}</style></head><body>{body}</body></html>""")
        page.pdf(path=str(path), format="A5", **{"margin": {"top": "18mm", "bottom": "18mm", "left": "15mm",
                                                             "right": "15mm"}, **pdf})
    finally:
        page.close()
    return path


def paragraphs(path: Path) -> list[str]:
    return [text for _, text in read_pdf_text(path, path.name, DEFAULT_LIMITS).paragraphs if text.strip()]


def wrapped_inside_words(path: Path, originals: list[str]) -> int:
    """How many of the PDF's line ends fall inside a word of the originals (the test's premise)."""
    words = {word for text in originals for word in text.split()}
    count = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines = [" ".join(line["text"].replace("\x01", " ").split()) for line in page.extract_text_lines()]
            for a, b in zip(lines, lines[1:]):
                if a and b and a.split()[-1] + b.split()[0] in words:
                    count += 1
    return count


@pytest.mark.browser
def test_korean_wrapped_inside_words_is_joined_without_a_space(browser, tmp_path):
    """Breaks if a wrap inside a word reads as a space (워 크숍) or a wrap at a space as none."""
    body = "".join(f"<p>{html.escape(text)}</p>" for text in [TERMS, *KOREAN])
    pdf = printed(browser, tmp_path / "break-all.pdf", body, "body { word-break: break-all; width: 62mm; }")
    assert wrapped_inside_words(pdf, KOREAN) >= 4
    assert paragraphs(pdf) == [TERMS, *KOREAN]


@pytest.mark.browser
def test_korean_wrapped_at_spaces_keeps_its_spaces(browser, tmp_path):
    body = "".join(f"<p>{html.escape(text)}</p>" for text in KOREAN)
    pdf = printed(browser, tmp_path / "keep-all.pdf", body, "body { word-break: keep-all; width: 62mm; }")
    assert paragraphs(pdf) == KOREAN


@pytest.mark.browser
def test_english_hyphenation_at_a_line_end_is_undone_a_real_hyphen_kept(browser, tmp_path):
    """Soft hyphens (as a word processor hyphenates) print as '-' where a line breaks there."""
    words = "Cities need infra&shy;structure financing and inter&shy;operability standards to scale " \
            "demon&shy;stration projects beyond pilots, a decision-making problem for every "
    text = (words * 3).replace("&shy;", "").strip()
    pdf = printed(browser, tmp_path / "english.pdf", f'<p lang="en">{(words * 3).strip()}</p>',
                  "body { width: 48mm; hyphens: manual; }")
    with pdfplumber.open(pdf) as document:
        raw = document.pages[0].extract_text()
    assert "\u2010\n" in raw  # the premise: some line ends in a hyphen (Chromium prints U+2010)
    assert paragraphs(pdf) == [text]


@pytest.mark.browser
def test_running_headers_footers_and_page_numbers_are_dropped_and_paragraphs_cross_pages(browser, tmp_path):
    """Breaks if a header or page number is read as text, or cuts a paragraph at a page break."""
    texts = [TERMS] + [f"{n}. " + KOREAN[n % 4] + " " + KOREAN[(n + 1) % 4] for n in range(1, 19)]
    pdf = printed(browser, tmp_path / "pages.pdf", "".join(f"<p>{html.escape(t)}</p>" for t in texts),
                  "body { word-break: break-all; }", display_header_footer=True,
                  header_template='<div style="font-size: 8pt; width: 100%; text-align: center; '
                                  'font-family: NanumGothic">국토연구원 정책보고서 2026-07</div>',
                  footer_template='<div style="font-size: 8pt; width: 100%; text-align: center">'
                                  '- <span class="pageNumber"></span> -</div>')
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) >= 3
    read = read_pdf_text(pdf, pdf.name, DEFAULT_LIMITS)
    assert [text for _, text in read.paragraphs] == texts
    assert "국토연구원 정책보고서 2026-07" in read.furniture and "- 2 -" in read.furniture


@pytest.mark.browser
def test_two_columns_are_read_one_after_the_other(browser, tmp_path):
    """Breaks if the lines of the two columns are read across, left line then right line."""
    title = "스마트도시 국제협력 동향 보고"
    body = f"<h1>{title}</h1><div class=cols>" + "".join(f"<p>{html.escape(t)}</p>" for t in KOREAN * 2) + "</div>"
    pdf = printed(browser, tmp_path / "columns.pdf", body,
                  "h1 { font-size: 14pt; } .cols { column-count: 2; column-gap: 8mm; word-break: keep-all; }")
    assert paragraphs(pdf) == [title, *KOREAN * 2]


@pytest.mark.browser
def test_paragraphs_come_back_from_first_line_indents_and_spacing(browser, tmp_path):
    """Paragraphs that end at the right edge: told apart by the next one's indent, or by the space
    between them."""
    indented = "".join(f'<p style="text-indent: 2em; margin: 0">{html.escape(t)}</p>' for t in [TERMS, *KOREAN])
    spaced = "".join(f'<p style="margin: 0 0 1em">{html.escape(t)}</p>' for t in [TERMS, *KOREAN])
    for name, body in (("indented", indented), ("spaced", spaced)):
        pdf = printed(browser, tmp_path / f"{name}.pdf", body, "body { word-break: break-all; width: 70mm; }")
        assert paragraphs(pdf) == [TERMS, *KOREAN], name


def join(before: str, after: str, within: str = "", gap: float = 0.0) -> str:
    line = Join(before, after, gap, 3.0, 10.0)
    return Joiner(within, [line]).join(line)


def test_a_soft_hyphen_is_dropped_and_a_hyphen_the_document_writes_is_kept():
    assert join("infra\u00ad", "structure") == "infrastructure"
    assert join("a decision-", "making process", "decision-making matters") == "a decision-making process"
    assert join("the infra-", "structure of") == "the infrastructure of"


def test_a_line_that_had_room_for_the_next_glyph_broke_at_a_space():
    assert join("워", "크숍에서", gap=25.0) == "워 크숍에서"
    assert join("관심사는 워", "크숍에서") == "관심사는 워크숍에서"


def test_korean_joins_follow_the_documents_own_spelling_then_kiwi():
    assert join("국제", "협력을", within="국제 협력 방안") == "국제 협력을"
    assert join("국제", "협력을", within="국제협력 방안") == "국제협력을"
    assert join("관심사는 신", "도시") == "관심사는 신도시"  # after a prefix
    assert join("스마트도시", "를 위한") == "스마트도시를 위한"  # before a particle
    assert join("관심사는", "신도시") == "관심사는 신도시"  # after a particle
    assert join("관계의 모색", "추진") == "관계의 모색 추진"  # between two nouns


NEW_PATTERNS = {f"{module.__name__.rsplit('.', 1)[1]}.{name}": value
                for module in (pdf_lines, pdf_furniture, pdf_joins)
                for name, value in vars(module).items() if isinstance(value, re.Pattern)}


@pytest.mark.parametrize("name", sorted(NEW_PATTERNS))
def test_the_pdf_modules_patterns_are_linear_on_long_runs(name):
    """As tests/test_draft_patterns.py asks of every pattern that reads report text (a PDF line
    can hold a page's 20,000 characters): 50,000 of each unit, after each prefix, at once."""
    pattern = NEW_PATTERNS[name]
    anchored = name == "pdf_furniture.PAGE_NUMBER"  # used with match only, on one line
    for prefix in ("", "1", "- 3", "가", "a", "("):
        for unit in UNITS:
            started = time.perf_counter()
            _all_methods(pattern, prefix + unit * (RUN // max(len(unit), 1)) + "!", anchored)
            assert time.perf_counter() - started < BOUND * 5, (name, prefix, unit)


def page_of(number: int, *texts: str) -> list:
    from ingest.draft.pdf_lines import Line

    return [Line(text, 0, 100, 20 * at, 20 * at + 10, number) for at, text in enumerate(texts)]


def test_furniture_is_what_stands_at_the_same_edge_of_most_pages_digits_aside():
    """Odd and even pages carry different running heads; a foot numbers the pages. A line whose
    number merely changes (n번째 사업: it does not count with the pages, or only twice: 2024년)
    and the same words in the middle of each page stay text."""
    body = [f"○ 본문의 {k}번째 문단입니다" for k in range(1, 4)] + ["○ 같은 문장이 여러 쪽에 있음"] + [
        f"- 하위 항목 {k}" for k in range(1, 4)]
    pages = [page_of(n, "스마트도시 동향 보고서" if n % 2 else "제1장 국제 협력", f"{n * 7}번째 사업의 첫 문단" if n % 3 else "2024년 추진 실적",
                     *body, "○ 사업별 끝 문단: " + "가나다라마바"[n - 1], f"국토연구원 | {n}") for n in range(1, 7)]
    pages.append(page_of(7, "○ 마지막 쪽의 첫 문단", *body, "iv"))
    set_aside = pdf_furniture.furniture(pages)
    read = {line.text for page in pages for line in page if id(line) in set_aside}
    assert read == {"스마트도시 동향 보고서", "국토연구원 | 1", "국토연구원 | 2", "국토연구원 | 3", "국토연구원 | 4",
                    "국토연구원 | 5", "국토연구원 | 6", "iv", "제1장 국제 협력"}
    assert "○ 같은 문장이 여러 쪽에 있음" not in read  # in the middle of each page: text


def test_a_single_page_keeps_its_edges_but_not_its_page_number():
    page = page_of(1, "보도자료", "○ 국토교통부는 스마트도시 인증제를 개편함", "- 1 -")
    assert {line.text for line in page if id(line) in pdf_furniture.furniture([page])} == {"- 1 -"}
