"""Editors sign in (issue 20, item 1): datasette-auth-passwords' /-/login with the accounts of the
editors file, the ``edit-notes`` permission (plugins/editors.py, ingest/serve/editor_access.py)
and the guard every write route calls first. Datasette's own test client over a real insights.db."""

from __future__ import annotations

import base64
import time

import pytest
from datasette.app import Datasette
from datasette.utils import baseconv
from datasette.utils.asgi import Request, Response

from ingest.build import build
from ingest.serve.editor_access import PERMISSION, editor_or_login, is_public
from ingest.write.editors import add_editor, remove_editor

from .conftest import WILTON, make_datasette

PASSWORD = "서울 smart city 2016"


@pytest.fixture(scope="session")
def kim_editors_text(tmp_path_factory) -> str:
    """An editors file with kim, made once (each hash costs 480,000 rounds of PBKDF2)."""
    path = tmp_path_factory.mktemp("editors") / "editors.json"
    add_editor(path, "kim", PASSWORD)
    return path.read_text(encoding="utf-8")


@pytest.fixture
def editors_file(tmp_path, kim_editors_text):
    path = tmp_path / "editors.json"
    path.write_text(kim_editors_text, encoding="utf-8")
    path.chmod(0o600)  # as `ingest editor add` leaves it
    return path


def with_editors(db_path, editors_file, **settings):
    return make_datasette(db_path, {"insights": {"editors_file": str(editors_file)}}, **settings)


@pytest.fixture
def ds(db_path, editors_file):
    return with_editors(db_path, editors_file)


@pytest.fixture
def public_ds(tmp_path, notes_dir, editors_file):
    db = tmp_path / "public" / "insights.db"
    db.parent.mkdir()
    build(notes_dir, db, public=True)
    return with_editors(db, editors_file)


async def sign_in(ds, username="kim", password=PASSWORD, next_path: str | None = None):
    """POST the login form as a browser does (the CSRF cookie and field); the response."""
    page = await ds.client.get("/-/login")
    token = page.cookies["ds_csrftoken"]
    url = "/-/login" + (f"?next={next_path}" if next_path else "")
    return await ds.client.post(url, data={"username": username, "password": password, "csrftoken": token},
                                cookies={"ds_csrftoken": token})


async def actor_of(ds, cookies) -> dict | None:
    return (await ds.client.get("/-/actor.json", cookies=cookies)).json()["actor"]


def request_as(path: str, actor: dict | None) -> Request:
    request = Request.fake(path)
    request.scope["actor"] = actor
    return request


async def test_an_editor_signs_in_and_holds_the_permission(ds):
    response = await sign_in(ds)
    assert response.status_code == 302
    cookies = {"ds_actor": response.cookies["ds_actor"]}
    actor = await actor_of(ds, cookies)
    assert actor == {"id": "kim"}
    assert await ds.permission_allowed(actor, PERMISSION) is True


async def test_a_wrong_password_or_an_unknown_name_does_not_sign_in(ds):
    for username, password in (("kim", "wrong password"), ("lee", PASSWORD), ("", "")):
        response = await sign_in(ds, username, password)
        assert response.status_code == 200 and "ds_actor" not in response.cookies
        assert "The name or the password is wrong." in response.text


async def test_an_editor_added_while_the_server_runs_signs_in_at_once(ds, editors_file):
    """Breaks if the accounts are read only at start-up (the editors file is read again on change)."""
    assert (await sign_in(ds, "lee", "another password")).status_code == 200
    add_editor(editors_file, "lee", "another password")
    response = await sign_in(ds, "lee", "another password")
    assert response.status_code == 302 and "ds_actor" in response.cookies


async def test_a_removed_editor_loses_the_permission_and_cannot_sign_in(ds, editors_file):
    cookies = {"ds_actor": (await sign_in(ds)).cookies["ds_actor"]}
    remove_editor(editors_file, "kim")
    actor = await actor_of(ds, cookies)  # the signed cookie still names kim …
    assert actor == {"id": "kim"}
    assert await ds.permission_allowed(actor, PERMISSION) is False  # … who may no longer edit
    assert (await sign_in(ds)).status_code == 200


async def test_readers_and_other_actors_do_not_hold_the_permission(ds):
    for actor in (None, {}, {"id": "lee"}, {"id": "root"}, {"id": ["kim"]}, {"name": "kim"}):
        assert await ds.permission_allowed(actor, PERMISSION) is False, actor


async def test_a_forged_actor_cookie_carries_no_actor(ds):
    """ds_actor is signed with the instance's secret: one signed with another secret, or not signed
    at all, names nobody."""
    forged = Datasette(secret="another secret").sign({"a": {"id": "kim"}}, "actor")
    for cookie in (forged, "eyJhIjp7ImlkIjoia2ltIn19", '{"a": {"id": "kim"}}'):
        assert await actor_of(ds, {"ds_actor": cookie}) is None
    assert await actor_of(ds, {"ds_actor": ds.sign({"a": {"id": "kim"}}, "actor")}) == {"id": "kim"}


