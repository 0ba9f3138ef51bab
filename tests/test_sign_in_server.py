"""Editors sign in on a real server: `make serve` itself (its editors file and the secret it keeps),
stopped and started again, and the sign-in page in real Chromium at desktop and phone width,
audited by axe and under the Content-Security-Policy."""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from datasette.app import Datasette

from ingest.build import build
from ingest.write.editors import add_editor, remove_editor

from .conftest import NOTES, ROOT, WILTON
from .server import datasette_server, free_port, wait_until_up
from .test_reading_room_browser import BLOCKING, DESKTOP, NO_SIDEWAYS_SCROLL, PHONE, SCREENSHOTS, shot
from .test_security_headers_browser import LISTEN

pytestmark = pytest.mark.slow  # real servers: not in make test-fast

PASSWORD = "서울 smart city 2016"
SOURCE = f"/insights/sources/{WILTON}"
EDIT_HREF = f"/-/write/{WILTON}"


@pytest.fixture
def editors_file(tmp_path) -> Path:
    path = tmp_path / "editors.json"
    add_editor(path, "kim", PASSWORD)
    return path


@contextmanager
def make_serve(db: Path, folder: Path, **variables: str) -> Iterator[str]:
    """`make serve` as an operator runs it (its build skipped with ``-o build``: the database is
    built already), with DATASETTE_SECRET not in the environment; the Makefile's .venv/bin/datasette
    is a shim running this interpreter's datasette. Stopped with its whole process group."""
    venv = folder / "venv"
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    shim = venv / "bin" / "datasette"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m datasette "$@"\n')
    shim.chmod(0o755)
    port = free_port()
    arguments = {"PY": sys.executable, "VENV": str(venv), "DB": str(db), "PORT": str(port), **variables}
    environment = {k: v for k, v in os.environ.items() if k not in ("DATASETTE_SECRET", "INSIGHTS_EDITORS")}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(["make", "-s", "-o", "build", "serve", *(f"{k}={v}" for k, v in arguments.items())],
                                   cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=environment,
                                   start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, process, log)
            yield base
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def sign_in(client: httpx.Client, name: str = "kim", password: str = PASSWORD) -> httpx.Response:
    client.get("/-/login")
    token = client.cookies["ds_csrftoken"]  # set by the first page a client gets
    return client.post("/-/login", data={"username": name, "password": password, "csrftoken": token})


def edit_link_shown(base: str, actor_cookie: str) -> bool:
    page = httpx.get(base + SOURCE, cookies={"ds_actor": actor_cookie}, timeout=30).text
    return f'href="{EDIT_HREF}"' in page


def test_a_sign_in_survives_a_restart_of_make_serve(db_path, tmp_path, editors_file):
    """Breaks if `make serve` starts without the kept secret (Datasette then makes a new one at
    each start and every sign-in ends), or without the editors file."""
    secret_file = tmp_path / "secret"
    variables = {"EDITORS": str(editors_file), "SECRET_FILE": str(secret_file)}
    with make_serve(db_path, tmp_path, **variables) as base, httpx.Client(base_url=base, timeout=30) as client:
        response = sign_in(client)
        assert response.status_code == 302, response.text[:300]
        cookie = response.cookies["ds_actor"]
        assert edit_link_shown(base, cookie)
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    kept = secret_file.read_text()
    with make_serve(db_path, tmp_path, **variables) as base:
        assert httpx.get(base + "/-/actor.json", cookies={"ds_actor": cookie}).json()["actor"] == {"id": "kim"}
        assert edit_link_shown(base, cookie)
    assert secret_file.read_text() == kept


def test_without_a_kept_secret_a_restart_ends_the_sign_in(db_path, editors_file):
    """The control: two servers with different secrets (what Datasette does without one)."""
    env = {"INSIGHTS_EDITORS": str(editors_file)}
    with datasette_server(db_path, env={**env, "DATASETTE_SECRET": "first"}) as base, \
            httpx.Client(base_url=base, timeout=30) as client:
        cookie = sign_in(client).cookies["ds_actor"]
    with datasette_server(db_path, env={**env, "DATASETTE_SECRET": "second"}) as base:
        assert httpx.get(base + "/-/actor.json", cookies={"ds_actor": cookie}).json()["actor"] is None
        assert not edit_link_shown(base, cookie)


