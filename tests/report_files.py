"""The same trip report as HWPX, HWP 5, DOCX and PDF, written from its text the way an office suite
would: the tab-separated schedule as a real table, and sub-bullets indented by the paragraph's
margin (HWPX, PDF, DOCX), and '- ' bullets as a Word bullet list (DOCX: List Bullet, List Bullet 2)
whose marker is drawn, not typed."""

from __future__ import annotations

import html
import re
from itertools import groupby
from pathlib import Path

from playwright.sync_api import Browser

INDENT_EM = 1.5  # PDF: each leading space of the text is one indent step


def blocks(text: str) -> list[tuple[str, object]]:
    """('table', rows) for runs of tab-separated lines, ('paragraph', (depth, text)) otherwise."""
    lines = text.rstrip("\n").split("\n")
    result = []
    for is_table, run in groupby(lines, key=lambda line: "\t" in line):
        if is_table:
            rows = [line.split("\t") for line in run]
            width = max(len(row) for row in rows)
            result.append(("table", [row + [""] * (width - len(row)) for row in rows]))
        else:
            result += [("paragraph", (len(line) - len(line.lstrip(" ")), line.strip())) for line in run]
    return result


def write_markdown(text: str, path: Path) -> Path:
    """Numbered headings as '## ', bullets nested by two spaces, the schedule as a pipe table."""
    out = []
    for kind, value in blocks(text):
        if kind == "table":
            out += [f"| {' | '.join(value[0])} |", "|" + " --- |" * len(value[0])]
            out += [f"| {' | '.join(row)} |" for row in value[1:]]
        else:
            depth, line = value
            out.append(f"## {line}" if re.match(r"^(?:\d{1,2}|[IVXⅠ-Ⅹ]+)\.\s", line) else "  " * depth + line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def write_hwpx(text: str, path: Path) -> Path:
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    first = True
    for kind, value in blocks(text):
        if kind == "table":
            table = document.add_table(len(value), len(value[0]))
            for r, row in enumerate(value):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        else:
            depth, line = value
            if first:
                paragraph = document.paragraphs[0]
                paragraph.text = line
                first = False
            else:
                paragraph = document.add_paragraph(line, inherit_style=False)
            if depth:  # 문단 모양 → 왼쪽 여백
                document.styles.apply_paragraph_format(paragraphs=[paragraph], indent_left_mm=5 * depth)
    document.save_to_path(path)
    return path


OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")  # a compound file, as HWP 5 documents are


def is_hwp5(path: Path) -> bool:
    """A real HWP 5 file, read without the library that wrote it: a compound (OLE) file whose
    FileHeader stream starts 'HWP Document File' with a version whose major number is 5 — not
    an HWPX zip under another name."""
    data = path.read_bytes()
    at = data.find(b"HWP Document File")
    return data.startswith(OLE_SIGNATURE) and at >= 0 and data[at + 35] == 5 and not data.startswith(b"PK")


def write_hwp5(text: str, path: Path) -> Path:
    """The report as HWP 5 binary: python-hwpx builds the document as write_hwpx does and, saving to
    a .hwp path, writes the HWP 5 compound file (its hwp5.writer), as 한글 saves .hwp."""
    assert path.suffix == ".hwp", path
    write_hwpx(text, path)
    assert is_hwp5(path), f"{path} is not an HWP 5 file"
    return path


def write_docx(text: str, path: Path) -> Path:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    for kind, value in blocks(text):
        if kind == "table":
            table = document.add_table(rows=len(value), cols=len(value[0]))
            for r, row in enumerate(value):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        else:
            depth, line = value
            if line.startswith("- "):  # a Word bullet list: the '-' is drawn by the list style
                document.add_paragraph(line[2:], style="List Bullet" if depth == 0 else f"List Bullet {depth + 1}")
                continue
            paragraph = document.add_paragraph(line)
            if depth:
                paragraph.paragraph_format.left_indent = Pt(18 * depth)
    document.save(str(path))
    return path


def write_pdf(text: str, path: Path, browser: Browser) -> Path:
    """Printed by headless Chromium, A4, in the Korean font the machine has (Nanum)."""
    body = []
    for kind, value in blocks(text):
        if kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in value)
            body.append(f"<table>{rows}</table>")
        else:
            depth, line = value
            body.append(f'<p style="margin-left: {depth * INDENT_EM}em">{html.escape(line) or "&nbsp;"}</p>')
    page_html = f"""<!doctype html><html lang="ko"><head><meta charset="utf-8"><style>
        body {{ font-family: 'NanumGothic', sans-serif; font-size: 11pt; word-break: keep-all; }}
        p {{ margin: 0.35em 0; }}
        table {{ border-collapse: collapse; margin: 0.5em 0; }} td {{ border: 1px solid #000; padding: 2px 4px; font-size: 9pt; }}
        </style></head><body>{''.join(body)}</body></html>"""
    page = browser.new_page()
    try:
        page.set_content(page_html)
        page.pdf(path=str(path), format="A4", margin={"top": "20mm", "bottom": "20mm", "left": "20mm", "right": "20mm"})
    finally:
        page.close()
    return path
