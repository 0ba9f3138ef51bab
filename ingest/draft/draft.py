"""Draft a note from a report and put it, with the report, under notes/.

Two steps: reading (``reading.read_report``: the file to its text, in a child process with
limits) and drafting (the text to a note: ``structure``, ``overview``, ``candidates``, ``render``).

Written: the draft note (``notes/drafts/<id>.md`` by default), the report's text as the
note's ``document`` (``notes/sources/<name>.txt``) and the original file beside it. A text or
Markdown report is its own document (in Unicode NFC, like every report's text). Nothing is
written when any of these files exists with other content, unless ``force``; nothing at all
when the report cannot be drafted. The note's id is never one that another note has: a taken
id gets a suffix (``-2``, ``-3`` …).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..notes.discover import SOURCES_DIR, VOCABULARY_FILE, discover
from ..notes.errors import NoteError
from ..notes.parse import read_note
from ..notes.vocabulary import load_vocabulary
from .candidates import Candidate, find_candidates
from .errors import DraftError
from .formats import TEXT_SUFFIXES
from .limits import DEFAULT_LIMITS, Limits
from .overview import Facts, read_facts
from .reading import read_report
from .render import render_note
from .structure import read_structure
from .curated import curated_for
from .suggest import Suggester

CLOSED = re.compile(r"비공개|closed[- ]door|off the record", re.IGNORECASE)
CHATHAM = re.compile(r"chatham\s*house|채텀\s*하우스", re.IGNORECASE)


@dataclass
class Draft:
    note: Path
    document: Path
    original: Path
    facts: Facts
    candidates: list[Candidate]
    taken: dict[str, str] = field(default_factory=dict)  # an id the report's name gave, taken: by which note


def draft_report(report: Path, notes_dir: Path, out_dir: Path | None = None, force: bool = False,
                 limits: Limits = DEFAULT_LIMITS, *, name: str | None = None, source_type: str | None = None,
                 curated: Path | None = None) -> Draft:
    """Draft ``report``; ``name`` is what messages call it (an upload's own name; the path by
    default), ``source_type`` a kind of source that overrides the one recognised, ``curated`` the
    built insights.db whose findings the suggestions learn from (``curated.curated_for`` says
    what is used without it)."""
    name = name or str(report)
    text = read_report(report, limits, name).text
    facts = read_facts(structure := read_structure(text, name))
    vocabulary = load_vocabulary(notes_dir / VOCABULARY_FILE, VOCABULARY_FILE)
    candidates = find_candidates(structure.items, Suggester(vocabulary, curated_for(notes_dir, curated)))
    if not candidates:
        raise DraftError(f"{name}: no bullet found in 출장내용 or the implications to draft findings from",
                         "check that the report's body is there (bullets under '2. 출장내용')")
    sources = notes_dir / SOURCES_DIR
    original = sources / report.name
    document = original if report.suffix.lower() in TEXT_SUFFIXES else sources / f"{report.stem}.txt"
    folder = out_dir or notes_dir / "drafts"
    note_id, taken = free_id(note_id_for(report, facts), folder, notes_dir)
    note = folder / f"{note_id}.md"
    content = render_note(note_id, facts, candidates, document.relative_to(notes_dir).as_posix(), _rule(text))
    files = {original: _original(report)}
    if document != original:
        files[document] = text.encode("utf-8")
    files[note] = content.encode("utf-8")
    _refuse_overwrites(files, force)
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return Draft(note, document, original, facts, candidates, taken)


def free_id(wanted: str, folder: Path, notes_dir: Path) -> tuple[str, dict[str, str]]:
    """``wanted``, or ``wanted-2``, ``wanted-3`` … : the first id that no note has, or that only
    the draft's own file (``folder/<id>.md``, from an earlier run on the same report) has; and
    the ids passed over, with the note that has each."""
    ids = note_ids(notes_dir)
    taken: dict[str, str] = {}
    candidate, number = wanted, 1
    while True:
        owners = [path for path in ids.get(candidate, ()) if path.resolve() != (folder / f"{candidate}.md").resolve()]
        if not owners:
            return candidate, taken
        taken[candidate] = owners[0].relative_to(notes_dir).as_posix()
        number += 1
        candidate = f"{wanted}-{number}"


def note_ids(notes_dir: Path) -> dict[str, list[Path]]:
    """Every note's id, from its front matter as the build reads it (the file's name when the
    note cannot be parsed: the build refuses it, but it may still be meant to have that id)."""
    ids: dict[str, list[Path]] = {}
    if not notes_dir.is_dir():
        return ids
    for path in discover(notes_dir)[0]:
        try:
            note_id = read_note(path, notes_dir).id or path.stem
        except (NoteError, OSError, UnicodeDecodeError):
            note_id = path.stem
        ids.setdefault(str(note_id), []).append(path)
    return ids


def _original(report: Path) -> bytes:
    """The report's bytes to keep beside its text; a text or Markdown report, which is its own
    document, in NFC (the quotes are), the rest as it is."""
    raw = report.read_bytes()
    if report.suffix.lower() in TEXT_SUFFIXES:
        text = raw.decode("utf-8-sig")  # read_report has decoded it already
        if unicodedata.normalize("NFC", text) != text:
            return unicodedata.normalize("NFC", text).encode("utf-8")
    return raw


def note_id_for(report: Path, facts: Facts) -> str:
    """The file's name as lowercase words (a trailing language tag like '.ko' dropped), after
    the trip's year and month: ``wilton-park-trip.ko.hwpx`` → ``2016-03-wilton-park-trip``."""
    stem = re.sub(r"\.[a-z]{2}$", "", report.stem)
    words = "-".join(re.findall(r"[a-z0-9]+", stem.lower())) or "trip-report"
    month = f"{facts.start:%Y-%m}" if facts.start else ""
    return words if not month or words.startswith(month) else f"{month}-{words}"


def _rule(text: str) -> tuple[str, str] | None:
    if CHATHAM.search(text):
        return "chatham-house", "the report names the Chatham House Rule"
    if match := CLOSED.search(text):
        return "chatham-house", f"guessed from '{match.group()}' (a closed meeting): confirm it, or write none"
    return None


def _refuse_overwrites(files: dict[Path, bytes], force: bool) -> None:
    taken = [path for path, data in files.items() if path.exists() and path.read_bytes() != data]
    if taken and not force:
        raise DraftError("already there, with other content: " + ", ".join(str(p) for p in taken),
                         "nothing was written; rename the report, move those files, or pass --force to overwrite them")
