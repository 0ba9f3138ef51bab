"""The writing room in real headless Chromium against a real `datasette serve` (started as `make
serve` starts it), over notes in a git repository of their own in a temporary folder: the
issue's journey at desktop and phone width, two editors on one note, uploads without JavaScript
and over the limit, and the axe audit of the upload and review pages. Screenshots go to
tests/screenshots/ (git-ignored)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from ingest.write.note_form import read_form

from .conftest import ROOT, WILTON
from .report_files import write_docx
from .server import datasette_server
from .test_draft_second_report import SINGAPORE_REPORT
from .writing_site import EDITOR, PASSWORD, git, server_env, tree, writing_room

SCREENSHOTS = ROOT / "tests" / "screenshots"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
BLOCKING = {"serious", "critical"}
DRAFT_ID = "2018-07-world-cities-summit-2018"


@pytest.fixture
def site(tmp_path):
    """A fresh writing room, served; yields (base URL, notes folder)."""
    notes, db, editors = writing_room(tmp_path)
    SCREENSHOTS.mkdir(exist_ok=True)
    with datasette_server(db, env=server_env(notes, editors, INSIGHTS_UPLOAD_BYTES="300000")) as base:
        yield base, notes


@pytest.fixture
def report(tmp_path) -> Path:
    """The second trip report as a Word file, written with python-docx."""
    return write_docx(SINGAPORE_REPORT.read_text(encoding="utf-8"), tmp_path / "world-cities-summit-2018.ko.docx")


def sign_in(page, base: str, path: str = "/-/login") -> None:
    """Open ``path`` (a write URL sends a reader to the sign-in page first) and sign in."""
    page.goto(base + path)
    page.locator("#id_username").fill(EDITOR)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_load_state()
    assert "ds_actor" in {c["name"] for c in page.context.cookies()}, "not signed in"


def card(page, n: int):
    return page.locator(f"#finding-{n}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_journey_from_a_word_report_to_a_finding_anyone_can_find(browser, site, report, viewport):
    base, notes = site
    size = "phone" if viewport == PHONE else "desktop"
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        # 1. sign in: the upload page sends a reader to the sign-in page, and back
        sign_in(page, base, "/-/write")
        page.wait_for_url(base + "/-/write")
        # 2. upload the DOCX
        page.get_by_label("보고서 파일").set_input_files(str(report))
        page.get_by_role("button", name=re.compile("올리고 초안 만들기")).click()
        page.wait_for_url(f"{base}/-/write/{DRAFT_ID}")
        candidates = page.locator(".finding-card").count()
        assert candidates >= 6
        assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(SCREENSHOTS / f"write-review-top-{size}.png"), full_page=False)
        # 3. drop two candidates, set themes, fix a title, save
        for n in (3, 4):
            card(page, n).get_by_label(re.compile("Keep this finding")).uncheck()
        first = card(page, 1)
        first.get_by_label("제목(영어)").fill("Asian cities' smart-city strategies and how they pay for them")
        first.locator("fieldset.tags-themes").get_by_label("크라우드펀딩 · Crowdfunding").check()
        first.locator("fieldset.tags-themes").get_by_label("지식 교류 · Knowledge exchange").uncheck()
        first.evaluate("card => { card.scrollIntoView(); window.scrollBy(0, -70); }")  # below the sticky Save
        page.screenshot(path=str(SCREENSHOTS / f"write-review-{size}.png"), full_page=False)  # docs/img/
        page.get_by_role("button", name=re.compile("^저장 · Save$")).first.click()
        page.wait_for_url(f"{base}/insights/sources/{DRAFT_ID}")
        assert f"Last changed: {EDITOR}" in page.locator(".last-change").inner_text()
        # 4. the finding on the findings page, in Korean search, and on its own page
        page.goto(f"{base}/insights/findings?source_id={DRAFT_ID}")
        titles = page.locator("li.card h3").all_inner_texts()
        assert len(titles) == candidates - 2 and not any("120여 개 도시" in t for t in titles), titles
        page.goto(f"{base}/insights/findings?_search=재원 조달 사례")
        assert page.get_by_text("Asian cities' smart-city strategies and how they pay for them").first.is_visible()
        page.goto(f"{base}/insights/findings/{DRAFT_ID}~2Ffinding-01")
        chips = page.locator("article.finding dl.tags").inner_text()
        assert "크라우드펀딩" in chips and "지식 교류" not in chips
        # 5. the editor's commit
        log = git(notes, "log", "--format=%an|%s", "-2")
        assert log.splitlines()[0].startswith(f"{EDITOR}|Edit {DRAFT_ID}:") and "dropped finding-03, finding-04" in log
        assert log.splitlines()[1] == f"{EDITOR}|Draft {DRAFT_ID} from the uploaded report {report.name}"
    finally:
        context.close()


def test_two_editors_on_one_note_the_second_gets_both_versions(browser, site):
    """Also: the first editor's save of a hand-written note changes that summary's lines and no other."""
    base, notes = site
    summary_before = read_form((notes / f"{WILTON}.md").read_text(encoding="utf-8")).findings[1].summary
    contexts = [browser.new_context(viewport=DESKTOP) for _ in range(2)]
    first, second = (context.new_page() for context in contexts)
    try:
        for page in (first, second):
            sign_in(page, base)
            page.goto(f"{base}/-/write/{WILTON}")
        card(first, 2).get_by_label(re.compile("요약")).fill("첫 번째 편집자의 요약. The first editor's summary.")
        first.get_by_role("button", name=re.compile("^저장 · Save$")).first.click()
        first.wait_for_url(f"{base}/insights/sources/{WILTON}")
        # a hand-written note: the commit touches that summary's lines only
        diff = git(notes, "show", "--format=%an", "--unified=0", "HEAD")
        assert diff.splitlines()[0] == EDITOR
        removed = [line[1:] for line in diff.splitlines()[1:] if line.startswith("-") and not line.startswith("---")]
        added = [line[1:] for line in diff.splitlines()[1:] if line.startswith("+") and not line.startswith("+++")]
        assert [line for line in removed if line.strip()] == [line for line in summary_before.splitlines() if line.strip()]
        assert [line for line in added if line.strip()] == ["첫 번째 편집자의 요약. The first editor's summary."]
        card(second, 2).get_by_label(re.compile("요약")).fill("두 번째 편집자의 요약. The second editor's summary.")
        with second.expect_response(lambda r: r.request.method == "POST") as answer:
            second.get_by_role("button", name=re.compile("^저장 · Save$")).first.click()
        assert answer.value.status == 409
        assert "첫 번째 편집자의 요약" in second.locator("#current").input_value()
        assert "두 번째 편집자의 요약" in second.locator("#mine").input_value()
        assert "첫 번째 편집자의 요약" in (notes / f"{WILTON}.md").read_text(encoding="utf-8")
        second.screenshot(path=str(SCREENSHOTS / "write-conflict-desktop.png"), full_page=False)
        violations = Axe().run(second).response["violations"]
        assert [(v["id"], v["impact"]) for v in violations if v["impact"] in BLOCKING] == [], "the conflict page"
    finally:
        for context in contexts:
            context.close()


def test_an_upload_works_without_javascript(browser, site, report):
    base, notes = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, base)
        page.goto(base + "/-/write")
        page.get_by_label("보고서 파일").set_input_files(str(report))
        page.get_by_role("button", name=re.compile("올리고 초안 만들기")).click()
        page.wait_for_url(f"{base}/-/write/{DRAFT_ID}")
        assert (notes / "drafts" / f"{DRAFT_ID}.md").is_file()
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_file_over_the_limit_is_refused_on_the_page_and_nothing_is_written(browser, site, tmp_path, javascript):
    base, notes = site
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 400_000)  # the site's limit is 300,000 bytes
    before = tree(notes)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" and "/-/write" in request.url else None)
    try:
        sign_in(page, base)
        page.goto(base + "/-/write")
        page.get_by_label("보고서 파일").set_input_files(str(big))
        page.get_by_role("button", name=re.compile("올리고 초안 만들기")).click()
        page.wait_for_load_state()
        if javascript:  # refused before it is sent
            assert page.locator(".client-problem").inner_text().startswith("파일이 너무 큽니다")
            assert posts == []
        else:  # refused by the server from its Content-Length
            assert "larger than 300,000 bytes" in page.locator("#upload-problem").inner_text()
    finally:
        context.close()
    assert tree(notes) == before


@pytest.mark.parametrize("path", ["/-/write", f"/-/write/{WILTON}"], ids=["upload", "review"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_upload_and_review_pages_pass_axe_and_fit_a_phone(browser, site, path, viewport):
    base, _ = site
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        sign_in(page, base)
        assert page.goto(base + path).status == 200
        violations = Axe().run(page).response["violations"]
        fits = page.evaluate(NO_SIDEWAYS_SCROLL)
    finally:
        context.close()
    blocking = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in BLOCKING]
    assert blocking == []
    assert fits
