"""A note's text ⇄ the form a researcher edits: front-matter fields and one card per finding.

The round trip is exact: ``write_form(text, read_form(text)) == text`` byte for byte (BOM, CRLF,
tabs, trailing spaces, comments and all). A save rewrites only what changed:

- a changed front-matter field changes only its own line, an emptied one is removed, a new one
  is added in the documented order (see ``front_matter``);
- an unchanged card keeps its block byte for byte (its ``source``); a changed card is rewritten
  part by part (``finding_blocks``), keeping the parts and attribute lines whose values did not
  change (with their comments); a dropped card (``keep=False``, or missing from the list) is
  removed with its block; the cards' order is the order of the blocks; a card added by hand
  (``source=None``) is written in the format of docs/notes.md at its place.

Values are compared as ``check`` reads them (NFC, LF line ends, without surrounding blank lines),
so a form sent back by a browser (CRLF, NFC) over an unchanged note gives the same bytes. What
the form's values cannot do to the note's structure, and how it is escaped, is written in
``finding_blocks``: form values are data.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field

from ..notes.parse import FENCE
from ..notes.vocabulary import SLUG
from .finding_blocks import (ATTRIBUTE_ORDER, Block, attribute_line, attribute_value, markdown_lines,
                             quote_lines, repeated, split_block, tags)
from .front_matter import FrontMatter, read_front_matter, write_front_matter
from .lines import BOM, content, ending, form_text, joined, newline_of, one_line, split_lines


@dataclass
class FindingCard:
    """One '## ' finding of the note, as the form shows it."""

    id: str
    title: str
    title_ko: str
    kind: str
    themes: list[str]
    regions: list[str]
    stakeholders: list[str]
    quotes: list[str]
    summary: str
    access: str | None = None
    keep: bool = True  # False: dropped from the note on save
    reasons: dict[str, str] = field(default_factory=dict)  # 'themes' -> the comment after '#' on that line
    source: str | None = None  # the block's text as read (None: a finding added by hand)

    def reasons_by_tag(self, name: str) -> dict[str, str]:
        """The draft's reason for each suggested tag of ``name`` ('themes' …): its comment is written
        ``a: words that matched; b: …``. {} when the comment is not in that form (shown whole then)."""
        reason = self.reasons.get(name, "")
        items = [item.split(":", 1) for item in re.split(r";\s*(?=[a-z0-9][a-z0-9-]*:)", reason) if ":" in item]
        found = {slug.strip(): words.strip() for slug, words in items if SLUG.fullmatch(slug.strip())}
        return found if found and all(slug in found for slug in getattr(self, name)) else {}


@dataclass
class NoteForm:
    fields: dict[str, str]  # front matter by the note's own names, as text; dates YYYY-MM-DD
    comments: dict[str, str]  # a front-matter field's comment (e.g. the draft's reason for 'rule')
    body: str  # the Markdown before the first finding
    findings: list[FindingCard]


@dataclass
class Layout:
    """A note's text cut into the regions the form edits, each with its lines as written."""

    bom: str
    newline: str
    opening: list[str]  # the '---' line (empty: no front matter)
    front: FrontMatter
    closing: list[str]
    body: list[str]
    blocks: list[list[str]]


def layout_of(text: str, values: bool = True) -> Layout:
    """``text`` cut into regions; ``values=False`` leaves the front matter's values unread (only its lines)."""
    bom = BOM if text.startswith(BOM) else ""
    lines = split_lines(text[len(bom):])
    newline = newline_of(text)
    opening, closing, start = [], [], 0
    close = next((i for i in range(1, len(lines)) if content(lines[i]).strip() in ("---", "...")), None)
    if lines and content(lines[0]).strip() == "---" and close is not None:
        opening, closing, start = lines[:1], [lines[close]], close + 1
        front = read_front_matter(lines[1:close], values)
    else:
        front = FrontMatter([])
    headings, in_fence = [], False
    for index in range(start, len(lines)):
        line = content(lines[index])
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            headings.append(index)
    ends = headings[1:] + [len(lines)]
    body = lines[start: headings[0] if headings else len(lines)]
    return Layout(bom, newline, opening, front, closing, body,
                   [lines[first:end] for first, end in zip(headings, ends)])


