"""Which files under notes/ are notes, and which files do not belong there.

What notes/ may hold:
- ``*.md`` anywhere (outside ``sources/``): a note;
- ``themes.yml`` at the top: the vocabulary;
- anything under ``sources/``: the original documents that quotes come from;
- hidden files and folders (``.DS_Store``, ``.gitkeep``, an editor's ``.note.md.swp``): ignored.
Any other file is an error, so a note saved as ``.txt`` or ``.markdown`` is never silently
left out. A symbolic link may point only inside notes/: a build refuses links that lead elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .errors import Problem

VOCABULARY_FILE = "themes.yml"
SOURCES_DIR = "sources"  # original documents, kept beside the notes
NOTE_SUFFIX = ".md"
MARKDOWN_LOOKALIKES = (".md.txt", ".markdown", ".mdown", ".mkd", ".txt", ".md")  # .MD, too


def is_ignored(name: str) -> bool:
    """Hidden files and folders (an editor's swap file, .DS_Store, .git): neither read nor watched."""
    return name.startswith(".")


def entries(notes_dir: Path) -> Iterator[tuple[str, os.DirEntry]]:
    """(path relative to notes/, entry) of every file, link and folder under notes/ that is not
    ignored, sorted by name within each folder; folders are walked, symlinked folders are not.
    What discovery judges, and what ``--watch`` watches."""
    def walk(folder: str, prefix: str) -> Iterator[tuple[str, os.DirEntry]]:
        # os.scandir: the type of each entry comes with the listing, so tens of thousands of
        # files cost no extra system call each.
        with os.scandir(folder) as listing:
            found = sorted((e for e in listing if not is_ignored(e.name)), key=lambda e: e.name)
        for entry in found:
            yield prefix + entry.name, entry
            if entry.is_dir(follow_symlinks=False):
                yield from walk(entry.path, prefix + entry.name + "/")

    return walk(str(notes_dir), "")


def discover(notes_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every note file, sorted, and a problem for every file that does not belong."""
    root = notes_dir.resolve()
    notes, problems = [], []
    for display, entry in entries(notes_dir):
        if entry.is_dir(follow_symlinks=False):
            continue
        if entry.is_symlink():
            path = Path(entry.path)
            if entry.is_dir():  # never followed
                problems.append(_link_problem(path, notes_dir, root) or Problem(
                    display, 1, "a symlinked folder is not read", "move the notes into notes/ itself", "warning"))
                continue
            if problem := _link_problem(path, notes_dir, root):
                problems.append(problem)
                continue
        if display.split("/")[0] == SOURCES_DIR or display == VOCABULARY_FILE:
            continue
        if display.endswith(NOTE_SUFFIX):
            notes.append(Path(entry.path))
        else:
            problems.append(_not_a_note(Path(entry.path), display))
    return sorted(notes), sorted(problems)


def _display(path: Path, notes_dir: Path) -> str:
    return path.relative_to(notes_dir).as_posix()


def _link_problem(path: Path, notes_dir: Path, root: Path) -> Problem | None:
    """A problem if the link is broken or leads out of notes/."""
    display = _display(path, notes_dir)
    target = os.readlink(path)
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing target or a loop
        return Problem(display, 1, f"broken symlink (to {target})", "remove it, or copy the file into notes/")
    if not resolved.is_relative_to(root):
        return Problem(display, 1, f"symlink points outside notes/ (to {target})",
                       "a build reads only files inside notes/: copy the file into notes/ instead of linking to it")
    return None


def _not_a_note(path: Path, display: str) -> Problem:
    lookalike = next((s for s in MARKDOWN_LOOKALIKES if path.name.lower().endswith(s)), None)
    if lookalike:
        hint = f"notes are Markdown files ending in '.md': rename it to {path.name[: -len(lookalike)]}.md"
    else:
        hint = f"keep original documents under notes/{SOURCES_DIR}/, and nothing else in notes/"
    return Problem(display, 1, "not a note: only Markdown notes (*.md) and themes.yml belong here", hint)
