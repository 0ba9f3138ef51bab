"""Which form field a line of a note sits on: how a problem that ``check`` names by line is shown
beside its field (see ``problems``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..notes.errors import Problem
from ..notes.parse import ATTRIBUTE, QUOTE
from .finding_blocks import ATTRIBUTE_ORDER, split_block
from .lines import content
from .note_form import layout_of

BY_MESSAGE = (  # problems check places on a line that is not their field's (a missing one has no line)
    (re.compile(r"front matter lacks '(\w+)'"), lambda m, card: m.group(1)),
    (re.compile(r"finding lacks '(\w+)'"), lambda m, card: f"f-{card}-{m.group(1)}" if card else None),
    (re.compile(r"the finding has no quote"), lambda m, card: f"f-{card}-quote" if card else None),
    (re.compile(r"the finding has no summary"), lambda m, card: f"f-{card}-summary" if card else None),
    (re.compile(r"the finding has no attribute list"), lambda m, card: f"f-{card}" if card else None),
    (re.compile(r"the finding heading has no title|^title is"), lambda m, card: f"f-{card}-title" if card else None),
    (re.compile(r"the note has no findings|the note is empty|front matter is not closed|must start with front matter"
                r"|the note is .* MB"), lambda m, card: None),
)


@dataclass
class FieldMap:
    fields: dict[int, str] = field(default_factory=dict)  # line (1-based) -> form field
    cards: dict[int, int] = field(default_factory=dict)  # line -> card number (1-based)
    titles: dict[int, str] = field(default_factory=dict)  # card number -> its title, for messages
    quotes: dict[int, tuple[int, int]] = field(default_factory=dict)  # line -> (which quote, of how many)

    def card_at(self, line: int) -> int | None:
        return self.cards.get(line)

    def field_of(self, problem: Problem) -> str | None:
        card = self.card_at(problem.line)
        for pattern, name in BY_MESSAGE:
            if (match := pattern.search(problem.message)):
                return name(match, card)
        return self.fields.get(problem.line)

    def describe(self, line: int) -> str:
        """A line as a researcher knows it: the field or finding it belongs to."""
        card = self.card_at(line)
        if card is not None:
            return f"finding {card} ('{self.titles.get(card, '')}')"
        return f"field '{self.fields[line]}'" if line in self.fields else "the note"


def field_map(text: str) -> FieldMap:
    layout = layout_of(text, values=False)
    found = FieldMap()
    line = 1
    if layout.opening:
        line = 2
        for key, (start, end) in layout.front.spans.items():
            for index in range(start, end):
                found.fields[line + index] = key
        line += len(layout.front.lines) + 1
    for offset in range(len(layout.body)):
        found.fields[line + offset] = "body"
    line += len(layout.body)
    for number, lines in enumerate(layout.blocks, start=1):
        block = split_block(lines)
        found.titles[number] = block.title
        parts = [(f"f-{number}-title", [block.heading]), (f"f-{number}", block.gap)]
        for _, text_line in block.attributes:
            key = ATTRIBUTE.fullmatch(content(text_line)).group(1)
            parts.append((f"f-{number}-{key}" if key in ATTRIBUTE_ORDER else f"f-{number}", [text_line]))
        parts += [(f"f-{number}", block.after_attributes), (f"f-{number}-quote", block.quotes),
                  (f"f-{number}-summary", block.summary), (f"f-{number}", block.tail)]
        first_quote_line = line + 1 + len(block.gap) + len(block.attributes) + len(block.after_attributes)
        _number_quotes(found, block.quotes, first_quote_line)
        for name, part in parts:
            for _ in part:
                found.fields[line] = name
                found.cards[line] = number
                line += 1
    return found


def _number_quotes(found: FieldMap, lines: list[str], first: int) -> None:
    """Which of a card's quotes each quote line belongs to (a blank line or a new '>' block starts the next)."""
    starts, previous_quote = [], False
    for offset, text_line in enumerate(lines):
        is_quote = bool(QUOTE.fullmatch(content(text_line)))
        if is_quote and not previous_quote:
            starts.append(offset)
        previous_quote = is_quote
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        for offset in range(start, end):
            found.quotes[first + offset] = (index + 1, len(starts))
