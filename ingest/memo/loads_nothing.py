"""The Markdown memo loads nothing from another server, whatever the database holds.

``check`` refuses remote content and reference images in notes (ingest/notes/remote_note.py);
a database written by other means could still hold them, and a memo is opened in Markdown
viewers that fetch images. Each text the memo takes from the database (a title, a summary, a
quote, a citation) is read with the same rule; one that would load something from another server,
or that holds a reference image (whose address another finding of the memo could define), is
written as text instead (``markdown_text``): shown as typed, never as an image, link or HTML.
"""

from __future__ import annotations

from ..notes.remote_content import inspect


def loads_nothing(text: str | None, as_text) -> str | None:
    """``text``, or ``as_text(text)`` if a Markdown viewer showing it would fetch from another server."""
    if not text:
        return text
    found = inspect(text)
    return as_text(text) if found.addresses or found.images else text
