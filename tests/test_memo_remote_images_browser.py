"""In real Chromium, the memo page of a database holding remote images (rows written directly,
as if a note had slipped past `check`) makes no request to any host but the instance's own.

Breaks if the memo preview renders a note's Markdown with an image from another server: the
recorder sees every request the page makes, and refuses (and records) any not to 127.0.0.1.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .remote_rows import TRACKER, slipped_db
from .server import datasette_server


@pytest.fixture(scope="module")
def slipped(tmp_path_factory):
    return slipped_db(tmp_path_factory.mktemp("slipped-browser"))


def test_the_memo_page_sends_no_request_to_another_host(browser, slipped):
    db_path, theme = slipped
    with datasette_server(db_path) as base:
        page = browser.new_page()
        made, outside = [], []
        page.on("request", lambda request: made.append(request.url))
        page.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1"
                   else (outside.append(route.request.url), route.abort()))
        try:
            for path in (f"/insights/findings/-/memo?_theme={theme}", f"/insights/findings/-/memo?_theme={theme}&_lang=en"):
                response = page.goto(base + path)
                assert response.status == 200
                page.wait_for_load_state("networkidle")
                assert TRACKER in page.content()  # the slipped text is shown, as typed
        finally:
            page.close()
    print(f"\n{len(made)} requests recorded, {len(outside)} to another host")
    assert len(made) > 2  # the pages and their style sheets: the recorder sees them
    assert outside == [] and [url for url in made if urlsplit(url).hostname != "127.0.0.1"] == []