async def test_the_metadata_page_shows_no_hash(ds):
    """Breaks if the accounts are given for every metadata key, not only for ``plugins``."""
    response = await ds.client.get("/-/metadata.json")
    assert response.status_code == 200
    text = response.text
    assert "pbkdf2" not in text
    assert "_password_hash" not in text


async def test_the_guard_gives_the_editor_name(ds):
    assert await editor_or_login(ds, request_as("/-/write/x", {"id": "kim"})) == "kim"


async def test_the_guard_sends_a_reader_to_sign_in_and_back(ds):
    response = await editor_or_login(ds, request_as("/-/write/2016-03-wilton?tab=2", None))
    assert isinstance(response, Response) and response.status == 302
    assert response.headers["Location"] == "/-/login?next=/-/write/2016-03-wilton%3Ftab%3D2"


async def test_the_guard_refuses_a_signed_in_actor_who_is_no_editor(ds):
    response = await editor_or_login(ds, request_as("/-/write/x", {"id": "lee"}))
    assert isinstance(response, Response) and response.status == 403
    assert "이 계정에는 노트를 고칠 권한이 없습니다" in response.body and '<html lang="ko">' in response.body


async def test_a_public_instance_has_no_editor_and_the_guard_answers_404(public_ds):
    assert is_public(public_ds)
    for actor in (None, {"id": "kim"}, {"id": "lee"}):
        response = await editor_or_login(public_ds, request_as("/-/write/x", actor))
        assert isinstance(response, Response) and response.status == 404
        assert "/-/login" not in response.body and "/-/write" not in response.body
        assert await public_ds.permission_allowed(actor, PERMISSION) is False


def test_an_internal_build_is_not_public_but_one_served_immutable_is(ds, db_path):
    """Served immutable (-i, as make serve-public serves), no save could reach the database."""
    assert not is_public(ds)
    assert is_public(Datasette(immutables=[str(db_path)]))


WILTON_FINDING = "/insights/findings/2016-03-wilton-park-smart-cities~2Fcitizen-crowdfunding"
WILTON_SOURCE = "/insights/sources/2016-03-wilton-park-smart-cities"
EDIT_LINK = '<a href="/-/write/2016-03-wilton-park-smart-cities">편집 · <span lang="en">Edit</span></a>'


async def signed_in_cookies(ds) -> dict:
    return {"ds_actor": (await sign_in(ds)).cookies["ds_actor"]}


async def test_finding_and_source_pages_link_to_the_form_for_an_editor_only(ds, editors_file):
    editor = await signed_in_cookies(ds)
    other = {"ds_actor": ds.sign({"a": {"id": "lee"}}, "actor")}
    for path in (WILTON_FINDING, WILTON_SOURCE):
        assert EDIT_LINK in (await ds.client.get(path, cookies=editor)).text, path
        for cookies in ({}, other):
            page = (await ds.client.get(path, cookies=cookies)).text
            assert "/-/write" not in page, (path, cookies)
    remove_editor(editors_file, "kim")
    assert "/-/write" not in (await ds.client.get(WILTON_FINDING, cookies=editor)).text


async def test_the_footer_offers_the_sign_in_to_readers_and_comes_back(ds):
    page = (await ds.client.get(WILTON_SOURCE + "?_x=1")).text
    assert 'class="editor-sign-in" href="/-/login?next=/insights/sources/2016-03-wilton-park-smart-cities%3F_x%3D1"' in page
    assert "Log in" not in page  # datasette-auth-passwords' English menu link is left out
    signed_in = (await ds.client.get(WILTON_SOURCE, cookies=await signed_in_cookies(ds))).text
    assert "editor-sign-in" not in signed_in and "로그아웃 · <span lang=\"en\">Log out</span>" in signed_in


async def test_no_sign_in_is_offered_where_there_is_no_editor(db_path, tmp_path):
    page = (await with_editors(db_path, tmp_path / "none.json").client.get(WILTON_SOURCE)).text
    assert "editor-sign-in" not in page and "/-/login" not in page


async def test_signing_in_comes_back_to_the_page_it_was_asked_from(ds):
    response = await sign_in(ds, next_path="/-/write/2016-03-wilton-park-smart-cities%3Ftab%3D2")
    assert response.status_code == 302
    assert response.headers["location"] == "/-/write/2016-03-wilton-park-smart-cities?tab=2"


async def test_under_a_prefix_the_sign_in_keeps_it_both_ways(db_path, editors_file):
    """Under base_url /kb/, the links to the sign-in, the way back and the edit link keep the
    prefix once, whether the request's path still has it or a proxy took it off."""
    ds = with_editors(db_path, editors_file, base_url="/kb/")
    page = (await ds.client.get(WILTON_SOURCE)).text  # the test client asks for /kb/insights/…
    assert f'href="/kb/-/login?next={WILTON_SOURCE}"' in page
    response = await sign_in(ds, next_path=WILTON_SOURCE)
    assert response.headers["location"] == "/kb" + WILTON_SOURCE
    page = (await ds.client.get(WILTON_SOURCE, cookies={"ds_actor": response.cookies["ds_actor"]})).text
    assert 'href="/kb/-/write/2016-03-wilton-park-smart-cities"' in page
    assert (await editor_or_login(ds, request_as("/kb/-/write/x", None))).headers["Location"] == "/kb/-/login?next=/-/write/x"


