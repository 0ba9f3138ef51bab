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

MEMORY_SUSPECT = 0.5  # a failure after using this share of the memory limit is taken for running out of it


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
    except ReportError as error:
        return {"error": error.message, "hint": error.hint, "limit": error.limit}
    except MemoryError:
        return {"out_of_memory": True}
    except RecursionError:
        return {"error": f"{name}: cannot be read: its structure is nested too deeply", "hint": "", "limit": None}
    except Exception as error:  # noqa: BLE001 - any other failure of a parser on a strange file
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if peak > MEMORY_SUSPECT * limits.report_memory_bytes:  # libraries fail oddly without memory
            return {"out_of_memory": True}
        kind = FORMATS.get(path.suffix.lower(), "file").upper()
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return {"error": f"{name}: cannot be read as {kind} ({detail[:300]})",
                "hint": "open it in the program that made it and save it again", "limit": None}


def _limit_resources(limits) -> None:
    memory = int(limits.report_memory_bytes)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (memory if hard == resource.RLIM_INFINITY else min(memory, hard), hard))
    cpu = int(limits.report_seconds) + 5  # a second guard behind the parent's wall-time limit
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard == resource.RLIM_INFINITY else min(cpu, hard), hard))


if __name__ == "__main__":
    sys.exit(main())
