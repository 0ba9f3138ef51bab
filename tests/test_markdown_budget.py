"""A text that would take the Markdown renderer seconds is an error of `check`, found before
anything renders it. Python-Markdown reads the square brackets of one paragraph in time that grows
with their square: a summary of 4,000 ``![a`` took `check` itself (which renders each text to
find remote images) and every page showing it about 8 s. These tests break if the budget goes
(check then takes seconds and passes the note), if the error stops naming file and line, or if
an ordinary text with links is refused."""

from __future__ import annotations

import subprocess
import sys
import time

from ingest.notes.markdown_budget import MAX_BRACKETS

from .conftest import ROOT

NOTE = """\
---
id: 2020-05-brackets
title: Brackets
title_ko: 대괄호
type: study
organization: KRIHS
access: public
---

## A finding with a summary of brackets
- id: brackets
- title_ko: 대괄호 요약
- themes: governance
- kind: observation

> 인용문.

{summary}
"""
SUMMARY_LINE = NOTE.split("\n").index("{summary}") + 1


def check(notes_dir, summary: str) -> tuple[subprocess.CompletedProcess, float]:
    (notes_dir / "brackets.md").write_text(NOTE.format(summary=summary), encoding="utf-8")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "ingest", "check", "--notes", str(notes_dir)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    return result, time.monotonic() - started


def test_a_summary_of_thousands_of_brackets_is_refused_at_once_naming_file_and_line(notes_dir):
    result, seconds = check(notes_dir, "![a" * 4000)
    errors = [line for line in result.stderr.splitlines() if line.startswith("brackets.md:")]
    assert result.returncode == 1
    assert errors == [f"brackets.md:{SUMMARY_LINE}: error: this text has 4,000 square brackets '[', more than "
                      f"{MAX_BRACKETS}: pages would take seconds to show it (keep square brackets for links and "
                      "references; remove the others or write them as (…))"]
    assert seconds < 30  # a generous bound on the whole command: the renderer alone took about 8 s


def test_links_and_a_text_at_the_budget_pass(notes_dir):
    summary = "See [the report](https://example.org/report) and [the annex](https://example.org/annex). " + \
              "[a] " * (MAX_BRACKETS - 2)
    result, _ = check(notes_dir, summary)
    assert result.returncode == 0, result.stderr
