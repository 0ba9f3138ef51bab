"""The writing room's routes (plugins/writing_room.py, ingest/serve/writing_routes.py) through
Datasette's own test client over a real insights.db built from notes in a git repository of
their own: the HTTP contract of docs/writing.md, its refusals, and that a refusal writes nothing."""

from __future__ import annotations

import hashlib
import re
from html import unescape
from urllib.parse import urlencode

import pytest

from ingest.build import build
from ingest.write.note_form import read_form
from tests.report_bombs import docx_bomb, pdf_with_password
from tests.report_files import write_docx

from .conftest import WILTON
from .test_draft_second_report import SINGAPORE_REPORT
from .writing_site import EDITOR, READER_ONLY, actor_cookie, git, tree, writing_datasette, writing_room

WILTON_URL = f"/-/write/{WILTON}"


@pytest.fixture
def room(tmp_path):
    notes, db, editors = writing_room(tmp_path)
    return notes, db, editors, writing_datasette(notes, db, editors)


async def signed_in(ds, name=EDITOR) -> dict[str, str]:
    """The cookies of a signed-in editor whose browser has opened a page (the CSRF cookie)."""
    page = await ds.client.get("/-/login")
    return {"ds_actor": actor_cookie(ds, name), "ds_csrftoken": page.cookies["ds_csrftoken"]}


def form_values(html: str) -> list[tuple[str, str]]:
    """What a browser would post from the review page: inputs, checked boxes, selected options, textareas."""
    fields = []
    for tag in re.finditer(r"<input\b[^>]*>", html):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group()))
        if "name" not in attrs or attrs.get("type") in ("submit", "file"):
            continue
        if attrs.get("type") in ("checkbox", "radio") and " checked" not in tag.group():
            continue
        fields.append((unescape(attrs["name"]), unescape(attrs.get("value", ""))))
    for match in re.finditer(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields.append((unescape(match.group(1)), unescape(match.group(2))))
    for match in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', match.group(2)) or re.search(r'<option value="([^"]*)"', match.group(2))
        fields.append((unescape(match.group(1)), unescape(chosen.group(1))))
    return fields


async def open_review(ds, cookies, url=WILTON_URL) -> list[tuple[str, str]]:
    page = await ds.client.get(url, cookies=cookies)
    assert page.status_code == 200, page.text[:500]
    return form_values(page.text)


async def post_form(ds, url, fields, cookies):
    """A url-encoded POST as a browser sends it (repeated names kept)."""
    return await ds.client.post(url, content=urlencode(fields).encode(), cookies=cookies,
                                headers={"content-type": "application/x-www-form-urlencoded"})


def replace(fields, name, value):
    return [(n, value if n == name else v) for n, v in fields]


# --- who may write --------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [("get", "/-/write"), ("get", WILTON_URL), ("post", WILTON_URL),
                                          ("post", "/-/write/upload")])
async def test_no_write_without_sign_in(room, method, path):
    notes, _db, _editors, ds = room
    before = tree(notes)
    response = await getattr(ds.client, method)(path)
    assert response.status_code == 302 and response.headers["location"].startswith("/-/login?next=")
    assert tree(notes) == before


async def test_an_editor_finds_the_upload_page_in_the_menu_and_a_reader_does_not(room):
    _notes, _db, _editors, ds = room
    editor = await ds.client.get("/", cookies={"ds_actor": actor_cookie(ds)})
    assert 'href="/-/write"' in editor.text
    for cookies in ({}, {"ds_actor": actor_cookie(ds, READER_ONLY)}):
        assert "/-/write" not in (await ds.client.get("/", cookies=cookies)).text


async def test_a_signed_in_actor_who_is_no_editor_gets_403(room):
    _notes, _db, _editors, ds = room
    response = await ds.client.get(WILTON_URL, cookies={"ds_actor": actor_cookie(ds, READER_ONLY)})
    assert response.status_code == 403


