"""Served under a prefix behind an HTTPS proxy (``base_url="/kb/"``, ``force_https_urls``): every
link, form, citation and download on every page keeps the prefix and the scheme, and every link
the pages give resolves."""

from __future__ import annotations

import html
import re
import shutil

import pytest

from ingest.build import build

from .conftest import NOTES, STUDY_NOTE, WILTON, make_datasette

HOST = {"host": "kb.example.test"}
SITE = "https://kb.example.test/kb/"
CROWDFUNDING = f"{WILTON}~2Fcitizen-crowdfunding"
PAGES = ["/", "/themes", "/insights", "/insights/findings", "/insights/findings?_theme=financing&_region=europe",
         f"/insights/findings/{CROWDFUNDING}", f"/insights/sources/{WILTON}", "/insights/sources",
         "/insights/search?q=펀딩", "/insights/findings?_search=홍보", "/insights/findings/-/memo?_theme=financing",
         "/insights/memo?theme=financing", "/insights/theme_overview", "/insights/findings_by_theme?theme=financing",
         f"/insights/related_findings?finding_id={WILTON}/citizen-crowdfunding", "/insights/findings?_view=table"]
DOWNLOADS = ["/insights/findings/-/memo.md?_theme=financing", f"/insights/findings/{CROWDFUNDING}.ris",
             f"/insights/findings/{CROWDFUNDING}.csljson", "/insights/findings/-/export.csv?_theme=crowdfunding",
             "/insights/memo.csv?theme=crowdfunding"]


@pytest.fixture(scope="module")
def prefixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("base-url")
    shutil.copytree(NOTES, folder / "notes")
    shutil.copytree(STUDY_NOTE, folder / "notes", dirs_exist_ok=True)
    build(folder / "notes", folder / "insights.db")
    # The proxy passes the visitor's Host on, so the instance is told its public name (allowed_hosts).
    return make_datasette(folder / "insights.db", {"insights": {"allowed_hosts": [HOST["host"]]}},
                          base_url="/kb/", force_https_urls=True)


def links(page: str) -> list[str]:
    return [html.unescape(value) for value in re.findall(r'(?:href|src|action)="([^"]*)"', page)]


def unprefixed(page: str) -> set[str]:
    """Site links that lose the prefix, and our own URLs that lose it or the https scheme."""
    lost = {link for link in links(page) if link.startswith("/") and not link.startswith("/kb/")}
    own = re.findall(r"https?://kb\.example\.test[^\s\"'<>)\]]*", html.unescape(page))
    return lost | {url for url in own if not url.startswith(SITE)}


@pytest.mark.parametrize("path", PAGES)
async def test_every_link_of_every_page_keeps_the_prefix_and_the_scheme(prefixed, path):
    """Breaks on a link written as "/insights/…" (card titles and sources, the home page's sources
    and metadata.json's link to the search page did) or an http:// URL of the site."""
    response = await prefixed.client.get(path, headers=HOST)
    assert response.status_code == 200, (path, response.text[:300])
    assert unprefixed(response.text) == set(), path


async def test_the_prefixed_links_resolve(prefixed):
    """Each distinct site link of the main pages answers (not 404) once the proxy has taken the prefix
    off, as Datasette's router does. Breaks on a link prefixed twice (/kb/kb/…: Datasette 0.65's own
    "This data as" and CSV links were) or once too few."""
    seen = set()
    for path in ("/", "/themes", "/insights/findings", f"/insights/findings/{CROWDFUNDING}", f"/insights/sources/{WILTON}",
                 "/insights/search?q=펀딩", "/insights/memo?theme=financing", "/insights/findings/-/memo?_theme=financing"):
        page = (await prefixed.client.get(path, headers=HOST)).text
        seen |= {link for link in links(page) if link.startswith("/kb/") and "/-/static" not in link}
    assert len(seen) > 20
    for link in sorted(seen):
        response = await prefixed.client.get("/" + link.removeprefix("/kb/"), headers=HOST)
        assert response.status_code in (200, 302), (link, response.status_code)


async def test_citations_name_the_prefixed_https_address(prefixed):
    """The finding page's citations name https://host/kb/insights/findings/…, not the bare path."""
    page = html.unescape((await prefixed.client.get(f"/insights/findings/{CROWDFUNDING}", headers=HOST)).text)
    citations = re.findall(r'<p class="citation" id="citation-(?:ko|en)" lang="(?:ko|en)">(.*?)</p>', page, re.S)
    assert len(citations) == 2
    assert all(f"{SITE}insights/findings/{CROWDFUNDING}" in citation for citation in citations)


@pytest.mark.parametrize("path", DOWNLOADS)
async def test_every_download_names_the_prefixed_https_address(prefixed, path):
    response = await prefixed.client.get(path, headers=HOST)
    assert response.status_code == 200, (path, response.text[:300])
    text = response.content.decode("utf-8-sig")
    assert f"{SITE}insights/findings/" in text.replace("\\/", "/"), path
    assert unprefixed(text) == set(), path
