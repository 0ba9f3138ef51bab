"""The names a note may use, and where: front-matter fields, finding attributes, and the person
fields the Chatham House Rule forbids. A name in the wrong place is an error, not text, when
ignoring it would publish what it meant to hold back (a misplaced or misspelt access) or drop
what it meant to say."""

from __future__ import annotations

import difflib
import reprlib

from .errors import Problem
from .model import Finding, Note

KNOWN_FIELDS = {
    "id", "title", "title_ko", "type", "document_type_ko", "organization", "organization_ko", "event",
    "place", "country", "start", "end", "language", "access", "rule", "document", "url", "status",
}
KNOWN_ATTRIBUTES = {"id", "title_ko", "themes", "regions", "stakeholders", "kind", "access"}
# Under the Chatham House Rule no participant may be identified: these never get stored.
PERSON_FIELDS = {"speaker", "speakers", "affiliation", "affiliations", "presenter", "presenters",
                 "participant", "participants", "author", "authors", "attendees"}
MOVE_UP = ("move it up into the attribute list right under the heading, which ends at the first blank "
           "or other line; if it is text, write it without the '- ' or the ':'")
MOVE_TO_FRONT_MATTER = "move it into the front matter between the '---' lines at the top of the note"
CHATHAM_HOUSE_HINT = "remove every speaker, participant and affiliation"
_shown = reprlib.Repr()  # bounded by size and depth, so a YAML alias bomb cannot blow up a message
_shown.maxstring = _shown.maxother = 80
_shown.maxlevel = 2


def shown(value) -> str:
    """A value as a message may quote it: short, whatever its size or nesting."""
    text = value if isinstance(value, str) else _shown.repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def check_attribute_names(path: str, finding: Finding, chatham: bool) -> list[Problem]:
    """An unknown attribute is ignored with a warning, unless ignoring it would publish what
    it meant to hold back (a misspelt access) or drop what it meant to say (a front-matter field)."""
    problems = []
    for key, line in finding.attribute_lines.items():
        name = key.lower()
        if key in KNOWN_ATTRIBUTES:
            continue
        if chatham and name in PERSON_FIELDS:
            problems.append(Problem(path, line, not_under_chatham_house(key), CHATHAM_HOUSE_HINT))
        elif name in KNOWN_ATTRIBUTES:
            problems.append(Problem(path, line, f"attribute '{shown(key)}' must be written in lowercase",
                                    f"write '- {name}: …'"))
        elif name in KNOWN_FIELDS:
            problems.append(Problem(path, line, f"'{shown(key)}' is a front-matter field, not a finding attribute",
                                    MOVE_TO_FRONT_MATTER))
        elif closest(key, KNOWN_ATTRIBUTES) == "access":
            problems.append(Problem(path, line, f"unknown attribute '{shown(key)}'",
                                    "did you mean 'access'? write '- access: internal'"))
        else:
            problems.append(Problem(path, line, f"unknown attribute '{shown(key)}' is ignored",
                                    did_you_mean(key, KNOWN_ATTRIBUTES), "warning"))
    return problems


def check_misplaced_fields(note: Note, chatham: bool) -> list[Problem]:
    """Lines of text shaped like an attribute or a front-matter field ('- access: internal'),
    below a finding's attribute list or before the first finding. They would be published as
    text, and the access, tag or rule they were meant to set would silently not apply."""
    found = [(line, key, True) for finding in note.findings for line, key in finding.body_attributes]
    found += [(line, key, False) for line, key in note.body_attributes]
    problems = []
    for line, key, in_finding in sorted(found):
        name = key.lower()
        if chatham and name in PERSON_FIELDS:
            problems.append(Problem(note.path, line, not_under_chatham_house(key), CHATHAM_HOUSE_HINT))
        elif in_finding and name in KNOWN_ATTRIBUTES:
            problems.append(Problem(note.path, line, f"'- {shown(key)}:' below the finding's attribute list is "
                                    f"read as summary text, not as its {name}", MOVE_UP))
        elif in_finding and name in KNOWN_FIELDS:
            problems.append(Problem(note.path, line, f"'- {shown(key)}:' in a finding is read as summary text; "
                                    f"'{name}' is a front-matter field", MOVE_TO_FRONT_MATTER))
        elif name in KNOWN_FIELDS | KNOWN_ATTRIBUTES:
            problems.append(Problem(note.path, line, f"'- {shown(key)}:' before the first finding is read as the "
                                    f"note's text, not as its '{name}' field",
                                    MOVE_TO_FRONT_MATTER + "; a finding's own attributes go right under its heading"))
    return problems


def not_under_chatham_house(key: str) -> str:
    return f"'{shown(key)}' is not allowed: this source is under the Chatham House Rule"


def closest(key: str, known: set[str]) -> str | None:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return close[0] if close else None


def did_you_mean(key: str, known: set[str]) -> str:
    close = closest(key, known)
    return f"did you mean '{close}'?" if close else "known: " + ", ".join(sorted(known))
