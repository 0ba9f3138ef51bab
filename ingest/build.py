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

from .crash_points import crash_point
from .db.rows import is_draft, is_internal, public_rows
from .db.schema import published_vocabulary_digest
from .db.state import BuildInfo, BuildStats, previous_build
from .db.write import write_database
from .notes.discover import VOCABULARY_FILE, discover
from .notes.errors import BuildRefused, NoteError, Problem
from .notes.model import Note
from .notes.parse import read_note
from .notes.validate import Validator
from .notes.vocabulary import Vocabulary, load_vocabulary
from .search.analysis_cache import cache_path, recover as recover_cache

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
    vocabulary_digest = (published_vocabulary_digest(vocabulary) if public
                         else hashlib.sha256(vocabulary_file.read_bytes()).hexdigest())
    previous = None if (public or full) else previous_build(db_path, vocabulary_digest)
    recover_cache(cache_path(db_path))
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
    cited: dict[str, tuple[str, int]] = {}  # source document → file and line of the first note citing it
    published: dict[str, str] = {}  # a public build: note file → digest of what it publishes
    for note_file in progress(changed, len(changed), "checking"):
        note = _read(note_file.path, notes_dir, problems)
        crash_point("parse")
        if note is None:
            continue
        problems += validator.check(note) + _changed_since_scanned(note, note_file)
        crash_point("check")
        _remember(note, cited, published if public else None)
        if kept is not None:
            kept.append(note)
            kept_findings += len(note.findings)
            if kept_findings > KEEP_FINDINGS:
                kept = None  # too many to hold: read them again while writing
    problems += _changed_documents(validator.documents.read_digests, digests, cited)
    problems.sort()
    if any(p.severity == "error" for p in problems):
        raise BuildRefused(problems)

    if previous is not None and not changed and not stale and digests.seen == previous.file_stats:
        return previous.stats, problems  # a no-op: the database stays byte for byte as it is
    notes = kept if kept is not None else _read_again(changed, notes_dir)
    digest = notes_digest(published.items() if public else ((f.display, f.digest) for f in files))
    info = BuildInfo(digest, vocabulary_digest, digests.digest, digests.seen, digests.known)
    stats = write_database(db_path, progress(notes, len(changed), "writing"), vocabulary, info,
                           public=public, stale=stale)
    return stats, problems


def notes_digest(files: Iterable[tuple[str, str]]) -> str:
    """One digest for a set of (note file, digest): which notes a build came from. A public
    build digests only what it publishes, so its digest never tells when internal text changed."""
    digest = hashlib.sha256()
    for display, file_digest in sorted(files):
        digest.update(f"{display}\0{file_digest}\n".encode())
    return digest.hexdigest()


def published_digest(note: Note) -> str:
    """What a public build publishes of a note, as a digest: its ``sources.note_digest``, made
    of its rows only (``rows.public_rows``), never of its internal findings, of front-matter
    fields it ignores, of its line numbers or of its source document."""
    return public_rows(note)[0]["note_digest"]


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
        problems.append(_unreadable(path.relative_to(notes_dir).as_posix(), error))
    return None


def _unreadable(display: str, error: OSError) -> Problem:
    if isinstance(error, FileNotFoundError):
        return Problem(display, 1, "the file was removed while the build was reading the notes", CHANGED_HINT)
    return Problem(display, 1, f"the file cannot be read: {error.strerror}", "check its permissions")


CHANGED_HINT = "the database was not changed; run the build again once the files stop changing"


def _changed_since_scanned(note: Note, note_file: NoteFile) -> list[Problem]:
    if note.digest == note_file.digest:
        return []
    return [Problem(note.path, 1, "the note changed while the build was reading it", CHANGED_HINT)]


def _remember(note: Note, cited: dict[str, tuple[str, int]], published: dict[str, str] | None) -> None:
    """Note where a note cites its document; for a public build, what it publishes."""
    document = note.front_matter.get("document")
    if isinstance(document, str) and document not in cited:
        cited[document] = note.path, note.line_of("document")
    if published is not None and not is_internal(note) and not is_draft(note):  # what a public build writes
        published[note.path] = published_digest(note)


def _changed_documents(read: dict[str, str], digests: FileDigests, cited: dict[str, tuple[str, int]]) -> list[Problem]:
    """Source documents that changed or went away since the checks read them."""
    problems = []
    for document, checked in read.items():
        if (now := digests.digest(document)) != checked and document in cited:
            what = "was removed" if now is None else "changed"
            problems.append(Problem(*cited[document], f"source document {document} {what} while the build was "
                                    "checking quotes against it", CHANGED_HINT))
    return problems


def _read_again(files: list[NoteFile], notes_dir: Path) -> Iterator[Note]:
    """The checked notes once more, refusing any that changed or went away since they were checked."""
    for note_file in files:
        try:
            note = read_note(note_file.path, notes_dir)
        except (OSError, NoteError) as error:
            problem = _unreadable(note_file.display, error) if isinstance(error, OSError) else error.problem
            raise BuildRefused([problem]) from error
        refused = _changed_since_scanned(note, note_file)
        if refused:
            raise BuildRefused(refused)
        yield note
