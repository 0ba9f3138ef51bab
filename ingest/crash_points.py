"""Crash points: where the fault-injection tests (tests/test_faults_kill.py) kill a build.

With ``INGEST_CRASH_AT=N`` in its environment a build kills itself with SIGKILL at its Nth
crash point, as a power cut or ``kill -9`` would; with ``INGEST_CRASH_LOG=file`` it appends
``<number> <phase>`` to that file at each one, so a test can choose where to kill. Without
either variable a crash point does nothing.
"""

from __future__ import annotations

import os
import signal
import sqlite3

_AT = int(os.environ.get("INGEST_CRASH_AT") or 0)
_LOG = os.environ.get("INGEST_CRASH_LOG")
_passed = 0


def crash_point(phase: str) -> None:
    global _passed
    if not (_AT or _LOG):
        return
    _passed += 1
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{_passed} {phase}\n")
    if _passed == _AT:
        os.kill(os.getpid(), signal.SIGKILL)


def watch(conn: sqlite3.Connection, phase: str) -> None:
    """Make every statement ``conn`` runs a crash point: ``phase``, or ``commit`` for the
    statements that commit and checkpoint."""
    if _AT or _LOG:
        conn.set_trace_callback(lambda sql: crash_point("commit" if sql.lstrip().upper().startswith(
            ("COMMIT", "PRAGMA WAL_CHECKPOINT")) else phase))
