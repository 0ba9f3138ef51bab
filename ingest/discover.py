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
from pathlib import Path

from .errors import Problem

VOCABULARY_FILE = "themes.yml"
SOURCES_DIR = "sources"  # original documents, kept beside the notes
NOTE_SUFFIX = ".md"
MARKDOWN_LOOKALIKES = (".md.txt", ".markdown", ".mdown", ".mkd", ".txt", ".md")  # .MD, too


def discover(notes_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every note file, sorted, and a problem for every file that does not belong."""
    root = notes_dir.resolve()
    notes, problems = [], []
    for folder, dirs, files in os.walk(notes_dir):
        folder_path = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in list(dirs):
            path = folder_path / name
            if path.is_symlink():  # os.walk does not descend into it
                problems.append(_link_problem(path, notes_dir, root) or Problem(
                    _display(path, notes_dir), 1, "a symlinked folder is not read",
                    "move the notes into notes/ itself", "warning"))
        for name in sorted(f for f in files if not f.startswith(".")):
            path = folder_path / name
            display = _display(path, notes_dir)
            if path.is_symlink() and (problem := _link_problem(path, notes_dir, root)):
                problems.append(problem)
            elif display.split("/")[0] == SOURCES_DIR or display == VOCABULARY_FILE:
                continue
            elif path.suffix == NOTE_SUFFIX:
                notes.append(path)
            else:
                problems.append(_not_a_note(path, display))
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
