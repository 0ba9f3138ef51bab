"""A note's history: a git commit per save where notes/ lies in a git work tree, otherwise the
previous version kept beside the note; who changed a note last and when.

Git is driven through its command line (``git add`` then ``git commit --only -- <paths>``):
only the given paths are committed, whatever else someone has staged, and never a file outside
notes/. The editor is the commit's author (and its committer where git has no identity
configured). Hooks do not run (``--no-verify``): the build has already judged the note. Each
commit also updates git's commit-graph with changed-path filters, so ``last_change`` (one
``git log -1 -- <note>``) costs a few milliseconds however long the history.

Without a repository (or without a git binary), ``notes/.history/<note path>/`` keeps each
previous version as ``<UTC time>.md`` and ``changes.jsonl`` one line per save (who, when, the
new version's digest, the message). The folder is hidden, so discovery and ``--watch`` ignore
it, and it holds a ``.gitignore`` of ``*`` so it is never committed by accident.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HISTORY_DIR = ".history"
CHANGES_FILE = "changes.jsonl"
GIT_TIMEOUT = 60  # seconds: a commit waiting longer than this has met something else holding git
PLACEHOLDER_DOMAIN = "writing-room.invalid"  # RFC 2606: never a real mailbox

_commits = threading.Lock()  # one commit at a time from this process; git's index.lock guards the rest


@dataclass(frozen=True)
class Editor:
    name: str  # the signed-in actor's id
    email: str | None = None  # for the commit's author line; a stable placeholder when None


@dataclass(frozen=True)
class Change:
    editor: str
    when: datetime
    commit: str | None


class HistoryError(Exception):
    """The save could not be recorded in git (the note and the database are saved all the same)."""


def author_line(editor: Editor) -> tuple[str, str]:
    """(name, email) safe for a commit's author line: no angle brackets, no control characters."""
    name = re.sub(r"[<>\x00-\x1f\x7f]", "", editor.name).strip() or "editor"
    email = re.sub(r"[<>\s\x00-\x1f\x7f]", "", editor.email or "")
    if not email:
        local = editor.name if re.fullmatch(r"[A-Za-z0-9._-]{1,64}", editor.name) else \
            "editor-" + hashlib.sha256(editor.name.encode()).hexdigest()[:12]
        email = f"{local}@{PLACEHOLDER_DOMAIN}"
    return name, email


def work_tree(notes_dir: Path) -> Path | None:
    """The top of the git work tree holding notes_dir, or None (no repository, or no git binary).
    Found by looking for ``.git`` upwards: no process started, cheap enough for every page."""
    if shutil.which("git") is None:
        return None
    folder = notes_dir.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def notes_repository(notes_dir: Path) -> Path | None:
    """The work tree whose history records saves: ``work_tree``, unless that repository ignores
    notes/ (a corpus under a git-ignored folder is kept beside its notes, never committed)."""
    top = work_tree(notes_dir)
    if top is None:
        return None
    folder = notes_dir.resolve()
    folders = [_in_tree(f, top) for f in (folder, *folder.parents) if f != top and top in f.parents]
    if not folders:
        return top
    # every folder from notes/ up: git does not report a path inside an ignored folder as ignored
    # (not with literal pathspecs, which check-ignore refuses: the names are matched as paths all the same)
    ignored = _git(top, ["check-ignore", "--", *folders], _env(GIT_LITERAL_PATHSPECS="0"), check=False)
    if ignored.returncode not in (0, 1):
        raise HistoryError(_explain(ignored.stderr))
    return None if ignored.returncode == 0 else top


def committed_version(top: Path, path: Path, data: bytes) -> bool:
    """Whether ``data`` (the bytes of ``path``) is what HEAD holds for it: if not, the version on
    disk was never committed and is kept beside the note before a save replaces it."""
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    done = _git(top, ["rev-parse", "-q", "--verify", f"HEAD:{_in_tree(path, top)}"], _env(), check=False)
    return done.returncode == 0 and done.stdout.strip() == blob


def _in_tree(path: Path, top: Path) -> str:
    return path.relative_to(top).as_posix() or "."


def _env(**extra: str) -> dict:
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_LITERAL_PATHSPECS": "1", "LC_ALL": "C.UTF-8", **extra}


def inside(notes_dir: Path, path: Path) -> Path:
    """``path`` (absolute, or relative to notes_dir) resolved; ValueError if it lies outside notes_dir."""
    root = notes_dir.resolve()
    resolved = (path if path.is_absolute() else notes_dir / path).resolve()
    if resolved != root and root not in resolved.parents:
        raise ValueError(f"{path} lies outside {notes_dir}")
    return resolved


