"""The review page's HTTP form (issue 20, item 8) ⇄ ``NoteForm``.

``fields`` is the url-encoded body as ``urllib.parse.parse_qsl(body, keep_blank_values=True)``
gives it: (name, value) pairs, repeated names kept in order. The contract:

- **Front matter**: each field by its note name (``title_ko``, ``title``, ``type``, ``start``,
  ``end``, ``place``, ``access``, ``rule``, ``status`` … any name of docs/notes.md, or a field the
  note already has). An empty value removes the field from the note; a field absent from the POST
  keeps the note's value. ``body``: the Markdown before the first finding. ``start`` and ``end``
  may be typed as Korean reports write dates (2016.03.17, 2016년 3월 17일): saved as 2016-03-17.
- ``final=1``: mark the note final: ``status: draft`` becomes ``status: final`` (a note without a
  status is final already and keeps its text); ``problems.check_text(final=True)`` then refuses
  every TODO left.
- **Findings**: ``f-<n>-<field>``, ``n`` the card's position (1-based) when the page was drawn:
  ``f-<n>-id``, ``f-<n>-title``, ``f-<n>-title_ko``, ``f-<n>-kind``, ``f-<n>-access``,
  ``f-<n>-summary``, ``f-<n>-quote`` (one textarea: a blank line separates several quotes),
  ``f-<n>-themes``, ``f-<n>-regions``, ``f-<n>-stakeholders`` (repeated once per value; a blank
  value is no value, so a page sends one blank hidden ``f-<n>-themes`` to let a list be emptied),
  ``f-<n>-keep`` and ``f-<n>-order``.
- **Which card**: card ``n`` is the opened card whose id is ``f-<n>-id``, else (the id was edited)
  the opened card at position ``n``; it keeps that card's ``source``, so a card sent back unchanged
  keeps its block byte for byte. A field of the card absent from the POST keeps the opened value.
- **Keep or drop**: a card whose ``f-<n>-id`` is posted is kept only with ``f-<n>-keep`` (a
  checkbox: present = keep); a card not posted at all stays as it was.
- **Order**: the cards are saved in the order of their ``f-<n>-order`` numbers (a card without
  one, or with one that is not a number, counts as ``n``; ties by ``n``).
- **A finding added by hand**: either ``f-new-<field>`` (the page's one empty card; no keep box
  needed) or a higher ``n`` than the page drew (with ``f-<n>-keep`` like any card). It is added
  only when it carries something (an id, a title, a quote, a summary …), at its ``order``
  (``f-new`` without one: last).
- Unknown names are ignored; so are ``csrftoken`` and ``digest``, which the save route reads. A
  person field (``speaker`` …) is not a form field: ignored unless the note already has one (which
  check then refuses under the Chatham House Rule). Textarea values arrive with CRLF line ends
  and are compared as LF.

The result lists every card, dropped ones too (``keep=False``), in the order they are saved;
``write_form`` leaves the dropped ones out, and ``problems.on_form`` numbers problems as these
cards, so a page drawn again from the result shows each problem beside its own card.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

from ..notes.field_names import KNOWN_FIELDS
from .lines import form_text
from .note_form import FindingCard, NoteForm

CARD_FIELD = re.compile(r"f-(\d{1,6}|new)-"
                        r"(id|title|title_ko|kind|access|summary|quote|themes|regions|stakeholders|keep|order)")
TEXT_FIELDS = ("id", "title", "title_ko", "kind", "summary")
TAG_FIELDS = ("themes", "regions", "stakeholders")
BODY = "body"
DATE_FIELDS = ("start", "end")
KOREAN_DATE = re.compile(r"(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*[.일]?")
NOT_FIELDS = {"csrftoken", "digest", "final"}


def form_from_fields(fields: list[tuple[str, str]], opened: NoteForm) -> NoteForm:
    form = copy.deepcopy(opened)
    posted: dict[str, dict[str, list[str]]] = {}
    for name, value in fields:
        if (match := CARD_FIELD.fullmatch(name)):
            posted.setdefault(match.group(1), {}).setdefault(match.group(2), []).append(value)
        elif name == BODY:
            form.body = value
        elif name not in NOT_FIELDS and (name in KNOWN_FIELDS or name in opened.fields):
            form.fields[name] = iso_date(value) if name in DATE_FIELDS else value
    if any(name == "final" and value.strip() not in ("", "0") for name, value in fields) \
            and form_text(form.fields.get("status", "")) not in ("", "final"):
        form.fields["status"] = "final"  # a note without a status is final already: left as it is

    claimed = _match_cards(posted, opened)
    placed: list[tuple[float, int, FindingCard]] = []
    for index, card in enumerate(form.findings):
        number = next((n for n, i in claimed.items() if i == index), None)
        if number is None:
            placed.append((index + 1, index + 1, card))
            continue
        values = posted[number]
        _apply(card, values)
        if "id" in values and "keep" not in values:
            card.keep = False
        placed.append((_order(values, int(number)), int(number), card))
    for number, values in posted.items():
        if number in claimed:
            continue
        if number != "new" and "keep" not in values:
            continue
        card = FindingCard(id="", title="", title_ko="", kind="", themes=[], regions=[], stakeholders=[],
                           quotes=[], summary="")
        _apply(card, values)
        if not _has_content(card):
            continue
        position = int(number) if number != "new" else 10**9  # f-new: after every card
        placed.append((_order(values, position), position, card))
    form.findings = [card for _, _, card in sorted(placed, key=lambda item: (item[0], item[1]))]
    return form


def _match_cards(posted: dict[str, dict[str, list[str]]], opened: NoteForm) -> dict[str, int]:
    """Posted card number -> index of the opened card it edits."""
    claimed: dict[str, int] = {}
    ids = {}
    for index, card in enumerate(opened.findings):
        ids.setdefault(form_text(card.id), index)
    for number, values in posted.items():
        if number != "new" and "id" in values and (index := ids.get(form_text(values["id"][-1]))) is not None \
                and index not in claimed.values():
            claimed[number] = index
    for number in posted:
        if number not in claimed and number != "new" and 1 <= int(number) <= len(opened.findings) \
                and int(number) - 1 not in claimed.values():
            claimed[number] = int(number) - 1
    return claimed


def _apply(card: FindingCard, values: dict[str, list[str]]) -> None:
    for name in TEXT_FIELDS:
        if name in values:
            setattr(card, name, values[name][-1])
    if "access" in values:
        card.access = values["access"][-1].strip() or None
    for name in TAG_FIELDS:
        if name in values:
            setattr(card, name, [v.strip() for v in values[name] if v.strip()])
    if "quote" in values:
        card.quotes = split_quotes(values["quote"][-1])
    if "keep" in values:
        card.keep = True


def iso_date(value: str) -> str:
    """A date as Korean reports write it (2016.03.17, 2016. 3. 17., 2016년 3월 17일, 2016/3/17) as
    YYYY-MM-DD; anything else as typed, for check to report."""
    match = KOREAN_DATE.fullmatch(value.strip())
    if not match:
        return value
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return value


def split_quotes(text: str) -> list[str]:
    """One textarea's quotes: a blank line separates them."""
    return [q.strip() for q in re.split(r"\n[ \t]*\n", form_text(text)) if q.strip()]


