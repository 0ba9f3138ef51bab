"""Remote content in a note, field by field and as the memo joins its fields.

Each text of a note (front-matter values, the description, each finding's title, attributes,
quotes and summary) is rendered alone (``remote_content.located``), and every one of them again
as one text, the way the memo and the pages put them side by side: so an address defined in one
finding and used in another, or a tag opened in one field and closed in the next, is found too.

Reference images (``![alt][ref]``, ``![alt][]``, ``![ref]``) are refused whatever they point at:
a memo joins findings of several notes into one Markdown text, where a note's ``![px]`` takes
another note's ``[px]: https://…`` (CommonMark keeps the first definition of a label). An inline
image (``![alt](/path)``) carries its own address and is checked as it stands.
"""

from __future__ import annotations

from .errors import Problem
from .field_names import shown
from .markdown_budget import within_budget
from .model import Note
from .remote_content import inspect, is_network, located

REMOTE_HINT = ("pages showing it would make every reader's browser call that server; describe the image in words, "
               "or link to it with [text](https://…), which loads nothing until a reader clicks")
REFERENCE_HINT = ("write the image inline with its address, ![alt](/path/on/this/server.png), describe it in words, "
                  "or write a link [text](https://…)")


def note_texts(note: Note) -> list[tuple[int, str]]:
    """(first line, text) of every text of ``note`` that a page or the memo shows, in the note's order."""
    texts = [(note.line_of(key), value) for key, value in note.front_matter.items() if isinstance(value, str)]
    texts.append((note.description_line, note.body))
    for finding in note.findings:
        texts.append((finding.line, finding.title))
        texts += [(finding.attribute_lines[key], value) for key, value in finding.attributes.items()]
        texts += [(quote.line, "\n".join("> " + line for line in quote.text.split("\n"))) for quote in finding.quotes]
        texts.append((finding.summary_line or finding.line, finding.summary))
    return [(line, text) for line, text in texts if text]


def remote_content_problems(note: Note) -> list[Problem]:
    """An error for each place of ``note`` whose text would make a page or a memo fetch from another server.
    A text past the renderer's budget is not rendered here (``markdown_budget`` reports it)."""
    texts = [(line, text) for line, text in note_texts(note) if within_budget(text)]
    problems, reported = [], set()

    def problem(line: int, message: str, hint: str = REMOTE_HINT) -> None:
        problems.append(Problem(note.path, line, message, hint))

    definitions = _definitions(texts)
    lines_of: dict[int, dict[str, int]] = {}  # a defining text's first line → where it defines each label
    for first_line, text in texts:
        addresses, uses = located(first_line, text)
        for line, address in addresses:
            reported.add(address)
            problem(line, f"remote content is not allowed: {one_line(address)}")
        for use in uses:
            image = use.image
            if image.address is not None and is_network(image.address):  # defined in the same text
                reported.add(image.address)
                problem(use.line, f"remote content is not allowed: {shown(image.address)}")
            elif image.address is None and image.label in definitions and is_network(definitions[image.label][1]):
                defined_at, address, defining_text = definitions[image.label]
                if defined_at not in lines_of:
                    lines_of[defined_at] = definition_lines(defined_at, defining_text)
                line = lines_of[defined_at].get(image.label, defined_at)
                reported.add(address)
                problem(use.line, f"remote content is not allowed: {shown(image.written)} loads {shown(address)}, "
                                  f"defined on line {line}")
            elif image.address is None and image.label in definitions:
                problem(use.line, f"reference image {shown(image.written)} is not allowed (another text of this note "
                                  "defines its address): in a memo beside other notes it can take "
                                  "another note's definition of the same name", REFERENCE_HINT)
            else:
                problem(use.line, f"reference image {shown(image.written)} is not allowed"
                                  + (": in a memo beside other notes it can take another note's definition of the "
                                     "same name" if image.address is not None else
                                     ": this note does not define it, so in a memo it would take another note's "
                                     "definition of that name"), REFERENCE_HINT)
    # All of them as one text: what no field shows alone (a tag opened in one and closed in another).
    joined = "\n\n".join(text for _, text in texts)
    if "<" in joined:
        lines = set()
        for address in inspect(joined).addresses:
            start = address.strip().split("\n")[0]
            line = next((line + text[:text.index(start)].count("\n") for line, text in texts if start in text),
                        note.description_line)
            if address not in reported and line not in lines:
                lines.add(line)
                problem(line, f"remote content is not allowed: {one_line(start)} (a tag that starts here and ends "
                              "in another field: the pages and the memo show the fields together)")
    return problems


def one_line(text: str) -> str:
    return shown(" ".join(text.split()))


def _definitions(texts: list[tuple[int, str]]) -> dict[str, tuple[int, str, str]]:
    """Reference label → (first line of the text that defines it first, address, that text)."""
    found: dict[str, tuple[int, str, str]] = {}
    for first_line, text in texts:
        for label, address in (inspect(text).definitions if "]:" in text else {}).items():
            found.setdefault(label, (first_line, address, text))
    return found


def definition_lines(first_line: int, text: str) -> dict[str, int]:
    """Label → the line where ``text`` defines it: the line that defines it alone, else the line
    that starts a definition written over up to three lines. Each line is read once or twice."""
    lines, found = text.split("\n"), {}
    for window in (1, 3):
        for number, line in enumerate(lines):
            if "]:" in line:
                for label in inspect("\n".join(lines[number:number + window])).definitions:
                    found.setdefault(label, first_line + number)
    return found
