"""The writing room's routes (registered by plugins/writing_room.py); docs/writing.md gives the
HTTP contract.

- ``GET /-/write``: the upload page. ``POST /-/write/upload`` (and ``POST /-/write``): a report
  (multipart field ``report``) → 302 to ``/-/write/<note id>``, or the upload page with what is
  wrong (400, 403, 409, 413, 415, 422) and nothing written.
- ``GET /-/write/<note id>``: the review form. ``POST``: a save → 302 to the source's page; the
  form with each problem beside its field (400); the conflict page (409). Buttons that add a
  finding, move one or preview the summaries re-show the form (200) and save nothing.

Every route asks ``editor_access.editor_or_response`` first (404 on a public instance, the
sign-in page, 403). CSRF: Datasette's asgi-csrf checks the review form; the upload skips it
(asgi-csrf 0.11 fails on every multipart POST with cookies: DESIGN.md) and is checked here, the
token in an ``X-CSRFToken`` header or in the form's first field, against the signed
``ds_csrftoken`` cookie, before the file's bytes are kept. Every POST here also needs the token
itself (a POST without cookies, which asgi-csrf lets through, gets 403).
"""

from __future__ import annotations

import asyncio
import difflib
import hashlib
import logging
import re
import tempfile
from functools import partial
from pathlib import Path
from urllib.parse import parse_qsl

from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from itsdangerous import BadSignature

from ingest.draft.limits import DEFAULT_LIMITS, megabytes
from ingest.notes.errors import BuildRefused
from ingest.serve.editor_access import editor_or_response
from ingest.serve.writing_config import DATABASE, database_path, notes_dir, upload_bytes
from ingest.serve.writing_review import review_context, save_message
from ingest.write.form_fields import form_from_fields
from ingest.write.history import Editor, HistoryError, commit_files, last_change
from ingest.write.note_files import find_note
from ingest.write.note_form import FindingCard, read_form, write_form
from ingest.write.problems import check_text
from ingest.write.lock import notes_lock
from ingest.write.save import Busy, Conflict, recover_saves, save_note
from ingest.write.upload import SUPPORTED, UploadRefused, draft_upload
from ingest.write.upload_body import TOKEN_FIELD, BodyRefused, read_upload_body, same_token

log = logging.getLogger(__name__)
UPLOAD_PATHS = ("/-/write", "/-/write/upload")
FORM_LIMIT = 5_000_000  # a review form's body: a note is at most a few hundred KB
CSRF_COOKIE = "ds_csrftoken"


def _route_path(datasette, scope) -> str:
    path = scope.get("path", "")
    prefix = datasette.setting("base_url").rstrip("/")
    return path[len(prefix):] if prefix and path.startswith(prefix) else path


def is_upload(datasette, scope) -> bool:
    """A POST of an upload, which skips asgi-csrf (checked in ``upload`` instead)."""
    return scope.get("method") == "POST" and _route_path(datasette, scope) in UPLOAD_PATHS


def is_write_path(datasette, scope) -> bool:
    path = _route_path(datasette, scope)
    return path == "/-/write" or path.startswith("/-/write/")


