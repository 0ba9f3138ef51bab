"""What a request can and cannot do to the downloads and the memo page (issue 15, defects 4–6):
its text never reaches a header or the page as markup, the memo preview works off the event loop
and shows its first findings only, and crawlers of a public instance stay off all of them."""

from __future__ import annotations

import re
import sys
import threading
from urllib.parse import quote

import httpx
import markdown
import pytest
from datasette_render_markdown import render_markdown

from ingest.build import build

from .exports import view_rows
from .server import datasette_server
from .test_export_limits import with_export_limits

pytestmark = pytest.mark.slow  # real datasette serve: not in make test-fast

DOWNLOADS = {"export.csv": "findings.csv", "export.xlsx": "findings.xlsx", "memo.md": "findings-memo.md",
             "memo.hwpx": "findings-memo.hwpx", "memo.docx": "findings-memo.docx"}


def test_a_newline_in_a_tag_value_does_not_break_downloads(db_path):
    """Through a real server (uvicorn's h11 refuses a header with a line break: an empty reply)."""
    with datasette_server(db_path) as base:
        for route, name in DOWNLOADS.items():
            for value in ("crowdfunding%0A", "crowdfunding%0D%0ASet-Cookie:%20evil=1", 'x"%3B%20filename="evil.exe'):
                response = httpx.get(f"{base}/insights/findings/-/{route}?_theme={value}", timeout=60)
                assert response.status_code == 200, (route, value)
                assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
                assert "set-cookie" not in response.headers
            known = httpx.get(f"{base}/insights/findings/-/{route}?_theme=crowdfunding", timeout=60)
            assert known.headers["content-disposition"] == f'attachment; filename="{name.replace("findings", "findings-crowdfunding")}"'


async def test_download_names_are_the_vocabularys_slugs_never_the_requests_text(ds):
    async def name(path):
        response = await ds.client.get(path)
        assert response.status_code == 200, path
        return re.fullmatch(r'attachment; filename="([a-z0-9_-]+\.[a-z]+)"', response.headers["content-disposition"])[1]

    assert await name("/insights/findings/-/export.csv?_theme=financing&_region=europe&kind=observation") \
        == "findings-financing-europe-observation.csv"
    assert await name("/insights/findings/-/export.csv?_theme=FINANCING&kind=nonsense") == "findings.csv"
    assert await name("/insights/memo/-/memo.md?theme=crowdfunding&_lang=en") == "memo-crowdfunding-memo-en.md"


HOSTILE_SELECTIONS = [
    "![x](https://evil.example/p.png)",
    "<img src=https://evil.example/p.png>",
    "[click](https://evil.example/)",
    "x\n# Injected heading\n![x](https://evil.example/p.png)",
]


@pytest.mark.parametrize("value", HOSTILE_SELECTIONS)
async def test_query_values_on_the_memo_page_are_text_not_markdown(ds, value):
    query = f"kind__not={quote(value)}"
    page = (await ds.client.get(f"/insights/findings/-/memo?{query}")).text
    assert not re.search(r'(src|href)="https?://evil', page)  # no image, no link: text (and our own links' queries)
    [about] = re.findall(r'<ul class="memo-about">.*?</ul>', page, flags=re.S)
    assert "kind != &#34;" in about and "<img" not in about and "<a" not in about
    download = (await ds.client.get(f"/insights/findings/-/memo.md?{query}")).text
    [selection_line] = [line for line in download.splitlines() if line.startswith("- 선택 · Selection:")]
    for html in (markdown.markdown(selection_line), render_markdown(selection_line)):
        assert "<img" not in html and "<a" not in html and "<h1" not in html, html
    assert "# Injected heading" not in download.splitlines()


async def test_the_memo_preview_renders_off_the_event_loop(ds):
    """Markdown rendering and sanitising (datasette-render-markdown) run in a worker thread."""
    rendering_threads = []

    def watch(frame, event, arg):
        if event == "call" and frame.f_code is render_markdown.__code__:
            rendering_threads.append(threading.current_thread())

    loop_thread = threading.current_thread()  # pytest-asyncio runs the event loop here
    threading.setprofile(watch)  # every thread started from now on: the pools the page's work runs in
    sys.setprofile(watch)
    try:
        page = await ds.client.get("/insights/findings/-/memo?_theme=financing")
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
    assert page.status_code == 200 and "<blockquote>" in page.text
    assert rendering_threads and loop_thread not in rendering_threads


async def test_the_memo_preview_shows_its_first_findings_and_links_the_full_download(db_path):
    ds = with_export_limits(db_path, preview_findings=2)
    every = await view_rows(ds, "/insights/findings", "")
    assert len(every) > 2
    page = (await ds.client.get("/insights/findings/-/memo")).text
    [note] = re.findall(r'<p class="memo-preview-note">.*?</p>', page, flags=re.S)
    assert f"This preview shows the first 2 of {len(every)} findings" in note
    assert 'href="/insights/findings/-/memo.md"' in note
    [article] = re.findall(r'<article class="memo".*?</article>', page, flags=re.S)
    shown = {row["title_ko"] for row in every[:2]}
    assert {t for t in (row["title_ko"] for row in every) if f"<strong>{t}</strong>" in article} == shown
    download = (await ds.client.get("/insights/findings/-/memo.md")).text
    assert all(f"**{row['title_ko']}**" in download for row in every)
    small = (await ds.client.get("/insights/findings/-/memo?_theme=crowdfunding")).text
    assert 'class="memo-preview-note"' not in small  # all of it shown: nothing to say


def disallowed(robots: str, path: str) -> bool:
    """Whether a Disallow line of ``robots`` matches ``path`` (prefix match with ``*``, as Google reads it)."""
    rules = [line.split(":", 1)[1].strip() for line in robots.splitlines() if line.startswith("Disallow:")]
    return any(re.match(".*".join(map(re.escape, rule.split("*"))), path) for rule in rules if rule)


def test_robots_keep_crawlers_off_the_downloads_and_memo_pages_of_a_public_instance(notes_dir, tmp_path):
    build(notes_dir, tmp_path / "insights.db", public=True)
    with datasette_server(tmp_path / "insights.db", "serve-public") as base:
        robots = httpx.get(f"{base}/robots.txt", timeout=10).text
        page = httpx.get(f"{base}/insights/findings", timeout=10).text
    linked = re.findall(r'<p class="export-links">.*?</p>', page, flags=re.S)[0]
    linked_paths = [p.replace("&amp;", "&") for p in re.findall(r'href="([^"]+/-/[^"]+)"', linked)]
    assert any(p.endswith("/-/memo.md") for p in linked_paths)  # linked with no "?": followable today
    for view in ("/insights/findings", "/insights/memo", "/insights/findings_by_theme"):
        for route in ("memo", "memo.md", "export.csv", "export.xlsx"):
            for path in (f"{view}/-/{route}", f"{view}/-/{route}?_theme=financing"):
                assert disallowed(robots, path), path
    for path in linked_paths:
        assert disallowed(robots, path), path
    for page_path in ("/", "/insights", "/insights/findings", "/insights/findings/2016-03-wilton-park-smart-cities~2Fcitizen-crowdfunding"):
        assert not disallowed(robots, page_path), page_path

