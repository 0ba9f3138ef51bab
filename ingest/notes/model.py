"""What the parser hands to validation and the writer: notes and their findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Problem


@dataclass
class Quote:
    text: str
    line: int


@dataclass
class Finding:
    title: str  # the English title, from the '## ' heading
    line: int  # line of the heading
    attributes: dict[str, str] = field(default_factory=dict)
    attribute_lines: dict[str, int] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    summary: str = ""
    # (line, key) of every line after the attribute list shaped like one ('- key: value'):
    # read as summary text, so validation can tell a misplaced attribute from prose.
    body_attributes: list[tuple[int, str]] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.attributes.get("id", "")

    def values(self, name: str) -> list[str]:
        """A list attribute (``themes: a, b``) as its values, in order, without blanks."""
        return [v.strip() for v in self.attributes.get(name, "").split(",") if v.strip()]


@dataclass
class Note:
    path: str  # relative to the notes folder, '/'-separated: what errors name
    front_matter: dict
    field_lines: dict[str, int]  # front-matter key -> line in the file
    body: str  # Markdown before the first finding
    findings: list[Finding]
    digest: str  # sha256 of the file's bytes
    body_line: int = 1  # first line after the front matter
    problems: list[Problem] = field(default_factory=list)  # what the parser read past
    front_matter_read: bool = True  # False when the YAML could not be read: its fields are unknown
    body_attributes: list[tuple[int, str]] = field(default_factory=list)  # the same, in the text before the findings

    @property
    def id(self) -> str:
        return str(self.front_matter.get("id", ""))

    def line_of(self, key: str) -> int:
        return self.field_lines.get(key, 1)
