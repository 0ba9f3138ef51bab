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
from .curated import curated_for
from .errors import DraftError
from .formats import TEXT_SUFFIXES
from .front_matter import kind_facts
from .kinds import Kind, given, recognise
from .limits import DEFAULT_LIMITS, Limits
from .overview import Facts, read_facts
from .reading import read_report
from .render import render_note
from .rule import guess_rule
from .sections import read_sections
from .selection import candidate_items
from .structure import Report, read_structure
from .suggest import Suggester

# How a kind of source the vocabulary has, but the tool does not recognise, is read.
READ_AS = {"conference-report": "trip-report", "site-visit": "trip-report", "study": "report",
           "policy-document": "report", "interview": "document"}


@dataclass
class Draft:
    note: Path
    document: Path
    original: Path
    facts: Facts
    candidates: list[Candidate]
    taken: dict[str, str] = field(default_factory=dict)  # an id the report's name gave, taken: by which note

    @property
    def kind(self) -> str:
        """The kind of source (the note's ``type``): recognised, or given as ``source_type``."""
        return self.facts.kind

    @property
    def kind_reason(self) -> str:
        return self.facts.kind_reason


def draft_report(report: Path, notes_dir: Path, out_dir: Path | None = None, force: bool = False,
                 limits: Limits = DEFAULT_LIMITS, *, name: str | None = None, source_type: str | None = None,
                 curated: Path | None = None) -> Draft:
    """Draft ``report``; ``name`` is what messages call it (an upload's own name; the path by
    default), ``source_type`` a kind of source that overrides the one recognised, ``curated`` the
    built insights.db whose findings the suggestions learn from (``curated.curated_for`` says
    what is used without it)."""
    name = name or str(report)
    read = read_report(report, limits, name)
    text = read.text
    vocabulary = load_vocabulary(notes_dir / VOCABULARY_FILE, VOCABULARY_FILE)
    if source_type is not None and source_type not in vocabulary.source_types:
        raise DraftError(f"{name}: '{source_type}' is not a source type of {VOCABULARY_FILE}",
                         "one of: " + ", ".join(vocabulary.source_types))
    kind = given(source_type) if source_type else recognise(text, read.format)
    structure, facts = understand(text, kind)
    selected = candidate_items(structure, facts.kind_read_as)
    candidates = find_candidates(selected, Suggester(vocabulary, curated_for(notes_dir, curated)))
    if not candidates and facts.kind_read_as == "trip-report" and structure.fields:
        raise DraftError(f"{name}: no bullet found in 출장내용 or the implications to draft findings from",
                         "check that the report's body is there (bullets under '2. 출장내용')")
    if not candidates and len(selected) < len(structure.items):  # all that was long enough was administrative
        raise DraftError(f"{name}: every paragraph is a programme, contact, participant, expense or page line: "
                         "nothing to quote as a finding",
                         "draft from the document that reports what was said (the proceedings, a trip report), "
                         "or write the note by hand")
    if not candidates:
        raise DraftError(f"{name}: no paragraph or bullet of ten characters or more to draft findings from",
                         "check that it is the document itself, with its text (not only a title or a table)")
    sources = notes_dir / SOURCES_DIR
    original = sources / report.name
    document = original if report.suffix.lower() in TEXT_SUFFIXES else sources / f"{report.stem}.txt"
    folder = out_dir or notes_dir / "drafts"
    note_id, taken = free_id(note_id_for(report, facts), folder, notes_dir)
    note = folder / f"{note_id}.md"
    content = render_note(note_id, facts, candidates, document.relative_to(notes_dir).as_posix(),
                          guess_rule(text, kind.request))
    files = {original: _original(report)}
    if document != original:
        files[document] = text.encode("utf-8")
    files[note] = content.encode("utf-8")
    _refuse_overwrites(files, force)
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return Draft(note, document, original, facts, candidates, taken)


def understand(text: str, kind: Kind) -> tuple[Report, Facts]:
    """The document's parts and front matter, read as its kind says. A trip report without a
    출장개요 (typed so by its title, or by --type) is read as any other document: never refused."""
    read_as = READ_AS.get(kind.slug, kind.slug)
    if read_as == "trip-report":
        try:
            structure = read_structure(text, "")
            facts = read_facts(structure)
        except DraftError:
            structure = read_sections(text)
            facts = kind_facts(structure, "document")
            kind = Kind(kind.slug, f"{kind.reason}; no 출장개요, so read as a plain document", kind.request)
    else:
        structure = read_sections(text)
        facts = kind_facts(structure, read_as)
    facts.kind, facts.kind_reason, facts.kind_read_as = kind.slug, kind.reason, read_as
    return structure, facts


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
    words = "-".join(re.findall(r"[a-z0-9]+", stem.lower())) or facts.kind
    month = f"{facts.start:%Y-%m}" if facts.start else (str(facts.year) if facts.year else "")
    return words if not month or words.startswith(month) else f"{month}-{words}"


def _refuse_overwrites(files: dict[Path, bytes], force: bool) -> None:
    taken = [path for path, data in files.items() if path.exists() and path.read_bytes() != data]
    if taken and not force:
        raise DraftError("already there, with other content: " + ", ".join(str(p) for p in taken),
                         "nothing was written; rename the report, move those files, or pass --force to overwrite them")
