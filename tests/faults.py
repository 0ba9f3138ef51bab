"""Helpers of the fault-injection tests: a generated corpus and a second version of it, a
build in a child process (killed at its Nth crash point, or under a file-size limit), a
digest of every table, and the files a build leaves beside its database."""

from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from bench.corpus import generate, load_slugs, note_text

from .conftest import BY_WHAT_ROWIDS_STAND_FOR, ROOT

DB = "insights.db"
CACHE = "insights.db-analysis-cache"


def corpus_pair(folder: Path, notes: int, findings_per_note: int = 10) -> tuple[Path, Path]:
    """Notes ``before`` and ``after``: after, a tenth of the notes changed, a few removed and a few new."""
    before = generate(folder / "before", notes, findings_per_note)
    after = folder / "after"
    shutil.copytree(before, after)  # copies keep their modification times: an incremental build skips them
    rng = random.Random(14)
    vocabulary = load_slugs(after / "themes.yml")
    names = sorted(p.stem for p in after.glob("bench-*.md"))
    for name in rng.sample(names, max(1, notes // 10)):
        note = after / f"{name}.md"
        text = note.read_text(encoding="utf-8").replace("The report calls it", "보고서는 이를 다음과 같이 부름:")
        note.write_text(text + "\nA sentence added after the first build.\n", encoding="utf-8")
    for name in rng.sample(names, max(1, notes // 50)):
        (after / f"{name}.md").unlink()
    for index in range(notes, notes + max(1, notes // 50)):
        text, document = note_text(index, rng, vocabulary, findings_per_note)
        (after / f"bench-{index:07d}.md").write_text(text, encoding="utf-8")
        (after / "sources" / f"bench-{index:07d}.txt").write_text(document, encoding="utf-8")
    return before, after


def run_build(notes: Path, db: Path, *args: str, crash_at: int = 0, crash_log: Path | None = None,
              file_size_limit: int | None = None) -> subprocess.CompletedProcess:
    """`python -m ingest build` in a child process."""
    env = {**os.environ, "INGEST_CRASH_AT": str(crash_at)}
    env.pop("INGEST_CRASH_LOG", None)
    if crash_log:
        env["INGEST_CRASH_LOG"] = str(crash_log)

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write fails with EFBIG, not a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, resource.RLIM_INFINITY))

    return subprocess.run([sys.executable, "-m", "ingest", "build", "--notes", str(notes), "--db", str(db), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True,
                          preexec_fn=limit_file_size if file_size_limit else None)


def table_digest(db: Path) -> str:
    """sha256 of every table's rows in a fixed order (the search index and the related terms by
    finding id, not by rowid), leaving out only when the build ran."""
    digest = hashlib.sha256()
    with closing(sqlite3.connect(db)) as conn:
        tables = [name for (name,) in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
            "and name not like 'findings_fts%' and name != 'build_info' order by name")]
        queries = [BY_WHAT_ROWIDS_STAND_FOR.get(table) or
                   f"select * from [{table}] order by {', '.join(str(i + 1) for i in range(columns(conn, table)))}"
                   for table in tables]
        queries.append("select notes_digest, vocabulary_digest, sources, findings, themes, public from build_info")
        queries.append("select f.id, x.title, x.body from findings_fts x join findings f on f.rowid = x.rowid order by f.id")
        for query in queries:
            digest.update(query.encode())
            for row in conn.execute(query):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def columns(conn: sqlite3.Connection, table: str) -> int:
    return len(conn.execute(f"select * from [{table}] limit 0").description)


def integrity(db: Path) -> list[str]:
    """PRAGMA integrity_check, and FTS5's own check of the search index (which raises if it fails)."""
    with closing(sqlite3.connect(db)) as conn:
        checks = [row[0] for row in conn.execute("pragma integrity_check")]
        conn.execute("insert into findings_fts (findings_fts) values ('integrity-check')")
    return checks


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def crash_points(log: Path) -> list[tuple[int, str]]:
    """(number, phase) of every crash point a build passed, from its INGEST_CRASH_LOG."""
    return [(int(number), phase) for number, phase in (line.split() for line in log.read_text().splitlines())]


def spread(points: list[tuple[int, str]], count: int) -> list[tuple[int, str]]:
    """``count`` crash points spread over the build: every commit point, and the rest evenly
    over each other phase (parse, check, write, cache)."""
    phases: dict[str, list[tuple[int, str]]] = {}
    for point in points:
        phases.setdefault(point[1], []).append(point)
    chosen = list(phases.pop("commit", []))
    others = sorted(phases.values(), key=len)
    for index, phase_points in enumerate(others):
        share = min(len(phase_points), (count - len(chosen)) // (len(others) - index))
        chosen += [phase_points[int((i + 0.5) * len(phase_points) / share)] for i in range(share)]
    return sorted(chosen)


def copy_state(source: Path, target: Path) -> None:
    """``target`` holds exactly the files of ``source`` (a database and its cache, or nothing)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
