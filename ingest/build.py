"""The pipeline: read every note, validate them all, then write them in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .discover import VOCABULARY_FILE, discover
from .errors import BuildRefused, NoteError, Problem
from .model import Note
from .parse import read_note
from .validate import validate
from .vocabulary import Vocabulary, load_vocabulary
from .write import BuildStats, write_database


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


def check_notes(notes_dir: Path) -> Checked:
    """Parse and validate every note; collect every problem instead of stopping."""
    vocabulary = load_vocabulary(notes_dir / VOCABULARY_FILE, VOCABULARY_FILE)
    paths, problems = discover(notes_dir)
    notes = []
    for path in paths:
        try:
            notes.append(read_note(path, notes_dir))
        except NoteError as error:
            problems.append(error.problem)
        except OSError as error:  # unreadable (permissions) or gone since it was listed
            problems.append(Problem(path.relative_to(notes_dir).as_posix(), 1,
                                    f"the file cannot be read: {error.strerror}"))
    problems += validate(notes, vocabulary, notes_dir)
    return Checked(notes, vocabulary, sorted(problems))


def build(notes_dir: Path, db_path: Path, *, public: bool = False) -> tuple[BuildStats, Checked]:
    """Validate, then write; on any error raise BuildRefused before touching ``db_path``."""
    checked = check_notes(notes_dir)
    if checked.errors:
        raise BuildRefused(checked.problems)
    return write_database(db_path, checked.notes, checked.vocabulary, public=public), checked
