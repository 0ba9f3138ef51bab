"""A note and its findings as rows of ``sources`` and ``findings``."""

from __future__ import annotations

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
