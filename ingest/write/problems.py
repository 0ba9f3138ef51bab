"""The text about to be saved, judged as ``ingest check`` judges it, each problem beside its field.

One note only: the same parser and ``Validator`` (vocabulary, source documents) as check, on the
text in memory; the other notes are not read again, so a save costs the same with ten notes or
ten thousand. Two things check sees across notes are handled here cheaply:
- a duplicate **note id**: each other note's ``id:`` line, read from its first 8 kB and
  remembered by size and modification time (``note_ids``); the build stays the final judge;
- the note's **place**: its path must be a note path inside notes/ (``*.md``, not under
  ``sources/``, not hidden).

Each ``Problem`` (file, line) becomes a ``FieldProblem`` naming the form field its line sits on
(``title_ko``, ``start``, ``body``, ``f-3-title``, ``f-3-themes``, ``f-3-quote``, ``f-3-summary``,
``f-3`` for the card as a whole, numbered as the findings in the text; ``on_form`` numbers them as
the cards of the posted form; ``None`` for the note as a whole), in a researcher's words:
a Korean sentence for the common problems, then check's English message and hint, never a
``file:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..notes.discover import SOURCES_DIR, VOCABULARY_FILE, is_ignored
from ..notes.errors import BuildRefused, NoteError, Problem
from ..notes.parse import MAX_NOTE_BYTES, parse_note
from ..notes.validate import Validator
from ..notes.vocabulary import Vocabulary, load_vocabulary
from .field_map import FieldMap, field_map
from .note_form import NoteForm
from .note_ids import other_note_with_id
from .wording import researcher_message



@dataclass(frozen=True)
class FieldProblem:
    field: str | None  # 'title_ko', 'start', 'f-3-quote', 'f-3-themes' …; None: the note as a whole
    message: str  # a researcher's words, no file:line
    severity: str  # 'error' stops the save; 'warning' does not


def check_text(notes_dir: Path, relative: str, text: str, *, final: bool = False) -> list[FieldProblem]:
    """Every problem ``ingest check`` would find in ``text`` saved as ``notes_dir/relative``.
    ``final=True`` ("Mark as final"): judged as a finished note, so every TODO left is an error."""
    text = text[1:] if text.startswith("\ufeff") else text
    problems = _place_problems(notes_dir, relative)
    size = len(text.encode("utf-8"))
    if size > MAX_NOTE_BYTES:
        return problems + [FieldProblem(None, researcher_message(Problem(
            relative, 1, f"the note is {size / 1e6:.1f} MB, over the {MAX_NOTE_BYTES / 1e6:.0f} MB limit for one note",
            "keep long original documents under notes/sources/ and quote from them")), "error")]
    try:
        vocabulary = _vocabulary(notes_dir)
    except BuildRefused as refused:
        return problems + [FieldProblem(None, "notes/themes.yml: " + researcher_message(p), "error")
                           for p in refused.problems]
    fields = field_map(text)
    try:
        note = parse_note(text, relative)
    except NoteError as error:
        return problems + [_placed(error.problem, fields)]
    if final and note.front_matter.get("status") == "draft":
        note.front_matter["status"] = "final"
    found = Validator(vocabulary, notes_dir).check(note)
    found += _duplicate_note_id(notes_dir, relative, note.id, note.line_of("id"))
    problems += [placed for problem in sorted(found) for placed in _split(problem, fields)]
    return problems


def on_form(problems: list[FieldProblem], form: NoteForm) -> list[FieldProblem]:
    """``problems`` of the text ``write_form`` made from ``form``, their cards numbered as in
    ``form.findings`` (the page drawn again from the posted form), not as in the text, which holds
    only the cards kept: with card 1 dropped, the text's second finding is the form's third card."""
    kept = [number for number, card in enumerate(form.findings, start=1) if card.keep]

    def renumbered(field: str | None) -> str | None:
        match = re.fullmatch(r"f-(\d+)(-.*)?", field or "")
        if not match or not 0 < int(match.group(1)) <= len(kept):
            return field
        return f"f-{kept[int(match.group(1)) - 1]}{match.group(2) or ''}"

    return [FieldProblem(renumbered(p.field), p.message, p.severity) for p in problems]


def _place_problems(notes_dir: Path, relative: str) -> list[FieldProblem]:
    parts = relative.split("/")
    root = notes_dir.resolve()
    plain = relative.endswith(".md") and "\0" not in relative and "\\" not in relative
    inside = plain and (root / relative).resolve().is_relative_to(root)
    if not inside or ".." in parts or parts[0] == SOURCES_DIR or any(is_ignored(part) for part in parts):
        return [FieldProblem(None, f"노트 파일 위치가 올바르지 않습니다 · '{relative}' is not a place for a note "
                                   f"(a '.md' file inside notes/, outside notes/{SOURCES_DIR}/)", "error")]
    return []


_cache: dict[str, tuple[tuple[int, int], Vocabulary]] = {}


def _vocabulary(notes_dir: Path) -> Vocabulary:
    """themes.yml, read again only when it changed (a save must not pay for it each time)."""
    path = notes_dir / VOCABULARY_FILE
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (0, 0)
    cached = _cache.get(str(path.resolve()))
    if cached and cached[0] == key and key != (0, 0):
        return cached[1]
    vocabulary = load_vocabulary(path, VOCABULARY_FILE)
    _cache[str(path.resolve())] = (key, vocabulary)
    return vocabulary


def _duplicate_note_id(notes_dir: Path, relative: str, note_id: str, line: int) -> list[Problem]:
    other = other_note_with_id(notes_dir, relative, note_id) if note_id else None
    if other is None:
        return []
    return [Problem(relative, line, f"note id '{note_id}' is already used by {other}", "give every note its own id")]


def _placed(problem: Problem, fields: FieldMap) -> FieldProblem:
    return FieldProblem(fields.field_of(problem), researcher_message(problem, fields), problem.severity)


def _split(problem: Problem, fields: FieldMap) -> list[FieldProblem]:
    """One problem per field: check names a finding's TODOs in one line ("title, 'themes' … still TODO")."""
    if (match := re.match(r"(.*) of finding '.*': still TODO$|(.*) of finding '.*' still says TODO", problem.message)):
        card = fields.card_at(problem.line)
        parts = re.findall(r"'(\w+)'|\b(title|summary)\b", match.group(1) or match.group(2))
        if card is not None and parts:
            return [FieldProblem(f"f-{card}-{quoted or bare}", researcher_message(problem, fields, todo=True),
                                 problem.severity) for quoted, bare in parts]
    return [_placed(problem, fields)]
