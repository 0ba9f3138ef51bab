"""Files that vanish or change while a build reads them: a note or a source document removed
or edited half-way through `ingest build` gives a `file:line` error, exit code 1, and no change
to the database. The build's progress hook (`progress_bar` in ingest/cli.py) does the damage
at a chosen step, so each case happens at exactly the moment it names."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import ingest.build
import ingest.cli
from bench.corpus import generate
from ingest.build import build

from .faults import DB, files_in, table_digest

pytestmark = pytest.mark.slow  # fault injection (files changing under a build): not in make test-fast


@pytest.fixture
def corpus(tmp_path) -> tuple[Path, Path]:
    """Six notes of three findings, each with its own source document, and their database."""
    notes = generate(tmp_path / "notes", 6, 3)
    db = tmp_path / "out" / DB
    db.parent.mkdir()
    build(notes, db)
    return notes, db


def damage_at(monkeypatch, step: str, number: int, damage: Callable[[], None]) -> None:
    """Make the build run ``damage`` just before it takes item ``number`` of ``step``
    ('checking' or 'writing')."""
    def progress(items, total, label):
        iterator = iter(items)
        for index in itertools.count():
            if label == step and index == number:
                damage()
            try:
                item = next(iterator)
            except StopIteration:
                return
            yield item
    monkeypatch.setattr(ingest.cli, "progress_bar", progress)


def build_with_damage(notes: Path, db: Path) -> tuple[int, str]:
    result = CliRunner().invoke(ingest.cli.cli, ["build", "--full", "--notes", str(notes), "--db", str(db)])
    return result.exit_code, result.output


def note(notes: Path, number: int) -> Path:
    return notes / f"bench-{number:07d}.md"


def document(notes: Path, number: int) -> Path:
    return notes / "sources" / f"bench-{number:07d}.txt"


def edit(path: Path) -> Callable[[], None]:
    return lambda: path.write_text(path.read_text(encoding="utf-8") + "\nAdded during the build.\n", encoding="utf-8")


CASES = {
    "a note removed before it is read": ("checking", 0, lambda n: note(n, 4).unlink(),
                                         "bench-0000004.md:1: error: the file was removed while the build was reading the notes"),
    "a note edited before it is read": ("checking", 0, lambda n: edit(note(n, 4))(),
                                        "bench-0000004.md:1: error: the note changed while the build was reading it"),
    "a source document removed after its quotes were checked": (
        "checking", 3, lambda n: document(n, 2).unlink(),
        "bench-0000002.md:15: error: source document sources/bench-0000002.txt was removed while the build was "
        "checking quotes against it"),
    "a source document edited after its quotes were checked": (
        "checking", 3, lambda n: edit(document(n, 2))(),
        "bench-0000002.md:15: error: source document sources/bench-0000002.txt changed while the build was "
        "checking quotes against it"),
    "a note removed before it is read again for writing": ("writing", 2, lambda n: note(n, 4).unlink(),
                                                           "bench-0000004.md:1: error: the file was removed"),
    "a note edited before it is read again for writing": ("writing", 2, lambda n: edit(note(n, 4))(),
                                                          "bench-0000004.md:1: error: the note changed"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_file_that_vanishes_or_changes_during_a_build_stops_it(corpus, monkeypatch, case):
    notes, db = corpus
    step, number, damage, message = CASES[case]
    monkeypatch.setattr(ingest.build, "KEEP_FINDINGS", 0)  # big builds read the notes again to write them
    damage_at(monkeypatch, step, number, lambda: damage(notes))
    before = table_digest(db)
    exit_code, output = build_with_damage(notes, db)
    assert exit_code == 1, output
    assert message in output and "run the build again once the files stop changing" in output
    assert "build refused" in output and "Traceback" not in output
    assert table_digest(db) == before
    assert files_in(db.parent) == {DB, f"{DB}-analysis-cache"}


def test_the_damage_hook_does_nothing_when_nothing_is_damaged(corpus, monkeypatch):
    notes, db = corpus
    damage_at(monkeypatch, "checking", 3, lambda: None)
    exit_code, output = build_with_damage(notes, db)
    assert exit_code == 0 and "18 finding(s)" in output
