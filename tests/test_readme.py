"""The README's example URLs work as written."""

import re

import pytest

from .conftest import ROOT

URLS = re.findall(r"http://127\.0\.0\.1:8001(/insights[^\s|)>]*)", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_example_urls():
    assert len(URLS) >= 5
    assert any("_theme=" in u for u in URLS) and any("_search=" in u for u in URLS) and any(".csv" in u for u in URLS)


@pytest.mark.parametrize("path", sorted(set(URLS)))
async def test_example_url_answers_with_rows(ds, path):
    response = await ds.client.get(path)
    assert response.status_code == 200, path
    if ".csv" in path:
        assert len(response.text.strip().splitlines()) >= 2, path
    elif ".xlsx" in path:
        assert response.content.startswith(b"PK"), path  # a zip: the XLSX tests read it back
    else:
        assert "<table" in response.text or "/findings/" in response.text, path
