"""The reading room in real headless Chromium (Debian's) against a real `datasette serve`, started
as `make serve` starts it: a researcher's journey at desktop and phone width, the axe-core audit
(KWCAG 2.2 rests on WCAG 2.1 AA), requests that never leave the origin, and pages read without JS.
Screenshots go to tests/screenshots/ (git-ignored)."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from ingest.build import build

from .conftest import NOTES, ROOT, STUDY_NOTE, WILTON
from .exports import BOM, csv_rows
from .server import datasette_server
from .test_reading_room import PAGES

SCREENSHOTS = ROOT / "tests" / "screenshots"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# Text that may break inside a word (Korean words are kept whole: word-break: keep-all).
WORD_BREAKERS = """() => [...document.querySelectorAll('h1, h2, h3, p, li, a, dt, dd, th, td, span')]
    .filter(e => getComputedStyle(e).wordBreak !== 'keep-all').map(e => e.tagName + ' ' + e.textContent.slice(0, 30))"""
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The frozen corpus plus the study note, built and served; yields (base URL, database path)."""
    folder = tmp_path_factory.mktemp("reading-room")
    shutil.copytree(NOTES, folder / "notes")
    shutil.copytree(STUDY_NOTE, folder / "notes", dirs_exist_ok=True)
    build(folder / "notes", folder / "insights.db")
    SCREENSHOTS.mkdir(exist_ok=True)
    with datasette_server(folder / "insights.db") as base:
        yield base, folder / "insights.db"


def shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def crowdfunding_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(r[0] for r in conn.execute(
            "select finding_id from findings_themes where theme_id = 'crowdfunding'"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_journey_from_home_to_the_excel_csv_of_one_theme(browser, site, viewport):
    base, db = site
    size = "phone" if viewport == PHONE else "desktop"
    page = browser.new_page(viewport=viewport, accept_downloads=True)
    origin_only = []
    page.on("request", lambda request: origin_only.append(request.url))
    try:
        page.goto(base + "/")
        steps = [("home", page.url)]
        page.get_by_label("검색 · Search").fill("펀딩")
        page.get_by_label("검색 · Search").press("Enter")
        page.wait_for_url(re.compile(r"/insights/search\?q="))
        steps.append(("search", page.url))
        page.get_by_role("link", name="시민이 주체가 되는 크라우드펀딩의 필요성").first.click()
        page.wait_for_url(re.compile(r"~2Fcitizen-crowdfunding$"))
        steps.append(("finding", page.url))
        assert page.locator("h1").inner_text() == "시민이 주체가 되는 크라우드펀딩의 필요성"
        page.locator("article.finding dl.tags").get_by_role("link", name="크라우드펀딩 · Crowdfunding").click()
        page.wait_for_url(re.compile(r"/insights/findings\?_theme=crowdfunding$"))
        steps.append(("list", page.url))
        listed = [href.split("/insights/findings/")[1].replace("~2F", "/") for href in
                  page.locator("li.card h3 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")]
        assert sorted(listed) == crowdfunding_ids(db) == [f"{WILTON}/citizen-crowdfunding"]
        shot(page, f"journey-list-{size}")
        with page.expect_download() as download:
            page.locator(".export-links").get_by_role("link", name="Excel CSV", exact=True).click()
        content = Path(download.value.path()).read_bytes()
        assert content.startswith(BOM) and [row[0] for row in csv_rows(content)[1]] == listed
        for name, url in steps:
            page.goto(url)
            assert page.evaluate(NO_SIDEWAYS_SCROLL), (name, page.evaluate("document.documentElement.scrollWidth"))
            shot(page, f"journey-{name}-{size}")
    finally:
        page.close()
    assert [url for url in origin_only if not url.startswith(base + "/")] == []


@pytest.mark.parametrize("name", PAGES)
def test_each_page_passes_axe_keeps_korean_words_whole_stays_on_its_origin_and_fits_a_phone(browser, site, name):
    base, _ = site
    requests = []
    page = browser.new_page(viewport=DESKTOP)
    page.on("request", lambda request: requests.append(request.url))
    try:
        assert page.goto(base + PAGES[name]).status == 200
        page.wait_for_load_state("networkidle")
        violations = Axe().run(page).response["violations"]
        shot(page, f"{name.replace(', ', '-').replace(' ', '-')}-desktop")
        breakers = page.evaluate(WORD_BREAKERS)
        page.set_viewport_size(PHONE)
        fits = page.evaluate(NO_SIDEWAYS_SCROLL)
        shot(page, f"{name.replace(', ', '-').replace(' ', '-')}-phone")
    finally:
        page.close()
    blocking = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], name
    assert [url for url in requests if not url.startswith(base + "/")] == [], name
    assert fits, name
    assert breakers == [], name


def test_the_audit_sees_a_violation_when_there_is_one(browser):
    """The control: axe reports an unlabelled form field and an image without alt text."""
    page = browser.new_page()
    try:
        page.set_content('<html lang="ko"><body><main><input type="text"><img src="data:,"></main></body></html>')
        violations = {v["id"]: v["impact"] for v in Axe().run(page).response["violations"]}
    finally:
        page.close()
    assert violations.get("label") == "critical" and violations.get("image-alt") == "critical"


@pytest.mark.parametrize("name, shown", [
    ("home", "svg.chart"), ("list", "li.card"), ("finding", "p.citation"), ("source", "li.card"),
    ("themes", "li.theme-entry"), ("search", "p.snippet mark"),
])
def test_every_page_reads_fully_without_javascript(browser, site, name, shown):
    base, _ = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base + PAGES[name])
        assert page.locator(shown).first.is_visible(), name
        if name == "finding":
            assert "Chatham House Rule" in page.locator("#citation-en").inner_text()
            # The copy buttons are in the page but hidden until JS shows them: breaks if they are
            # missing (is_visible() alone was also false for a button that does not exist) or shown.
            buttons = page.locator("button[data-copy-target]")
            assert buttons.count() == 2 and buttons.evaluate_all("bs => bs.every(b => b.hidden)")
            assert not buttons.first.is_visible()
    finally:
        context.close()


def test_the_copy_citation_button_copies_the_citation_with_javascript_on(browser, site):
    """With JS, each copy button shows and puts its citation on the clipboard, then says so. Breaks
    if copy-citation.js is not served (button stays hidden), copies the wrong element, or nothing."""
    base, _ = site
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    try:
        page.goto(base + PAGES["finding"])
        for lang, words in (("ko", "채텀하우스 규칙(Chatham House Rule) 적용"), ("en", "Chatham House Rule: speakers")):
            button = page.locator(f'button[data-copy-target="citation-{lang}"]')
            assert button.is_visible(), lang
            button.click()
            page.wait_for_function("b => b.textContent.includes('Copied')", arg=button.element_handle(), timeout=5000)
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied == page.locator(f"#citation-{lang}").inner_text().strip() and words in copied, (lang, copied)
    finally:
        context.close()