async def test_every_write_url_is_404_on_a_public_instance(tmp_path):
    notes, _db, editors = writing_room(tmp_path)
    public_db = tmp_path / "public" / "insights.db"
    public_db.parent.mkdir()
    build(notes, public_db, public=True)
    ds = writing_datasette(notes, public_db, editors)
    cookies = {"ds_actor": actor_cookie(ds)}
    for method, path in [("get", "/-/write"), ("post", "/-/write"), ("post", "/-/write/upload"),
                         ("get", WILTON_URL), ("post", WILTON_URL), ("get", "/-/write/no-such-note")]:
        response = await getattr(ds.client, method)(path, cookies=cookies)
        assert response.status_code == 404, (method, path)
    page = await ds.client.get(f"/insights/sources/{WILTON}", cookies=cookies)
    assert "/-/write" not in page.text


async def test_403_without_the_csrf_token_and_nothing_written(room):
    notes, _db, _editors, ds = room
    cookies = await signed_in(ds)
    fields = await open_review(ds, cookies)
    before = tree(notes)
    changed = replace(fields, "f-1-title", "Changed without a token")
    for body in ([(n, v) for n, v in changed if n != "csrftoken"], replace(changed, "csrftoken", "forged")):
        response = await post_form(ds, WILTON_URL, body, cookies)
        assert response.status_code == 403
    # without cookies asgi-csrf lets a POST through: the route itself still wants the token
    response = await post_form(ds, WILTON_URL, changed, {"ds_actor": cookies["ds_actor"]})
    assert response.status_code == 403
    upload = await ds.client.post("/-/write/upload", files={"report": ("r.txt", SINGAPORE_REPORT.read_bytes())},
                                  cookies=cookies)
    assert upload.status_code == 403
    assert tree(notes) == before


# --- the review form ------------------------------------------------------------------------

async def test_the_review_page_shows_the_source_and_every_finding(room):
    notes, _db, _editors, ds = room
    cookies = await signed_in(ds)
    page = await ds.client.get(WILTON_URL, cookies=cookies)
    text = page.text
    form = read_form((notes / f"{WILTON}.md").read_text(encoding="utf-8"))
    assert page.status_code == 200
    assert text.count('class="finding-card') == len(form.findings) == 15
    assert "채텀하우스 규칙" in text and "never who said it" in text
    assert not re.search(r'name="(speaker|speakers|affiliation|affiliations|person)"', text)
    assert "스마트도시 전략" in text and "Smart-city strategy" in text, "themes labelled in both languages"
    digest = hashlib.sha256((notes / f"{WILTON}.md").read_bytes()).hexdigest()
    assert f'name="digest" value="{digest}"' in text


async def test_a_form_posted_back_unchanged_leaves_the_note_byte_for_byte(room):
    notes, _db, _editors, ds = room
    before = tree(notes)
    cookies = await signed_in(ds)
    fields = await open_review(ds, cookies)
    response = await post_form(ds, WILTON_URL, fields, cookies)
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["location"] == f"/insights/sources/{WILTON}"
    assert tree(notes) == before


