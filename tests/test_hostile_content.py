"""Raw HTML, <script>, javascript: links and event attributes written into a note never run
in Datasette's pages. Checked in real headless Chromium against a real `datasette serve`:
every payload would set window.__xss; after each page has loaded, it must still be unset."""

from __future__ import annotations

import shutil

import pytest

from ingest.build import build

from .conftest import NOTES, ROOT
from .server import datasette_server

pytestmark = pytest.mark.slow  # real datasette serve and Chromium: not in make test-fast

HOSTILE = ROOT / "tests" / "fixtures" / "hostile-notes"
NOTE = "2020-01-hostile-payloads"
PAGES = [
    "/insights/findings",
    f"/insights/findings/{NOTE}~2Fhostile-finding",
    "/insights/findings?_search=hostile",
    "/insights/sources",
    f"/insights/sources/{NOTE}",
    "/insights/memo?theme=governance",
    "/insights/findings/-/memo?_theme=governance",  # the memo draft, rendered (plugins/exports.py)
]
INSPECT = """() => ({
    xss: window.__xss === undefined ? null : String(window.__xss),
    javascriptLinks: [...document.querySelectorAll('a[href], form[action], iframe[src]')]
        .map(e => e.href || e.action || e.src || '').filter(url => /^\\s*javascript:/i.test(url)),
    handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
        .filter(a => a.name.startsWith('on') && a.value.includes('__xss')).map(a => `${e.tagName} ${a.name}`)),
    scripts: [...document.scripts].filter(s => s.text.includes('__xss')).length,
    frames: document.querySelectorAll('iframe, object, embed').length,
    bodyShown: getComputedStyle(document.body).display !== 'none',
    payloadAsText: document.body.innerText.includes('__xss'),
})"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    notes = folder / "notes"
    shutil.copytree(NOTES, notes)
    shutil.copytree(HOSTILE, notes, dirs_exist_ok=True)
    build(notes, folder / "insights.db")
    with datasette_server(folder / "insights.db") as base:
        yield base


@pytest.mark.parametrize("path", PAGES)
def test_no_payload_runs(browser, hostile_server, path):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        response = page.goto(hostile_server + path)
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        found = page.evaluate(INSPECT)
    finally:
        page.close()
    assert found == {"xss": None, "javascriptLinks": [], "handlers": [], "scripts": 0, "frames": 0,
                     "bodyShown": True, "payloadAsText": True}, path
    assert dialogs == []


def test_the_inspection_sees_a_payload_that_does_run(browser):
    """The control: the same inspection on a page whose payloads are not sanitised."""
    page = browser.new_page()
    try:
        page.set_content('<p>window.__xss</p><img src="data:," onerror="window.__xss=\'img\'">'
                         '<a href="javascript:window.__xss=1">x</a>')
        page.wait_for_function("() => window.__xss !== undefined")
        found = page.evaluate(INSPECT)
    finally:
        page.close()
    assert found["xss"] == "img" and found["handlers"] == ["IMG onerror"] and len(found["javascriptLinks"]) == 1


GLYPHS = """() => {
    const draw = text => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 48;
        const context = canvas.getContext('2d');
        context.font = '36px sans-serif';
        context.fillText(text, 4, 40);
        return canvas.toDataURL();
    };
    return {distinct: new Set(['한', '국', '어'].map(draw)).size, blank: draw('한') === draw('')};
}"""


def test_korean_renders_on_the_findings_page(browser, hostile_server, tmp_path):
    """Without a Korean font Chromium draws every syllable as the same empty box."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(hostile_server + "/insights/findings?_theme=crowdfunding")
        page.screenshot(path=str(tmp_path / "findings.png"))
        glyphs = page.evaluate(GLYPHS)
        heading = page.inner_text("h1")
    finally:
        page.close()
    assert glyphs == {"distinct": 3, "blank": False}
    assert "시사점" in heading
