"""A build killed with SIGKILL (a power cut, `kill -9`) at any point of parse, check, write
or commit leaves the previous database or the new one, whole, and nothing half-written that
anyone reads; the next build succeeds and equals a fresh full build.

The build kills itself at its Nth crash point (``INGEST_CRASH_AT``, ingest/crash_points.py):
a first build and an incremental one are each killed at FAULT_KILLS points chosen from a
complete run's list of crash points (`make faults` runs many more, on a bigger corpus)."""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from ingest.build import build

from .faults import (CACHE, DB, copy_state, corpus_pair, crash_points, files_in, integrity, run_build, spread,
                     table_digest)

pytestmark = pytest.mark.slow  # a kill loop: not in make test-fast

KILLS = int(os.environ.get("FAULT_KILLS", "20"))  # per kind of build
NOTES = int(os.environ.get("FAULT_NOTES", "100"))  # of twenty findings each
# What a kill may leave beside the database: SQLite's own journals (which the next connection
# uses to roll back or finish a transaction) and the half-written copy of a first build, which
# no reader opens and the next build deletes first.
LEFT_BY_A_KILL = {DB, f"{DB}-wal", f"{DB}-shm", CACHE, f"{CACHE}-wal", f"{CACHE}-shm",
                  f"{DB}.tmp", f"{DB}.tmp-wal", f"{DB}.tmp-shm", f"{DB}.tmp-journal"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Notes before and after a round of edits; the database of `before` (and its cache); a
    warm cache without a database (a first build); the digest of a fresh full build of `after`."""
    folder = tmp_path_factory.mktemp("kills")
    before, after = corpus_pair(folder, NOTES, findings_per_note=20)
    built = folder / "built"
    built.mkdir()
    assert run_build(before, built / DB).returncode == 0
    first = folder / "first"
    first.mkdir()
    shutil.copy(built / CACHE, first / CACHE)
    fresh = folder / "fresh"
    fresh.mkdir()
    shutil.copy(built / CACHE, fresh / CACHE)  # only the edited text is analysed
    assert run_build(after, fresh / DB).returncode == 0
    return {"after": after, "fresh": table_digest(fresh / DB),
            "first": (first, None), "incremental": (built, table_digest(built / DB))}


@pytest.mark.parametrize("kind", ["first", "incremental"])
def test_a_killed_build_leaves_the_previous_database_or_the_new_one(corpus, kind, tmp_path):
    state, previous = corpus[kind]
    after, rehearsal, log = corpus["after"], tmp_path / "rehearsal", tmp_path / "crash-points.log"
    copy_state(state, rehearsal)
    assert run_build(after, rehearsal / DB, crash_log=log).returncode == 0
    new = table_digest(rehearsal / DB)
    assert new == corpus["fresh"]
    points = spread(crash_points(log), KILLS)
    assert len(points) >= KILLS and {"parse", "check", "write", "commit"} <= {phase for _, phase in points}

    seen = Counter()
    in_this_process = threading.Lock()  # one build at a time here; the killed builds run beside it

    def kill_and_recover(number: int, phase: str) -> None:
        folder = tmp_path / f"kill-{number}"
        copy_state(state, folder)
        killed = run_build(after, folder / DB, crash_at=number)
        where = f"killed at crash point {number} ({phase})"
        assert killed.returncode == -signal.SIGKILL, f"{where}: {killed.stderr}"
        assert files_in(folder) <= LEFT_BY_A_KILL, where
        with in_this_process:
            if (folder / DB).exists():
                assert integrity(folder / DB) == ["ok"], where
                digest = table_digest(folder / DB)
                assert digest in (previous, new), f"{where}: neither the previous build nor the new one"
                seen["new" if digest == new else "previous"] += 1
            else:
                assert previous is None, f"{where}: the database is gone"
                seen["none yet"] += 1
            seen["a temporary file left, for the next build to delete"] += f"{DB}.tmp" in files_in(folder)
            build(after, folder / DB)  # in this process: the loop's time goes on kills, not on start-ups
            assert table_digest(folder / DB) == corpus["fresh"], where
            assert files_in(folder) == {DB, CACHE}, where
        shutil.rmtree(folder)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for done in [pool.submit(kill_and_recover, *point) for point in points]:
            done.result()
    print(f"\n{kind} build: {len(points)} kills {dict(Counter(phase for _, phase in points))}, "
          f"all survived: {dict(seen)}")
    assert seen["new"] and seen["previous" if previous else "none yet"]
