"""The instance answers only for its own names: a request whose ``Host`` header names any other
gets ``400 Bad Request`` before anything else runs (``plugins/security.py``, an ``asgi_wrapper``).

This stops DNS rebinding — a page on another site pointing a name of its own at 127.0.0.1 and
reading internal findings through a reader's browser — and keeps forged Host text away from
every page that cites (issue 19). The names are

- ``127.0.0.1``, ``localhost`` and ``[::1]`` (the loopback names: ``make serve``, the tests);
- the address the connection arrived at (``scope["server"]``: an instance served with
  ``--host 192.168.0.5`` answers for ``192.168.0.5``; an IP address cannot be rebound);
- ``plugins.insights.allowed_hosts`` in metadata.json, a list of host names;
- ``INSIGHTS_ALLOWED_HOSTS`` in the environment, names separated by commas or spaces (for a
  deployment, without editing metadata.json).

A name matches on any port. ``"*"`` turns the check off (only behind a proxy that checks the
name itself): then whatever Host arrives reaches the pages, whose citations still refuse to
name anything that is not a host (``ingest/memo/host.py``). Only ``http`` and ``websocket`` scopes carry a Host; ``lifespan`` passes.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable

from ingest.memo.host import parse_host

CONFIG_PATH = "plugins.insights.allowed_hosts"
ENVIRONMENT = "INSIGHTS_ALLOWED_HOSTS"
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
ANY = "*"
REFUSED = (b"400 Bad Request: this server does not answer for that host name. "
           b"Its operator can allow the name (allowed_hosts, docs/operations.md).\n")


class AllowedHosts:
    """Which host names a request may name: ``allows(scope)``."""

    def __init__(self, names: Iterable[str] = ()):
        self.names = frozenset(LOOPBACK) | frozenset(names)
        self.any = ANY in self.names

    def allows_name(self, host_header: str, server: tuple | None = None) -> bool:
        if self.any:
            return True
        host = parse_host(host_header)
        return host is not None and (host.name in self.names or host.name == server_name(server))

    def allows(self, scope: dict) -> bool:
        """Every Host header of the request names this instance (a request with none is HTTP/1.0
        asking for the default: nothing to forge)."""
        server = scope.get("server")
        return all(self.allows_name(value.decode("latin-1"), server)
                   for key, value in scope.get("headers") or () if key.lower() == b"host")


def server_name(server: tuple | None) -> str | None:
    """The address the connection arrived at, as a Host header names it (IPv6 in brackets)."""
    if not server or not server[0]:
        return None
    try:
        address = ipaddress.ip_address(server[0])
    except ValueError:
        return None  # a Unix socket's path, say
    if address.is_unspecified:
        return None
    return f"[{address}]" if address.version == 6 else str(address)


def configured_hosts(config: dict | None, environ: dict | None = None) -> AllowedHosts:
    """The names from the plugin config and the environment; a malformed one is a ``ValueError``
    naming it (raised at start-up, not on the first request)."""
    environ = os.environ if environ is None else environ
    listed = (config or {}).get("allowed_hosts") or []
    if not isinstance(listed, list) or not all(isinstance(name, str) for name in listed):
        raise ValueError(f"{CONFIG_PATH} must be a list of host names, not {listed!r}")
    names = listed + environ.get(ENVIRONMENT, "").replace(",", " ").split()
    checked = []
    for name in names:
        host = None if name == ANY else parse_host(name)
        if name != ANY and (host is None or host.port is not None):
            where = ENVIRONMENT if name not in listed else CONFIG_PATH
            raise ValueError(f"{where}: {name!r} is not a host name (give names like insights.example.org, "
                             "without a scheme, a path or a port)")
        checked.append(ANY if host is None else host.name)
    return AllowedHosts(checked)


def refuse_other_hosts(app, allowed: AllowedHosts):
    """``app`` behind the check: a request naming another host gets a plain 400 (http) or is
    closed before it is accepted (websocket)."""

    async def checked(scope, receive, send):
        if scope["type"] not in ("http", "websocket") or allowed.allows(scope):
            return await app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(REFUSED)).encode())]})
        await send({"type": "http.response.body", "body": REFUSED})

    return checked
