"""What a reader of 한글 and Word files hands over before it becomes lines of text (office.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DocumentText:
    """Body paragraphs as (left indent in points, text), notes, and page furniture (running
    headers and footers: read, never the report's text)."""

    body: list[tuple[float, str]] = field(default_factory=list)
    notes: list[tuple[float, str]] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[tuple[float, str]]:
        """The report's text: the body, then the notes (furniture is left out)."""
        return self.body + self.notes