def read_form(text: str) -> NoteForm:
    layout = layout_of(text)
    return NoteForm(dict(layout.front.fields), dict(layout.front.comments),
                    form_text("".join(layout.body)), [_copy(_read_card("".join(block))) for block in layout.blocks])


@functools.lru_cache(maxsize=4096)
def _read_card(source: str) -> FindingCard:
    """A block's card, remembered: a save reads the form of the text it is about to write (never
    handed out: ``read_form`` gives copies)."""
    return _card(split_lines(source))


def _copy(card: FindingCard) -> FindingCard:
    return dataclasses.replace(card, themes=list(card.themes), regions=list(card.regions),
                               stakeholders=list(card.stakeholders), quotes=list(card.quotes),
                               reasons=dict(card.reasons))


def _card(lines: list[str]) -> FindingCard:
    block = split_block(lines)
    values = block.values()
    return FindingCard(
        id=values.get("id", ""), title=block.title, title_ko=values.get("title_ko", ""), kind=values.get("kind", ""),
        themes=tags(values.get("themes", "")), regions=tags(values.get("regions", "")),
        stakeholders=tags(values.get("stakeholders", "")), quotes=block.quote_texts(), summary=block.summary_text(),
        access=values.get("access"), reasons=block.reasons(), source="".join(lines))


def write_form(text: str, form: NoteForm) -> str:
    """The note's new text: ``text`` with the form's changes, and nothing else changed."""
    layout = layout_of(text)
    newline = layout.newline
    front = layout.front.lines
    if _fields_changed(layout.front, form):
        front = write_front_matter(layout.front, form.fields, form.comments, newline)
    opening, closing = layout.opening, layout.closing
    if not opening and any(one_line(v) for v in form.fields.values()):
        opening, closing = ["---" + newline], ["---" + newline]
    body = layout.body
    cards = [card for card in form.findings if card.keep]
    if form_text(form.body) != form_text("".join(layout.body)):
        body = [newline] + markdown_lines(form.body, newline)
        if cards and form_text(form.body):
            body.append(newline)
    blocks = [_block_text(card, newline) for card in cards]
    for index, card in enumerate(cards):
        if index < len(blocks) - 1 and not ending(blocks[index]):
            blocks[index] += newline + newline  # the file's last finding, moved up: a blank line before the next
        elif index < len(blocks) - 1 and blocks[index] != card.source and not blocks[index].endswith(newline * 2):
            blocks[index] += newline  # a rewritten finding (a summary added where there was none): a blank line
        elif index == len(blocks) - 1 and card.source is None and blocks[index].endswith(newline + newline):
            blocks[index] = blocks[index][: -len(newline)]  # a new last finding: the file ends with one line end
    return layout.bom + joined(["".join(opening), "".join(front), "".join(closing), "".join(body), *blocks], newline)


def _fields_changed(front: FrontMatter, form: NoteForm) -> bool:
    keys = set(front.fields) | set(form.fields)
    return any(one_line(front.fields.get(k, "")) != one_line(form.fields.get(k, "")) for k in keys) or \
        any(front.comments.get(k) != form.comments.get(k) for k in set(front.comments) | set(form.comments))


def _values(card: FindingCard) -> dict[str, str | list[str]]:
    """A card's attribute values as they would be written (one line, escaped)."""
    return {"id": attribute_value(card.id), "title_ko": attribute_value(card.title_ko),
            "themes": [attribute_value(v) for v in card.themes if one_line(v)],
            "regions": [attribute_value(v) for v in card.regions if one_line(v)],
            "stakeholders": [attribute_value(v) for v in card.stakeholders if one_line(v)],
            "kind": attribute_value(card.kind), "access": attribute_value(card.access or "")}


