"""One click each, in real headless Chromium against a real `datasette serve`: from the findings
page with a theme facet applied, the Excel CSV, the XLSX and the memo draft download exactly the
rows of the view."""

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

from .conftest import ROOT
from .exports import BOM, csv_rows, xlsx_rows

CHROMIUM = dict(executable_path="/usr/bin/chromium", headless=True, args=[
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(db_path):
    """`datasette serve` as `make serve` runs it, on a free port of 127.0.0.1."""
    port = free_port()
    settings = json.loads((ROOT / "settings.json").read_text(encoding="utf-8"))
    command = [str(Path(sys.executable).with_name("datasette")), "serve", str(db_path),
               "--metadata", "metadata.json", "--plugins-dir", "plugins", "--template-dir", "templates",
               "--host", "127.0.0.1", "--port", str(port)]
    for key, value in settings.items():
        command += ["--setting", key, json.dumps(value)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("datasette serve did not start: " + process.stdout.read1().decode())
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def view_ids(url: str) -> list[str]:
    """The ids of every row of the page at ``url``, through its JSON, page after page."""
    url = url.replace("/insights/findings?", "/insights/findings.json?") + "&_shape=objects&_size=max"
    ids = []
    while url:
        data = httpx.get(url, timeout=10).json()
        ids += [row["id"] for row in data["rows"]]
        url = data.get("next_url")
    return ids


def test_one_click_downloads_hold_exactly_the_rows_of_the_theme_view(server, tmp_path):
    with sync_playwright() as p:
        browser = p.chromium.launch(**CHROMIUM)
        try:
            page = browser.new_page(accept_downloads=True)
            page.goto(f"{server}/insights/findings")
            page.locator("#facet-theme a", has_text="크라우드펀딩 · Crowdfunding").click()
            page.wait_for_url(re.compile(r"_theme=crowdfunding"))
            expected = view_ids(page.url)
            assert expected == ["2016-03-wilton-park-smart-cities/citizen-crowdfunding"]
            assert page.locator(".export-links .memo-exports").is_visible()

            files = {}
            for link in ("Excel CSV", "XLSX", "메모 초안"):
                with page.expect_download() as download:
                    page.locator(".export-links").get_by_role("link", name=link, exact=True).click()
                files[link] = download.value.suggested_filename, Path(download.value.path()).read_bytes()
        finally:
            browser.close()

    name, content = files["Excel CSV"]
    assert name == "findings-crowdfunding.csv" and content.startswith(BOM)
    assert [row[0] for row in csv_rows(content)[1]] == expected
    name, content = files["XLSX"]
    assert name == "findings-crowdfunding.xlsx"
    assert [row[0] for row in xlsx_rows(content)[1]] == expected
    name, content = files["메모 초안"]
    assert name == "findings-crowdfunding-memo.md"
    memo = content.decode("utf-8")
    cited = re.findall(r"^    출처 \[1\]: .* http://127\.0\.0\.1:8001/insights/findings/(\S+)$", memo, flags=re.M)
    assert set(cited) == {i.replace("/", "~2F") for i in expected}
    assert "## 크라우드펀딩 · Crowdfunding" in memo


def test_memo_preview_is_rendered_in_the_browser(server):
    with sync_playwright() as p:
        browser = p.chromium.launch(**CHROMIUM)
        try:
            page = browser.new_page()
            page.goto(f"{server}/insights/findings?_theme=crowdfunding")
            page.get_by_role("link", name="미리 보기 · preview").click()
            page.wait_for_url(re.compile(r"/-/memo\?"))
            assert page.locator("article.memo h2").first.inner_text() == "크라우드펀딩 · Crowdfunding"
            assert page.locator("article.memo blockquote").first.is_visible()
            page.get_by_role("link", name="English first").click()
            assert page.locator("article.memo h2").first.inner_text() == "Crowdfunding · 크라우드펀딩"
        finally:
            browser.close()
