"""A save's history (ingest/write/history.py) in a real git repository made in tmp_path: one
commit per save with the editor as author, of the note (and an upload's sources) only, never of
what someone else staged nor of a file outside notes/; a commit that fails leaves the note and
the database saved and says why; who changed a note last, from git or from notes/.history/."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ingest.build import build
from ingest.write.history import Editor, HistoryError, author_line, commit_files, last_change
from ingest.write.save import file_digest, save_note

from .conftest import NOTES, WILTON
from .test_write_save import EDITOR, NEW_TITLE, NOTE, edited, note_digest_in, titles


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def git_home(tmp_path, monkeypatch) -> Path:
    """A HOME of its own with no git identity: the tests never read the machine's git config."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_DIR"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def repo(tmp_path, git_home) -> Path:
    """A repository holding the corpus under notes/ (committed by a configured maintainer) and a
    README beside it; its database is built outside the repository."""
    root = tmp_path / "repo"
    shutil.copytree(NOTES, root / "notes")
    (root / "README.md").write_text("knowledge base\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Maintainer")
    git(root, "config", "user.email", "maintainer@example.org")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "corpus")
    build(root / "notes", tmp_path / "insights.db")
    return root


def save(repo: Path, text: str, opened: str | None, editor: Editor = EDITOR, relative: str = NOTE, **kwargs):
    return save_note(repo / "notes", relative, text, opened_digest=opened, editor=editor,
                     db_path=repo.parent / "insights.db", message="제목 고침: forum-scope", **kwargs)


def test_each_save_is_one_commit_with_the_editor_as_author(repo):
    """Breaks if the commit is missing, names someone else, or holds more than the note."""
    path = repo / "notes" / NOTE
    result = save(repo, edited(path.read_text(encoding="utf-8")), file_digest(path))
    assert result.commit == git(repo, "rev-parse", "HEAD").strip() and result.history_error is None
    assert result.backup is None  # git keeps the previous version
    assert [p.name for p in (repo / "notes" / ".history").rglob("*") if p.is_file()] in ([], [".gitignore"])
    log = git(repo, "log", "-1", "--format=%an|%ae|%s")
    assert log.strip() == "김연구|kim@krihs.example|제목 고침: forum-scope"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [f"notes/{NOTE}"]
    assert git(repo, "status", "--porcelain") == ""
    assert NEW_TITLE in titles(repo.parent / "insights.db")


def test_what_someone_else_staged_is_neither_committed_nor_unstaged(repo):
    """Breaks if the save commits the whole index (`git commit -a`, dulwich's default)."""
    (repo / "README.md").write_text("someone's work in progress\n", encoding="utf-8")
    git(repo, "add", "README.md")
    path = repo / "notes" / NOTE
    save(repo, edited(path.read_text(encoding="utf-8")), file_digest(path))
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [f"notes/{NOTE}"]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["README.md"]