async def test_editing_one_summary_changes_only_that_summary_and_commits_as_the_editor(room):
    notes, db, _editors, ds = room
    cookies = await signed_in(ds)
    fields = await open_review(ds, cookies)
    old = dict(fields)["f-2-summary"]
    new = old.rstrip() + "\n\n새 문장을 덧붙였습니다. One more sentence."
    response = await post_form(ds, WILTON_URL, replace(fields, "f-2-summary", new), cookies)
    assert response.status_code == 302, response.text[:2000]
    diff = git(notes, "show", "--format=%an%n%s", "--unified=0", "HEAD")
    author, subject = diff.splitlines()[:2]
    assert author == EDITOR and WILTON in subject and "changed" in subject
    changed = [line for line in diff.splitlines() if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    assert sorted(changed) == ["+", "+새 문장을 덧붙였습니다. One more sentence."], changed
    page = await ds.client.get(f"/insights/sources/{WILTON}", cookies=cookies)
    assert f"Last changed: {EDITOR}" in page.text
    finding = (await ds.client.get("/insights/findings.json?_shape=array&_search=덧붙였습니다")).json()
    assert len(finding) == 1, "the save is built: search finds it at once"


async def test_a_problem_is_shown_beside_its_field_and_nothing_is_written(room):
    notes, _db, _editors, ds = room
    before = tree(notes)
    cookies = await signed_in(ds)
    fields = await open_review(ds, cookies)
    bad = replace(replace(fields, "f-3-quote", "이 문장은 원문에 없습니다"), "start", "2016-13-45")
    response = await post_form(ds, WILTON_URL, bad, cookies)
    assert response.status_code == 400
    text = response.text
    assert 'id="f-3-quote-problems"' in text and 'id="field-start-problems"' in text
    assert "이 문장은 원문에 없습니다" in text, "the editor's text stays in the form"
    assert not re.search(r"\.md:\d+", text), "no file:line"
    assert tree(notes) == before


async def test_a_stale_form_gets_the_conflict_page_with_both_versions(room):
    notes, _db, _editors, ds = room
    cookies = await signed_in(ds)
    fields = await open_review(ds, cookies)
    path = notes / f"{WILTON}.md"
    theirs = path.read_text(encoding="utf-8").replace("Existing cities need", "Existing cities really need", 1)
    path.write_text(theirs, encoding="utf-8")
    mine = replace(fields, "f-1-title_ko", "내가 고친 제목")
    response = await post_form(ds, WILTON_URL, mine, cookies)
    assert response.status_code == 409
    assert "Existing cities really need" in unescape(response.text) and "내가 고친 제목" in unescape(response.text)
    differs = unescape(re.search(r'<pre class="differs">(.*?)</pre>', response.text, re.S).group(1))
    assert "+- title_ko: 내가 고친 제목" in differs and "-## Existing cities really need" in differs
    assert path.read_text(encoding="utf-8") == theirs


async def test_moving_and_adding_show_the_form_again_without_saving(room):
    notes, _db, _editors, ds = room
    before = tree(notes)
    cookies = await signed_in(ds)
    fields = await open_review(ds, cookies)
    first, second = dict(fields)["f-1-id"], dict(fields)["f-2-id"]
    moved = await post_form(ds, WILTON_URL, fields + [("action", "down-1")], cookies)
    assert moved.status_code == 200
    moved_fields = dict(form_values(moved.text))
    assert (moved_fields["f-1-id"], moved_fields["f-2-id"]) == (second, first)
    added = await post_form(ds, WILTON_URL, fields + [("action", "add")], cookies)
    assert added.status_code == 200 and 'id="finding-16"' in added.text
    assert tree(notes) == before


async def test_a_note_that_is_not_utf8_is_refused_in_words_not_a_500(room):
    notes, _db, _editors, ds = room
    path = notes / f"{WILTON}.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp949", "replace"))
    cookies = await signed_in(ds)
    response = await ds.client.get(WILTON_URL, cookies=cookies)
    assert response.status_code == 422 and "UTF-8" in response.text


async def test_an_unknown_note_id_is_404(room):
    _notes, _db, _editors, ds = room
    cookies = await signed_in(ds)
    for note_id in ("no-such-note", "..%2F..%2Fetc%2Fpasswd", "themes", "sources"):
        assert (await ds.client.get(f"/-/write/{note_id}", cookies=cookies)).status_code == 404


# --- uploads ---------------------------------------------------------------------------------

async def upload(ds, cookies, name: str, content: bytes, token: str | None = "cookie", header: bool = False):
    token = cookies["ds_csrftoken"] if token == "cookie" else token
    data = {"csrftoken": token} if token is not None and not header else {}
    headers = {"x-csrftoken": token} if header else {}
    return await ds.client.post("/-/write/upload", data=data, files={"report": (name, content)},
                                cookies=cookies, headers=headers)


async def test_an_upload_lands_on_its_draft_s_review_page_and_is_committed(room, tmp_path):
    notes, _db, _editors, ds = room
    cookies = await signed_in(ds)
    report = write_docx(SINGAPORE_REPORT.read_text(encoding="utf-8"), tmp_path / "wcs.docx")
    response = await upload(ds, cookies, "World Cities Summit 2018.ko.docx", report.read_bytes())
    assert response.status_code == 302, response.text[:1000]
    location = response.headers["location"]
    note_id = location.rsplit("/", 1)[-1]
    assert location == f"/-/write/{note_id}" and note_id.startswith("2018-")
    assert (notes / "drafts" / f"{note_id}.md").is_file()
    log = git(notes, "log", "-1", "--format=%an %s", "--name-only")
    assert log.startswith(f"{EDITOR} Draft {note_id}") and f"drafts/{note_id}.md" in log
    review = await ds.client.get(location, cookies=cookies)
    assert review.status_code == 200 and "초안 · Draft" in review.text


