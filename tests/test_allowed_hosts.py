"""A forged Host header never freezes the server (issue 19, item 1).

The Host check that citations use (``ingest/memo/host.py``) is linear in its input, and the
instance answers only for its own names (``ingest/serve/allowed_hosts.py`` through
``plugins/security.py``): any other Host gets a prompt 400 before anything runs. Through a
real ``datasette serve``, as ``make serve`` starts it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time

import httpx
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from ingest.build import build
from ingest.memo.host import Host, parse_host
from ingest.serve.allowed_hosts import AllowedHosts, configured_hosts

from .conftest import NOTES, ROOT, WILTON, make_datasette
from .server import datasette_server

FINDING = f"/insights/findings/{WILTON}~2Fcitizen-crowdfunding"
# The trigger: 23 s with the nested-quantifier pattern, each two characters more ×3.
TRIGGER = "a" * 28 + "!"
GENEROUS = 5.0  # seconds: far above what a linear check takes, far below what the old pattern did
# The shape of the pattern citations once used (nested quantifiers): the oracle on short text.
OLD_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+(?::\d{1,5})?")
ADVERSARIAL = [
    "a" * 100_000 + "!", "a" * 100_000, "a." * 50_000 + "!", "a-" * 50_000 + "!", "1" * 100_000 + ":",
    "[" + ":" * 100_000 + "]", "[" + "1:" * 50_000, "a" * 60 + ":" + "9" * 100_000, "." * 100_000,
    "a" * 63 + "." + "b" * 63 + "!" * 100_000,
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("hosts") / "insights.db"
    build(NOTES, path)
    return path


def test_the_host_check_is_linear_on_long_adversarial_text():
    """Run in a child process with a hard time limit (a regular expression cannot be interrupted
    in this one). Breaks if any pattern or loop over Host text backtracks: the old HOST pattern
    did not finish the first of these strings at all."""
    program = ("import sys, time; from ingest.memo.citation import cited_site; from ingest.memo.host import parse_host\n"
               f"for text in {ADVERSARIAL!r} + [{TRIGGER!r}]:\n"
               "    assert parse_host(text) is None, text[:20]\n"
               "    try: cited_site(None, 'http://' + text + '/insights')\n"
               "    except ValueError: pass\n"
               "    else: sys.exit('cited ' + text[:20])\n")
    started = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-"], input=program, text=True, cwd=ROOT, check=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("checking Host text did not finish in 30 s")
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize("text, host", [
    ("127.0.0.1:8001", Host("127.0.0.1", 8001)), ("localhost", Host("localhost", None)),
    ("Insights.Example.ORG.:443", Host("insights.example.org", 443)), ("[::1]:8001", Host("[::1]", 8001)),
    ("[2001:DB8::1]", Host("[2001:db8::1]", None)), ("a" * 63 + ".b", Host("a" * 63 + ".b", None)),
    (".".join(["a" * 63] * 3 + ["b" * 61]), Host(".".join(["a" * 63] * 3 + ["b" * 61]), None)),
    ("x-1.example:0", Host("x-1.example", 0)), ("x:65535", Host("x", 65535)),
])
def test_host_names_addresses_and_ports_are_read(text, host):
    """Breaks if the linear check refuses a name, an address or a port that citations name."""
    assert parse_host(text) == host


@pytest.mark.parametrize("text", [
    "", TRIGGER, "a..b", ".a", "-a.b", "a-.b", "a_b", "a b", "a:", "a:65536", "a:99999", "a:+1", "a:1\u0661",
    "a" * 64, ".".join(["a" * 63] * 4), "[::1", "[zz]", "[::1]x", "[::1]:", "evil.example\"><b>", "a/b", "user@a",
    "ａ.example", "한국.kr", "a:1:2",
])
def test_anything_else_is_no_host(text):
    """Breaks if text that is no host (markup, a path, a port past 65535, a 64-character label,
    non-ASCII digits or letters) would be cited or allowed."""
    assert parse_host(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZ1-.:", max_size=12))
def test_short_host_text_is_read_as_the_old_pattern_read_it(text):
    """On text too short to backtrack for long, the linear check agrees with the old pattern
    (save for the ports above 65535 and the labels over 63 characters it let through)."""
    assume(not re.search(r":\d{5}", text))
    old = OLD_HOST.fullmatch(text) is not None
    assert (parse_host(text) is not None) == old, text


@settings(max_examples=200, deadline=1000)
@given(st.one_of(st.text(), st.builds(lambda c, n, tail: c * n + tail, st.characters(), st.integers(0, 20_000),
                                      st.text(max_size=3))))
@example("a" * 20_000 + "!")
def test_any_text_is_read_at_once(text):
    """Whatever the text, an answer within the deadline, and an accepted host is ASCII and short."""
    host = parse_host(text)
    assert host is None or (host.name.isascii() and len(host.name) <= 253 + 2)


def test_configured_names_join_the_loopback_names():
    """Breaks if a configured name, the loopback names or the serving address stop being
    allowed, or a longer name that merely ends or begins with one is let through."""
    allowed = configured_hosts({"allowed_hosts": ["Insights.Example.org"]}, {"INSIGHTS_ALLOWED_HOSTS": "a.test, b.test"})
    assert allowed.names == {"127.0.0.1", "localhost", "[::1]", "insights.example.org", "a.test", "b.test"}
    assert allowed.allows_name("insights.example.org:8443") and allowed.allows_name("localhost:1")
    assert not allowed.allows_name("insights.example.org.evil.test") and not allowed.allows_name(TRIGGER)
    assert AllowedHosts().allows_name("192.168.0.5:8001", ("192.168.0.5", 8001))  # the address it serves on
    assert not AllowedHosts().allows_name("192.168.0.5:8001", ("0.0.0.0", 8001))
    assert AllowedHosts(["*"]).allows_name(TRIGGER)


@pytest.mark.parametrize("config, environ, named", [
    ({"allowed_hosts": "example.org"}, {}, "plugins.insights.allowed_hosts"),
    ({"allowed_hosts": ["https://example.org"]}, {}, "'https://example.org'"),
    ({"allowed_hosts": ["example.org:80"]}, {}, "'example.org:80'"),
    ({}, {"INSIGHTS_ALLOWED_HOSTS": "example.org/x"}, "INSIGHTS_ALLOWED_HOSTS"),
])
def test_a_malformed_name_is_refused_naming_it(config, environ, named):
    """Breaks if a mistyped allowed name (a URL, a port) silently allows nothing."""
    with pytest.raises(ValueError, match=re.escape(named)):
        configured_hosts(config, environ)


async def test_the_check_answers_only_http_and_lets_the_lifespan_through(db):
    """Through Datasette's own app: a websocket naming another host is closed before it is
    accepted; the lifespan (no Host) starts as before."""
    app = make_datasette(db).app()
    sent = []

    async def send(message):
        sent.append(message)

    async def receive_nothing():
        return {"type": "websocket.connect"}

    await app({"type": "websocket", "path": "/", "headers": [(b"host", b"evil.example")], "server": ("127.0.0.1", 1)},
              receive_nothing, send)
    assert sent == [{"type": "websocket.close", "code": 1008}]
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent.clear()

    async def receive():
        return next(messages)

    await app({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


@pytest.mark.slow  # a real datasette serve
def test_through_a_real_server_another_host_gets_a_prompt_400(db):
    """Breaks if the check is gone (the trigger then takes 23 s and freezes the server) or no
    longer runs first (Datasette would answer a page for evil.example)."""
    with datasette_server(db) as base, httpx.Client(base_url=base, timeout=30) as client:
        for host in (TRIGGER, "evil.example", "evil.example:8001", "127.0.0.1.evil.example"):
            started = time.perf_counter()
            response = client.get(FINDING, headers={"host": host})
            assert (response.status_code, time.perf_counter() - started < GENEROUS) == (400, True), host
            assert response.headers["content-type"] == "text/plain; charset=utf-8"
            assert "allowed_hosts" in response.text and host not in response.text
        assert client.get(FINDING).status_code == 200  # 127.0.0.1:<port>
        assert client.get(FINDING, headers={"host": "localhost:1"}).status_code == 200


@pytest.mark.slow  # a real datasette serve
def test_with_the_check_off_a_forged_host_reaches_the_citations_and_never_blocks_another_request(db):
    """``INSIGHTS_ALLOWED_HOSTS=*`` (a proxy checks names): the forged Host reaches every page that
    cites. Breaks if the citations' Host check backtracks: with the old pattern the forged
    request held the event loop for minutes and the other request waited behind it."""
    forged = "a" * 30 + "!"  # about 70 s with the old pattern
    with datasette_server(db, env={"INSIGHTS_ALLOWED_HOSTS": "*"}) as base:
        answers = {}

        def ask(name, path, host=None):
            started = time.perf_counter()
            with httpx.Client(base_url=base, timeout=120) as client:
                response = client.get(path, headers={"host": host} if host else {})
            answers[name] = (response, time.perf_counter() - started)

        paths = [FINDING, f"{FINDING}.ris", "/insights/memo?theme=crowdfunding", "/insights/findings/-/memo.md"]
        forged_requests = [threading.Thread(target=ask, args=(path, path, forged)) for path in paths]
        for thread in forged_requests:
            thread.start()
        ask("other", "/insights/findings?_theme=financing")
        for thread in forged_requests:
            thread.join()
    response, seconds = answers["other"]
    assert response.status_code == 200 and seconds < GENEROUS
    for path in paths:
        response, seconds = answers[path]
        assert (response.status_code, seconds < GENEROUS) == (200, True), path
        # Cited by path alone, never by the forged name (Datasette's own alternate link names it, escaped).
        assert forged not in re.sub(r'<link rel="alternate"[^>]*>', "", response.text), path
