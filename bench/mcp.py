"""``search_findings`` over ``/-/mcp`` timed against the search page in the same run, taking turns.

    python bench/mcp.py --db bench/work/insights.db     # alone, on a built corpus
    (make bench runs it inside bench/run.py's Datasette timings)

Each tool call is one JSON-RPC POST on an initialised session (datasette-mcp answers JSON), the
way an assistant's client sends it. Its baseline: the ``search`` canned query's JSON
(/insights/search.json?q=…), the same words, the same server. Goal: p50 ≤ 50 ms at 100k findings.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.parse
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import datasette_server, percentiles  # noqa: E402

GOAL_MS = 50
QUERIES = {"홍보": "Korean word", "재원": "concept (the theme financing)", "crowdfunding": "English concept word"}
HEADERS = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


def open_session(client: httpx.Client) -> dict:
    """Initialise an MCP session; the headers its later requests carry."""
    response = client.post("/-/mcp", headers=HEADERS, json={
        "jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}}})
    response.raise_for_status()
    headers = {**HEADERS, "mcp-session-id": response.headers["mcp-session-id"],
               "mcp-protocol-version": response.json()["result"]["protocolVersion"]}
    client.post("/-/mcp", headers=headers, json={"jsonrpc": "2.0", "method": "notifications/initialized"})
    return headers


def call_tool(client: httpx.Client, headers: dict, name: str, arguments: dict) -> dict:
    response = client.post("/-/mcp", headers=headers, json={
        "jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": name, "arguments": arguments}})
    if response.status_code != 200 or response.json()["result"].get("isError"):
        raise RuntimeError(f"{name} answered {response.status_code}: {response.text[:500]}")
    return response.json()["result"]


def measure_search_findings(client: httpx.Client, count: int, budget_s: float, limit: int = 10) -> dict:
    """For each query: search_findings' p50/p95 and the search page's, requested in turn."""
    headers = open_session(client)
    results = {}
    for query, what in QUERIES.items():
        page = "/insights/search.json?" + urllib.parse.urlencode({"q": query})
        arguments = {"query": query, "limit": limit}
        for _ in range(2):  # warm-up
            found = call_tool(client, headers, "search_findings", arguments)
            client.get(page).raise_for_status()
        tool_ms, page_ms = [], []
        deadline = time.perf_counter() + budget_s
        while len(tool_ms) < count and time.perf_counter() < deadline:
            t0 = time.perf_counter()
            call_tool(client, headers, "search_findings", arguments)
            tool_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            client.get(page).raise_for_status()
            page_ms.append((time.perf_counter() - t0) * 1000)
        tool, baseline = percentiles(tool_ms), percentiles(page_ms)
        results[f"search_findings({query!r}, limit={limit}) — {what}"] = tool | {
            "results": len(found["structuredContent"]["result"]),
            "search_page_p50_ms": baseline["p50_ms"], "to_search_page": round(tool["p50_ms"] / baseline["p50_ms"], 2)}
    return results


def report_lines(results: dict) -> list[str]:
    lines = ["", f"| MCP tool call (/-/mcp) | results | p50 ms | p95 ms | n | search page p50 (same run) | × that | "
                 f"goal p50 ≤ {GOAL_MS} ms |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for label, t in results.items():
        lines.append(f"| {label} | {t['results']} | {t['p50_ms']} | {t['p95_ms']} | {t['n']} | "
                     f"{t['search_page_p50_ms']} | {t['to_search_page']} | {'yes' if t['p50_ms'] <= GOAL_MS else 'no'} |")
    return lines


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a built insights.db")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--budget", type=float, default=60, help="seconds per query, at most")
    args = parser.parse_args(argv)
    with datasette_server(args.db) as client:
        results = measure_search_findings(client, args.requests, args.budget)
    print("\n".join(report_lines(results)))
    return results


if __name__ == "__main__":
    main()
