"""The review form's content (templates/write-review.html) and a save's commit message.

``review_context`` turns a ``NoteForm`` and the problems ``check_text`` found into what the page
shows: the source's fields with their choices and the rule's one-line explanation, each finding
as a card (its kind, its tags as checkboxes labelled in both languages with the draft's
suggestions and reasons beside them, its quotes, its summary and a preview), and each problem
beside its field; a problem whose field the page has no place for is shown above the form, so
none is ever hidden."""

from __future__ import annotations

from pathlib import Path

from datasette_render_markdown import render_markdown

from ingest.serve.writing_pages import (ACCESS, RULES, SOURCE_FIELDS, TAG_LISTS, options, problems_by_field,
                                        tag_choices, vocabulary_of, with_current)

CARD_FIELDS = ("keep", "id", "title_ko", "title", "kind", "quote", "summary", "access", "themes", "regions",
               "stakeholders")


def review_context(notes_dir: Path, note_id: str, relative: str, form, digest: str, problems, change) -> dict:
    vocabulary = vocabulary_of(notes_dir)
    placed = problems_by_field(problems)
    shown: set[str] = set()

    def take(name: str) -> list:
        shown.add(name)
        return placed.get(name, [])

    fields = []
    for field in SOURCE_FIELDS:
        value = str(form.fields.get(field.name) or "")
        fields.append({"field": field, "value": value, "problems": take(field.name),
                       "options": with_current(options(vocabulary, field.name), value) if field.kind == "select" else []})
    rule = str(form.fields.get("rule") or "")
    cards = []
    for n, card in enumerate(form.findings, start=1):
        prefix = f"f-{n}-"
        tags = []
        for list_name, ko, en in TAG_LISTS:
            chosen = list(getattr(card, list_name) or [])
            tags.append({"name": list_name, "ko": ko, "en": en, "problems": take(prefix + list_name),
                         **tag_choices(vocabulary, list_name, chosen, (card.reasons or {}).get(list_name))})
        cards.append({
            "n": n, "prefix": prefix, "card": card, "tags": tags,
            "quotes": list(card.quotes) or [""],
            "kinds": with_current(options(vocabulary, "kind"), card.kind or ""),
            "access": with_current([("", "출처와 같게 · As the source"), *ACCESS.items()], card.access or ""),
            "summary_html": render_markdown(card.summary or ""),
            "problems": {name: take(prefix + name) for name in CARD_FIELDS},
            "card_problems": take(f"f-{n}"),
        })
    body_problems = take("body")
    unplaced = [p for name, found in placed.items() if name not in shown for p in found]
    return {
        "body": form.body, "body_problems": body_problems,
        "note_id": note_id, "relative": relative, "digest": digest, "fields": fields, "cards": cards,
        "rule": RULES.get(rule), "chatham": rule == "chatham-house",
        "status": str(form.fields.get("status") or "final"), "document": form.fields.get("document"),
        "note_problems": unplaced, "errors": sum(1 for p in problems if p.severity == "error"),
        "warnings": sum(1 for p in problems if p.severity != "error"), "change": change,
    }


def save_message(note_id: str, opened, form, final: bool) -> str:
    """A commit message naming what changed: 'Edit <note>: source fields title; findings a, b
    changed; c dropped; 1 added; marked final'."""
    parts = []
    fields = sorted(k for k in set(opened.fields) | set(form.fields) if opened.fields.get(k) != form.fields.get(k)
                    and k != "status")
    if fields:
        parts.append("source fields " + ", ".join(fields))
    before = {c.id: c for c in opened.findings if c.id}
    kept = [c for c in form.findings if c.keep]
    changed = [c.id for c in kept if c.id in before and _card_values(c) != _card_values(before[c.id])]
    dropped = [c.id for c in form.findings if not c.keep and c.id in before]
    dropped += [i for i in before if i not in {c.id for c in form.findings}]
    added = [c.id or "(new)" for c in kept if c.id not in before]
    if changed:
        parts.append("findings " + ", ".join(changed) + " changed")
    if dropped:
        parts.append("dropped " + ", ".join(dict.fromkeys(dropped)))
    if added:
        parts.append("added " + ", ".join(added))
    if [c.id for c in kept if c.id in before] != [i for i in before if i in {c.id for c in kept}]:
        parts.append("findings reordered")
    if final:
        parts.append("marked final")
    return f"Edit {note_id}: " + ("; ".join(parts) if parts else "saved")


def _card_values(card) -> tuple:
    return (card.title, card.title_ko, card.kind, list(card.themes), list(card.regions), list(card.stakeholders),
            list(card.quotes), card.summary, card.access)