def _order(values: dict[str, list[str]], default: float) -> float:
    try:
        order = float(values["order"][-1])
    except (KeyError, ValueError):
        return default
    return order if order == order and abs(order) != float("inf") else default


def _has_content(card: FindingCard) -> bool:
    return any(form_text(v) for v in (card.id, card.title, card.title_ko, card.summary, *card.quotes))


def fields_for(form: NoteForm) -> list[tuple[str, str]]:
    """The fields a page drawing ``form`` posts back unchanged (the inverse of ``form_from_fields``)."""
    fields = [(name, value) for name, value in form.fields.items()]
    fields.append((BODY, form.body))
    for number, card in enumerate(form.findings, start=1):
        prefix = f"f-{number}-"
        fields += [(prefix + "id", card.id), (prefix + "title", card.title), (prefix + "title_ko", card.title_ko),
                   (prefix + "kind", card.kind), (prefix + "access", card.access or ""),
                   (prefix + "quote", "\n\n".join(card.quotes)), (prefix + "summary", card.summary)]
        for name in TAG_FIELDS:
            fields.append((prefix + name, ""))
            fields += [(prefix + name, value) for value in getattr(card, name)]
        if card.keep:
            fields.append((prefix + "keep", "1"))
        fields.append((prefix + "order", str(number)))
    return fields
