"""The same Korean report as DOCX and as its PDF gives the same quotes (issue 21, item 4).

The PDF is printed by headless Chromium from HTML with the report's paragraphs, in a narrow
column, wrapping Korean inside words as LibreOffice does (``word-break: break-all``: 워 / 크숍,
English words kept whole) or only at spaces (``keep-all``), with a running header and a page
number on every page. The criterion: the two drafts' candidates quote exactly the same texts, in
the same order: a quote is a verbatim passage of the report, so a space added inside a word
where a line wrapped (워 크숍), a page header inside a paragraph, or a paragraph split at a page
break would each make a quote differ.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from ingest.draft.draft import draft_report
from ingest.notes.parse import read_note

from .report_files import INDENT_EM, blocks, write_docx
from .test_draft import WILTON_REPORT
from .test_draft_formats import empty_notes
from .test_draft_second_report import SINGAPORE_REPORT

LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:;'\"()/&-]*")


def _latin_spans(line: str) -> str:
    """The line as HTML, each English word or number in a span that keeps it whole."""
    out, at = [], 0
    for match in LATIN.finditer(line):
        out += [html.escape(line[at:match.start()]), f'<span class="latin">{html.escape(match[0])}</span>']
        at = match.end()
    return "".join(out) + html.escape(line[at:])


def print_pdf(text: str, path: Path, browser, word_break: str, width: str) -> Path:
    """The report as a PDF: paragraphs in a column ``width`` wide, Korean wrapped per ``word_break``,
    a running header and a page number at the foot of each page."""
    body = []
    for kind, value in blocks(text):
        if kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in value)
            body.append(f"<table>{rows}</table>")
        else:
            depth, line = value
            words = _latin_spans(line)
            body.append(f'<p style="margin-left: {depth * INDENT_EM}em">{words or "&nbsp;"}</p>')
    page_html = f"""<!doctype html><html lang="ko"><head><meta charset="utf-8"><style>
        body {{ font-family: 'NanumGothic', sans-serif; font-size: 10.5pt; width: {width};
               word-break: {word_break}; line-height: 1.6; }}
        .latin {{ word-break: keep-all; }}
        p {{ margin: 0 0 0.5em; }}
        table {{ border-collapse: collapse; margin: 0.5em 0; }} td {{ border: 1px solid #000; padding: 2px 4px; font-size: 8pt; }}
        </style></head><body>{''.join(body)}</body></html>"""
    page = browser.new_page()
    try:
        page.set_content(page_html)
        page.pdf(path=str(path), format="A5", display_header_footer=True,
                 header_template='<div style="font-size: 8pt; width: 100%; text-align: center; '
                                 'font-family: NanumGothic">국토연구원 해외출장 복명서</div>',
                 footer_template='<div style="font-size: 8pt; width: 100%; text-align: center">'
                                 '- <span class="pageNumber"></span> -</div>',
                 margin={"top": "18mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
    finally:
        page.close()
    return path


def quotes(report: Path, notes: Path) -> list[str]:
    result = draft_report(report, empty_notes(notes))
    return [quote.text for finding in read_note(result.note, notes).findings for quote in finding.quotes]


# keep-all at 82 mm wraps the Wilton Park report just before a dash inside a sentence (… 특히 /
# - 바르셀로나 …), which must not open a bullet.
LAYOUTS = [("break-all", "95mm"), ("keep-all", "95mm"), ("keep-all", "82mm")]


@pytest.mark.browser
@pytest.mark.parametrize(("word_break", "width"), LAYOUTS, ids=[f"{w}-{m}" for w, m in LAYOUTS])
@pytest.mark.parametrize("report", [WILTON_REPORT, SINGAPORE_REPORT], ids=["wilton", "singapore"])
def test_the_docx_and_its_pdf_give_the_same_quotes(report, word_break, width, tmp_path, browser):
    """Breaks if a Korean word wrapped at a line end is read with a space inside it, if a running
    header or page number reaches a paragraph, or if a paragraph is cut at a page break."""
    text = report.read_text(encoding="utf-8")
    stem = report.name.removesuffix(".txt")
    (tmp_path / "docx").mkdir()
    (tmp_path / "pdf").mkdir()
    docx = write_docx(text, tmp_path / "docx" / f"{stem}.docx")
    pdf = print_pdf(text, tmp_path / "pdf" / f"{stem}.pdf", browser, word_break, width)
    from_docx = quotes(docx, tmp_path / "notes-docx")
    from_pdf = quotes(pdf, tmp_path / "notes-pdf")
    assert len(from_docx) >= 10
    assert from_pdf == from_docx