def expected_token(datasette, request) -> str:
    """The CSRF cookie's value when Datasette signed it, else '' (which no token matches)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    try:
        datasette.unsign(cookie, "csrftoken")
    except BadSignature:
        return ""
    return cookie


def forbidden(message: str = "") -> Response:
    return Response.text(f"403: 보안 토큰이 없거나 맞지 않습니다 · The form's security token is missing or wrong{message}",
                         status=403)


def recover_interrupted_saves(notes: Path, db: Path, wait: float = 30.0) -> tuple[str, ...]:
    """At start-up: ``recover_saves`` under the notes lock; nothing when notes/ is missing or busy
    (the next save recovers first anyway)."""
    if not notes.is_dir():
        return ()
    try:
        with notes_lock(notes, wait):
            return recover_saves(notes, db)
    except Busy:
        return ("notes/ busy at start-up: interrupted saves (if any) are recovered by the next save",)


# --- the upload --------------------------------------------------------------------------------

async def upload_page(datasette, request) -> Response:
    if request.method == "POST":
        return await upload(datasette, request)
    editor = await editor_or_response(datasette, request)
    if isinstance(editor, Response):
        return editor
    return await render_upload(datasette, request)


async def render_upload(datasette, request, refused=None, filename: str = "", status: int = 200) -> Response:
    limit = upload_bytes(datasette)
    context = {"limit": limit, "limit_text": megabytes(limit), "supported": SUPPORTED, "refused": refused,
               "filename": filename, "action": datasette.urls.path("/-/write/upload")}
    html = await datasette.render_template("write-upload.html", context, request=request)
    return Response.html(html, status=status)


async def upload(datasette, request) -> Response:
    editor = await editor_or_response(datasette, request)
    if isinstance(editor, Response):
        return editor
    if request.method != "POST":
        return Response.redirect(datasette.urls.path("/-/write"))
    expected = expected_token(datasette, request)
    token_in_header = same_token(request.headers.get("x-csrftoken", ""), expected)
    notes = notes_dir(datasette)
    limits = DEFAULT_LIMITS.with_environment()

    def commit(paths, message):
        """The draft is written whatever git says (the same report again: nothing to commit)."""
        try:
            commit_files(notes, paths, Editor(editor), message)
        except HistoryError as error:
            log.warning("writing room: the draft of an upload is not committed: %s", error)

    filename = ""
    with tempfile.TemporaryDirectory(prefix="insights-upload-") as folder:
        try:
            body = await read_upload_body(request.receive, dict(request.scope["headers"]), limit=upload_bytes(datasette),
                                          folder=Path(folder), token_ok=lambda sent: same_token(sent, expected),
                                          token_in_header=token_in_header)
            filename = body.filename
            drafted = await asyncio.to_thread(draft_upload, body.path, body.filename, notes, limits=limits, commit=commit,
                                              curated=database_path(datasette))
        except (BodyRefused, UploadRefused) as refused:
            if refused.status == 403:
                return forbidden()
            return await render_upload(datasette, request, refused, filename, refused.status)
        except Busy:
            return await render_upload(datasette, request, UploadRefused(
                "다른 저장이 진행 중입니다 · Another save is under way", "send the file again in a moment", 503), filename, 503)
    return Response.redirect(datasette.urls.path(f"/-/write/{drafted.note_id}"))


# --- the review form ---------------------------------------------------------------------------

async def note_hint(datasette, note_id: str) -> str | None:
    """The database's note_path for this id (read first, so one file is usually enough)."""
    try:
        rows = await datasette.get_database(DATABASE).execute("select note_path from sources where id = ?", [note_id])
    except Exception:  # noqa: BLE001 - no such table yet (an empty database): read the notes instead
        return None
    row = rows.first()
    return row["note_path"] if row else None