def test_an_upload_commits_its_draft_and_sources_together(repo):
    """Breaks if ``also`` is left out of the commit, or a new file cannot be committed."""
    notes = repo / "notes"
    (notes / "sources" / "보고서.txt").write_text("원문\n", encoding="utf-8")
    (notes / "sources" / "보고서.hwpx").write_bytes(b"PK\x03\x04 original")
    text = edited((notes / NOTE).read_text(encoding="utf-8"))
    save(repo, text, file_digest(notes / NOTE),
         also=[notes / "sources" / "보고서.txt", Path("sources/보고서.hwpx")])
    committed = git(repo, "-c", "core.quotepath=false", "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(committed) == sorted([f"notes/{NOTE}", "notes/sources/보고서.txt", "notes/sources/보고서.hwpx"])


def test_commit_files_never_commits_outside_notes(repo):
    """Breaks if a path from a request could put any file of the repository into history."""
    with pytest.raises(ValueError):
        commit_files(repo / "notes", [repo / "README.md"], EDITOR, "no")
    with pytest.raises(ValueError):
        commit_files(repo / "notes", [Path("../README.md")], EDITOR, "no")
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"


def test_without_a_configured_identity_the_editor_is_also_the_committer(repo):
    """Breaks if a server with no git identity configured cannot record saves."""
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    path = repo / "notes" / NOTE
    result = save(repo, edited(path.read_text(encoding="utf-8")), file_digest(path), editor=Editor("이편집"))
    assert result.commit and result.history_error is None
    name, email = author_line(Editor("이편집"))
    assert git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == f"{name} <{email}>|{name} <{email}>"
    assert email.endswith("@writing-room.invalid")
    assert author_line(Editor("이편집")) == (name, email)  # a stable placeholder


def test_a_locked_repository_keeps_the_save_and_says_so(repo):
    """Breaks if a failed commit loses the edit, leaves note and database apart, or stays silent."""
    (repo / ".git" / "index.lock").write_text("")
    path = repo / "notes" / NOTE
    before = path.read_bytes()
    text = edited(before.decode())
    result = save(repo, text, file_digest(path))
    assert result.commit is None and "locked" in result.history_error
    assert path.read_text(encoding="utf-8") == text
    assert note_digest_in(repo.parent / "insights.db", NOTE) == result.digest
    assert result.backup.read_bytes() == before  # the previous version is kept beside the note instead
    assert last_change(repo / "notes", NOTE).editor == EDITOR.name  # the save is still attributed
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"


def test_hostile_editor_names_cannot_forge_the_author_line():
    name, email = author_line(Editor("mallory <evil@x>\nCo-authored-by: x", "a>b@c"))
    assert "<" not in name + email and ">" not in name + email and "\n" not in name
    assert author_line(Editor("")) [0] == "editor"


def test_last_change_reads_the_last_commit_of_the_note(repo):
    notes = repo / "notes"
    change = last_change(notes, NOTE)
    assert change.editor == "Maintainer" and change.commit == git(repo, "rev-parse", "HEAD").strip()
    started = time.time()
    save(repo, edited((notes / NOTE).read_text(encoding="utf-8")), file_digest(notes / NOTE))
    change = last_change(notes, NOTE)
    assert change.editor == EDITOR.name and change.when.timestamp() >= int(started)
    assert last_change(notes, "drafts/none.md") is None


def test_last_change_without_a_repository_or_a_save_is_none(tmp_path):
    shutil.copytree(NOTES, tmp_path / "notes")
    assert last_change(tmp_path / "notes", f"{WILTON}.md") is None


def test_commit_files_outside_a_repository_commits_nothing(tmp_path):
    shutil.copytree(NOTES, tmp_path / "notes")
    assert commit_files(tmp_path / "notes", [Path(NOTE)], EDITOR, "x") is None


def test_a_git_refusal_is_a_history_error(repo):
    """Breaks if git's refusal is swallowed (the caller would report a commit that is not there)."""
    path = repo / "notes" / NOTE
    path.write_text(edited(path.read_text(encoding="utf-8")), encoding="utf-8")
    (repo / ".git" / "refs" / "heads" / "main.lock").write_text("")  # another git command is moving main
    with pytest.raises(HistoryError) as refused:
        commit_files(repo / "notes", [Path(NOTE)], EDITOR, "x")
    assert "main.lock" in str(refused.value)
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"


def test_a_version_git_does_not_hold_is_kept_before_it_is_replaced(repo):
    """Breaks if a hand edit made on disk and never committed vanishes when an editor saves over it."""
    path = repo / "notes" / NOTE
    hand_edit = path.read_text(encoding="utf-8").replace("About fifty experts", "About 50 experts")
    path.write_text(hand_edit, encoding="utf-8")
    result = save(repo, edited(hand_edit), file_digest(path))
    assert result.commit and result.backup.read_text(encoding="utf-8") == hand_edit


def test_notes_the_repository_ignores_are_never_committed(tmp_path, git_home):
    """Breaks if a corpus in a git-ignored folder (bench/work/) is committed, or its saves fail."""
    root = tmp_path / "repo"
    shutil.copytree(NOTES, root / "work" / "notes")
    (root / ".gitignore").write_text("/work/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".gitignore")
    git(root, "-c", "user.name=M", "-c", "user.email=m@example.org", "commit", "-q", "-m", "ignore work/")
    notes = root / "work" / "notes"
    result = save_note(notes, NOTE, edited((notes / NOTE).read_text(encoding="utf-8")),
                       opened_digest=file_digest(notes / NOTE), editor=EDITOR, db_path=tmp_path / "insights.db",
                       message="x")
    assert result.commit is None and result.history_error is None and result.backup is not None
    assert commit_files(notes, [Path(NOTE)], EDITOR, "x") is None
    assert git(root, "rev-list", "--count", "HEAD").strip() == "1" and git(root, "status", "--porcelain") == ""


def test_a_repository_git_cannot_read_keeps_versions_beside_the_note_and_says_so(tmp_path, git_home, db_path,
                                                                                  notes_dir):
    """Breaks if a broken repository (here a .git file pointing nowhere) stops saves or loses versions."""
    (tmp_path / ".git").write_text("gitdir: /nonexistent/repository\n", encoding="utf-8")
    path = notes_dir / NOTE
    before = path.read_bytes()
    result = save_note(notes_dir, NOTE, edited(before.decode()), opened_digest=file_digest(path), editor=EDITOR,
                       db_path=db_path, message="x")
    assert result.commit is None and "not a git repository" in result.history_error
    assert result.backup.read_bytes() == before and note_digest_in(db_path, NOTE) == result.digest
    assert last_change(notes_dir, NOTE).editor == EDITOR.name


def fast_import(repo: Path, commits: int) -> None:
    """``commits`` commits by seven authors, a minute apart: ``notes/oldest.md`` touched by the
    first only, then 200 other notes in turn (git fast-import: a second, not a minute)."""
    stream = []
    for i in range(commits):
        note = f"notes/note-{i % 200:04d}.md" if i else "notes/oldest.md"
        body, message = f"note {i}\n한글 {i}\n".encode(), f"edit {i}".encode()
        stream += [b"commit refs/heads/main\n", f"author 편집자{i % 7} <e{i % 7}@example.org> {1700000000 + i * 60} "
                   f"+0000\ncommitter M <m@example.org> {1700000000 + i * 60} +0000\n".encode(),
                   b"data %d\n%s\n" % (len(message), message), f"M 100644 inline {note}\n".encode(),
                   b"data %d\n%s\n" % (len(body), body)]
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    git(repo, "checkout", "-q", "-f", "main")


def test_last_change_on_a_history_of_a_thousand_commits(tmp_path, git_home):
    """Breaks if last_change reads the wrong commit on a long history, or if saves stop keeping the
    commit-graph that makes it fast (the figure: docs/operations.md; bench/write.py measures it)."""
    repo = tmp_path / "history"
    fast_import(repo, 1000)
    notes = repo / "notes"
    oldest = last_change(notes, "oldest.md")
    assert (oldest.editor, oldest.when.timestamp()) == ("편집자0", 1700000000)
    newest = last_change(notes, "note-0199.md")
    assert (newest.editor, newest.when.timestamp()) == ("편집자5", 1700000000 + 999 * 60)  # 999 % 7
    (notes / "note-0001.md").write_text("고침\n", encoding="utf-8")
    commit_files(notes, [Path("note-0001.md")], EDITOR, "고침")
    assert (repo / ".git" / "objects" / "info" / "commit-graphs" / "commit-graph-chain").exists()
    started = time.perf_counter()
    assert last_change(notes, "oldest.md") == oldest
    assert time.perf_counter() - started < 2.0  # generous: a few ms here; the whole history walked is ~0.1 s
    assert last_change(notes, "note-0001.md").editor == EDITOR.name


def test_a_new_note_with_a_korean_name_is_committed_with_the_message_as_written(repo):
    """Breaks if a new (untracked) note is not added, or git's clean-up eats a message line starting with #."""
    notes = repo / "notes"
    text = edited((notes / NOTE).read_text(encoding="utf-8"))
    (notes / NOTE).unlink()
    git(repo, "commit", "-q", "-am", "move")
    message = "#2 새 출처: 보고서 초안\n\n# 두 번째 줄도 남는다"
    result = save_note(notes, "drafts/새-노트.md", text, opened_digest=None, editor=EDITOR,
                       db_path=repo.parent / "insights.db", message=message)
    assert result.commit and git(repo, "log", "-1", "--format=%B").strip() == message
    shown = git(repo, "-c", "core.quotepath=false", "show", "--name-only", "--format=", "HEAD").split()
    assert shown == ["notes/drafts/새-노트.md"]
    assert last_change(notes, "drafts/새-노트.md").editor == EDITOR.name
