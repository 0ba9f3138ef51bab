"""The HWPX and DOCX memos as downloads — the findings page's selection and the canned queries' —
and from the command line."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

from bench.synthetic import write_synthetic_db
from ingest.memo.office import MAX_FINDINGS

from .conftest import ROOT, make_datasette
from .exports import view_rows
from .office import docx_paragraphs, hwpx_paragraphs, hwpx_problems

HWPX_TYPE = "application/hwp+zip"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TYPES = {"hwpx": HWPX_TYPE, "docx": DOCX_TYPE}
READERS = {"hwpx": hwpx_paragraphs, "docx": docx_paragraphs}


@pytest.mark.parametrize("fmt", ["hwpx", "docx"])
@pytest.mark.parametrize("path, query, name", [
    ("/insights/findings", "_theme=crowdfunding", "findings-crowdfunding-memo"),
    ("/insights/findings", "kind=recommendation&_sort_desc=title", "findings-recommendation-memo"),
    ("/insights/findings", "_search=governance&_lang=en", "findings-memo-en"),
    ("/insights/memo", "theme=financing", "memo-financing-memo"),
    ("/insights/findings_by_theme", "theme=concept-and-standards", "findings_by_theme-concept-and-standards-memo"),
])
async def test_download_holds_the_views_rows(ds, fmt, path, query, name):
    rows = await view_rows(ds, path, query.replace("&_lang=en", ""))
    response = await ds.client.get(f"{path}/-/memo.{fmt}?{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == TYPES[fmt]
    assert response.headers["content-disposition"] == f'attachment; filename="{name}.{fmt}"'
    paragraphs = READERS[fmt](response.content)
    count = "Findings · 시사점" if "_lang=en" in query else "시사점 · Findings"
    assert len(rows) > 0 and f"{count}: {len(rows)}" in paragraphs
    title_key = "title" if "_lang=en" in query else "title_ko"
    for row in rows:
        assert any(row[title_key] in p for p in paragraphs if p.startswith("□ "))
    view = f"http://localhost{path}?{query.replace('&_lang=en', '')}"  # the test client's address
    assert any(p.endswith(view) for p in paragraphs)  # the view's URL, without _lang


async def test_prose_style_and_its_refusals(ds):
    prose = await ds.client.get("/insights/findings/-/memo.hwpx?_theme=crowdfunding&_style=prose")
    assert prose.status_code == 200 and hwpx_problems(prose.content) == []
    paragraphs = hwpx_paragraphs(prose.content)
    assert not any(p.startswith("□") for p in paragraphs)
    assert not any("_style" in p for p in paragraphs)  # not part of the view's URL
    bad = await ds.client.get("/insights/findings/-/memo.docx?_style=poem")
    assert bad.status_code == 400 and "unknown memo style" in bad.text
    assert (await ds.client.get("/insights/findings/-/memo.pdf")).status_code == 404


async def test_links_beside_the_memo_links(ds):
    page = (await ds.client.get("/insights/findings?_theme=crowdfunding")).text
    assert 'href="/insights/findings/-/memo.hwpx?_theme=crowdfunding">HWPX</a>' in page
    assert 'href="/insights/findings/-/memo.docx?_theme=crowdfunding">DOCX</a>' in page
    query = (await ds.client.get("/insights/memo?theme=financing")).text
    assert 'href="/insights/memo/-/memo.hwpx?theme=financing">HWPX</a>' in query


def run_memo(*args, stdout=subprocess.PIPE):
    return subprocess.run([sys.executable, "-m", "ingest", "memo", *args], cwd=ROOT, stdout=stdout,
                          stderr=subprocess.PIPE)


@pytest.mark.parametrize("fmt", ["hwpx", "docx"])
def test_cli_writes_the_memo_to_a_file(db_path, tmp_path, fmt):
    target = tmp_path / f"memo.{fmt}"
    result = run_memo("--db", str(db_path), "--theme", "crowdfunding", "--format", fmt, "-o", str(target))
    assert result.returncode == 0, result.stderr
    paragraphs = READERS[fmt](target.read_bytes())
    assert "□ 시민이 주체가 되는 크라우드펀딩의 필요성 (Citizens as investors: crowdfunding smart-city projects) [관찰]" \
           in paragraphs
    piped = run_memo("--db", str(db_path), "--theme", "crowdfunding", "--format", fmt, "--style", "prose")
    assert piped.returncode == 0 and piped.stdout[:2] == b"PK"  # a redirected standard output takes the file


def test_cli_refuses_to_write_a_binary_memo_to_a_terminal(db_path):
    controller, terminal = pty.openpty()
    try:
        result = run_memo("--db", str(db_path), "--format", "hwpx", stdout=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 2
    assert b"--format hwpx writes a binary file: give -o FILE" in result.stderr


def test_cli_markdown_memo_to_a_file(db_path, tmp_path):
    result = run_memo("--db", str(db_path), "--theme", "crowdfunding", "-o", str(tmp_path / "memo.md"))
    assert result.returncode == 0 and result.stdout == b""
    assert (tmp_path / "memo.md").read_text(encoding="utf-8").startswith("# 정책 메모 초안 · Policy memo draft")


@pytest.mark.slow  # a corpus past the 5,000-finding limit: not in make test-fast
async def test_a_selection_beyond_the_limit_answers_400_and_a_narrower_one_downloads(tmp_path):
    """A memo is built whole in memory: more than MAX_FINDINGS findings are refused, not built."""
    db = tmp_path / "insights.db"
    write_synthetic_db(db, MAX_FINDINGS + 10)
    ds = make_datasette(db)
    refused = await ds.client.get("/insights/findings/-/memo.docx")
    assert refused.status_code == 400 and "holds at most 5,000 findings: narrow the selection" in refused.text
    narrower = await ds.client.get("/insights/findings/-/memo.docx?_theme=crowdfunding")
    assert narrower.status_code == 200, narrower.text
    assert len([p for p in docx_paragraphs(narrower.content) if p.startswith("□ ")]) > 0
