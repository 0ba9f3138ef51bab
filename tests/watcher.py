"""`python -m ingest build --watch` as a person runs it in a terminal, stopped with Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from .conftest import ROOT

STOP_SECONDS = 60  # loading the analyser holds the GIL, and a signal waits for it on a loaded machine


def _with_ctrl_c() -> None:
    # A test run started in the background (`make test &`, some CI runners) ignores SIGINT, and its
    # children would inherit that: Python would then never raise KeyboardInterrupt. A terminal's
    # watcher gets Ctrl-C, so this one does too.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def watcher(notes_dir: Path, db: Path, output: IO) -> Iterator[subprocess.Popen]:
    """A running watcher writing to ``output``; on leaving, Ctrl-C, and it must stop cleanly."""
    process = subprocess.Popen([sys.executable, "-m", "ingest", "build", "--watch", "--notes", str(notes_dir),
                                "--db", str(db)], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                               preexec_fn=_with_ctrl_c)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=STOP_SECONDS) == 0
