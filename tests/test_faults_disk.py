"""A build on a full disk: a child process whose files may not grow past a limit (RLIMIT_FSIZE,
with SIGXFSZ ignored, so a write fails with EFBIG as on a full disk). The build says so in one
clear message (no space, where, how much), exits 1, and leaves the previous database as it was
and no temporary file, for a first build, an incremental one, a full one and a public one."""

from __future__ import annotations

import pytest


from .conftest import WILTON
from .faults import CACHE, DB, files_in, integrity, run_build, table_digest

pytestmark = pytest.mark.slow  # fault injection (a full disk): not in make test-fast

LIMIT = 48 * 1024  # bytes: less than any database of the real notes


def assert_out_of_room(result, folder) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"error: no space left to write the database in {folder.resolve()}" in result.stderr
    assert "files this process writes are limited to 48.0 KB (ulimit -f)" in result.stderr
    assert "free some space (or raise the file-size limit) and build again" in result.stderr


def test_a_first_build_on_a_full_disk_writes_nothing(notes_dir, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    result = run_build(notes_dir, folder / DB, file_size_limit=LIMIT)
    assert_out_of_room(result, folder)
    assert f"nothing was written: there is no {folder / DB} yet" in result.stderr
    assert files_in(folder) <= {CACHE}  # the analysis cache, kept for the next build; no database, no .tmp


@pytest.mark.parametrize("args", [(), ("--full",), ("--public",)], ids=["incremental", "full", "public"])
def test_a_rebuild_on_a_full_disk_keeps_the_previous_database(notes_dir, db_path, wilton_note, args):
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace("Citizens", "Residents"), encoding="utf-8")
    before = table_digest(db_path)
    result = run_build(notes_dir, db_path, *args, file_size_limit=LIMIT)
    assert_out_of_room(result, db_path.parent)
    assert f"nothing was changed: {db_path} is still the previous build" in result.stderr
    assert "a full build needs about" in result.stderr  # the size of the database it replaces
    assert integrity(db_path) == ["ok"] and table_digest(db_path) == before
    kept = {DB} if "--public" in args else {DB, CACHE}  # a public build deletes the cache before it writes
    assert {name for name in files_in(db_path.parent) if name.startswith(DB)} == kept

    assert run_build(notes_dir, db_path, *args).returncode == 0  # with room again, the same build succeeds
    assert table_digest(db_path) != before



def test_the_operations_doc_shows_each_failure_as_printed():
    from ingest.build import CHANGED_HINT
    from ingest.notes.validate import REMOTE_HINT

    from .conftest import ROOT
    doc = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    failures = doc[doc.index("## Failures"):]
    for printed in ["build refused: 1 problem(s) in notes; the database was not changed",
                    f"the file was removed while the build was reading the notes ({CHANGED_HINT})",
                    "the note changed while the build was reading it", "changed while the build was checking quotes",
                    "error: remote content is not allowed: https://… (" + REMOTE_HINT.split(";")[0],
                    "error: no space left to write the database in",
                    "nothing was changed: insights.db is still the previous build; free some space (or raise the "
                    "file-size limit) and build again",
                    "failed their checksum; those texts were analysed again", "it was deleted and rebuilt",
                    "was not saved", "exit status 137", "Aborted!"]:
        assert printed in failures, printed
