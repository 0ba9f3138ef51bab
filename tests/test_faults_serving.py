"""Serving through a kill: while a real `datasette serve` serves the database, builds killed
mid-write and just before they commit leave every request, during and after, answering 200
with the old data."""

from __future__ import annotations

import httpx
import pytest

from .faults import DB, copy_state, corpus_pair, crash_points, run_build
from .server import RequestLoop, datasette_server, poll

pytestmark = pytest.mark.slow  # a kill loop under a real server: not in make test-fast

BUILD = ("/insights.json?_shape=array&sql=select notes_digest, findings, (select count(*) from findings) as rows, "
         "(select count(*) from findings_fts) as indexed from build_info")
PATHS = [BUILD, "/insights/findings", "/insights/findings?_search=forum", "/insights/sources"]


def test_requests_during_and_after_killed_builds_see_the_old_data(tmp_path):
    before, after = corpus_pair(tmp_path, 30)
    served = tmp_path / "served"
    served.mkdir()
    assert run_build(before, served / DB).returncode == 0
    rehearsal, log = tmp_path / "rehearsal", tmp_path / "crash-points.log"
    copy_state(served, rehearsal)
    assert run_build(after, rehearsal / DB, crash_log=log).returncode == 0
    points = crash_points(log)
    writes = [number for number, phase in points if phase == "write"]
    commit = next(number for number, phase in points if phase == "commit")  # the COMMIT, before it runs
    kills = [writes[len(writes) * share // 5] for share in range(1, 5)] + [commit]

    with datasette_server(served / DB) as base:
        old = httpx.get(base + BUILD, timeout=10).json()

        def judge(path: str, response: httpx.Response) -> str:
            return "" if path != BUILD or response.json() == old else f"not the old build: {response.json()}"

        with RequestLoop(base, PATHS, clients=2, max_seconds=300, max_requests=20_000, judge=judge) as loop:
            for number in kills:
                assert run_build(after, served / DB, crash_at=number).returncode == -9
            after_kills = len(loop.results)
            assert poll(lambda: len(loop.results) >= after_kills + 2 * len(PATHS), seconds=120)  # and after them
        last = httpx.get(base + BUILD, timeout=10).json()

    print(f"\nserving through {len(kills)} killed builds: {len(loop.results)} requests, {len(loop.failures)} failed")
    assert loop.failures == [] and last == old
    assert {r.path for r in loop.results} == set(PATHS)
    assert old[0]["findings"] == old[0]["rows"] == old[0]["indexed"] == 300