@pytest.mark.parametrize("next_path", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                       "javascript:alert(1)", "%2F%2Fevil.example", "/x%0d%0aSet-Cookie:%20a=b"])
async def test_signing_in_never_sends_the_editor_to_another_site(ds, next_path):
    response = await sign_in(ds, next_path=next_path)
    assert response.status_code == 302 and response.headers["location"] == "/"


async def test_the_sign_in_form_posts_back_with_its_next(ds):
    page = (await ds.client.get("/-/login?next=/-/write/x")).text
    assert 'action="/-/login?next=/-/write/x"' in page
    assert 'autocomplete="current-password"' in page and "편집자 로그인" in page
    assert 'class="editor-sign-in"' not in page


async def test_a_wrong_password_is_said_in_both_languages(ds):
    page = (await sign_in(ds, password="wrong password")).text
    assert "이름 또는 비밀번호가 맞지 않습니다" in page and "The name or the password is wrong." in page


async def test_the_password_tool_is_gone(ds):
    assert (await ds.client.get("/-/password-tool")).status_code == 404
    assert (await ds.client.post("/-/password-tool", data={"password": "x"})).status_code == 404


async def test_a_public_instance_has_no_sign_in_no_footer_link_and_no_edit_link(public_ds):
    assert (await public_ds.client.get("/-/login")).status_code == 404
    for path in ("/-/write", "/-/write/", f"/-/write/{WILTON}", "/-/write/upload"):
        for method in ("GET", "POST"):
            response = await public_ds.client.request(method, path)
            assert response.status_code == 404 and "/-/login" not in response.text, (method, path)
    cookies = {"ds_actor": public_ds.sign({"a": {"id": "kim"}}, "actor")}
    for path in (WILTON_FINDING, WILTON_SOURCE, "/"):
        page = (await public_ds.client.get(path, cookies=cookies)).text
        assert "/-/write" not in page and "/-/login" not in page, path


async def test_a_sign_in_lasts_thirty_days(ds):
    """Breaks if ds_actor goes out without an expiry (it would then hold for as long as the secret)."""
    response = await sign_in(ds)
    set_cookie = response.headers["set-cookie"]
    assert "Max-Age=2592000" in set_cookie and "SameSite=Lax" in set_cookie and "HttpOnly" in set_cookie
    decoded = ds.unsign(response.cookies["ds_actor"], "actor")
    assert decoded["a"] == {"id": "kim"}
    expires = int(baseconv.base62.decode(decoded["e"]))
    assert abs(expires - (time.time() + 30 * 86400)) < 60
    expired = ds.sign({"a": {"id": "kim"}, "e": baseconv.base62.encode(int(time.time()) - 1)}, "actor")
    assert await actor_of(ds, {"ds_actor": expired}) is None


async def test_http_basic_credentials_sign_nobody_in(ds):
    """A browser sends remembered Basic credentials with any request, cross-site ones too: they are
    dropped, so only the sign-in cookie (SameSite=Lax) makes an editor."""
    credentials = base64.b64encode(f"kim:{PASSWORD}".encode()).decode()
    response = await ds.client.get("/-/actor.json", headers={"authorization": f"Basic {credentials}"})
    assert response.status_code == 200 and response.json()["actor"] is None
    garbled = await ds.client.get("/-/actor.json", headers={"authorization": "Basic 7Jik64qY"})
    assert garbled.status_code == 200


async def test_ten_failed_sign_ins_then_a_pause(ds):
    for _ in range(10):
        assert (await sign_in(ds, "nobody", "guess")).status_code == 200  # an unknown name costs no hashing
    refused = await sign_in(ds)  # even the right password waits
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "로그인 실패가 너무 많습니다" in refused.text and "Too many failed sign-ins" in refused.text


async def test_a_successful_sign_in_clears_the_failures(ds):
    for _ in range(9):
        await sign_in(ds, "nobody", "guess")
    assert (await sign_in(ds)).status_code == 302
    for _ in range(9):
        assert (await sign_in(ds, "nobody", "guess")).status_code == 200
    assert (await sign_in(ds)).status_code == 302


async def test_an_editors_file_others_can_read_is_named_in_the_log(ds, editors_file, caplog):
    editors_file.chmod(0o644)
    with caplog.at_level("WARNING", logger="ingest.serve.editor_access"):
        await ds.client.get("/-/login")
    assert f"{editors_file} can be read by other users (mode 644): `chmod 600 {editors_file}`" in caplog.text
