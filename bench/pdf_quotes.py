"""How often a report's PDF quotes exactly what its DOCX quotes (issue 21, item 4).

    python -m bench.pdf_quotes

The Wilton Park and Singapore reports, each written as DOCX (python-docx) and printed as PDF by
headless Chromium (tests/test_draft_same_quotes.print_pdf: running header, page numbers) at four
column widths, Korean wrapped inside words (``break-all``, as LibreOffice) and only at spaces
(``keep-all``, as Word and 한글). Counts the candidates' quotes that differ, and shows how.
"""

from __future__ import annotations

import difflib
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WIDTHS = ("55mm", "70mm", "82mm", "110mm")


def main() -> dict:
    from playwright.sync_api import sync_playwright

    from tests.report_files import write_docx
    from tests.test_draft import WILTON_REPORT
    from tests.test_draft_same_quotes import print_pdf, quotes
    from tests.test_draft_second_report import SINGAPORE_REPORT

    totals = {}
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as work:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for word_break in ("break-all", "keep-all"):
            same = every = 0
            for report in (WILTON_REPORT, SINGAPORE_REPORT):
                text, stem = report.read_text(encoding="utf-8"), report.name.removesuffix(".txt")
                for width in WIDTHS:
                    base = Path(tempfile.mkdtemp(dir=work))
                    (base / "d").mkdir()
                    (base / "p").mkdir()
                    a = quotes(write_docx(text, base / "d" / f"{stem}.docx"), base / "n1")
                    b = quotes(print_pdf(text, base / "p" / f"{stem}.pdf", browser, word_break, width), base / "n2")
                    every += len(a)
                    same += sum(x == y for x, y in zip(a, b)) if len(a) == len(b) else 0
                    for x, y in zip(a, b):
                        if x != y:
                            changes = [d for d in difflib.ndiff(x.split(" "), y.split(" ")) if d[0] in "+-"]
                            print(f"  {word_break} {width} {stem[:12]}: {changes}")
            totals[word_break] = {"same": same, "quotes": every}
            print(f"{word_break}: {same} of {every} quotes the same as the DOCX's")
        browser.close()
    return totals


if __name__ == "__main__":
    main()
