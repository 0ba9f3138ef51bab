"""Reading a report: a file in, its text out, in a child process that nothing in the file can
take past its limits. The one function the draft tool calls, and the writing room will call from
a server thread (it blocks; run it in a thread off the event loop):

    read_report(path, limits=DEFAULT_LIMITS, name=None) -> ReportText   # or raises ReportError

Every refusal is a ReportError whose ``message`` names the report as ``name`` (the path, by
default; an upload's own name, say) and says what is wrong in words a researcher reads, whose
``hint`` says what to do, and whose ``limit`` names the limit a file went over (see limits.py).
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import ReportError
from .formats import TEXT_SUFFIXES, check_file, check_text, read_in_this_process
from .limits import DEFAULT_LIMITS, Limits, limit_hint, megabytes

PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent  # where `ingest` can be imported from


@dataclass(frozen=True)
class ReportText:
    """A report as read: its text in the shape every reader hands over (one paragraph a line,
    depth as leading spaces, table rows as tab-separated cells; see structure), in Unicode NFC."""

    text: str
    format: str  # hwpx, hwp, docx, pdf, txt, md


def read_report(path: Path, limits: Limits = DEFAULT_LIMITS, name: str | None = None) -> ReportText:
    """The report's text; ReportError if it cannot be read or goes over a limit.

    Text and Markdown are read here (there is nothing to unpack, and the size is capped first);
    every other format in a child process with the memory and time limits."""
    path = Path(path)
    name = name or str(path)
    file_format = check_file(path, name, limits)
    if path.suffix.lower() in TEXT_SUFFIXES:
        text = read_in_this_process(path, name, limits)
    else:
        text = _read_in_child(path, name, limits)
    text = unicodedata.normalize("NFC", text)  # decomposed Korean (macOS, some PDF makers) is found by no search
    check_text(text, name, limits)
    return ReportText(text, file_format)


def _read_in_child(path: Path, name: str, limits: Limits) -> str:
    request = {"path": str(path.resolve()), "name": name, "limits": dataclasses.asdict(limits)}
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(PACKAGE_ROOT), os.environ.get("PYTHONPATH"))))}
    try:
        done = subprocess.run([sys.executable, "-m", "ingest.draft.reader"], input=json.dumps(request).encode("utf-8"),
                              capture_output=True, timeout=limits.report_seconds, env=environment, cwd=PACKAGE_ROOT)
    except subprocess.TimeoutExpired:  # run() has killed the child
        raise _over_time(name, limits) from None
    try:
        answer = json.loads(done.stdout.decode("utf-8")) if done.returncode == 0 else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        answer = None
    if answer is None and done.returncode == -signal.SIGXCPU:  # the child's CPU limit, behind the wall time
        raise _over_time(name, limits)
    # Out of address space, Python raises MemoryError, but C code in a parser may abort, crash or
    # fail with an odd error instead (the child judges those by its peak memory); -9: the kernel's OOM killer.
    if answer is None and not (done.returncode in (-signal.SIGKILL, -signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS)
                               or b"MemoryError" in done.stderr):
        raise ReportError(f"{name}: the process reading it stopped unexpectedly (exit status {done.returncode})",
                          "try again; if it happens again, open the report in the program that made it and save it again")
    if answer is None or answer.get("out_of_memory"):
        raise ReportError(f"{name}: reading it needed more than {megabytes(limits.report_memory_bytes)} of memory "
                          "(limit: report_memory_bytes)", limit_hint("report_memory_bytes"), "report_memory_bytes")
    if "error" in answer:
        raise ReportError(answer["error"], answer.get("hint") or "", answer.get("limit"))
    return answer["text"]


def _over_time(name: str, limits: Limits) -> ReportError:
    return ReportError(f"{name}: reading it took longer than {limits.report_seconds:g} s (limit: report_seconds)",
                       limit_hint("report_seconds"), "report_seconds")
