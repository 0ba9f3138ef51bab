"""Decomposed Korean (NFD, as pasted from a macOS file name or some PDF extractors) is found
by search as a browser sends it (NFC), and stored as NFC.

Breaks if text is not normalised to NFC where it enters: a note (its title, quote, summary),
a source document (the quote check compares both), or a query (``_search``, the canned
``search`` query's ``q``): an NFD 조달 is a different string from the NFC 조달 a browser sends.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from contextlib import closing

import pytest

from ingest.build import build

from .conftest import NOTES, ROOT, make_datasette


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


NOTE_ID = "2021-05-nfd-procurement"
QUOTE = "스마트도시 조달 체계를 개선해야 한다는 의견이 있었음"
NOTE = f"""\
---
id: {NOTE_ID}
title: Procurement for smart cities
title_ko: 스마트도시 조달 제도 개선
type: study
organization: KRIHS
access: public
document: sources/nfd-procurement.txt
---

## Public procurement holds smart cities back
- id: procurement
- title_ko: 공공 조달이 스마트도시를 늦춘다
- themes: governance
- kind: observation

> {QUOTE}

조달 규정이 스마트도시 사업의 속도를 늦춘다는 지적.
"""
DOCUMENT = f"해외출장 복명서\n\n- {QUOTE}.\n"
FINDING = f"{NOTE_ID}/procurement"


@pytest.fixture(scope="module", params=["note and document NFD", "note NFD, document NFC", "note NFC, document NFD"])
def nfd_db(request, tmp_path_factory):
    note_form, document_form = {"note and document NFD": (nfd, nfd), "note NFD, document NFC": (nfd, str),
                                 "note NFC, document NFD": (str, nfd)}[request.param]
    folder = tmp_path_factory.mktemp("nfd")
    notes = folder / "notes"
    shutil.copytree(NOTES, notes)
    (notes / "nfd-procurement.md").write_text(note_form(NOTE), encoding="utf-8")
    (notes / "sources" / "nfd-procurement.txt").write_text(document_form(DOCUMENT), encoding="utf-8")
    build(notes, folder / "insights.db")
    return folder / "insights.db"


def test_a_decomposed_note_and_document_pass_check(tmp_path):
    notes = tmp_path / "notes"
    shutil.copytree(NOTES, notes)
    (notes / "nfd-procurement.md").write_text(nfd(NOTE), encoding="utf-8")
    (notes / "sources" / "nfd-procurement.txt").write_text(DOCUMENT, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ingest", "check", "--notes", str(notes)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_stored_text_is_nfc(nfd_db):
    with closing(sqlite3.connect(nfd_db)) as conn:
        title_ko, summary, quote = conn.execute("select title_ko, summary, quote from findings where id = ?",
                                                (FINDING,)).fetchone()
        source_title, = conn.execute("select title_ko from sources where id = ?", (NOTE_ID,)).fetchone()
    assert (title_ko, quote, source_title) == ("공공 조달이 스마트도시를 늦춘다", QUOTE, "스마트도시 조달 제도 개선")
    assert summary.startswith("조달 규정이") and unicodedata.is_normalized("NFC", summary)


@pytest.mark.parametrize("query", ["조달", "스마트도시", "조달 규정", nfd("조달"), nfd("스마트도시")],
                         ids=["조달", "스마트도시", "조달 규정", "NFD 조달", "NFD 스마트도시"])
async def test_search_finds_it_as_a_browser_sends_the_query(nfd_db, query):
    ds = make_datasette(nfd_db)
    rows = (await ds.client.get("/insights/findings.json", params={"_search": query, "_shape": "array",
                                                                   "_col": "id"})).json()
    assert FINDING in [row["id"] for row in rows]
    found = (await ds.client.get("/insights/search.json", params={"q": query, "_shape": "array"})).json()
    assert FINDING in [row["id"] for row in found]


async def test_an_nfd_query_finds_nfc_text_and_marks_it(nfd_db):
    """The stored text is composed; a decomposed 스마트도시 finds it, and the snippet marks the match."""
    ds = make_datasette(nfd_db)
    found = (await ds.client.get("/insights/search.json", params={"q": nfd("스마트도시"), "_shape": "array"})).json()
    snippets = [row["snippet"] for row in found if row["id"] == FINDING]
    assert snippets and "<mark>" in snippets[0]


async def test_the_csv_export_carries_nfc(nfd_db):
    ds = make_datasette(nfd_db)
    response = await ds.client.get("/insights/findings/-/export.csv", params={"_search": "조달"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "공공 조달이 스마트도시를 늦춘다" in text and unicodedata.is_normalized("NFC", text)


def test_a_decomposed_vocabulary_is_stored_composed(tmp_path):
    notes = tmp_path / "notes"
    shutil.copytree(NOTES, notes)
    themes = notes / "themes.yml"
    themes.write_text(nfd(themes.read_text(encoding="utf-8")), encoding="utf-8")
    build(notes, tmp_path / "insights.db")
    with closing(sqlite3.connect(tmp_path / "insights.db")) as conn:
        labels = [row[0] for row in conn.execute("select ko from themes")]
    assert "크라우드펀딩" in labels and all(unicodedata.is_normalized("NFC", label) for label in labels)