async def review(datasette, request) -> Response:
    editor = await editor_or_response(datasette, request)
    if isinstance(editor, Response):
        return editor
    note_id = request.url_vars["note_id"]
    notes = notes_dir(datasette)
    relative = await asyncio.to_thread(find_note, notes, note_id, await note_hint(datasette, note_id))
    if relative is None:
        return Response.text("404: 그런 노트가 없습니다 · No note has this id", status=404)
    path = notes / relative
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return Response.text("422: 이 노트는 UTF-8 텍스트가 아니라 브라우저에서 열 수 없습니다 · This note is not UTF-8 text: "
                             "open it in an editor and save it as UTF-8 (`make check` names the problem)", status=422)
    if request.method != "POST":
        current = path.read_bytes()
        form = read_form(current.decode("utf-8"))
        problems = await asyncio.to_thread(check_text, notes, relative, current.decode("utf-8"))
        return await render_review(datasette, request, note_id, relative, form, hashlib.sha256(current).hexdigest(),
                                   problems, status=200)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > FORM_LIMIT:
        return Response.text("413: the form is too large", status=413)
    pairs = parse_qsl((await request.post_body()).decode("utf-8", "replace"), keep_blank_values=True)
    sent = dict(pairs)
    if not same_token(sent.get(TOKEN_FIELD, ""), expected_token(datasette, request)):
        return forbidden()
    opened_digest = sent.get("digest", "")
    current = path.read_bytes()
    current_text = current.decode("utf-8", "replace")  # judged UTF-8 above; changed since, the digest differs
    opened = read_form(current_text)
    form = form_from_fields(pairs, opened)
    action = sent.get("action", "save")
    if action != "save" and action != "final":
        changed = apply_action(form, action)
        return await render_review(datasette, request, note_id, relative, form, opened_digest, [],
                                   status=200, preview=action == "preview", moved=changed)
    final = action == "final" or sent.get("final") == "1"
    if hashlib.sha256(current).hexdigest() != opened_digest:
        mine = write_form(current_text, form)
        return await render_conflict(datasette, request, note_id, relative, current_text, mine)
    if final:
        form.fields["status"] = "final"
    text = write_form(current_text, form)
    problems = await asyncio.to_thread(partial(check_text, notes, relative, text, final=final))
    if any(p.severity == "error" for p in problems):
        return await render_review(datasette, request, note_id, relative, form, opened_digest, problems, status=400)
    try:
        await asyncio.to_thread(save_note, notes, relative, text, opened_digest=opened_digest, editor=Editor(editor),
                                db_path=database_path(datasette), message=save_message(note_id, opened, form, final))
    except Conflict as conflict:
        return await render_conflict(datasette, request, note_id, relative,
                                     (conflict.current or b"").decode("utf-8", "replace"), text)
    except BuildRefused as refused:
        build_problems = await asyncio.to_thread(partial(check_text, notes, relative, text, final=final))
        return await render_review(datasette, request, note_id, relative, form, opened_digest,
                                   build_problems or list(refused_problems(refused)), status=400)
    except Busy:
        return Response.text("503: 다른 저장이 진행 중입니다 · Another save is under way; send the form again", status=503)
    return Response.redirect(datasette.urls.row(DATABASE, "sources", tilde_encode(note_id)))


MOVE = re.compile(r"(up|down|add)-?(\d*)")


def apply_action(form, action: str) -> int | None:
    """A button that changes the form without saving: ``add`` a finding, ``up-<n>``/``down-<n>``
    (1-based) move one; ``preview`` changes nothing. The moved card's new position, if any."""
    match = MOVE.fullmatch(action)
    if not match:
        return None
    verb, number = match.group(1), int(match.group(2) or 0)
    cards = form.findings
    if verb == "add":
        cards.append(FindingCard(id="", title="", title_ko="", kind="observation", themes=[], regions=[],
                                 stakeholders=[], quotes=[], summary="", access=None))
        return len(cards)
    index = number - 1
    other = index - 1 if verb == "up" else index + 1
    if 0 <= index < len(cards) and 0 <= other < len(cards):
        cards[index], cards[other] = cards[other], cards[index]
        return other + 1
    return None


def refused_problems(refused: BuildRefused):
    from ingest.write.problems import FieldProblem
    for problem in refused.problems:
        if problem.severity == "error":
            yield FieldProblem(None, f"{problem.path}: {problem.message}" + (f" ({problem.hint})" if problem.hint else ""),
                               "error")


async def render_review(datasette, request, note_id, relative, form, digest, problems, *, status, preview=False,
                        moved=None) -> Response:
    notes = notes_dir(datasette)
    change = await asyncio.to_thread(last_change, notes, relative)
    context = await asyncio.to_thread(review_context, notes, note_id, relative, form, digest, problems, change)
    context.update(preview=preview, moved=moved, action=datasette.urls.path(f"/-/write/{note_id}"),
                   source_url=datasette.urls.row(DATABASE, "sources", tilde_encode(note_id)))
    html = await datasette.render_template("write-review.html", context, request=request)
    return Response.html(html, status=status)


async def render_conflict(datasette, request, note_id, relative, current: str, mine: str) -> Response:
    differs = list(difflib.unified_diff(current.splitlines(), mine.splitlines(), "지금 판 · current", "내 판 · yours",
                                        lineterm="", n=1))
    context = {"note_id": note_id, "relative": relative, "current": current, "mine": mine, "differs": differs,
               "reopen": datasette.urls.path(f"/-/write/{note_id}"),
               "change": await asyncio.to_thread(last_change, notes_dir(datasette), relative)}
    html = await datasette.render_template("write-conflict.html", context, request=request)
    return Response.html(html, status=409)
