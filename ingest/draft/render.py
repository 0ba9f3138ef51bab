"""The draft note, in the format of docs/notes.md, with ``status: draft`` and TODOs to fill.

Each suggestion list is written ranked, best first, and ends in a comment (`` # …``) giving
for each tag the words of the bullet that matched it; the parser drops such comments.
"""

from __future__ import annotations

import json
import re

import yaml

from .candidates import Candidate
from .overview import Facts
from .suggest import no_suggestion_note

EVENT_KINDS = ("trip-report", "proceedings")  # whose English name is an event's
LIMITS = {"themes": 4, "regions": 3, "stakeholders": 3}  # suggestions written per finding
TODO = "TODO"


def render_note(note_id: str, facts: Facts, candidates: list[Candidate], document: str, rule: tuple[str, str] | None) -> str:
    lines = ["---", *_front_matter(note_id, facts, document, rule), "---", "",
             f"{TODO}: a few sentences in English on the source as a whole: the event, the mission, what it was for.", ""]
    for number, candidate in enumerate(candidates, start=1):
        lines += _finding(number, candidate)
    return "\n".join(lines)


def _front_matter(note_id: str, facts: Facts, document: str, rule: tuple[str, str] | None) -> list[str]:
    event = facts.title_en if facts.kind_read_as in EVENT_KINDS else None
    fields = [
        ("id", note_id), ("title", facts.title_en or TODO), ("title_ko", facts.title_ko), ("type", facts.kind),
        ("document_type_ko", facts.document_type_ko), ("organization", facts.organization), ("event", event),
        ("place", facts.place), ("country", facts.country), ("start", facts.start), ("end", facts.end),
        ("language", facts.language), ("access", "internal"), ("status", "draft"), ("document", document),
    ]
    comments = {"type": _comment(facts.kind_reason), "start": facts.start_is}
    lines = [f"{key}: {_scalar(value)}" + (f"  # {_attribute(comments[key])}" if comments.get(key) else "")
             for key, value in fields if value is not None]
    if rule:
        lines.append(f"rule: {rule[0]}  # {_attribute(rule[1])}")
    if facts.year or facts.authors:
        said = [f"year {facts.year}"] if facts.year else []
        if facts.authors and not (rule and rule[0] == "chatham-house"):
            said.append("authors " + ", ".join(facts.authors))
        if said:  # the note format has no field for these yet: kept for the person finishing the note
            lines.append(f"# the document gives its {_attribute('; '.join(said))} (no field of the note format holds them)")
    return lines


def _comment(reason: str) -> str:
    return f"{reason}; --type chooses another" if reason and "(--type)" not in reason else reason


def _scalar(value) -> str:
    """A YAML value that reads back as exactly ``value`` (quoted only when it must be)."""
    if not isinstance(value, str):
        return str(value)  # a date: YAML reads 2016-03-17 as one
    plain = value.replace("\n", " ")
    try:
        if yaml.safe_load(f"k: {plain}") == {"k": plain} and " #" not in plain:
            return plain
    except yaml.YAMLError:
        pass
    return json.dumps(plain, ensure_ascii=False)


def _finding(number: int, candidate: Candidate) -> list[str]:
    lines = [f"## {TODO}", f"- id: finding-{number:02d}", f"- title_ko: {_attribute(candidate.title_ko)}"]
    themes = candidate.suggestions["themes"][:LIMITS["themes"]]
    if themes:
        lines.append(_tags("themes", themes))
    else:
        lines.append(f"- themes: {TODO}  # {_attribute(no_suggestion_note(candidate.suggestions, 'themes'))}")
    for name in ("regions", "stakeholders"):
        if suggestions := candidate.suggestions[name][:LIMITS[name]]:
            lines.append(_tags(name, suggestions))
    reason = f"  # {candidate.kind_reason}" if candidate.kind_reason else ""
    lines += [f"- kind: {candidate.kind}{reason}", "", f"> {candidate.quote}", "",
              f"{TODO}: summarise in English what was learned and why it matters.", ""]
    return lines


def _tags(name: str, suggestions) -> str:
    reasons = "; ".join(_attribute(s.reason) for s in suggestions)
    return f"- {name}: {', '.join(s.slug for s in suggestions)}  # {reasons}"


def _attribute(text: str) -> str:
    """One line of an attribute value: no line break, no '#' that would start a comment."""
    return re.sub(r"\s+", " ", text).replace(" #", " ＃").strip()
