"""Draft a note from a report and put it, with the report, under notes/.

Written: the draft note (``notes/drafts/<id>.md`` by default), the report's text as the
note's ``document`` (``notes/sources/<name>.txt``) and the original file beside it. A text or
Markdown report is its own document. Nothing is written when any of these files exists with
other content, unless ``force``; nothing at all when the report cannot be drafted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..notes.discover import SOURCES_DIR, VOCABULARY_FILE
from ..notes.vocabulary import load_vocabulary
from .candidates import Candidate, find_candidates
from .errors import DraftError
from .formats import read_report
from .overview import Facts, read_facts
from .render import render_note
from .structure import read_structure
from .suggest import Suggester

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
CLOSED = re.compile(r"비공개|closed[- ]door|off the record", re.IGNORECASE)
CHATHAM = re.compile(r"chatham\s*house|채텀\s*하우스", re.IGNORECASE)


@dataclass
class Draft:
    note: Path
    document: Path
    original: Path
    facts: Facts
    candidates: list[Candidate]


def draft_report(report: Path, notes_dir: Path, out_dir: Path | None = None, force: bool = False) -> Draft:
    text = read_report(report)
    facts = read_facts(structure := read_structure(text, str(report)))
    vocabulary = load_vocabulary(notes_dir / VOCABULARY_FILE, VOCABULARY_FILE)
    candidates = find_candidates(structure.items, Suggester(vocabulary))
    if not candidates:
        raise DraftError(f"{report}: no bullet found in 출장내용 or the implications to draft findings from",
                         "check that the report's body is there (bullets under '2. 출장내용')")
    sources = notes_dir / SOURCES_DIR
    original = sources / report.name
    document = original if report.suffix.lower() in TEXT_SUFFIXES else sources / f"{report.stem}.txt"
    note_id = note_id_for(report, facts)
    note = (out_dir or notes_dir / "drafts") / f"{note_id}.md"
    content = render_note(note_id, facts, candidates, document.relative_to(notes_dir).as_posix(), _rule(text))
    files = {original: report.read_bytes()}
    if document != original:
        files[document] = text.encode("utf-8")
    files[note] = content.encode("utf-8")
    _refuse_overwrites(files, force)
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return Draft(note, document, original, facts, candidates)


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
