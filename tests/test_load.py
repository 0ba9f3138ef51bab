"""A bounded load test on loopback: 8 concurrent clients against a real `datasette serve`
(the findings page, the theme facet, a Korean search, a CSV export). Zero errors is the
assertion; p50 and p99 are printed, not asserted.

`make test` runs it for LOAD_SECONDS=5; `make load` for 20 s (LOAD_SECONDS=20).
"""

from __future__ import annotations

import os

import pytest

from .server import RequestLoop, datasette_server

pytestmark = pytest.mark.slow  # a load test: not in make test-fast

CLIENTS = 8
SECONDS = float(os.environ.get("LOAD_SECONDS", "5"))
PATHS = [
    "/insights/findings",
    "/insights/findings?_theme=financing",
    "/insights/findings?_search=홍보",
    "/insights/findings.csv?_size=max",
]


def test_eight_clients_get_no_error(db_path):
    with datasette_server(db_path) as base:
        loop = RequestLoop(base, PATHS, clients=CLIENTS, max_seconds=SECONDS, max_requests=100_000).run_for(SECONDS)
    print(f"\nload: {CLIENTS} clients, {SECONDS:g} s, {len(loop.results)} requests "
          f"({len(loop.results) / SECONDS:.0f}/s), {len(loop.failures)} errors; "
          f"p50 {loop.percentile(0.5) * 1000:.1f} ms, p99 {loop.percentile(0.99) * 1000:.1f} ms")
    for path in PATHS:
        count = sum(r.path == path for r in loop.results)
        print(f"  {path}: {count} requests, p50 {loop.percentile(0.5, path) * 1000:.1f} ms, "
              f"p99 {loop.percentile(0.99, path) * 1000:.1f} ms")
    assert {r.path for r in loop.results} == set(PATHS)
    assert loop.failures == []
