"""The pipeline: find the notes that changed, check them, then write them in one transaction.

Builds are incremental. A note is parsed, checked and written again only when its file or
its source document changed since the last build; the rows of changed and deleted notes
are replaced in the same transaction. A new vocabulary, a new schema version, ``full=True``
and every public build rewrite everything. Nothing is written unless every note checked is
free of errors.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .db.write import BuildInfo, BuildStats, previous_build, write_database
from .notes.discover import VOCABULARY_FILE, discover
from .notes.errors import BuildRefused, NoteError, Problem
from .notes.model import Note
from .notes.parse import read_note
from .notes.validate import Validator
from .notes.vocabulary import Vocabulary, load_vocabulary

# A build keeps the notes it checked for writing while they hold at most this many
# findings; beyond that it reads them again when writing, so memory stays bounded.
KEEP_FINDINGS = 50_000

Progress = Callable[[Iterable, int, str], Iterable]


def quietly(items: Iterable, total: int, label: str) -> Iterable:
    return items


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


@dataclass(frozen=True)
class NoteFile:
    path: Path
    display: str  # relative to notes/: what errors and the database name it by
    digest: str


def check_notes(notes_dir: Path) -> Checked:
    """Parse and validate every note; collect every problem instead of stopping."""
    vocabulary = load_vocabulary(notes_dir / VOCABULARY_FILE, VOCABULARY_FILE)
    paths, problems = discover(notes_dir)
    validator = Validator(vocabulary, notes_dir)
    notes = []
    for path in paths:
        if note := _read(path, notes_dir, problems):
            notes.append(note)
            problems += validator.check(note)
    return Checked(notes, vocabulary, sorted(problems))


def build(notes_dir: Path, db_path: Path, *, public: bool = False, full: bool = False,
          progress: Progress = quietly) -> tuple[BuildStats, list[Problem]]:
    """Check the changed notes, then write them; on any error raise BuildRefused before
    touching ``db_path``. Returns the build's figures and its warnings."""
    vocabulary_file = notes_dir / VOCABULARY_FILE
    vocabulary = load_vocabulary(vocabulary_file, VOCABULARY_FILE)
    vocabulary_digest = hashlib.sha256(vocabulary_file.read_bytes()).hexdigest()
    previous = None if (public or full) else previous_build(db_path, vocabulary_digest)
    digests = FileDigests(notes_dir, previous.file_stats if previous else {})
    paths, problems = discover(notes_dir)
    files = [f for path in paths if (f := _scan(path, notes_dir, digests, problems))]

    if previous is None:
        changed, stale, known_ids = files, None, {}
    else:
        unchanged = {f.display for f in files if _unchanged(f, previous.notes.get(f.display), digests)}
        changed = [f for f in files if f.display not in unchanged]
        stale = [note.id for display, note in previous.notes.items() if display not in unchanged]
        known_ids = {previous.notes[display].id: display for display in unchanged}

    validator = Validator(vocabulary, notes_dir, known_ids)
    kept: list[Note] | None = []
    kept_findings = 0
    for note_file in progress(changed, len(changed), "checking"):
        note = _read(note_file.path, notes_dir, problems)
        if note is None:
            continue
        problems += validator.check(note)
        if kept is not None:
            kept.append(note)
            kept_findings += len(note.findings)
            if kept_findings > KEEP_FINDINGS:
                kept = None  # too many to hold: read them again while writing
    problems.sort()
    if any(p.severity == "error" for p in problems):
        raise BuildRefused(problems)

    if previous is not None and not changed and not stale and digests.seen == previous.file_stats:
        return previous.stats, problems  # a no-op: the database stays byte for byte as it is
    notes = kept if kept is not None else _read_again(changed, notes_dir)
    info = BuildInfo(notes_digest(files), vocabulary_digest, digests.digest, digests.seen, digests.known)
    stats = write_database(db_path, progress(notes, len(changed), "writing"), vocabulary, info,
                           public=public, stale=stale)
    return stats, problems


def notes_digest(files: Iterable[NoteFile]) -> str:
    """One digest for the whole set of note files: which notes a build came from."""
    digest = hashlib.sha256()
    for note_file in sorted(files, key=lambda f: f.display):
        digest.update(f"{note_file.display}\0{note_file.digest}\n".encode())
    return digest.hexdigest()


class FileDigests:
    """sha256 of files under notes/ (relative paths), each read at most once per build.

    A file whose size and modification time equal what the last build recorded is taken
    to be unchanged and is not read at all (as git's index does); ``--full`` reads all.
    """

    def __init__(self, notes_dir: Path, known: dict[str, tuple[int, int, str]]):
        self.notes_dir = str(notes_dir)
        self.known = known
        self.seen: dict[str, tuple[int, int, str]] = {}
        self._missing: set[str] = set()

    def digest(self, relative: str | None) -> str | None:
        """The file's digest; None when there is no such readable file."""
        if not isinstance(relative, str) or relative in self._missing:
            return None
        if relative not in self.seen:
            try:
                path = os.path.join(self.notes_dir, relative)
                stat = os.stat(path)
                before = self.known.get(relative)
                if before and before[:2] == (stat.st_size, stat.st_mtime_ns):
                    digest = before[2]
                else:
                    with open(path, "rb") as file:
                        digest = hashlib.file_digest(file, "sha256").hexdigest()
                self.seen[relative] = (stat.st_size, stat.st_mtime_ns, digest)
            except (OSError, ValueError):  # gone, unreadable, a folder, a NUL in the name
                self._missing.add(relative)
                return None
        return self.seen[relative][2]


def _unchanged(note_file: NoteFile, before, digests: FileDigests) -> bool:
    return (before is not None and before.digest == note_file.digest
            and before.document_digest == digests.digest(before.document))


def _scan(path: Path, notes_dir: Path, digests: FileDigests, problems: list[Problem]) -> NoteFile | None:
    # discover() returns paths under notes_dir: cut the prefix (Path.relative_to costs ~10 µs a file)
    display = str(path)[len(str(notes_dir)) + 1:].replace(os.sep, "/")
    if digest := digests.digest(display):
        return NoteFile(path, display, digest)
    problems.append(Problem(display, 1, "the file cannot be read", "check its permissions"))
    return None


def _read(path: Path, notes_dir: Path, problems: list[Problem]) -> Note | None:
    try:
        return read_note(path, notes_dir)
    except NoteError as error:
        problems.append(error.problem)
    except OSError as error:  # unreadable (permissions) or gone since it was listed
        problems.append(Problem(path.relative_to(notes_dir).as_posix(), 1,
                                f"the file cannot be read: {error.strerror}"))
    return None


def _read_again(files: list[NoteFile], notes_dir: Path) -> Iterator[Note]:
    """The checked notes once more, refusing any that changed since it was checked."""
    for note_file in files:
        note = read_note(note_file.path, notes_dir)
        if note.digest != note_file.digest:
            raise BuildRefused([Problem(note_file.display, 1, "the note changed while it was being built",
                                        "run the build again")])
        yield note
