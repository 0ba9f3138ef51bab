"""The README and docs/ work as written: their example URLs answer, and the example note builds."""

import re

import pytest

from ingest.build import build

from .conftest import ROOT, make_datasette

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
URLS = [url for page in PAGES
        for url in re.findall(r"http://127\.0\.0\.1:8001(/[^\s|)>]*)", page.read_text(encoding="utf-8"))]


def test_every_doc_is_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in PAGES[1:]:
        assert f"](docs/{page.name})" in readme, page.name


def test_the_readme_has_example_urls():
    assert len(URLS) >= 5
    assert any("_theme=" in u for u in URLS) and any("_search=" in u for u in URLS) and any(".csv" in u for u in URLS)


@pytest.mark.parametrize("path", sorted(set(URLS)))
async def test_example_url_answers_with_rows(ds, path):
    response = await ds.client.get(path)
    assert response.status_code == 200, path
    if ".csv" in path:
        assert len(response.text.strip().splitlines()) >= 2, path
    elif path.split("?")[0].endswith((".xlsx", ".hwpx", ".docx")):
        assert response.content.startswith(b"PK"), path  # a zip: the XLSX and office memo tests read it back
    else:
        assert "<table" in response.text or "/findings/" in response.text or 'href="/insights/findings?' in response.text, path


def readme_example_note() -> str:
    """The complete example note of docs/notes.md."""
    section = (ROOT / "docs" / "notes.md").read_text(encoding="utf-8")
    return re.search(r"```markdown\n(.*?)```", section, re.S).group(1)


async def test_a_note_written_from_the_readme_alone_builds_and_appears(notes_dir, tmp_path):
    """Someone else's note — another source, another country — following only docs/notes.md."""
    note = (readme_example_note()
            .replace("id: 2016-03-wilton-park-smart-cities", "id: 2019-06-singapore-mission")
            .replace("country: GB", "country: SG")
            .replace("rule: chatham-house", "rule: none")
            .replace("- regions: europe", "- regions: southeast-asia, europe")
            .replace("…", "and that retrofit financing is where Korea can learn from Europe."))
    (notes_dir / "2019-06-singapore-mission.md").write_text(note, encoding="utf-8")
    db_path = tmp_path / "insights.db"
    build(notes_dir, db_path)
    ds = make_datasette(db_path)
    response = await ds.client.get("/insights/findings.json?_region=southeast-asia&_shape=objects")
    assert [row["id"] for row in response.json()["rows"]] == ["2019-06-singapore-mission/retrofit-financing"]
    page = await ds.client.get("/insights/findings?_theme=financing")
    assert "2019-06-singapore-mission~2Fretrofit-financing" in page.text
