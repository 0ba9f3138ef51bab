"""The Content-Security-Policy in real headless Chromium (issue 19, item 11): every kind of page
the reading room has loads with no violation reported, and what its scripts do still happens
(Datasette's column menus, the click that closes open menus, the SQL editor, the copy buttons).
Served by a real ``datasette serve`` as ``make serve`` starts it (the fixture of
tests/test_reading_room_browser.py); the axe audit of the same pages stays there."""

from __future__ import annotations

import pytest

from .conftest import WILTON
from .test_reading_room import PAGES
from .test_reading_room_browser import site  # noqa: F401  (the served reading room)

# Each kind of page: the reading room's own, and Datasette's templates it still serves.
PAGE_KINDS = {
    **PAGES,
    "database": "/insights",
    "plain table": "/insights/themes",
    "plain row": "/insights/themes/financing",
    "canned query": "/insights/memo?theme=crowdfunding",
    "sql": "/insights?sql=select+id,+title+from+findings+limit+3",
    "memo page": "/insights/findings/-/memo?_theme=crowdfunding",
    "not found": "/insights/nope",
}
# Recorded from before any script of the page runs (an init script is not subject to the policy).
LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));"""


def visit(browser, base: str, path: str):
    """The page after load, with the violations it reported (events and console)."""
    page = browser.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)
    response = page.goto(base + path)
    page.wait_for_load_state("networkidle")
    reported = page.evaluate("window.__violations") + [t for t in console if "Content Security Policy" in t]
    return page, response, reported


@pytest.mark.parametrize("name", PAGE_KINDS)
def test_each_kind_of_page_loads_with_no_policy_violation(browser, site, name):  # noqa: F811
    """Breaks if a page runs an inline script the policy does not list, loads something from
    elsewhere, or uses an inline event handler: Chromium reports it and refuses it."""
    base, _ = site
    page, response, reported = visit(browser, base, PAGE_KINDS[name])
    try:
        assert response.status == (404 if name == "not found" else 200), name
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert reported == [], (name, reported)
    finally:
        page.close()


def test_a_remote_image_or_inline_script_that_slipped_in_is_refused(browser, site):  # noqa: F811
    """The control: the policy is in force (Chromium reports what it refuses)."""
    base, _ = site
    page, _, reported = visit(browser, base, "/")
    try:
        page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
            document.body.append(s); const i = document.createElement('img'); i.src = 'http://192.0.2.1/x.png';
            document.body.append(i); }""")
        page.wait_for_timeout(300)
        reported = page.evaluate("window.__violations")
        assert page.evaluate("window.__ran") is None
    finally:
        page.close()
    assert any(r.startswith("script-src") for r in reported) and any(r.startswith("img-src") for r in reported)


def test_the_pages_scripts_still_work_under_the_policy(browser, site):  # noqa: F811
    """Datasette's table.js (column menus, with its hashed DATASETTE_ALLOW_FACET), the hashed
    script that closes an open menu on a click elsewhere, the SQL editor (CodeMirror, its hashed
    start-up script) and our copy buttons."""
    base, _ = site
    page, _, reported = visit(browser, base, "/insights/themes")
    try:
        assert page.evaluate("window.DATASETTE_ALLOW_FACET") is True
        assert page.locator("th .dropdown-menu-icon, th svg").count() > 0  # table.js added its column menus
        page.goto(base + "/insights/findings")
        details = page.locator("details").first
        details.locator("summary").click()
        assert details.evaluate("d => d.open")
        page.locator("h1").click()
        assert not details.evaluate("d => d.open")  # _close_open_menus.html ran
        page.goto(base + "/insights?sql=select+1")
        assert page.locator(".CodeMirror").count() == 1  # _codemirror_foot.html ran
        page.goto(base + f"/insights/findings/{WILTON}~2Fcitizen-crowdfunding")
        assert page.get_by_role("button", name="국문 인용 복사 · Copy Korean citation").is_visible()
        reported += page.evaluate("window.__violations")
    finally:
        page.close()
    assert reported == []