def test_editors_added_and_removed_count_while_the_server_runs(db_path, editors_file):
    """No restart: the editors file is read again when it changes."""
    env = {"INSIGHTS_EDITORS": str(editors_file), "DATASETTE_SECRET": "a secret for the test"}
    with datasette_server(db_path, env=env) as base, httpx.Client(base_url=base, timeout=30) as client:
        assert sign_in(client, "lee", "lee's password").status_code == 200
        add_editor(editors_file, "lee", "lee's password")
        response = sign_in(client, "lee", "lee's password")
        assert response.status_code == 302
        cookie = response.cookies["ds_actor"]
        assert edit_link_shown(base, cookie)
        remove_editor(editors_file, "lee")
        assert not edit_link_shown(base, cookie)


def test_a_public_server_has_no_sign_in(tmp_path, notes_dir, editors_file):
    db = tmp_path / "public" / "insights.db"
    db.parent.mkdir()
    build(notes_dir, db, public=True)
    env = {"INSIGHTS_EDITORS": str(editors_file), "DATASETTE_SECRET": "a secret for the test"}
    with datasette_server(db, target="serve-public", env=env) as base:
        assert httpx.get(base + "/-/login").status_code == 404
        signed = Datasette(secret=env["DATASETTE_SECRET"]).sign({"a": {"id": "kim"}}, "actor")
        for cookies in ({}, {"ds_actor": signed}):  # even an editor's cookie, signed right, edits nothing there
            page = httpx.get(base + SOURCE, cookies=cookies).text
            assert "/-/login" not in page and "/-/write" not in page


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The frozen corpus served as `make serve` serves it, with one editor."""
    folder = tmp_path_factory.mktemp("sign-in")
    shutil.copytree(NOTES, folder / "notes")
    build(folder / "notes", folder / "insights.db")
    add_editor(folder / "editors.json", "kim", PASSWORD)
    SCREENSHOTS.mkdir(exist_ok=True)
    env = {"INSIGHTS_EDITORS": str(folder / "editors.json"), "DATASETTE_SECRET": "a secret for the test"}
    with datasette_server(folder / "insights.db", env=env) as base:
        yield base


def assert_accessible(page) -> None:
    audit = Axe().run(page)
    blocking = [v for v in audit.response["violations"] if v["impact"] in BLOCKING]
    assert blocking == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in blocking]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_editor_signs_in_in_the_browser_and_comes_back_to_edit(browser, served, viewport):
    """From a source page: the footer's sign-in, a wrong password said in both languages, the right
    one, and back on the source page with its edit link; axe finds nothing serious on the sign-in
    page, Chromium reports no Content-Security-Policy violation, nothing scrolls sideways."""
    size = "phone" if viewport == PHONE else "desktop"
    page = browser.new_page(viewport=viewport)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)
    try:
        page.goto(served + SOURCE)
        assert page.locator(f'a[href="{EDIT_HREF}"]').count() == 0
        assert_accessible(page)  # the footer's sign-in link included
        page.get_by_role("link", name="편집자 로그인 · Editor sign-in").click()
        page.wait_for_url(re.compile(r"/-/login\?next="))
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        assert_accessible(page)
        page.get_by_label("편집자 이름 · Name").fill("kim")
        page.get_by_label("비밀번호 · Password").fill("not the password")
        page.get_by_role("button", name="로그인 · Sign in").click()
        page.wait_for_load_state()
        assert "이름 또는 비밀번호가 맞지 않습니다" in page.locator("[role=alert]").inner_text()
        shot(page, f"sign-in-error-{size}")
        page.get_by_label("편집자 이름 · Name").fill("kim")
        page.get_by_label("비밀번호 · Password").fill(PASSWORD)
        page.get_by_role("button", name="로그인 · Sign in").click()
        page.wait_for_url(served + SOURCE)
        assert page.get_by_role("link", name="편집 · Edit").get_attribute("href") == EDIT_HREF
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        assert_accessible(page)  # the edit link included
        assert page.locator(".editor-sign-in").count() == 0
        shot(page, f"sign-in-done-{size}")
        violations = page.evaluate("window.__violations") + [t for t in console if "Content Security Policy" in t]
        assert violations == []
    finally:
        page.close()


def test_signing_out_takes_the_edit_link_away(browser, served):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(served + "/-/login?next=" + SOURCE)
        page.get_by_label("편집자 이름 · Name").fill("kim")
        page.get_by_label("비밀번호 · Password").fill(PASSWORD)
        page.get_by_role("button", name="로그인 · Sign in").click()
        page.wait_for_url(served + SOURCE)
        page.locator("details.nav-menu summary").click()
        page.get_by_role("button", name="로그아웃 · Log out").click()
        page.wait_for_load_state()
        page.goto(served + SOURCE)
        assert page.locator(f'a[href="{EDIT_HREF}"]').count() == 0
        assert page.locator(".editor-sign-in").count() == 1
    finally:
        context.close()
