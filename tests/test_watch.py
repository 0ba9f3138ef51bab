"""`python -m ingest build --watch`: it watches what a build reads, and a build that fails for a
reason that passes (a locked database, a note that vanished) is reported, tried again, and
watching goes on."""

from __future__ import annotations

import contextlib
import sqlite3
import threading

import pytest

import ingest.build
from ingest.build import build
from ingest.notes.errors import BuildRefused
from ingest.watch import fingerprint, watch

from .conftest import WILTON
from .server import poll
from .watcher import watcher

pytestmark = pytest.mark.slow  # file watchers polled over seconds: not in make test-fast


def test_an_editors_swap_file_does_not_trigger_a_rebuild(notes_dir):
    """The defect: `make watch` counted hidden files, so an editor's swap file made it rebuild
    every few seconds while a note was open. It now watches exactly what discovery reads."""
    before = fingerprint(notes_dir)
    (notes_dir / f".{WILTON}.md.swp").write_bytes(b"\0" * 4096)
    (notes_dir / "sources" / ".trip-report.txt.swp").write_bytes(b"swap")
    (notes_dir / ".git" / "objects").mkdir(parents=True)
    (notes_dir / ".git" / "objects" / "ab").write_bytes(b"object")
    (notes_dir / ".DS_Store").write_bytes(b"finder")
    assert fingerprint(notes_dir) == before
    (notes_dir / f".{WILTON}.md.swp").write_bytes(b"\1" * 5000)  # the editor saves its swap file again
    assert fingerprint(notes_dir) == before

    watched = {path for path, *_ in before}
    assert watched == {p.relative_to(notes_dir).as_posix() for p in notes_dir.rglob("*")
                       if p.is_file() and not any(part.startswith(".") for part in p.relative_to(notes_dir).parts)}
    assert {f"{WILTON}.md", "themes.yml"} <= watched
    note = notes_dir / f"{WILTON}.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fingerprint(notes_dir) != before


def test_watch_retries_when_the_database_is_locked(notes_dir, tmp_path, wilton_note):
    """The defect: a build beside `make watch` (say `make serve`'s) held the write lock, and the
    watcher died on `database is locked`. It reports it in one line, waits, and builds again."""
    db, log = tmp_path / "insights.db", tmp_path / "watch.log"
    with log.open("w") as output, watcher(notes_dir, db, output):
        assert poll(lambda: "built " in log.read_text(), seconds=30)
        with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as other_build:
            other_build.execute("begin immediate")  # what another build holds while it writes
            (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace("title: Disrupting", "title: Rewritten"),
                                                    encoding="utf-8")
            assert poll(lambda: "build failed: database is locked" in log.read_text(), seconds=30), log.read_text()
            other_build.execute("rollback")
        assert poll(lambda: log.read_text().count("built ") == 2, seconds=30), log.read_text()
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            assert conn.execute("select title from sources").fetchone()[0].startswith("Rewritten")
    [failure] = [line for line in log.read_text().splitlines() if "build failed" in line]
    assert failure.startswith("build failed: database is locked; trying again in ") and "Traceback" not in log.read_text()


def test_watch_keeps_watching_when_a_note_vanishes_mid_build(notes_dir, tmp_path, wilton_note, monkeypatch):
    """The defect: a note deleted while a build was reading it ended `make watch`."""
    monkeypatch.setattr(ingest.build, "KEEP_FINDINGS", 0)  # notes are read a second time, for writing
    other = notes_dir / "other.md"
    other.write_text(wilton_note.replace(f"id: {WILTON}", "id: 2016-04-other-forum"), encoding="utf-8")
    db = tmp_path / "insights.db"
    reports: list[str] = []
    built: list[int] = []
    stop = threading.Event()

    def delete_other_while_writing(items, total, label):
        for item in items:
            if label == "writing" and other.exists():
                other.unlink()  # checked, about to be read again: gone
            yield item

    def rebuild():
        try:
            stats, _ = build(notes_dir, db, progress=delete_other_while_writing)
            built.append(stats.findings)
        except BuildRefused as refused:  # as the command reports a refused build: its problems, then the refusal
            reports.append("; ".join(map(str, refused.problems)) + f"; build refused: {refused}")
        if built:
            stop.set()

    watcher = threading.Thread(target=watch, args=(notes_dir, rebuild, 0.05, reports.append, stop))
    watcher.start()
    watcher.join(timeout=120)
    assert not watcher.is_alive(), reports
    assert built == [15] and not other.exists()
    [report] = reports
    assert "other.md" in report, report
