"""Memos for 한글 (HWPX, 개조식) and Word (DOCX): files that their own libraries read back whole,
with every selected finding's title, quote and reference, whatever a note's text holds."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import zipfile

import pytest
from docx import Document
from hwpx import HwpxDocument

from ingest.build import build
from ingest.memo.citation import finding_url
from ingest.memo.memo import build_memo
from ingest.memo.outline import both
from ingest.memo.office import MAX_FINDINGS, MemoTooLarge, write_office_memo
from ingest.memo.records import Selection, SelectionError, selection_for_tags

from .conftest import ROOT, make_datasette
from .exports import view_rows
from .office import (contains, docx_korean_runs_without_font, docx_paragraphs, finding_lines, hwpx_paragraphs,
                     hwpx_problems, zip_entries)

READERS = {"hwpx": hwpx_paragraphs, "docx": docx_paragraphs}
HOSTILE = ROOT / "tests" / "fixtures" / "hostile-notes"
CONTROL_CHARACTERS = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n")


def memo_file(db_path, fmt: str, selection: Selection | None = None, lang: str = "ko",
              style: str = "gaejosik") -> bytes:
    file = io.BytesIO()
    with sqlite3.connect(db_path) as conn:
        write_office_memo(conn, selection or selection_for_tags(), lambda i: finding_url("http://127.0.0.1:8001", i),
                          lang, fmt, file, style)
    return file.getvalue()


def test_hwpx_package_starts_with_its_mimetype_stored(db_path):
    content = memo_file(db_path, "hwpx")
    entries = zip_entries(content)
    assert entries[0].filename == "mimetype" and entries[0].compress_type == zipfile.ZIP_STORED
    assert zipfile.ZipFile(io.BytesIO(content)).read("mimetype") == b"application/hwp+zip"
    assert {"Contents/header.xml", "Contents/section0.xml", "Contents/content.hpf"} <= {e.filename for e in entries}


@pytest.mark.parametrize("style", ["gaejosik", "prose"])
def test_hwpx_passes_python_hwpx_schema_and_package_validators(db_path, style):
    assert hwpx_problems(memo_file(db_path, "hwpx", style=style)) == []


def test_hwpx_metadata_is_the_memos_not_the_templates(db_path):
    content = memo_file(db_path, "hwpx")
    metadata = HwpxDocument.open(io.BytesIO(content)).parts.metadata
    assert metadata.title == "정책 메모 초안 · Policy memo draft"
    assert metadata.creator == "스마트도시 정책 인사이트 · Smart-city policy insights"
    assert metadata.lastsaveby is None and metadata.created_date == metadata.modified_date
    with sqlite3.connect(db_path) as conn:
        built = conn.execute("select built_at from build_info").fetchone()[0]
    assert metadata.created_date[:10] >= built[:10]  # written now, not the template's date
    package = zipfile.ZipFile(io.BytesIO(content))
    assert not any(b"synthetic-fixture" in package.read(name) for name in package.namelist())


@pytest.mark.parametrize("fmt", ["hwpx", "docx"])
@pytest.mark.parametrize("query", ["", "_theme=crowdfunding", "kind=recommendation", "_search=클라우드펀딩"])
async def test_every_selected_finding_reads_back_with_title_quote_and_reference(ds, fmt, query):
    rows = await view_rows(ds, "/insights/findings", query)
    response = await ds.client.get(f"/insights/findings/-/memo.{fmt}?{query}")
    assert response.status_code == 200, response.text
    paragraphs = READERS[fmt](response.content)
    assert rows
    for row in rows:
        lines = finding_lines(row)
        items = [p for p in paragraphs if p.startswith(f"□ {lines['title'][0]} ({row['title']})")]
        assert len(items) == len(set(json.loads(row["themes"])))  # once under each theme
        for quote in lines["quotes"]:
            assert f"- “{quote}”" in paragraphs
        url = f"http://localhost/insights/findings/{row['id'].replace('/', '~2F')}"  # the test client's address
        [reference] = {p for p in paragraphs if p.startswith("※ 출처 [1]: ") and url in p}
        assert reference.startswith("※ 출처 [1]: 국토연구원. 2016. 「Wilton Park Forum")
        assert f"{url}. 채텀하우스 규칙(Chatham House Rule) 적용: 발언자와 소속은 밝히지 않음." in reference
    assert f"시사점 · Findings: {len(rows)}" in paragraphs


@pytest.mark.parametrize("fmt", ["hwpx", "docx"])
def test_memo_holds_title_facts_theme_table_and_references(db_path, fmt):
    paragraphs = READERS[fmt](memo_file(db_path, fmt, selection_for_tags(themes=["crowdfunding"])))
    assert paragraphs[0] == "정책 메모 초안 · Policy memo draft"
    assert '선택 · Selection: theme is "crowdfunding"' in paragraphs
    assert paragraphs.index("크라우드펀딩 · Crowdfunding") < paragraphs.index("주제별 시사점 수 · Findings by theme")
    table = paragraphs[paragraphs.index("주제별 시사점 수 · Findings by theme") + 1:]
    assert table[:4] == ["주제 · Theme", "시사점 · Findings", "크라우드펀딩 · Crowdfunding", "1"]
    references = paragraphs[paragraphs.index("참고문헌 · References") + 1:]
    assert references[0].startswith("1. 국토연구원. 2016. 「Wilton Park Forum 「Disrupting Smart Cities")
    assert len(references) == 1 and "http" not in references[0]


@pytest.mark.parametrize("fmt", ["hwpx", "docx"])
def test_gaejosik_marks_each_level_and_prose_does_not(db_path, fmt):
    selection = selection_for_tags(themes=["crowdfunding"])
    gaejosik = READERS[fmt](memo_file(db_path, fmt, selection))
    # the one finding, under each of its four themes: □ title, ○ summary, - quote, ※ reference
    assert [p[0] for p in gaejosik if p and p[0] in "□○-※"] == ["□", "○", "-", "※"] * 4
    prose = READERS[fmt](memo_file(db_path, fmt, selection, style="prose"))
    assert not [p for p in prose if p and p[0] in "□○※"]
    assert "시민이 주체가 되는 크라우드펀딩의 필요성 (Citizens as investors: crowdfunding smart-city projects) [관찰]" in prose


@pytest.mark.parametrize("fmt", ["hwpx", "docx"])
def test_english_first(db_path, fmt):
    paragraphs = READERS[fmt](memo_file(db_path, fmt, selection_for_tags(themes=["crowdfunding"]), lang="en"))
    assert paragraphs[0] == "Policy memo draft · 정책 메모 초안"
    assert "□ Citizens as investors: crowdfunding smart-city projects (시민이 주체가 되는 크라우드펀딩의 필요성) " \
           "[Observation]" in paragraphs
    assert contains(paragraphs, "Chatham House Rule: speakers and affiliations are not attributed")


@pytest.mark.parametrize("fmt", ["hwpx", "docx"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_office_memo_cites_as_the_markdown_memo_does(db_path, fmt, lang):
    """One outline: the same sections, each finding's source line and the same references, in order."""
    url_for = lambda i: finding_url("http://127.0.0.1:8001", i)  # noqa: E731
    with sqlite3.connect(db_path) as conn:
        markdown = build_memo(conn, selection_for_tags(), url_for, lang)
    paragraphs = READERS[fmt](memo_file(db_path, fmt, lang=lang))
    source = "출처" if lang == "ko" else "Source"
    assert [p.removeprefix("※ ") for p in paragraphs if p.startswith(f"※ {source} [")] == \
           [line.strip() for line in markdown.splitlines() if line.startswith(f"    {source} [")]
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    table = paragraphs.index(both("by_theme", lang))  # the table of themes, then the references
    assert [p for p in paragraphs[:table] if p in headings] == headings[:-1]
    assert headings[-1] == both("references", lang) in paragraphs[table:]
    references = markdown.split(f"## {headings[-1]}\n\n")[1].strip().splitlines()
    assert paragraphs[-len(references):] == references and len(references) >= 1


