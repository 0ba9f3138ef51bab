"""Headers every response carries (``plugins/security.py``, an ``asgi_wrapper``; issue 19):

- ``Content-Security-Policy``: everything from the instance itself; images also as ``data:``;
  no script but the instance's files and the inline scripts of Datasette 0.65.5's templates,
  each by its hash (``INLINE_SCRIPTS``); no plugin, frame, or form posting elsewhere. Styles
  allow ``'unsafe-inline'``: Datasette's table, row and query templates write ``<style>``
  blocks from the page's columns and ``style=""`` attributes from the database's colour. A
  second guard behind the no-remote-content rule of notes: a remote image that slipped into a
  page is not loaded.
- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``.
- Every cookie set (``ds_csrftoken``, ``ds_actor``, ``ds_messages``, any plugin's) gets
  ``HttpOnly`` (no script of ours or Datasette's reads ``document.cookie``; the CSRF token
  reaches forms from the server), and ``Secure`` when the request came over HTTPS: the scope's
  scheme is ``https`` (uvicorn reads ``X-Forwarded-Proto`` from a proxy on 127.0.0.1), or the
  ``force_https_urls`` setting says the instance is served as HTTPS behind a proxy.

A header the response already has is kept as it is.
"""

from __future__ import annotations

# sha256 of each inline <script> Datasette 0.65.5's templates write (the text between the
# tags, as rendered). tests/test_security_headers.py checks every inline script of every page
# kind against this list, and tests/test_security_headers_browser.py that Chromium reports no
# violation: a Datasette upgrade that changes one fails there, naming the script.
INLINE_SCRIPTS = {
    "_close_open_menus.html (every page)": "sha256-DMtesc2dB3xCZhCWIkDIjRY30AJia2dU9R83J/BG2Y4=",
    "_codemirror_foot.html (query pages)": "sha256-uEjwHx6B6TylDkwnKXY5NeNNPyI38FvghD4BDhzZMRc=",
    "table.html: DATASETTE_ALLOW_FACET = true;": "sha256-fyi5q99UcdjzV8X7vfr/UYD4dsV4ViDDhotcy8GQ6PM=",
    "table.html: DATASETTE_ALLOW_FACET = false;": "sha256-yVPefuQ6YSumwweHWL1Fw4YNWqWFG1ru4KxqhINGLlU=",
}
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "script-src 'self' " + " ".join(f"'{digest}'" for digest in INLINE_SCRIPTS.values()),
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


def cookie_flags(set_cookie: bytes, secure: bool) -> bytes:
    """``Set-Cookie`` with ``HttpOnly`` (and ``Secure`` when ``secure``) added where missing."""
    attributes = {part.strip().split(b"=", 1)[0].lower() for part in set_cookie.split(b";")[1:]}
    if b"httponly" not in attributes:
        set_cookie += b"; HttpOnly"
    if secure and b"secure" not in attributes:
        set_cookie += b"; Secure"
    return set_cookie


def with_security_headers(app, force_https: bool = False):
    """``app`` with the headers above added to every HTTP response it starts."""

    async def headed(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        secure = force_https or scope.get("scheme") == "https"

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(key, cookie_flags(value, secure) if key.lower() == b"set-cookie" else value)
                           for key, value in message.get("headers") or ()]
                present = {key.lower() for key, _ in headers}
                headers += [(key, value) for key, value in HEADERS if key not in present]
                message = {**message, "headers": headers}
            await send(message)

        return await app(scope, receive, send_with_headers)

    return headed
