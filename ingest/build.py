"""The pipeline: read every note, validate them all, then write them in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildRefused, NoteError, Problem
from .model import Note
from .parse import read_note
from .validate import validate
from .vocabulary import Vocabulary, load_vocabulary
from .write import BuildStats, write_database

VOCABULARY_FILE = "themes.yml"
SOURCES_DIR = "sources"  # original documents, kept beside the notes


@dataclass
class Checked:
    notes: list[Note]
    vocabulary: Vocabulary
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def finding_count(self) -> int:
        return sum(len(n.findings) for n in self.notes)


def note_paths(notes_dir: Path) -> list[Path]:
    """Every note file: Markdown anywhere under notes/, except the source documents."""
    return sorted(
        p for p in notes_dir.rglob("*.md")
        if p.is_file() and SOURCES_DIR not in p.relative_to(notes_dir).parts[:1]
    )


def check_notes(notes_dir: Path) -> Checked:
    """Parse and validate every note; collect every problem instead of stopping."""
    vocabulary = load_vocabulary(notes_dir / VOCABULARY_FILE, VOCABULARY_FILE)
    notes, problems = [], []
    for path in note_paths(notes_dir):
        try:
            notes.append(read_note(path, notes_dir))
        except NoteError as error:
            problems.append(error.problem)
    problems += validate(notes, vocabulary, notes_dir)
    return Checked(notes, vocabulary, sorted(problems))


def build(notes_dir: Path, db_path: Path, *, public: bool = False) -> tuple[BuildStats, Checked]:
    """Validate, then write; on any error raise BuildRefused before touching ``db_path``."""
    checked = check_notes(notes_dir)
    if checked.errors:
        raise BuildRefused(checked.problems)
    return write_database(db_path, checked.notes, checked.vocabulary, public=public), checked
