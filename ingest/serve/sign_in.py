"""Around datasette-auth-passwords' pages (an ``asgi_wrapper`` of ``plugins/editors.py``):

- After a successful sign-in, back to where the editor came from: ``/-/login?next=/-/write/…``
  (the form posts to the same URL: templates/password_login.html). The plugin itself always
  redirects to ``/``; its 302 that sets ``ds_actor`` gets ``next`` as its ``Location`` instead,
  when ``next`` is a path on this instance (never another site: no scheme, no host, no ``//``).
- A public instance has no sign-in: ``/-/login`` answers 404 there.
- ``/-/password-tool`` answers 404 everywhere: it hashes any password posted to it (480,000
  rounds of PBKDF2 each, a way to keep the server busy), and ``python -m ingest editor add``
  does its job.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

from .editor_access import LOGIN_PATH, is_public, not_found

PASSWORD_TOOL = "/-/password-tool"
CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")


def route_path(path: str, base_url: str) -> str:
    """The path as Datasette routes it: without the ``base_url`` prefix."""
    if base_url != "/" and path.startswith(base_url):
        return "/" + path[len(base_url):]
    return path


def safe_next(value: str | None) -> str | None:
    """``value`` when it is a path on this instance, ready for a ``Location`` header; else None."""
    if not value or not value.startswith("/") or value.startswith("//") or CONTROL.search(value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return quote(value, safe="/?=&%~:@!$'()*+,;-._")


def next_of(scope) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return safe_next((query.get("next") or [None])[-1])


def _sets_actor(headers) -> bool:
    return any(key.lower() == b"set-cookie" and value.startswith(b"ds_actor=") for key, value in headers)


def around_sign_in(app, datasette):
    """``app`` with the three behaviours above."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        path = route_path(scope["path"], datasette.setting("base_url"))
        if path == PASSWORD_TOOL or (path == LOGIN_PATH and is_public(datasette)):
            return await not_found().asgi_send(send)
        if path != LOGIN_PATH or scope["method"] != "POST" or not (target := next_of(scope)):
            return await app(scope, receive, send)

        async def send_back_to_next(message):
            if (message["type"] == "http.response.start" and message["status"] in (301, 302, 303)
                    and _sets_actor(message.get("headers") or ())):
                headers = [(k, v) for k, v in message["headers"] if k.lower() != b"location"]
                message = {**message, "headers": [*headers, (b"location", target.encode("ascii"))]}
            await send(message)

        return await app(scope, receive, send_back_to_next)

    return wrapped

