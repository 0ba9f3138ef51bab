"""Exports run within limits (issue 15, defect 3): a client that goes away stops its export, a
bounded number run at once, and a public build has a row cap and a time limit.

The clients here drive Datasette's own ASGI app by hand, as a server would (a request, then
``http.disconnect`` when the client leaves), so that a test decides when a client stops reading
or leaves; what the server did is read from its export gate (``ingest.serve.export_limits``)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from datasette.app import Datasette

from bench.synthetic import write_synthetic_db
from ingest.build import build
from ingest.serve.export_limits import PUBLIC_LIMITS, configured_limits, gate_of

from .conftest import ROOT, make_datasette
from .exports import csv_rows

pytestmark = pytest.mark.slow  # real-server export limits on synthetic findings: not in make test-fast

FINDINGS = 3_000  # three chunks of CSV and more: an export that is still running after its first
EXPORTS = ["/insights/findings/-/export.csv", "/insights/findings/-/export.xlsx", "/insights/findings/-/memo.md",
           "/insights/findings/-/memo.hwpx", "/insights/findings/-/memo.docx"]
ZIPS = (".xlsx", ".hwpx", ".docx")  # made whole before their first byte


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("limits") / "insights.db"
    write_synthetic_db(path, FINDINGS)
    return path


def with_export_limits(db_path: Path, **limits) -> Datasette:
    """The project's Datasette, with ``plugins.insights.exports`` set to ``limits``."""
    metadata = json.loads((ROOT / "metadata.json").read_text(encoding="utf-8"))
    metadata["plugins"].setdefault("insights", {})["exports"] = limits
    settings = json.loads((ROOT / "settings.json").read_text(encoding="utf-8"))
    return Datasette(files=[str(db_path)], metadata=metadata, plugins_dir=str(ROOT / "plugins"),
                     template_dir=str(ROOT / "templates"), settings=settings)


class Client:
    """One HTTP request to Datasette's ASGI app, from a client that may stop reading or leave."""

    def __init__(self, ds: Datasette, path: str):
        self.ds, self.path = ds, path
        self.messages: list[dict] = []
        self.reading = asyncio.Event()  # cleared: the client reads no more of the body (sends wait)
        self.reading.set()
        self.gone = asyncio.Event()
        self.first_body = asyncio.Event()
        self._asked = False

    async def start(self) -> "Client":
        await self.ds.invoke_startup()
        path, _, query = self.path.partition("?")
        scope = {"type": "http", "http_version": "1.1", "method": "GET", "scheme": "http", "path": path,
                 "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
                 "headers": [(b"host", b"localhost")], "client": ("127.0.0.1", 50000),
                 "server": ("127.0.0.1", 8001)}
        self.task = asyncio.ensure_future(self.ds.app()(scope, self.receive, self.send))
        return self

    async def receive(self) -> dict:
        if not self._asked:
            self._asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict) -> None:
        self.messages.append(message)
        if message["type"] == "http.response.body":
            self.first_body.set()
            await self.reading.wait()

    def leave(self) -> None:
        self.gone.set()
        self.reading.set()

    @property
    def complete(self) -> bool:
        return any(m["type"] == "http.response.body" and not m.get("more_body") for m in self.messages)

    @property
    def got_the_file(self) -> bool:
        return self.complete and self.status == 200

    @property
    def status(self) -> int:
        return next(m["status"] for m in self.messages if m["type"] == "http.response.start")


@pytest.mark.parametrize("path", EXPORTS)
async def test_a_client_that_goes_away_stops_its_export(big_db, path):
    ds = make_datasette(big_db)
    client = await Client(ds, path).start()
    if path.endswith(ZIPS):
        await asyncio.sleep(0)  # a zip is made before its first byte: the client leaves meanwhile
    else:
        await asyncio.wait_for(client.first_body.wait(), 120)
    client.leave()
    await asyncio.wait_for(client.task, 120)  # the server's side of the request has ended …
    assert not client.got_the_file  # … before the file was made
    gate = gate_of(ds)
    assert gate.outcomes["client went away"] == 1 and gate.outcomes["complete"] == 0
    assert gate.running == 0  # the slot is free again
    whole = await ds.client.get("/insights/findings/-/export.csv")
    assert whole.status_code == 200 and len(csv_rows(whole.content)[1]) == FINDINGS


