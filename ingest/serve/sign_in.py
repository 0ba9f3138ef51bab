"""Around datasette-auth-passwords' pages (an ``asgi_wrapper`` of ``plugins/editors.py``):

- After a successful sign-in, back to where the editor came from: ``/-/login?next=/-/write/…``
  (the form posts to the same URL: templates/password_login.html). The plugin itself always
  redirects to ``/``; its 302 that sets ``ds_actor`` gets ``next`` as its ``Location`` instead
  (under the ``base_url`` prefix), when ``next`` is a path on this instance (never another site:
  no scheme, no host, no ``//``).
- A sign-in lasts ``SIGN_IN_DAYS``: the plugin's ``ds_actor`` has no expiry (it would hold for as
  long as the secret), so it is signed again with Datasette's own expiry (``"e"``) and a Max-Age.
- At most ``MAX_FAILURES`` failed sign-ins per client address in ``WINDOW_SECONDS``; then a 429
  (``sign_in_attempts.py``).
- HTTP Basic credentials are dropped before any plugin sees them. datasette-auth-passwords
  accepts them on every request, and a browser sends them by itself with any request, a
  cross-site form among them: a POST without cookies passes the CSRF check, so an editor
  signed in that way could be made to save by another site. Editors sign in at ``/-/login``.
- A public instance has no sign-in and no writing room: ``/-/login``, ``/-/write`` and every URL
  under it answer 404 there, whatever routes a plugin registers (the guard says so too).
- ``/-/password-tool`` answers 404 everywhere: it hashes any password posted to it (480,000
  rounds of PBKDF2 each, a way to keep the server busy), and ``python -m ingest editor add``
  does its job.
"""

from __future__ import annotations

import re
import time
import weakref
from urllib.parse import parse_qs, quote, urlsplit

from datasette.utils import baseconv
from datasette.utils.asgi import Response
from itsdangerous import BadSignature

from .editor_access import LOGIN_PATH, is_public, not_found, route_path
from .sign_in_attempts import SignInAttempts

PASSWORD_TOOL = "/-/password-tool"
WRITE_PATH = "/-/write"
SIGN_IN_DAYS = 30
CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")
_attempts: "weakref.WeakKeyDictionary[object, SignInAttempts]" = weakref.WeakKeyDictionary()


def safe_next(value: str | None) -> str | None:
    """``value`` when it is a path on this instance, ready for a ``Location`` header; else None."""
    if not value or not value.startswith("/") or value.startswith("//") or CONTROL.search(value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return quote(value, safe="/?=&%~:@!$'()*+,;-._")


def is_write_path(path: str) -> bool:
    return path.rstrip("/") == WRITE_PATH or path.startswith(WRITE_PATH + "/")


def next_of(scope) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return safe_next((query.get("next") or [None])[-1])


def without_basic_credentials(scope):
    headers = scope.get("headers") or ()
    kept = [(k, v) for k, v in headers if not (k.lower() == b"authorization" and v[:6].lower() == b"basic ")]
    return scope if len(kept) == len(headers) else {**scope, "headers": kept}


def lasting_actor_cookie(datasette, set_cookie: bytes, seconds: int) -> bytes:
    """The plugin's ``ds_actor=…`` signed again with an expiry ``seconds`` from now, and a Max-Age."""
    value = set_cookie.split(b";", 1)[0].split(b"=", 1)[1].decode("ascii").strip('"')
    try:
        decoded = datasette.unsign(value, "actor")
    except BadSignature:
        return set_cookie
    decoded["e"] = baseconv.base62.encode(int(time.time()) + seconds)
    return f"ds_actor={datasette.sign(decoded, 'actor')}; Max-Age={seconds}; Path=/; SameSite=Lax".encode("ascii")


def too_many(seconds: int) -> Response:
    minutes = (seconds + 59) // 60
    return Response.text(f"429: 로그인 실패가 너무 많습니다. {minutes}분 뒤에 다시 해 보세요. · "
                         f"Too many failed sign-ins: try again in {minutes} minute(s).",
                         status=429, headers={"Retry-After": str(seconds)})


def around_sign_in(app, datasette):
    """``app`` with the behaviours above."""
    attempts = _attempts.setdefault(datasette, SignInAttempts())

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        scope = without_basic_credentials(scope)
        path = route_path(scope["path"], datasette.setting("base_url"))
        if path == PASSWORD_TOOL or (is_public(datasette) and (path == LOGIN_PATH or is_write_path(path))):
            return await (await not_found(datasette)).asgi_send(send)
        if path != LOGIN_PATH or scope["method"] != "POST":
            return await app(scope, receive, send)
        address = (scope.get("client") or ("unknown",))[0]
        if wait := attempts.wait_seconds(address):
            return await too_many(wait).asgi_send(send)
        target = next_of(scope)
        target = datasette.urls.path(target) if target else None  # next is a route path: add the prefix

        async def after_sign_in(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or ())
                if message["status"] in (301, 302, 303) and any(
                        k.lower() == b"set-cookie" and v.startswith(b"ds_actor=") for k, v in headers):
                    attempts.succeeded(address)
                    headers = [(k, lasting_actor_cookie(datasette, v, SIGN_IN_DAYS * 86400)
                                if k.lower() == b"set-cookie" and v.startswith(b"ds_actor=") else v)
                               for k, v in headers if not (target and k.lower() == b"location")]
                    if target:
                        headers.append((b"location", target.encode("ascii")))
                    message = {**message, "headers": headers}
                elif message["status"] == 200:  # the form again, with its error
                    attempts.failed(address)
            await send(message)

        return await app(scope, receive, after_sign_in)

    return wrapped
