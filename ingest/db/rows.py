"""A note and its findings as rows of ``sources`` and ``findings``; in a public build, only
what it publishes (``public_rows``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from ..notes.model import Note


def is_internal(note: Note, finding_access: str | None = None) -> bool:
    return note.front_matter.get("access") == "internal" or finding_access == "internal"


def is_draft(note: Note) -> bool:
    """A draft (``status: draft``) is never published, whatever its access says."""
    return note.front_matter.get("status") == "draft"


def _text(value) -> str | None:
    return None if value is None else str(value)


def source_row(note: Note, finding_count: int, document_digest: Callable[[str | None], str | None]) -> dict:
    fm = note.front_matter
    return {
        "id": note.id,
        "title": fm["title"],
        "title_ko": fm.get("title_ko"),
        "type": fm["type"],
        "document_type_ko": fm.get("document_type_ko"),
        "organization": fm.get("organization"),
        "organization_ko": fm.get("organization_ko"),
        "event": fm.get("event"),
        "place": fm.get("place"),
        "country": fm.get("country"),
        "start": _text(fm.get("start")),
        "end": _text(fm.get("end")),
        "language": fm.get("language"),
        "access": fm["access"],
        "rule": fm.get("rule", "none"),
        "status": "draft" if is_draft(note) else "final",
        "document": fm.get("document"),
        "url": fm.get("url"),
        "description": note.body or None,
        "note_path": note.path,
        "note_digest": note.digest,
        "document_digest": document_digest(fm.get("document")),
        "finding_count": finding_count,
    }


def finding_row(note: Note, finding, position: int) -> dict:
    access = "internal" if is_internal(note, finding.attributes.get("access")) else "public"
    return {
        "id": f"{note.id}/{finding.slug}",
        "source_id": note.id,
        "title": finding.title,
        "title_ko": finding.attributes.get("title_ko"),
        "kind": finding.attributes["kind"],
        "themes": json.dumps(finding.values("themes"), ensure_ascii=False),
        "regions": json.dumps(finding.values("regions"), ensure_ascii=False),
        "stakeholders": json.dumps(finding.values("stakeholders"), ensure_ascii=False),
        "quote": "\n\n".join(q.text for q in finding.quotes),
        "summary": finding.summary,
        "access": access,
        "position": position,
        "note_line": finding.line,
    }


def public_rows(note: Note) -> tuple[dict, list[dict]]:
    """What a public build writes of a (public, final) note: its source row and its public
    findings' rows, with nothing derived from text it does not publish. No ``document_digest``
    (the document itself is never published: its hash would let anyone holding a copy confirm
    it), no ``note_line`` (lines move when internal findings or front-matter lines do), and a
    ``note_digest`` over these rows only, not over the note file."""
    findings = [f for f in note.findings if not is_internal(note, f.attributes.get("access"))]
    rows = [{**finding_row(note, f, position), "note_line": None} for position, f in enumerate(findings, start=1)]
    source = source_row(note, len(rows), lambda document: None)
    source["note_digest"] = None
    source["note_digest"] = hashlib.sha256(json.dumps([source, rows], sort_keys=True, ensure_ascii=False,
                                                      default=str).encode()).hexdigest()
    return source, rows