def _written(key: str, value: str | list[str]) -> str:
    return ", ".join(value) if isinstance(value, list) else value


def _block_text(card: FindingCard, newline: str) -> str:
    if card.source is None:
        return _new_block(card, newline)
    if _canonical(card) == _canonical_source(card.source):
        return card.source
    return _changed_block(split_block(split_lines(card.source)), card, newline)


def _canonical(card: FindingCard) -> tuple:
    """What a card writes, as check would read it: two cards with the same are the same finding."""
    return (one_line(card.title), tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in _values(card).items()),
            tuple(sorted(card.reasons.items())), tuple(_quotes(card.quotes)), form_text(card.summary))


@functools.lru_cache(maxsize=4096)
def _canonical_source(source: str) -> tuple:
    """The same of a block as read."""
    return _canonical(_read_card(source))


def _quotes(quotes: list[str]) -> list[str]:
    """The quotes a card writes: an empty one is none."""
    return [form_text(q) for q in quotes if form_text(q)]


def _new_block(card: FindingCard, newline: str) -> str:
    values = _values(card)
    attributes = [attribute_line(key, _written(key, values[key]), card.reasons.get(key), newline)
                  for key in ATTRIBUTE_ORDER if values[key]]
    quotes = quote_lines(_quotes(card.quotes), newline)
    summary = markdown_lines(card.summary, newline, summary=True, after_attributes=bool(attributes or quotes))
    return "".join([f"## {one_line(card.title)}{newline}", *attributes, newline if attributes else "",
                    *quotes, *summary, newline])


def _changed_block(block: Block, card: FindingCard, newline: str) -> str:
    old, new = _values(_read_card(card.source or "")), _values(card)
    old_reasons = block.reasons()
    heading = block.heading
    if one_line(card.title) != one_line(block.title):
        heading = f"## {one_line(card.title)}{ending(block.heading) or newline}"
    attributes, present = [], []
    for key, line in block.attributes:
        if key is None and repeated(line) in ATTRIBUTE_ORDER and new[repeated(line)] != old[repeated(line)]:
            continue  # an attribute written twice, edited in the form (which shows the first): written once
        if key not in ATTRIBUTE_ORDER:  # an unknown attribute or a repeat: kept for check to report
            attributes.append((key, line))
            continue
        present.append(key)
        reason = card.reasons.get(key)
        if new[key] == old[key] and reason == old_reasons.get(key):
            attributes.append((key, line))
        elif new[key]:
            if new[key] != old[key] and reason == old_reasons.get(key):
                reason = None  # the reason was given for the old value
            attributes.append((key, attribute_line(key, _written(key, new[key]), reason, ending(line) or newline)))
    for key in ATTRIBUTE_ORDER:
        if new[key] and key not in present:
            line = attribute_line(key, _written(key, new[key]), card.reasons.get(key), newline)
            after = [i for i, (k, _) in enumerate(attributes) if k in ATTRIBUTE_ORDER
                     and ATTRIBUTE_ORDER.index(k) < ATTRIBUTE_ORDER.index(key)]
            attributes.insert(after[-1] + 1 if after else 0, (key, line))
    after_attributes = block.after_attributes
    if attributes and not block.attributes and not after_attributes:
        after_attributes = [newline]
    quotes = _quotes(card.quotes)
    quote_part = block.quotes if quotes == _quotes(block.quote_texts()) else quote_lines(quotes, newline)
    summary_part = block.summary
    if form_text(card.summary) != block.summary_text():
        summary_part = markdown_lines(card.summary, newline, summary=True, after_attributes=bool(attributes or quotes))
        last = block.summary[-1] if block.summary else ""
        if summary_part and block.summary and not ending(last) and not block.tail:
            summary_part[-1] = content(summary_part[-1])  # the file ended without a line end: so it still does
    return joined([heading, "".join(block.gap), "".join(line for _, line in attributes), "".join(after_attributes),
                   "".join(quote_part), "".join(summary_part), "".join(block.tail)], newline)
