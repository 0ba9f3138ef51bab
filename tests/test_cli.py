"""`python -m ingest check` and `build` as a researcher runs them."""

import sqlite3
import subprocess
import sys

import pytest

from .conftest import ROOT, WILTON
from .server import poll
from .watcher import watcher


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "ingest", *args], cwd=cwd, capture_output=True, text=True)


def test_check_on_clean_notes_prints_one_summary_line(notes_dir):
    result = run("check", "--notes", str(notes_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok: 1 note(s), 15 finding(s), 0 warning(s)"


def test_check_reports_file_line_and_exits_1(notes_dir, wilton_note):
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace("- kind: implication", "- kind: implcation"), encoding="utf-8")
    result = run("check", "--notes", str(notes_dir))
    assert result.returncode == 1
    assert f"{WILTON}.md:" in result.stderr and "did you mean 'implication'?" in result.stderr


def test_build_writes_the_database(notes_dir, tmp_path):
    db = tmp_path / "insights.db"
    result = run("build", "--notes", str(notes_dir), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "15 finding(s)" in result.stdout
    assert db.exists()


def test_refused_build_does_not_create_the_database(notes_dir, tmp_path, wilton_note):
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace("access: public", "access: secret"), encoding="utf-8")
    db = tmp_path / "insights.db"
    result = run("build", "--notes", str(notes_dir), "--db", str(db))
    assert result.returncode == 1
    assert "access must be public or internal" in result.stderr
    assert not db.exists()


@pytest.mark.slow  # a watcher polled over seconds: not in make test-fast
def test_build_watch_rebuilds_on_every_change_and_keeps_the_db_on_a_bad_one(notes_dir, tmp_path, wilton_note):
    db, log = tmp_path / "insights.db", tmp_path / "watch.log"
    note = notes_dir / f"{WILTON}.md"

    def title() -> str:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("select title from sources").fetchone()[0]

    with log.open("w") as output, watcher(notes_dir, db, output):
        assert poll(lambda: "built " in log.read_text(), seconds=30)  # the first build, at start
        assert title().startswith("Disrupting")
        note.write_text(wilton_note.replace("title: Disrupting", "title: Rewritten"), encoding="utf-8")
        assert poll(lambda: title().startswith("Rewritten"), seconds=30)
        # The build has finished (checkpoint included) only once it says so.
        assert poll(lambda: log.read_text().count("built ") == 2, seconds=30)
        before = db.read_bytes()
        note.write_text(wilton_note.replace("access: public", "access: secret"), encoding="utf-8")
        assert poll(lambda: "build refused" in log.read_text(), seconds=30)
        assert db.read_bytes() == before
    assert "access must be public or internal, not 'secret'" in log.read_text()
