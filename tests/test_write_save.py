"""Saving a note from the writing room (ingest/write/save.py): the form's digest guards against
overwriting a newer version, the file is replaced in one step, the incremental build runs at
once, and nothing the build refuses stays in notes/. These notes lie in no git repository
(tmp_path): the previous version is kept under notes/.history/ (tests/test_write_history.py
has the git side)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.build import build, check_notes
from ingest.notes.errors import BuildRefused
from ingest.write import journal
from ingest.write.atomic import write_atomically
from ingest.write.lock import notes_lock
from ingest.write.save import Conflict, Editor, file_digest, last_change, note_path, recover_saves, save_note

from .conftest import ROOT, WILTON, examples

NOTE = f"{WILTON}.md"
OLD_TITLE = "스마트도시 전반을 다룬 포럼의 논의 범위"
NEW_TITLE = "스마트도시 전략부터 지속가능성까지 다룬 포럼"
EDITOR = Editor("김연구", "kim@krihs.example")


def edited(text: str) -> str:
    assert OLD_TITLE in text
    return text.replace(OLD_TITLE, NEW_TITLE)


def titles(db: Path) -> set[str]:
    with closing(sqlite3.connect(db)) as conn:
        return {title for (title,) in conn.execute("select title_ko from findings")}


def note_digest_in(db: Path, note: str) -> str | None:
    with closing(sqlite3.connect(db)) as conn:
        row = conn.execute("select note_digest from sources where note_path = ?", [note]).fetchone()
    return row[0] if row else None


def save(notes_dir: Path, db_path: Path, text: str, opened: str | None, relative: str = NOTE, **kwargs):
    return save_note(notes_dir, relative, text, opened_digest=opened, editor=EDITOR, db_path=db_path,
                     message="고침: 제목", **kwargs)


def test_a_save_writes_the_note_and_the_database_shows_it_at_once(notes_dir, db_path):
    """Breaks if the save does not build, builds before writing, or changes the bytes it was given."""
    path = notes_dir / NOTE
    before = path.read_bytes()
    text = edited(before.decode())
    result = save(notes_dir, db_path, text, file_digest(path))
    assert path.read_bytes() == text.encode("utf-8")  # Korean intact, byte for byte
    assert result.path == path and result.digest == file_digest(path)
    assert NEW_TITLE in titles(db_path) and OLD_TITLE not in titles(db_path)
    assert note_digest_in(db_path, NOTE) == result.digest
    assert result.commit is None and result.history_error is None
    assert result.backup is not None and result.backup.read_bytes() == before  # nothing lost
    assert result.backup.is_relative_to(notes_dir / ".history")
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".saving")]  # no temporary file left
    assert check_notes(notes_dir).errors == []  # .history/ is not read as notes


def test_the_saved_form_digest_opens_the_next_save(notes_dir, db_path):
    """Breaks if SaveResult.digest is not the digest of what was written (a second save would conflict)."""
    path = notes_dir / NOTE
    first = save(notes_dir, db_path, edited(path.read_text(encoding="utf-8")), file_digest(path))
    again = path.read_text(encoding="utf-8").replace(NEW_TITLE, "두 번째 제목")
    second = save(notes_dir, db_path, again, first.digest)
    assert "두 번째 제목" in titles(db_path)
    assert second.backup != first.backup and second.backup.read_text(encoding="utf-8").count(NEW_TITLE) == 1


def test_saving_over_a_newer_version_is_refused_and_writes_nothing(notes_dir, db_path):
    """Breaks if a stale digest is not checked, or if the refusal writes anything."""
    path = notes_dir / NOTE
    opened = file_digest(path)
    theirs = path.read_text(encoding="utf-8").replace(OLD_TITLE, "다른 편집자의 제목")
    path.write_text(theirs, encoding="utf-8")  # changed on disk meanwhile
    mine = edited(path.read_text(encoding="utf-8").replace("다른 편집자의 제목", OLD_TITLE))
    with pytest.raises(Conflict) as conflict:
        save(notes_dir, db_path, mine, opened)
    assert conflict.value.current == theirs.encode() and conflict.value.mine == mine.encode()  # both versions
    assert path.read_text(encoding="utf-8") == theirs
    assert OLD_TITLE in titles(db_path)  # no build ran
    assert not (notes_dir / ".history").exists()


def test_a_new_note_must_not_exist_yet_and_an_existing_one_must(notes_dir, db_path):
    """Breaks if opened_digest=None overwrites a note, or a note deleted meanwhile is written back."""
    path = notes_dir / NOTE
    text = path.read_text(encoding="utf-8")
    with pytest.raises(Conflict) as exists:
        save(notes_dir, db_path, edited(text), None)
    assert exists.value.current == text.encode()
    opened = file_digest(path)
    path.unlink()
    with pytest.raises(Conflict) as gone:
        save(notes_dir, db_path, edited(text), opened)
    assert gone.value.current is None and not path.exists()


def test_a_new_note_is_created_in_a_new_folder(notes_dir, db_path):
    """Breaks if the save cannot create drafts/ or the build does not pick up a new note."""
    text = (notes_dir / NOTE).read_text(encoding="utf-8")
    (notes_dir / NOTE).unlink()
    result = save(notes_dir, db_path, edited(text), None, relative="drafts/새-노트.md")
    assert result.path == notes_dir / "drafts" / "새-노트.md" and result.backup is None
    assert NEW_TITLE in titles(db_path) and note_digest_in(db_path, "drafts/새-노트.md") == result.digest


def test_a_note_the_build_refuses_is_put_back(notes_dir, db_path):
    """Breaks if a refused edit stays in notes/ (the next build would fail for everyone)."""
    path = notes_dir / NOTE
    before = path.read_bytes()
    digest_in_db = note_digest_in(db_path, NOTE)
    broken = before.decode().replace("kind: observation", "kind: not-a-kind", 1)
    with pytest.raises(BuildRefused) as refused:
        save(notes_dir, db_path, broken, file_digest(path))
    assert any("not-a-kind" in p.message for p in refused.value.problems)
    assert path.read_bytes() == before
    assert note_digest_in(db_path, NOTE) == digest_in_db
    assert not [p for p in (notes_dir / ".history").rglob("*") if p.is_file() and p.suffix == ".md"]
    assert check_notes(notes_dir).errors == []


def test_a_new_note_the_build_refuses_is_removed(notes_dir, db_path):
    """A problem only the whole knowledge base shows: an id another note holds."""
    copy = (notes_dir / NOTE).read_text(encoding="utf-8")  # the same id as the note beside it
    with pytest.raises(BuildRefused):
        save(notes_dir, db_path, copy, None, relative="drafts/copy.md")
    assert not (notes_dir / "drafts" / "copy.md").exists()
    assert check_notes(notes_dir).errors == []


def test_a_save_without_a_change_writes_nothing(notes_dir, db_path):
    """Breaks if an unchanged form rewrites the file or keeps a needless previous version."""
    path = notes_dir / NOTE
    stat = path.stat()
    result = save(notes_dir, db_path, path.read_text(encoding="utf-8"), file_digest(path))
    assert result.backup is None and result.digest == file_digest(path)
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert last_change(notes_dir, NOTE) is None


@pytest.mark.parametrize("relative", ["../x.md", "/etc/x.md", "sources/x.md", ".history/x.md", "drafts/.x.md",
                                      "x.txt", "a/../x.md", "", ".", "x\\..\\y.md", "x\x00.md"])
def test_only_paths_of_notes_inside_notes_are_written(notes_dir, db_path, relative):
    """Breaks if a path from a request can leave notes/ or write what discovery would not read."""
    with pytest.raises(ValueError):
        save(notes_dir, db_path, "text", None, relative=relative)
    assert sorted(p.name for p in notes_dir.parent.iterdir()) == sorted(["notes", *(
        p.name for p in notes_dir.parent.iterdir() if p.name != "notes")])
    assert not (notes_dir.parent / "x.md").exists()


def test_a_path_through_a_symbolic_link_is_refused(notes_dir, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (notes_dir / "linked").symlink_to(outside)
    with pytest.raises(ValueError):
        note_path(notes_dir, "linked/x.md")


def test_who_saved_last_is_recorded_beside_the_note(notes_dir, db_path):
    """Breaks if the no-repository history forgets the editor or the time."""
    path = notes_dir / NOTE
    started = time.time()
    save(notes_dir, db_path, edited(path.read_text(encoding="utf-8")), file_digest(path))
    change = last_change(notes_dir, NOTE)
    assert change.editor == EDITOR.name and change.commit is None
    assert started - 1 <= change.when.timestamp() <= time.time() + 1


def test_two_editors_saving_at_once_one_wins_and_the_other_gets_a_conflict(notes_dir, db_path):
    """Breaks if the digest check and the write are not under one lock (both would succeed)."""
    path = notes_dir / NOTE
    opened = file_digest(path)
    text = path.read_text(encoding="utf-8")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def one(title: str) -> None:
        barrier.wait()
        try:
            save(notes_dir, db_path, text.replace(OLD_TITLE, title), opened)
            outcomes.append(title)
        except Conflict as conflict:
            outcomes.append(f"conflict: {conflict.current.decode().count(OLD_TITLE)}")

    threads = [threading.Thread(target=one, args=(title,)) for title in ("편집자 가", "편집자 나")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if not o.startswith("conflict")]
    assert len(winners) == 1 and outcomes.count("conflict: 0") == 1
    assert winners[0] in path.read_text(encoding="utf-8") and winners[0] in titles(db_path)


def test_a_build_in_another_process_holds_the_save_back(notes_dir, db_path):
    """Breaks if the save ignores the file lock that `make build` and `--watch` take."""
    code = ("import sys, time; from pathlib import Path; from ingest.write.lock import notes_lock\n"
            "with notes_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(1.0)\n"
            "    print(time.time(), flush=True)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(notes_dir)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    path = notes_dir / NOTE
    save(notes_dir, db_path, edited(path.read_text(encoding="utf-8")), file_digest(path))
    saved = time.time()
    released = float(holder.stdout.readline())
    holder.wait()
    assert saved >= released


def test_a_temporary_file_left_by_a_killed_save_is_cleared_by_the_next(notes_dir, db_path):
    """Breaks if hidden leftovers pile up beside a note (discovery ignores them; people would not)."""
    path = notes_dir / NOTE
    leftover = notes_dir / f".{NOTE}.k1ll3d.saving"
    leftover.write_text("half a note", encoding="utf-8")
    assert check_notes(notes_dir).errors == []
    save(notes_dir, db_path, edited(path.read_text(encoding="utf-8")), file_digest(path))
    assert not leftover.exists()


def interrupted(notes_dir: Path, text: str, when: str = "2026-12-03T08:00:00+00:00") -> tuple[bytes, str]:
    """What a save killed between its rename and its build leaves: its record, and the new note."""
    path = notes_dir / NOTE
    before = path.read_bytes()
    new = text.encode()
    pending = journal.Pending(NOTE, file_digest(path), hashlib.sha256(new).hexdigest(),
                              {"editor": "중단된 편집자", "email": None, "message": "m", "when": when, "also": []})
    journal.begin(notes_dir, pending, before)
    write_atomically(path, new, path.stat())
    return before, pending.new_digest


def test_a_save_interrupted_before_its_build_is_undone_by_the_next(notes_dir, db_path):
    """Breaks if a note the build never accepted survives a kill (every later build could be refused)."""
    path = notes_dir / NOTE
    before, _ = interrupted(notes_dir, edited(path.read_text(encoding="utf-8")))
    opened = hashlib.sha256(before).hexdigest()  # the editor's form, opened before the interrupted save
    mine = before.decode().replace(OLD_TITLE, "다시 저장한 제목")
    result = save(notes_dir, db_path, mine, opened)
    assert "undone" in result.recovered[0] and path.read_text(encoding="utf-8") == mine
    assert result.backup.read_bytes() == before  # the version replaced is the previous one, not the undone one
    assert NEW_TITLE not in titles(db_path)
    assert not (notes_dir / ".history" / ".pending").exists()


def test_a_save_interrupted_after_its_build_is_finished_with_its_history(notes_dir, db_path):
    """Breaks if a save the database already shows loses its record of who made it."""
    path = notes_dir / NOTE
    _, new_digest = interrupted(notes_dir, edited(path.read_text(encoding="utf-8")))
    build(notes_dir, db_path)  # the build ran, then the kill came
    with notes_lock(notes_dir):
        said = recover_saves(notes_dir, db_path)
    assert len(said) == 1 and "finished" in said[0]
    assert file_digest(path) == new_digest == note_digest_in(db_path, NOTE)
    change = last_change(notes_dir, NOTE)
    assert change.editor == "중단된 편집자" and change.when.isoformat() == "2026-12-03T08:00:00+00:00"


def test_make_build_waits_for_a_save_in_progress(notes_dir, db_path):
    """Breaks if `python -m ingest build` (make build, --watch) does not take the save's lock."""
    with notes_lock(notes_dir):
        cli = subprocess.Popen([sys.executable, "-m", "ingest", "build", "--notes", str(notes_dir), "--db", str(db_path)],
                               cwd=ROOT, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(3.0)  # long enough for a build of the corpus to have finished, were it not waiting
        assert cli.poll() is None
    assert cli.wait(timeout=60) == 0


def test_last_change_reads_nothing_outside_the_history(notes_dir):
    (notes_dir.parent / "changes.jsonl").write_text('{"editor": "x", "when": "2026-01-01T00:00:00+00:00"}\n')
    assert last_change(notes_dir, "../../changes.jsonl/..") is None
    assert last_change(notes_dir, "../x.md") is None


def test_the_same_text_saved_by_two_editors_is_no_conflict(notes_dir, db_path):
    """Breaks if the second of two identical saves is refused: there is nothing to choose between."""
    path = notes_dir / NOTE
    opened = file_digest(path)
    text = edited(path.read_text(encoding="utf-8"))
    first = save(notes_dir, db_path, text, opened)
    second = save(notes_dir, db_path, text, opened)
    assert second.digest == first.digest and second.backup is None
    assert path.read_text(encoding="utf-8") == text


PATH_PARTS = st.sampled_from(["..", ".", "", "sources", ".history", ".x.md", "a.md", "드래프트", "a", "x.md/..",
                              "/", "\\", "\x00", "~", "a.md.txt", "link"])


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(PATH_PARTS | st.text(max_size=8), min_size=1, max_size=5).map("/".join))
def test_any_path_from_a_request_is_a_note_inside_notes_or_refused(notes_dir, tmp_path, relative):
    """Breaks if any request path names a file outside notes/, a hidden or source file, or a non-note."""
    if not (notes_dir / "link").exists():
        (notes_dir / "link").symlink_to(tmp_path)
    try:
        path = note_path(notes_dir, relative)
    except ValueError:
        return
    resolved = path.resolve()
    inner = resolved.relative_to(notes_dir.resolve())  # raises if outside
    assert inner.suffix == ".md" and inner.parts[0] != "sources"
    assert not any(part.startswith(".") for part in inner.parts)
    assert resolved == path.absolute()  # no link, no '..' on the way
