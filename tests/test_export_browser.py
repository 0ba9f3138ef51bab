"""One click each, in real headless Chromium against a real `datasette serve` (started as
`make serve` starts it): from the findings page with a theme facet applied, the Excel CSV, the
XLSX and the memo draft download exactly the rows of the view."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from ingest.build import build

from .exports import BOM, csv_rows, xlsx_rows
from .server import datasette_server

pytestmark = pytest.mark.slow  # real datasette serve and Chromium: not in make test-fast


def view_ids(url: str) -> list[str]:
    """The ids of every row of the page at ``url``, through its JSON, page after page."""
    url = url.replace("/insights/findings?", "/insights/findings.json?") + "&_shape=objects&_size=max"
    ids = []
    while url:
        data = httpx.get(url, timeout=10).json()
        ids += [row["id"] for row in data["rows"]]
        url = data.get("next_url")
    return ids


def memo_citations(memo: str, base: str) -> set[str]:
    """The findings the memo cites, on the address it was served from (no public_url is set)."""
    return set(re.findall(rf"^    출처 \[\d+\]: .* {re.escape(base)}/insights/findings/(\S+?)\.(?: |$)", memo, flags=re.M))


def test_one_click_downloads_hold_exactly_the_rows_of_the_theme_view(browser, db_path):
    with datasette_server(db_path) as base:
        page = browser.new_page(accept_downloads=True)
        page.goto(f"{base}/insights/findings")
        page.locator("#facet-theme a", has_text="크라우드펀딩 · Crowdfunding").click()
        page.wait_for_url(re.compile(r"_theme=crowdfunding"))
        expected = view_ids(page.url)
        assert expected == ["2016-03-wilton-park-smart-cities/citizen-crowdfunding"]
        files = {}
        for link in ("Excel CSV", "XLSX", "메모 초안"):
            with page.expect_download() as download:
                page.locator(".export-links").get_by_role("link", name=link, exact=True).click()
            files[link] = download.value.suggested_filename, Path(download.value.path()).read_bytes()
        page.close()

    name, content = files["Excel CSV"]
    assert name == "findings-crowdfunding.csv" and content.startswith(BOM)
    assert [row[0] for row in csv_rows(content)[1]] == expected
    name, content = files["XLSX"]
    assert name == "findings-crowdfunding.xlsx"
    assert [row[0] for row in xlsx_rows(content)[1]] == expected
    name, content = files["메모 초안"]
    assert name == "findings-crowdfunding-memo.md"
    memo = content.decode("utf-8")
    assert "## 크라우드펀딩 · Crowdfunding" in memo
    assert memo_citations(memo, base) == {i.replace("/", "~2F") for i in expected}


def test_memo_preview_is_rendered_in_the_browser(browser, db_path):
    with datasette_server(db_path) as base:
        page = browser.new_page()
        page.goto(f"{base}/insights/findings?_theme=crowdfunding")
        page.get_by_role("link", name="미리 보기 · preview").click()
        page.wait_for_url(re.compile(r"/-/memo\?"))
        assert page.locator("article.memo h2").first.inner_text() == "크라우드펀딩 · Crowdfunding"
        assert page.locator("article.memo blockquote").first.is_visible()
        page.get_by_role("link", name="English first").click()
        page.wait_for_url(re.compile(r"_lang=en"))
        assert page.locator("article.memo h2").first.inner_text() == "Crowdfunding · 크라우드펀딩"
        page.close()


def test_a_public_instance_exports_without_internal_rows(notes_dir, tmp_path, wilton_note):
    """`make serve-public`: immutable, public settings; the exports work and hold no internal row."""
    note = notes_dir / "2016-03-wilton-park-smart-cities.md"
    note.write_text(wilton_note.replace("- id: citizen-crowdfunding", "- id: citizen-crowdfunding\n- access: internal"),
                    encoding="utf-8")
    build(notes_dir, tmp_path / "insights.db", public=True)
    with datasette_server(tmp_path / "insights.db", "serve-public") as base:
        page = httpx.get(f"{base}/insights/findings?_theme=financing", timeout=10).text
        assert 'href="/insights/findings/-/export.csv?_theme=financing">Excel CSV</a>' in page
        expected = view_ids(f"{base}/insights/findings?_theme=financing")
        csv = httpx.get(f"{base}/insights/findings/-/export.csv?_theme=financing", timeout=30)
        memo = httpx.get(f"{base}/insights/findings/-/memo.md?_theme=financing", timeout=30).text
    assert [row[0] for row in csv_rows(csv.content)[1]] == expected and len(expected) == 4
    assert "citizen-crowdfunding" not in " ".join(expected)
    assert memo_citations(memo, base) == {i.replace("/", "~2F") for i in expected}