def commit_files(notes_dir: Path, paths: Sequence[Path], editor: Editor, message: str) -> str | None:
    """Commit exactly ``paths`` (files under notes_dir) with the editor as author: the new
    commit's id, or None where notes_dir is in no git work tree. Raises HistoryError when git
    refuses (a locked repository, a merge in progress …); ValueError for a path outside notes/."""
    top = notes_repository(notes_dir)
    files = [inside(notes_dir, Path(p)) for p in paths]
    if top is None:
        return None
    if not files:
        raise ValueError("nothing to commit")
    relative = [_in_tree(f, top) for f in files]
    name, email = author_line(editor)
    env = _env()
    with _commits:
        if _git(top, ["var", "GIT_COMMITTER_IDENT"], env, check=False).returncode != 0:
            env.update(GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)  # no identity configured
        _git(top, ["add", "--", *relative], env)
        _git(top, ["-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "--only",
                   "--cleanup=whitespace", f"--author={name} <{email}>", "-m", message or "Edit notes",
                   "--", *relative], env)
        commit = _git(top, ["rev-parse", "HEAD"], env).stdout.strip()
        # Keep git's commit-graph, with its changed-path filters, current (a few ms a commit; the
        # first one covers the whole history): `git log -- <note>` then skips the commits that
        # did not touch the note, so last_change stays fast on a long history. Only a cache.
        _git(top, ["commit-graph", "write", "--reachable", "--changed-paths", "--split"], env, check=False)
        return commit


def _git(top: Path, args: list[str], env: dict, check: bool = True) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(["git", "-C", str(top), *args], env=env, capture_output=True, text=True,
                              timeout=GIT_TIMEOUT, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise HistoryError(f"git could not run: {error}") from error
    if check and done.returncode != 0:
        raise HistoryError(_explain(done.stderr))
    return done


def _explain(stderr: str) -> str:
    """git's complaint in one line, with what an operator can do about the common ones."""
    text = " ".join(stderr.split()) or "git failed"
    if "index.lock" in text or ".lock': File exists" in text:
        return f"the notes repository is locked by another git command ({text})"
    if "dubious ownership" in text:
        return f"git does not trust the notes repository's owner ({text})"
    return text


# ---- without a repository: the previous version kept beside the note -------------------------

def history_folder(notes_dir: Path, relative: str) -> Path:
    return notes_dir / HISTORY_DIR / relative


def history_root(notes_dir: Path) -> Path:
    """``notes/.history/``, made with a ``.gitignore`` of ``*``: never committed by accident."""
    root = notes_dir / HISTORY_DIR
    root.mkdir(exist_ok=True)
    ignore = root / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    return root


def keep_previous(notes_dir: Path, relative: str, previous: bytes, when: datetime) -> Path:
    """Write the note's previous bytes to ``.history/<relative>/<time>.md`` (fsynced) and return it."""
    history_root(notes_dir)
    folder = history_folder(notes_dir, relative)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = when.strftime("%Y%m%dT%H%M%S.%fZ")
    target, number = folder / f"{stamp}.md", 1
    while target.exists():
        number += 1
        target = folder / f"{stamp}-{number}.md"
    with open(target, "xb") as file:
        file.write(previous)
        file.flush()
        os.fsync(file.fileno())
    return target


def record_change(notes_dir: Path, relative: str, editor: Editor, when: datetime, digest: str,
                  message: str, previous: Path | None, commit: str | None = None) -> None:
    """Append who saved which version when to ``.history/<relative>/changes.jsonl``."""
    folder = history_folder(notes_dir, relative)
    folder.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"when": when.isoformat(), "editor": editor.name, "email": editor.email,
                       "digest": digest, "message": message, "commit": commit,
                       "previous": previous.name if previous else None}, ensure_ascii=False)
    with open(folder / CHANGES_FILE, "a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())


def last_change(notes_dir: Path, relative: str) -> Change | None:
    """Who changed the note last and when: the later of its last commit and the last save
    recorded beside it (a save whose commit failed is recorded there); None when neither knows."""
    try:
        inside(notes_dir / HISTORY_DIR, Path(relative))  # a path from a request reads nothing elsewhere
    except ValueError:
        return None
    recorded = _last_recorded(history_folder(notes_dir, relative) / CHANGES_FILE)
    committed = None
    top = work_tree(notes_dir)
    if top is not None:
        try:
            path = inside(notes_dir, Path(relative)).relative_to(top).as_posix()
        except ValueError:
            return recorded
        committed = _last_commit(top, path)
    if committed and recorded:
        return max(committed, recorded, key=lambda change: change.when)
    return committed or recorded


def _last_commit(top: Path, path: str) -> Change | None:
    try:
        done = _git(top, ["log", "-1", "--format=%H%x00%an%x00%aI", "--", path], _env(), check=False)
    except HistoryError:
        return None
    if done.returncode != 0 or not done.stdout.strip():
        return None
    commit, name, when = done.stdout.strip().split("\x00")
    return Change(name, datetime.fromisoformat(when), commit)


def _last_recorded(changes: Path) -> Change | None:
    try:
        with open(changes, "rb") as file:
            file.seek(0, os.SEEK_END)
            file.seek(max(0, file.tell() - 8192))
            lines = file.read().splitlines()
    except OSError:
        return None
    for raw in reversed(lines):
        try:
            entry = json.loads(raw.decode("utf-8"))
            return Change(entry["editor"], datetime.fromisoformat(entry["when"]), entry.get("commit"))
        except (ValueError, KeyError, TypeError):
            continue  # a torn last line (a kill while appending): the one before it
    return None
