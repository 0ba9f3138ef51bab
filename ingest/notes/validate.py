"""Check parsed notes against the vocabulary and their source documents.

Every check appends a Problem naming file and line; nothing stops at the first one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from .documents import DocumentCache
from .errors import Problem
from .field_names import (CHATHAM_HOUSE_HINT, KNOWN_FIELDS, PERSON_FIELDS, check_attribute_names, check_misplaced_fields,
                          did_you_mean, not_under_chatham_house, shown)
from .markdown_budget import over_budget_problems
from .model import Finding, Note
from .remote_note import REMOTE_HINT, note_texts, remote_content_problems  # noqa: F401 (REMOTE_HINT: read by docs tests)
from .tags import TAGS
from .vocabulary import SLUG, Vocabulary

REQUIRED_FIELDS = ("id", "title", "type", "access")
REQUIRED_ATTRIBUTES = ("id", "title_ko", "themes", "kind")
ACCESS_LEVELS = ("public", "internal")
RULES = ("chatham-house", "none")
STATUSES = ("draft", "final")  # no status: final
TODO = re.compile(r"\bTODO\b")  # what the draft tool leaves for a person to write
MAX_TITLE = 300


class Validator:
    """Checks notes one at a time, so a build can stream through them.

    ``known_ids`` are the ids of notes that are not checked again (an incremental build's
    unchanged notes), mapped to their files: a checked note may not reuse them.
    """

    def __init__(self, vocabulary: Vocabulary, notes_dir: Path, known_ids: dict[str, str] | None = None):
        self.vocabulary = vocabulary
        self.documents = DocumentCache(notes_dir)
        self.seen_ids: dict[str, str] = dict(known_ids or {})

    def check(self, note: Note) -> list[Problem]:
        problems = check_note(note, self.vocabulary, self.documents)
        if note.id and note.id in self.seen_ids:
            problems.append(Problem(note.path, note.line_of("id"),
                                    f"note id '{note.id}' is already used by {self.seen_ids[note.id]}",
                                    "give every note its own id"))
        elif note.id:
            self.seen_ids[note.id] = note.path
        return problems


def check_note(note: Note, vocabulary: Vocabulary, documents: DocumentCache) -> list[Problem]:
    problems = list(note.problems) + over_budget_problems(note, note_texts(note)) + remote_content_problems(note)
    if note.front_matter_read:
        problems += check_front_matter(note, vocabulary, documents)
    if not note.findings:
        problems.append(Problem(note.path, note.body_line, "the note has no findings",
                                "start each finding with a '## ' heading followed by its attribute list"))
    problems += check_todos(note)
    chatham = note.front_matter.get("rule") == "chatham-house"
    document = note.front_matter.get("document")
    problems += check_misplaced_fields(note, chatham)
    seen: dict[str, int] = {}
    for finding in note.findings:
        problems += check_finding(note.path, finding, vocabulary, chatham)
        if finding.slug in seen:
            problems.append(Problem(note.path, finding.attribute_lines.get("id", finding.line),
                                    f"finding id '{finding.slug}' is already used at line {seen[finding.slug]}",
                                    "finding ids must be unique within a note"))
        elif finding.slug:
            seen[finding.slug] = finding.line
        if isinstance(document, str) and documents.exists(document):
            for quote in finding.quotes:
                if not documents.contains(document, quote.text):
                    problems.append(Problem(note.path, quote.line, f"quote not found in {document}",
                                            "quotes must be verbatim passages of the source document; copy the text exactly"))
    return problems


def check_front_matter(note: Note, vocabulary: Vocabulary, documents: DocumentCache) -> list[Problem]:
    fm, path = note.front_matter, note.path
    problems = []

    def problem(key: str, message: str, hint: str = "", severity: str = "error") -> None:
        problems.append(Problem(path, note.line_of(key), message, hint, severity))

    for key in REQUIRED_FIELDS:
        if fm.get(key) in (None, ""):
            problem(key, f"front matter lacks '{key}'", f"add '{key}: …' between the '---' lines")
    chatham = fm.get("rule") == "chatham-house"
    for key in fm:
        if key in KNOWN_FIELDS:
            continue
        if chatham and str(key).lower() in PERSON_FIELDS:
            problem(key, not_under_chatham_house(str(key)), CHATHAM_HOUSE_HINT)
        else:
            problem(key, f"unknown front-matter field '{shown(str(key))}' is ignored",
                    did_you_mean(str(key), KNOWN_FIELDS), "warning")
    for key in ("id", "title", "title_ko", "type", "document_type_ko", "organization", "organization_ko", "event",
                "place", "language", "access", "rule", "document", "url", "country"):
        if key in fm and fm[key] is not None and not isinstance(fm[key], str):
            problem(key, f"'{key}' must be text")
    if isinstance(fm.get("id"), str) and not SLUG.fullmatch(fm["id"]):
        problem("id", f"note id '{shown(fm['id'])}' must be lowercase words joined by '-'", "e.g. 2016-03-wilton-park-smart-cities")
    for key in ("title", "title_ko"):
        if isinstance(fm.get(key), str) and len(fm[key]) > MAX_TITLE:
            problem(key, f"{key} is {len(fm[key]):,} characters long", f"keep titles under {MAX_TITLE} characters")
    if isinstance(fm.get("type"), str) and fm["type"] not in vocabulary.source_types:
        problem("type", f"unknown source type '{shown(fm['type'])}'", _suggest(vocabulary, "source_types", fm["type"]))
    if "access" in fm and fm["access"] not in ACCESS_LEVELS:
        problem("access", f"access must be public or internal, not '{shown(fm['access'])}'")
    if "status" in fm and fm["status"] not in STATUSES:
        problem("status", f"status must be draft or final, not '{shown(fm['status'])}'",
                "a draft is checked with warnings for its TODOs and left out of public builds")
    if "rule" in fm and fm["rule"] not in RULES:
        problem("rule", f"unknown rule '{shown(fm['rule'])}'", "use chatham-house or none")
    if isinstance(fm.get("country"), str) and not re.fullmatch(r"[A-Z]{2}", fm["country"]):
        problem("country", f"country '{shown(fm['country'])}' must be an ISO 3166 two-letter code", "e.g. GB, KR, US")
    if isinstance(fm.get("language"), str) and not re.fullmatch(r"[a-z]{2}", fm["language"]):
        problem("language", f"language '{shown(fm['language'])}' must be an ISO 639-1 code", "e.g. ko, en")
    if isinstance(fm.get("url"), str) and not re.fullmatch(r"https?://\S+", fm["url"]):
        problem("url", f"url '{shown(fm['url'])}' must be a web address starting with https:// or http://")
    dates = {}
    for key in ("start", "end"):
        value = fm.get(key)
        if value is None:
            continue
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            problem(key, f"'{key}' must be a date like 2016-03-17, not '{shown(value)}'", "write YYYY-MM-DD")
        else:
            dates[key] = value
    if len(dates) == 2 and dates["end"] < dates["start"]:
        problem("end", f"end {dates['end']} is before start {dates['start']}", "swap them or fix the typo")
    document = fm.get("document")
    if isinstance(document, str) and not documents.exists(document):
        problem("document", f"source document '{shown(document)}' not found",
                "paths are relative to notes/; keep the original under notes/sources/")
    return problems


def check_finding(path: str, finding: Finding, vocabulary: Vocabulary, chatham: bool) -> list[Problem]:
    problems = []
    attrs, lines = finding.attributes, finding.attribute_lines

    def problem(line: int, message: str, hint: str = "", severity: str = "error") -> None:
        problems.append(Problem(path, line, message, hint, severity))

    if not finding.title:
        problem(finding.line, "the finding heading has no title", "write the English title after '## '")
    elif len(finding.title) > MAX_TITLE:
        problem(finding.line, f"title is {len(finding.title):,} characters long", f"keep titles under {MAX_TITLE} characters")
    if not attrs:
        problem(finding.line, "the finding has no attribute list",
                "right under the heading add '- id: …', '- title_ko: …', '- themes: …', '- kind: …'")
        return problems
    for key in REQUIRED_ATTRIBUTES:
        if not attrs.get(key):
            problem(lines.get(key, finding.line), f"finding lacks '{key}'", f"add '- {key}: …' under the heading")
    problems += check_attribute_names(path, finding, chatham)
    if len(attrs.get("title_ko", "")) > MAX_TITLE:
        problem(lines["title_ko"], f"title_ko is {len(attrs['title_ko']):,} characters long",
                f"keep titles under {MAX_TITLE} characters")
    if finding.slug and not SLUG.fullmatch(finding.slug):
        problem(lines["id"], f"finding id '{shown(finding.slug)}' must be lowercase words joined by '-'",
                "ids are part of URLs and citations: e.g. retrofit-financing")
    for key, list_name in ((tag.name, tag.name) for tag in TAGS):
        values = finding.values(key)
        for value, count in Counter(values).items():
            if count > 1:
                problem(lines[key], f"{key} lists '{value}' twice")
        for value in values:
            if value not in vocabulary.terms(list_name) and not TODO.fullmatch(value):  # see check_todos
                problem(lines[key], f"unknown {key[:-1]} '{shown(value)}'", _suggest(vocabulary, list_name, value))
    kind = attrs.get("kind")
    if kind and kind not in vocabulary.kinds:
        problem(lines["kind"], f"unknown kind '{shown(kind)}'", _suggest(vocabulary, "kinds", kind))
    if "access" in attrs and attrs["access"] not in ACCESS_LEVELS:
        problem(lines["access"], f"access must be public or internal, not '{shown(attrs['access'])}'")
    if not finding.quotes:
        problem(finding.line, "the finding has no quote",
                "after the attributes, quote the source verbatim on lines starting with '> '")
    if not finding.summary:
        problem(finding.line, "the finding has no summary", "after the quote, summarise the finding in a few sentences")
    return problems


def check_todos(note: Note) -> list[Problem]:
    """What is still TODO (quotes aside): a warning in a draft (``status: draft``), an error in
    any other note, which must be finished before it is published."""
    draft = note.front_matter.get("status") == "draft"
    places = [(note.line_of(key), f"front-matter field '{key}'") for key, value in note.front_matter.items()
              if isinstance(value, str) and TODO.search(value)]
    if TODO.search(note.body):
        places.append((note.body_line, "the text before the first finding"))
    for finding in note.findings:
        parts = ["title"] if TODO.search(finding.title) else []
        parts += [f"'{key}'" for key, value in finding.attributes.items() if TODO.search(value)]
        parts += ["summary"] if TODO.search(finding.summary) else []
        if parts:
            places.append((finding.line, f"{', '.join(parts)} of finding '{finding.slug or finding.title}'"))
    if draft:
        return [Problem(note.path, line, f"{what}: still TODO", "a draft: fill it in, then remove 'status: draft'",
                        "warning") for line, what in places]
    return [Problem(note.path, line, f"{what} still says TODO, and the note is not a draft",
                    "finish it, or mark the note 'status: draft' (drafts stay out of public builds)")
            for line, what in places]


def _suggest(vocabulary: Vocabulary, list_name: str, value: str) -> str:
    close = vocabulary.suggest(list_name, value)
    known = ", ".join(sorted(vocabulary.terms(list_name)))
    if close:
        return f"did you mean '{close}'? tags come from notes/themes.yml"
    return f"choose one of: {known}"