def test_docx_korean_runs_name_an_east_asian_font(db_path):
    content = memo_file(db_path, "docx")
    assert docx_korean_runs_without_font(content, "맑은 고딕") == []
    document = Document(io.BytesIO(content))
    defaults = document.styles.element.find(".//{*}docDefaults//{*}rFonts")
    assert defaults.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "맑은 고딕"
    assert document.core_properties.author == "스마트도시 정책 인사이트 · Smart-city policy insights"
    assert sum(1 for p in document.paragraphs if p.style.name == "Memo item") > 0


def test_a_selection_described_at_any_length_gives_a_docx_whose_subject_word_accepts(db_path):
    """The defect: a filter value of a few hundred characters (the security property test sent one)
    made the DOCX download a 500, because Word's document properties hold at most 255 characters."""
    long_value = "재원" * 200
    content = memo_file(db_path, "docx", selection_for_tags(kinds=[long_value]))
    subject = Document(io.BytesIO(content)).core_properties.subject
    assert len(subject) == 255 and subject.endswith("…") and subject.startswith('kind is "재원재원')
    assert any(long_value in paragraph for paragraph in docx_paragraphs(content))  # the memo's text keeps it all


@pytest.mark.parametrize("fmt", ["hwpx", "docx"])
def test_no_rows_gives_a_memo_that_says_so(db_path, fmt):
    content = memo_file(db_path, fmt, selection_for_tags(kinds=["no-such-kind"]))
    paragraphs = READERS[fmt](content)
    assert "선택한 시사점이 없습니다." in paragraphs and "시사점 · Findings: 0" in paragraphs
    if fmt == "hwpx":
        assert hwpx_problems(content) == []