async def test_the_same_report_uploaded_twice_opens_the_same_draft(room):
    """Breaks if a second upload of an unchanged report fails on git's 'nothing to commit'."""
    notes, _db, _editors, ds = room
    cookies = await signed_in(ds)
    first = await upload(ds, cookies, "wcs.ko.txt", SINGAPORE_REPORT.read_bytes())
    commits = git(notes, "rev-list", "--count", "HEAD")
    second = await upload(ds, cookies, "wcs.ko.txt", SINGAPORE_REPORT.read_bytes())
    assert first.status_code == second.status_code == 302
    assert first.headers["location"] == second.headers["location"]
    assert git(notes, "rev-list", "--count", "HEAD") == commits


async def test_an_upload_with_its_token_in_a_header_works_too(room):
    _notes, _db, _editors, ds = room
    cookies = await signed_in(ds)
    response = await upload(ds, cookies, "wcs.ko.txt", SINGAPORE_REPORT.read_bytes(), header=True)
    assert response.status_code == 302


@pytest.mark.parametrize("case", ["too big", "wrong type", "mismatched name", "encrypted", "zip bomb", "climbing name"])
async def test_hostile_uploads_get_their_message_and_change_nothing(room, tmp_path, case):
    notes, _db, _editors, ds = room
    if case == "too big":
        ds = writing_datasette(notes, _db, _editors, upload_bytes=100_000)
    cookies = await signed_in(ds)
    before = tree(notes)
    before_log = git(notes, "log", "--format=%H")
    name, content, status, words = {
        "too big": ("big.pdf", b"%PDF-1.4\n" + b"0" * 300_000, 413, "larger than 100,000 bytes"),
        "wrong type": ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000, 415, "Not a kind of report"),
        "mismatched name": ("report.pdf", SINGAPORE_REPORT.read_bytes(), 415, "The name says PDF"),
        "encrypted": ("locked.pdf", pdf_with_password(tmp_path / "locked.pdf").read_bytes(), 422, "password"),
        "zip bomb": ("bomb.docx", docx_bomb(tmp_path / "bomb.docx", 200).read_bytes(), 422, "limit"),
        "climbing name": ("../../x.md", "회의 메모일 뿐입니다.\n".encode(), 422, "no paragraph or bullet"),
    }[case]
    response = await upload(ds, cookies, name, content)
    assert response.status_code == status, response.text[:1000]
    assert words in unescape(response.text)
    assert "아무것도 저장하지 않았습니다" in response.text
    assert tree(notes) == before and git(notes, "log", "--format=%H") == before_log
    assert not (tmp_path / "x.md").exists()


async def test_an_upload_s_name_reaches_the_page_escaped(room):
    notes, _db, _editors, ds = room
    cookies = await signed_in(ds)
    before = tree(notes)
    response = await upload(ds, cookies, '<img src=x onerror="alert(1)">.pdf', b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert response.status_code == 415
    assert "<img src=x" not in response.text and "&lt;img src=x" in response.text
    assert tree(notes) == before


async def test_a_report_named_to_climb_out_is_drafted_inside_notes_only(room, tmp_path):
    notes, _db, _editors, ds = room
    cookies = await signed_in(ds)
    outside = {p for p in tmp_path.parent.rglob("x.md")}
    response = await upload(ds, cookies, "../../x.md", SINGAPORE_REPORT.read_bytes())
    assert response.status_code == 302
    assert (notes / "sources" / "x.md").is_file()
    assert {p for p in tmp_path.parent.rglob("x.md")} - outside == {notes / "sources" / "x.md"}


async def test_mark_as_final_is_refused_while_a_todo_is_left(room, tmp_path):
    notes, _db, _editors, ds = room
    cookies = await signed_in(ds)
    response = await upload(ds, cookies, "wcs.ko.txt", SINGAPORE_REPORT.read_bytes())
    url = response.headers["location"]
    before = tree(notes)
    fields = await open_review(ds, cookies, url)
    refused = await post_form(ds, url, fields + [("action", "final")], cookies)
    assert refused.status_code == 400
    assert "TODO" in refused.text and 'aria-invalid="true"' in refused.text
    assert tree(notes) == before
    saved = await post_form(ds, url, fields + [("action", "save")], cookies)
    assert saved.status_code == 302, "a draft may be saved with its TODOs"
