"""Every CSV the pages or the README offer for memos or Excel guards formulas (issue 19 item 9):
a finding titled ``=1+1``, ``+cmd``, ``-2+3`` or ``@SUM(A1)`` reaches the file as ``'=1+1`` …, so
Excel shows the text instead of running it. The ``.csv`` twins of tables are raw data, and every
link to one says so beside it. Titles come from tests/fixtures/formula-notes, built with the notes."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from pathlib import Path

import pytest

from ingest.build import build
from ingest.serve.query_csv import GuardedCsv

from .conftest import NOTES, ROOT, make_datasette

FORMULAS = ["=1+1", "+cmd", "-2+3", "@SUM(A1)"]
RAW_NOTE = "raw data: formulas not guarded"
# What the README and the pages offer for memos and Excel.
MEMO_CSVS = [
    "/insights/memo.csv?theme=governance",  # the README's "memo export"
    "/insights/memo.csv?theme=governance&_dl=1",
    "/insights/findings_by_theme.csv?theme=governance",
    "/insights/search.csv?q=formulaprobe",
    "/insights/memo/-/export.csv?theme=governance",
    "/insights/findings/-/export.csv?_theme=governance",
    "/insights/findings_by_theme/-/export.csv?theme=governance",
]
PAGES = ["/", "/insights", "/insights/findings?_theme=governance", "/insights/findings?_theme=governance&_view=table",
         "/insights/memo?theme=governance", "/insights/findings_by_theme?theme=governance",
         "/insights/search?q=formulaprobe", "/insights/sources", "/insights/themes", "/insights/theme_overview",
         "/insights/findings/2020-02-formula-titles~2Fequals", "/insights/sources/2020-02-formula-titles"]
TABLES = {"findings", "sources", "themes"}
CSV_LINK = re.compile(r'<a [^>]*href="(?P<href>[^"]*(?:\.csv|_format=csv)[^"]*)"[^>]*>(?P<text>.*?)</a>'
                      r'(?P<after>.{0,200})', re.S)


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formulas")
    notes = folder / "notes"
    shutil.copytree(NOTES, notes)
    shutil.copytree(ROOT / "tests" / "fixtures" / "formula-notes", notes, dirs_exist_ok=True)
    build(notes, folder / "insights.db")
    return make_datasette(folder / "insights.db")


def cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")) for cell in row]


def unguarded(found: list[str]) -> list[str]:
    """Cells a spreadsheet would run as formulas."""
    return [cell for cell in found if cell and cell[0] in "=+-@\t\r"]


@pytest.mark.parametrize("path", MEMO_CSVS)
async def test_every_csv_offered_for_memos_guards_formulas(ds, path):
    """Broken if a CSV for memos writes a cell that begins with =, +, - or @ as it is (Excel runs it)."""
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text
    found = cells(response.content)
    for formula in FORMULAS:
        assert "'" + formula in found, (formula, path)
    assert not unguarded(found), path


async def test_a_tables_csv_twin_is_raw_data(ds):
    """The control: Datasette's .csv twin of the findings table holds the titles as stored, so
    the test above can see an unguarded cell, and the raw twin stays raw (it is data, not a memo)."""
    response = await ds.client.get("/insights/findings.csv?_theme=governance&_size=max")
    assert response.status_code == 200
    assert set(FORMULAS) <= set(cells(response.content))
    sources = await ds.client.get("/insights/sources.csv?_size=max")
    assert any(cell.startswith("=HYPERLINK(") for cell in cells(sources.content))


@pytest.mark.parametrize("page", PAGES)
async def test_every_csv_link_on_the_pages_is_guarded_or_says_raw_data(ds, page):
    """Broken if a page links a CSV that writes formulas as they are without saying, beside the
    link, that it is raw data; and if a link offered for memos is not guarded."""
    response = await ds.client.get(page)
    assert response.status_code == 200
    links = list(CSV_LINK.finditer(response.text))
    assert links or page in ("/", "/insights") or "~2F" in page or page.startswith("/insights/sources/"), page
    for link in links:
        href = html.unescape(link["href"])
        download = await ds.client.get(href)
        assert download.status_code == 200, href
        raw = unguarded(cells(download.content))
        says_raw = RAW_NOTE in re.sub(r"<[^>]+>", "", link["after"])
        if raw:
            assert says_raw, (page, href, raw)
        if says_raw:  # only a table's twin is raw; a canned query's CSV is for memos
            assert href.split("?")[0].removeprefix("/insights/").removesuffix(".csv") in TABLES, href


async def test_the_raw_data_note_sits_beside_the_findings_csv_link(ds):
    """Broken if the note goes (the test above would then find the findings page's raw link unmarked)."""
    page = (await ds.client.get("/insights/findings?_theme=governance")).text
    links = [m for m in CSV_LINK.finditer(page) if "/insights/findings.csv" in m["href"]]
    assert links and all(RAW_NOTE in re.sub(r"<[^>]+>", "", m["after"]) for m in links)
    assert "원자료" in page


def test_a_record_split_across_pieces_is_guarded_once():
    """Datasette writes its CSV in pieces; a record cut anywhere (even inside a quoted cell with a
    line break) is guarded once, whole. Broken if the guard works piece by piece."""
    text = 'title,summary\r\n=1+1,"line one\r\n-line two"\r\n+cmd,x\r\n@SUM(A1),"say ""hi"""\r\n'
    expected = 'title,summary\r\n\'=1+1,"line one\r\n-line two"\r\n\'+cmd,x\r\n\'@SUM(A1),"say ""hi"""\r\n'
    data = text.encode()
    for size in (1, 2, 3, 7, len(data)):
        guard = GuardedCsv()
        out = b"".join(guard.feed(data[i:i + size]) for i in range(0, len(data), size)) + guard.close()
        assert out.decode() == expected, size


def test_the_docs_say_which_downloads_are_raw_data():
    """docs/exports.md names the raw .csv twins and the guarded CSVs; the README's raw link says so."""
    docs = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    section = docs.split("## Raw data and guarded CSV", 1)[1].split("\n## ", 1)[0]
    for name in ("findings.csv", "memo.csv", "/-/export.csv", "raw data"):
        assert name in section, name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    raw_line = next(line for line in readme.splitlines() if "findings.csv?_theme=financing" in line)
    assert "raw data" in raw_line