async def test_exports_beyond_the_concurrency_cap_get_503_with_retry_after(big_db):
    ds = with_export_limits(big_db, concurrent=1, wait_seconds=0.05, retry_after_seconds=7)
    slow = await Client(ds, "/insights/findings/-/export.csv").start()
    slow.reading.clear()  # takes its first chunk, then reads no more: it holds the only slot
    await asyncio.wait_for(slow.first_body.wait(), 120)
    assert gate_of(ds).running == 1
    for path in EXPORTS + ["/insights/findings/-/memo"]:
        busy = await ds.client.get(path)
        assert busy.status_code == 503, path
        assert busy.headers["retry-after"] == "7"
        assert "try again in 7 s" in busy.text
    assert gate_of(ds).outcomes["refused"] == len(EXPORTS) + 1
    slow.leave()
    await asyncio.wait_for(slow.task, 120)
    assert gate_of(ds).running == 0
    assert (await ds.client.get("/insights/findings/-/export.csv?_theme=crowdfunding")).status_code == 200


async def test_a_client_that_stops_reading_is_cut_off_at_the_time_limit(big_db):
    ds = with_export_limits(big_db, time_limit_seconds=2)
    stalled = await Client(ds, "/insights/findings/-/export.csv").start()
    stalled.reading.clear()  # and never reads again, nor leaves
    await asyncio.wait_for(stalled.task, 120)  # the server ends it on its own
    assert stalled.status == 200 and not stalled.complete
    assert gate_of(ds).outcomes["time limit"] == 1 and gate_of(ds).running == 0


@pytest.fixture
def public_db(tmp_path, notes_dir) -> Path:
    path = tmp_path / "public" / "insights.db"
    path.parent.mkdir()
    build(notes_dir, path, public=True)
    return path


async def test_a_public_build_caps_the_rows_of_an_export(public_db, db_path):
    public = with_export_limits(public_db, public={"max_rows": 2})
    for path in EXPORTS:
        refused = await public.client.get(path)
        assert refused.status_code == 400, path
        assert "exports at most 2 at once" in refused.text
        narrow = await public.client.get(path + "?_theme=crowdfunding")  # one finding
        assert narrow.status_code == 200, path
    internal = with_export_limits(db_path, public={"max_rows": 2})  # not a public build: no cap
    _, rows = csv_rows((await internal.client.get("/insights/findings/-/export.csv")).content)
    assert len(rows) > 2


async def test_a_public_build_has_a_time_limit_on_exports(public_db):
    public = with_export_limits(public_db, public={"time_limit_seconds": 1e-9})
    for path in EXPORTS + ["/insights/findings/-/memo"]:
        response = await public.client.get(path)
        assert response.status_code == 400, path
        assert "time limit" in response.text
    assert gate_of(public).outcomes["time limit"] == len(EXPORTS) + 1 and gate_of(public).running == 0


def test_a_public_build_is_limited_whatever_the_configuration():
    assert configured_limits({}, public=False).max_rows is None
    unlimited = configured_limits({}, public=True)
    assert (unlimited.max_rows, unlimited.time_limit_seconds) == (PUBLIC_LIMITS["max_rows"],
                                                                  PUBLIC_LIMITS["time_limit_seconds"])
    loose = configured_limits({"max_rows": 10**9, "public": {"max_rows": None, "time_limit_seconds": 10**6}}, True)
    assert loose.max_rows == PUBLIC_LIMITS["max_rows"] and loose.time_limit_seconds == 10**6
    tight = configured_limits({"max_rows": 50, "public": {"max_rows": 500}}, public=True)
    assert tight.max_rows == 50  # the tighter of the two


@pytest.mark.parametrize("limits, problem", [
    ({"concurent": 2}, "unknown key 'concurent'"),
    ({"concurrent": 0}, "concurrent must be a positive number"),
    ({"public": {"max_rows": "many"}}, "public.max_rows must be a positive number"),
])
async def test_a_mistyped_export_limit_stops_the_server_at_start_up(db_path, limits, problem):
    with pytest.raises(ValueError, match=problem):
        await with_export_limits(db_path, **limits).invoke_startup()
