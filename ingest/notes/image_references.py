"""A Python-Markdown extension that records every reference image as it is rendered.

``![alt][ref]``, ``![alt][]`` and ``![ref]`` are read by Python-Markdown's own inline
processors (the same patterns, priorities and label rules: nothing is guessed with a regular
expression of ours); these subclasses only note each one, with the address it resolved to in
this text (``None`` when its label is defined nowhere in it). The HTML is unchanged.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from markdown.extensions import Extension
from markdown.inlinepatterns import (IMAGE_REFERENCE_RE, ImageReferenceInlineProcessor,
                                     ShortImageReferenceInlineProcessor)


class ImageReference(NamedTuple):
    label: str  # as Python-Markdown keys a definition: lower case, white space collapsed
    written: str  # as the text shows it, e.g. ![pixel][tracker]
    address: str | None  # its definition's address, if this text defines the label


class _Recording:
    """``handleMatch`` of Python-Markdown's reference processors (3.x), which also records the image."""

    NEWLINE_CLEANUP_RE: re.Pattern

    def handleMatch(self, m, data):
        text, index, handled = self.getText(data, m.end(0))
        if not handled:
            return None, None, None
        label, end, handled = self.evalId(data, index, text)
        if not handled:
            return None, None, None
        label = self.NEWLINE_CLEANUP_RE.sub(" ", label)
        link = self.md.references.get(label)
        if link is None and self.second_look(data, end):
            return None, m.start(0), end
        self.md.image_references.append(
            ImageReference(label, " ".join(self.unescape(data[m.start(0):end]).split()), link[0] if link else None))
        if link is None:
            return None, m.start(0), end
        return self.makeTag(link[0], link[1], text), m.start(0), end


    def second_look(self, data: str, end: int) -> bool:
        return False


class _Full(_Recording, ImageReferenceInlineProcessor):
    pass


class _Short(_Recording, ShortImageReferenceInlineProcessor):
    def second_look(self, data: str, end: int) -> bool:
        """``![a]`` of an ``![a][ref]`` whose ``ref`` is undefined: recorded once, as that."""
        return bool(self.RE_LINK.match(data, pos=end))


class ImageReferences(Extension):
    """Records reference images in ``md.image_references`` (emptied by ``md.reset()``)."""

    def extendMarkdown(self, md):
        self.md = md
        md.image_references = []
        md.registerExtension(self)
        md.inlinePatterns.register(_Full(IMAGE_REFERENCE_RE, md), "image_reference", 140)
        md.inlinePatterns.register(_Short(IMAGE_REFERENCE_RE, md), "short_image_ref", 125)

    def reset(self):
        self.md.image_references = []