@pytest.mark.parametrize("fmt", ["hwpx", "docx"])
def test_a_selection_beyond_the_limit_is_refused_before_anything_is_written(db_path, fmt):
    file = io.BytesIO()
    with sqlite3.connect(db_path) as conn, pytest.raises(MemoTooLarge, match="holds at most 14 findings"):
        write_office_memo(conn, selection_for_tags(), lambda i: i, "ko", fmt, file, limit=14)
    assert file.getvalue() == b""
    assert MAX_FINDINGS == 5000 and issubclass(MemoTooLarge, SelectionError)  # the routes answer 400


@pytest.fixture
def hostile_db(tmp_path, notes_dir):
    """The notes, the hostile note of test_hostile_content.py, and every control character in a finding."""
    shutil.copytree(HOSTILE, notes_dir, dirs_exist_ok=True)
    note = notes_dir / "2020-01-hostile-payloads.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("The summary: ", f"The summary {CONTROL_CHARACTERS} & < > \" ' ]]> : ")
                    .replace("- title_ko: ", "- title_ko: \x1b[31m\x00"), encoding="utf-8")
    db = tmp_path / "hostile" / "insights.db"  # served as `insights`
    db.parent.mkdir()
    build(notes_dir, db)
    with sqlite3.connect(db) as conn:
        [summary] = conn.execute("select summary from findings where id like '2020-01-hostile%'").fetchone()
    assert "\x01" in summary and "\x1f" in summary  # the control characters reached the database
    return db


@pytest.mark.parametrize("style", ["gaejosik", "prose"])
def test_hostile_text_gives_valid_files_with_the_text_intact(hostile_db, style):
    selection = selection_for_tags(themes=["governance"])
    hwpx, docx = memo_file(hostile_db, "hwpx", selection, style=style), memo_file(hostile_db, "docx", selection,
                                                                                   style=style)
    assert hwpx_problems(hwpx) == []
    for paragraphs in (hwpx_paragraphs(hwpx), docx_paragraphs(docx)):
        assert contains(paragraphs, "[31m<script>window.__xss='finding title_ko'</script>적대적 시사점")
        assert contains(paragraphs, "The summary ")
        assert contains(paragraphs, "& < > \" ' ]]> : <script>window.__xss='summary'</script>")
        assert contains(paragraphs, "<script>window.__xss='quote'</script> quoted")
        assert not any(c in p for p in paragraphs for c in CONTROL_CHARACTERS)
    assert docx_korean_runs_without_font(docx, "맑은 고딕") == []


async def test_hostile_text_downloads_as_valid_files(hostile_db):
    ds = make_datasette(hostile_db)
    for fmt in ("hwpx", "docx"):
        response = await ds.client.get(f"/insights/findings/-/memo.{fmt}?_search=hostile")
        assert response.status_code == 200, response.text
        assert contains(READERS[fmt](response.content), "적대적 시사점")
    assert hwpx_problems((await ds.client.get("/insights/findings/-/memo.hwpx?_search=hostile")).content) == []
