"""No request leaves the origin. A note whose text would make a page fetch from another server
(an image, a frame, a style sheet: a tracking pixel) is refused by `check` with `file:line`
and a hint; the hostile notes that pass, opened page by page in real Chromium against a real
`datasette serve`, make no request to any other origin. The control shows that the pages would
carry such a request out if the database held one: `check` is what keeps it out."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from urllib.parse import urlsplit

import pytest

from ingest.build import build

from .conftest import NOTES, ROOT
from .server import datasette_server

pytestmark = pytest.mark.slow  # fault injection under a real server and Chromium: not in make test-fast

HOSTILE = "2020-01-hostile-payloads"
ADDRESSES = "2020-02-addresses-that-load-nothing"
PAGES = [
    "/",
    "/insights",
    "/insights/findings",
    f"/insights/findings/{HOSTILE}~2Fhostile-finding",
    f"/insights/findings/{ADDRESSES}~2Flinks-only",
    "/insights/sources",
    f"/insights/sources/{HOSTILE}",
    f"/insights/sources/{ADDRESSES}",
    "/insights/search?q=hostile",
    "/insights/search?q=링크",
    "/insights/findings?_search=hostile",
    "/insights/findings/-/memo",
    "/insights/findings/-/memo?_theme=governance",
    "/insights/memo?theme=governance",
]
REMOTE_NOTE = """\
---
id: 2020-03-remote-content
title: Remote content
title_ko: 원격 콘텐츠 <img src="https://tracker.example/title.png">
type: study
organization: <iframe src="https://tracker.example/frame"></iframe>KRIHS
access: public
---

The description shows ![a pixel](https://tracker.example/description.png).

## A finding with remote images
- id: remote-images
- title_ko: 원격 이미지
- themes: governance
- kind: observation

> A quote with <img src="//tracker.example/protocol-relative.png"> in it.

The summary starts here,
then <img srcset="local.png 1x, https://tracker.example/2x.png 2x"> on its second line,
<link rel="stylesheet" href="https://tracker.example/style.css">
<span style="background: url('https://tracker.example/background.png')">styled</span>
<IMG SRC="&#104;ttps://tracker.example/entity.png">
and a reference image ![pixel][tracker] at the end.

[tracker]: https://tracker.example/reference.png
"""
REFUSED = {  # line → the address the error names
    4: "https://tracker.example/title.png",
    6: "https://tracker.example/frame",
    10: "https://tracker.example/description.png",
    18: "//tracker.example/protocol-relative.png",
    21: "https://tracker.example/2x.png",
    22: "https://tracker.example/style.css",
    23: "https://tracker.example/background.png",
    24: "https://tracker.example/entity.png",
    25: "https://tracker.example/reference.png",  # the line of ![pixel][tracker]; its address is on line 27
}


def test_check_refuses_every_kind_of_remote_content_with_file_line_and_hint(notes_dir):
    (notes_dir / "remote.md").write_text(REMOTE_NOTE, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ingest", "check", "--notes", str(notes_dir)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("remote.md:")]
    assert sorted(errors) == sorted(
        f"remote.md:{line}: error: remote content is not allowed: {address} (pages showing it would make every "
        "reader's browser call that server; describe the image in words, or link to it with [text](https://…), "
        "which loads nothing until a reader clicks)" for line, address in REFUSED.items())


def test_links_inline_images_and_images_on_this_server_are_allowed(notes_dir):
    shutil.copytree(ROOT / "tests" / "fixtures" / "remote-notes", notes_dir, dirs_exist_ok=True)
    result = subprocess.run([sys.executable, "-m", "ingest", "check", "--notes", str(notes_dir)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("remote")
    notes = folder / "notes"
    shutil.copytree(NOTES, notes)
    for fixture in ("hostile-notes", "remote-notes"):
        shutil.copytree(ROOT / "tests" / "fixtures" / fixture, notes, dirs_exist_ok=True)
    build(notes, folder / "insights.db")
    return folder / "insights.db"


def requests_of(browser, base: str, paths: list[str], bypass_csp: bool = False) -> tuple[list[str], list[str]]:
    """Every request the pages make, and those to another origin (refused, never sent);
    ``bypass_csp``: as a browser that ignored the instance's Content-Security-Policy would."""
    origin = urlsplit(base)[:2]
    page = browser.new_page(bypass_csp=bypass_csp)
    made, outside = [], []
    page.on("request", lambda request: made.append(request.url))
    page.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url)[:2] == origin
               or route.request.url.startswith("data:") else (outside.append(route.request.url), route.abort()))
    try:
        for path in paths:
            response = page.goto(base + path)
            assert response.status == 200, path
            page.wait_for_load_state("networkidle")
    finally:
        page.close()
    return made, outside


def test_no_page_makes_a_request_outside_its_origin(browser, hostile_db):
    with datasette_server(hostile_db) as base:
        made, outside = requests_of(browser, base, PAGES)
    origin = urlsplit(base)[:2]
    leaving = [url for url in made if urlsplit(url)[:2] != origin and not url.startswith("data:")]
    print(f"\n{len(PAGES)} pages, {len(made)} requests recorded, {len(leaving)} leaving the origin")
    assert len(made) > len(PAGES)  # pages, style sheets, scripts: the recorder sees them all
    assert leaving == [] and outside == []


def test_the_control_a_remote_image_in_the_database_would_leave_the_origin(browser, hostile_db, tmp_path):
    """Put into the database what `check` refuses, and the same recorder sees it go out — unless
    the browser honours the Content-Security-Policy (``img-src 'self' data:``), the second guard."""
    db = tmp_path / "insights.db"
    shutil.copy(hostile_db, db)
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("update findings set summary = summary || ' <img src=\"http://tracker.invalid/pixel.png\">' "
                     "where id = ?", (f"{ADDRESSES}/links-only",))
    with datasette_server(db) as base:
        made, outside = requests_of(browser, base, [f"/insights/findings/{ADDRESSES}~2Flinks-only"], bypass_csp=True)
        _, refused_by_policy = requests_of(browser, base, [f"/insights/findings/{ADDRESSES}~2Flinks-only"])
    assert outside == ["http://tracker.invalid/pixel.png"]
    assert refused_by_policy == []
