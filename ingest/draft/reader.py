"""The child process that reads one report: ``python -m ingest.draft.reader`` (run by
``reading.read_report``, not by hand).

It reads a JSON request on standard input ({"path", "name", "limits"}), limits its own address
space (RLIMIT_AS) and CPU time before it parses anything, and writes one JSON answer on standard
output: {"text": …} or {"error": …, "hint": …, "limit": …}. Nothing else: library logging and
warnings are silenced, and no traceback is ever printed.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import warnings
from pathlib import Path

MEMORY_SUSPECT = 0.9  # a failure after reaching this share of the memory limit is taken for running out of it


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    from .limits import Limits

    limits = Limits(**request["limits"])
    _limit_resources(limits)
    logging.disable(logging.CRITICAL)  # python-hwpx logs a traceback for every file it cannot open
    warnings.simplefilter("ignore")
    answer = read(Path(request["path"]), request["name"], limits)
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    sys.stdout.flush()
    return 0


def read(path: Path, name: str, limits) -> dict:
    """The answer for one report: its text, or what stopped it."""
    from .errors import ReportError
    from .formats import FORMATS, read_in_this_process

    try:
        return {"text": read_in_this_process(path, name, limits)}
    except MemoryError:
        return {"out_of_memory": True}
    except Exception as error:  # noqa: BLE001 - a refusal, or any failure of a parser on a strange file
        # Out of address space, C code fails in its own words (lxml: "XMLSyntaxError: unknown
        # error"), which a reader may have turned into "cannot be read": the peak tells.
        if _peak_memory() > MEMORY_SUSPECT * limits.report_memory_bytes:
            return {"out_of_memory": True}
        if isinstance(error, ReportError):
            return {"error": error.message, "hint": error.hint, "limit": error.limit}
        if isinstance(error, RecursionError):
            return {"error": f"{name}: cannot be read: its structure is nested too deeply", "hint": "", "limit": None}
        kind = FORMATS.get(path.suffix.lower(), "file").upper()
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return {"error": f"{name}: cannot be read as {kind} ({detail[:300]})",
                "hint": "open it in the program that made it and save it again", "limit": None}


def _peak_memory() -> int:
    """The most address space this process has held (VmPeak, what RLIMIT_AS limits), in bytes;
    its peak resident size where /proc does not say."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _limit_resources(limits) -> None:
    memory = int(limits.report_memory_bytes)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (memory if hard == resource.RLIM_INFINITY else min(memory, hard), hard))
    cpu = int(limits.report_seconds) + 5  # a second guard behind the parent's wall-time limit
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard == resource.RLIM_INFINITY else min(cpu, hard), hard))


if __name__ == "__main__":
    sys.exit(main())
