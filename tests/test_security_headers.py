"""Security headers on every response, and cookies the browser's scripts cannot read (issue 19,
item 11): ``ingest/serve/security_headers.py`` through ``plugins/security.py``, seen through
Datasette's test client on a spread of pages, data, downloads, static files and errors.
The same pages in real Chromium: ``tests/test_security_headers_browser.py``."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import datasette
import httpx
import pytest

from ingest.build import build
from ingest.serve.security_headers import CONTENT_SECURITY_POLICY, INLINE_SCRIPTS

from .conftest import NOTES, ROOT, WILTON, make_datasette

FINDING = f"/insights/findings/{WILTON}~2Fcitizen-crowdfunding"
# Every kind of response the instance gives: (path, status).
RESPONSES = {
    "home": ("/", 200), "database": ("/insights", 200), "findings": ("/insights/findings", 200),
    "findings, filtered": ("/insights/findings?_theme=financing&_region=europe", 200),
    "finding": (FINDING, 200), "source": (f"/insights/sources/{WILTON}", 200),
    "plain table": ("/insights/themes", 200), "plain row": ("/insights/themes/financing", 200),
    "themes page": ("/themes", 200), "search": ("/insights/search?q=%ED%8E%80%EB%94%A9", 200),
    "canned query": ("/insights/memo?theme=crowdfunding", 200), "sql": ("/insights?sql=select+1", 200),
    "memo page": ("/insights/findings/-/memo", 200), "json": ("/insights/findings.json", 200),
    "row json": (f"{FINDING}.json", 200), "csv": ("/insights/findings.csv", 200),
    "export csv": ("/insights/findings/-/export.csv", 200), "memo md": ("/insights/findings/-/memo.md", 200),
    "ris": (f"{FINDING}.ris", 200), "robots": ("/robots.txt", 200),
    "static": ("/static/reading-room.css", 200), "datasette static": ("/-/static/app.css", 200),
    "not found": ("/insights/nope", 404), "bad request": ("/insights/findings.json?_timelimit=x", 400),
    "messages": ("/-/messages", 200),
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("headers") / "insights.db"
    build(NOTES, path)
    return path


def sha256(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


@pytest.mark.parametrize("name", RESPONSES)
async def test_every_response_carries_the_security_headers(db, name):
    """Breaks if a kind of response is served without the policy (a download, a static file, an
    error page) or with a policy of its own."""
    path, status = RESPONSES[name]
    response = await make_datasette(db).client.get(path)
    assert response.status_code == status, (path, response.text[:300])
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    # Datasette's data views (JSON, CSV, queries) send the stricter no-referrer; it is kept.
    assert response.headers["referrer-policy"] in ("same-origin", "no-referrer")
    assert len(response.headers.get_list("content-security-policy")) == 1


async def test_the_400_for_another_host_carries_them_too(db):
    """Breaks if the Host check moves outside the headers (its 400 would go without them)."""
    response = await make_datasette(db).client.get(FINDING, headers={"host": "evil.example"})
    assert response.status_code == 400
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert (response.headers["x-content-type-options"], response.headers["referrer-policy"]) == ("nosniff", "same-origin")


def test_the_policy_allows_the_instance_and_data_images_and_no_inline_script_but_by_hash():
    """Breaks if the policy is loosened: inline or eval'd script, images or plugins from elsewhere."""
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'" and directives["img-src"] == "'self' data:"
    assert directives["script-src"].split() == ["'self'", *(f"'{h}'" for h in INLINE_SCRIPTS.values())]
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert directives["object-src"] == "'none'" and directives["form-action"] == "'self'"


async def test_every_inline_script_of_every_page_is_allowed_by_its_hash(db):
    """Breaks when a template (ours, or Datasette's after an upgrade) writes an inline script the
    policy does not list: Chromium would refuse to run it. The failure names the script."""
    ds = make_datasette(db)
    seen = set()
    for name, (path, _) in RESPONSES.items():
        response = await ds.client.get(path)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        for script in INLINE_SCRIPT.findall(response.text):
            assert sha256(script) in INLINE_SCRIPTS.values(), (name, script[:200])
            seen.add(sha256(script))
        assert not re.search(r"<script[^>]+src=\"(?!/)", response.text), name  # files of the instance only
        assert not re.search(r"\son[a-z]+=", response.text.split("<body", 1)[-1]), name  # no inline handlers
    facet_off = sha256("DATASETTE_ALLOW_FACET = false;")
    assert seen == set(INLINE_SCRIPTS.values()) - {facet_off}  # each hash listed is used (false: allow_facet off)
    off = await make_datasette(db, allow_facet=False).client.get("/insights/themes")
    assert facet_off in {sha256(s) for s in INLINE_SCRIPT.findall(off.text)}


def test_no_script_reads_cookies():
    """HttpOnly on ds_csrftoken is safe only while no script reads the token from document.cookie
    (Datasette's templates write it into forms). Breaks if one starts to."""
    scripts = [*(ROOT / "static").glob("*.js"), *(Path(datasette.__file__).parent / "static").glob("*.js")]
    assert scripts and [s.name for s in scripts if "cookie" in s.read_text(encoding="utf-8", errors="replace")] == []


def cookies(response: httpx.Response) -> dict[str, set[str]]:
    """Each cookie set, by name, with its attributes in lower case."""
    found = {}
    for header in response.headers.get_list("set-cookie"):
        name, *attributes = [part.strip() for part in header.split(";")]
        found[name.split("=", 1)[0]] = {a.split("=", 1)[0].lower() for a in attributes}
    return found


async def signed_in(ds, client: httpx.AsyncClient) -> httpx.Response:
    """Datasette's root sign-in link (``--root``) sets ds_actor, as datasette-auth-passwords will."""
    ds._root_token = "token-for-the-test"
    return await client.get("/-/auth-token?token=token-for-the-test")


@pytest.mark.parametrize("scheme, force_https, secure", [("http", False, False), ("https", False, True),
                                                         ("http", True, True)])
async def test_cookies_the_instance_sets_are_http_only_and_secure_over_https(db, scheme, force_https, secure):
    """ds_csrftoken (asgi-csrf) and ds_actor (a sign-in) get HttpOnly; Secure when the request
    came over HTTPS or ``force_https_urls`` says the instance is served so. Breaks if a cookie a
    script could read, or one sent over plain HTTP from an HTTPS site, comes back."""
    ds = make_datasette(db, force_https_urls=force_https)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=ds.app()), base_url=f"{scheme}://localhost") as client:
        responses = [await client.get("/-/messages"), await signed_in(ds, client)]
    set_cookies = {name: attributes for response in responses for name, attributes in cookies(response).items()}
    assert set(set_cookies) == {"ds_csrftoken", "ds_actor"}
    for name, attributes in set_cookies.items():
        assert "httponly" in attributes, name
        assert ("secure" in attributes) == secure, name
    for response in responses:
        assert all(header.lower().count("httponly") == 1 for header in response.headers.get_list("set-cookie"))
