"""The reading room's HTML pages (plugins/reading_room.py) timed against the findings page's HTML
in the same run, taking turns: the home page, one finding's page and the themes page.
Goal: each within 1.5× the findings page's p50."""

from __future__ import annotations

import httpx

from ingest.memo.citation import finding_url

from .measure import time_alternating

GOAL = 1.5


def measure_pages(client: httpx.Client, count: int, budget_s: float) -> dict:
    first = client.get("/insights/findings.json?_size=1&_shape=array").json()[0]["id"]
    pages = {
        "findings page (HTML, cards)": "/insights/findings",
        "home page (/)": "/",
        "a finding's page": finding_url("", first),
        "themes page (/themes)": "/themes",
    }
    timings, _ = time_alternating(client, list(pages.values()), count, budget_s)
    baseline = timings[0]["p50_ms"]
    return {label: timing | {"to_findings_page": round(timing["p50_ms"] / baseline, 2)}
            for label, timing in zip(pages, timings)}


def report_lines(pages: dict) -> list[str]:
    lines = ["", f"| reading-room page (HTML) | p50 ms | p95 ms | n | × findings page p50 (same run; goal ≤ {GOAL}×) |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for label, t in pages.items():
        lines.append(f"| {label} | {t['p50_ms']} | {t['p95_ms']} | {t['n']} | {t['to_findings_page']} |")
    return lines
