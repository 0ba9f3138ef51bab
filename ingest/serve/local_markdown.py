"""A note's Markdown as the pages show it, with no image from anywhere but the instance itself.

``check`` refuses remote content (ingest/notes/remote_note.py), so a built database holds none;
this is the second guard, for a row that slipped past it (a database written by other means, a
rule a future Markdown form escapes). It renders exactly as ``datasette-render-markdown`` does
(its ``render_markdown``: Python-Markdown, then bleach, which keeps only ``<a href>`` and
``<img src alt>``) and, on top:

- a Markdown image (``![a](…)``, ``![a][ref]``, ``![ref]``) whose address is not on this
  instance becomes its alt text in brackets, in ``<em>``, loading nothing;
- an ``<img>`` written as HTML keeps its ``src`` only if it is on this instance.

On this instance means a relative address: no scheme (``https:``, ``data:``, ``javascript:``),
not ``//host`` nor ``/\\host`` (which browsers read as ``//host``).
"""

from __future__ import annotations

import html
import re

from datasette_render_markdown import render_markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from ingest.notes.remote_content import URL_NOISE

# Browsers drop ASCII tab and newline anywhere in a URL (URL_NOISE), and leading spaces and control characters.
ELSEWHERE = re.compile(r"[\x00-\x20]*(?:[A-Za-z][A-Za-z0-9+.\-]*:|[/\\]{2})")


def is_local(url: str | None) -> bool:
    """Whether a browser would fetch ``url`` from the page's own origin."""
    return url is not None and not ELSEWHERE.match(url.translate(URL_NOISE))


class _LocalImages(Treeprocessor):
    def run(self, root):
        for element in root.iter("img"):
            if not is_local(element.get("src")):
                alt, tail = element.get("alt") or "image", element.tail
                element.clear()  # its attributes, children, and the text after it: put back
                element.tag, element.text, element.tail = "em", f"[{alt}]", tail


class LocalImagesOnly(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_LocalImages(md), "local_images_only", 5)  # after 'inline' (20)


def _img_attribute(tag: str, name: str, value: str) -> bool:
    """bleach's check of an ``<img>`` attribute. It hands over the value as written, and keeps
    it so: a browser decodes ``&#104;ttps:`` to ``https:``, so the value is decoded first."""
    return name == "alt" or (name == "src" and is_local(html.unescape(value)))


def local_markdown(text: str | None) -> Markup:
    """``text`` rendered as the pages render a note's Markdown, with images from this instance only."""
    return render_markdown(text, extensions=[LocalImagesOnly()], extra_attrs={"img": _img_attribute})
