"""Remote content: HTML or Markdown in a note that makes a reader's browser fetch something
from another server as soon as a page opens (an image, a frame, a style sheet, a font).

Such a request tells that server who reads which finding, when, from where: on an internal
instance it leaks the readers; on a public one it is a tracking pixel. `check` refuses it
(docs/notes.md says why it refuses rather than drops). Every text of a note is rendered as
the pages render it (Python-Markdown, then an HTML parser that decodes entities as browsers
do) and every element is inspected, so ``&#104;ttps:``, ``//host`` and ``srcset`` are caught
as well as ``![](https://…)``. Links (``<a href>``, ``[text](https://…)``) load nothing and
stay allowed.

Reference images (``![alt][ref]``, ``![alt][]``, ``![ref]``) are found by the renderer itself
(``image_references.py``): whatever their address, a memo that joins findings of several notes
can give them another note's definition, so ``remote_note.py`` refuses them all.
"""

from __future__ import annotations

import html
import re
import threading
from html.parser import HTMLParser
from typing import NamedTuple

import markdown

from .image_references import ImageReference, ImageReferences

# Attributes whose address a browser fetches without a click, and elements whose href it fetches.
FETCHED = {"src", "srcset", "imagesrcset", "poster", "background", "data", "lowsrc", "dynsrc", "codebase",
           "archive", "longdesc", "manifest", "ping", "xlink:href"}
FETCHED_HREF = {"link", "image", "use", "feimage", "base", "script"}
NETWORK = re.compile(r"^\s*(?:(?:https?|ftps?|wss?):|[/\\]{2})", re.IGNORECASE)
CSS_URL = re.compile(r"""(?:url|image-set|image)\s*\(\s*['"]?\s*([^'")\s]+)|@import\s+['"]\s*([^'"]+)""", re.IGNORECASE)
# Browsers drop ASCII tab and newline anywhere in a URL (so "ht\ttps://" is "https://").
URL_NOISE = str.maketrans("", "", "\t\n\r")
TAG = re.compile(r"<(?!/|a[\s>])[^>]*>", re.IGNORECASE)  # every start tag but a link's
LOADS = re.compile(r"src|href|poster|data|background|style|url|import", re.IGNORECASE)
NETWORK_ANYWHERE = re.compile(r"(?:https?|ftps?|wss?):|[/\\]{2}", re.IGNORECASE)
QUOTED = re.compile(r'"([^"]*)"')  # attribute values, as Python-Markdown writes them
MAYBE = ("<", "![", "]:")  # text without any renders no element and defines nothing: the common case, skipped fast


class Rendered(NamedTuple):
    addresses: list[str]  # what a page showing the text fetches from another server
    images: list[ImageReference]  # its reference images, each with the address it resolves to here, if any
    definitions: dict[str, str]  # reference label (as Python-Markdown keys it) → address


NOTHING = Rendered([], [], {})


def inspect(text: str) -> Rendered:
    """Render ``text`` (Markdown with HTML) as the pages do (Python-Markdown, ``html5``, no
    extension: ``datasette_render_markdown.render_markdown``) and read what it would load."""
    if not any(sign in text for sign in MAYBE):
        return NOTHING
    md = _renderer()
    page = md.reset().convert(text)
    finder = _Finder()
    finder.feed(page)
    finder.close()
    # Whatever a parser may read differently from a browser (<img/src=…>): any tag but a link's
    # that names a network address.
    known = set(finder.addresses)
    odd = [tag for tag in map(html.unescape, TAG.findall(page)) if LOADS.search(tag) and is_network_anywhere(tag)
           and not any(value.strip() in known for value in QUOTED.findall(tag))  # the common case, at once
           and not any(address in tag for address in finder.addresses)]
    return Rendered(finder.addresses + odd, list(md.image_references),
                    {label: link for label, (link, _title) in md.references.items()})


_local = threading.local()


def _renderer() -> markdown.Markdown:
    """One Markdown instance per thread, reset before each text (building one costs more than
    rendering a line)."""
    if not hasattr(_local, "md"):
        _local.md = markdown.Markdown(output_format="html5", extensions=[ImageReferences()])
    return _local.md


def remote_addresses(text: str) -> list[str]:
    """The addresses in ``text`` that a page showing it would fetch from another server."""
    return inspect(text).addresses


def is_network(url: str) -> bool:
    return bool(NETWORK.match(url.translate(URL_NOISE)))


def is_network_anywhere(tag: str) -> bool:
    return bool(NETWORK_ANYWHERE.search(tag.translate(URL_NOISE)))


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name in FETCHED or (name == "href" and tag in FETCHED_HREF):
                urls = [part.split()[0] for part in value.split(",") if part.split()] if "srcset" in name else [value]
                self.addresses += [url for url in urls if is_network(url)]
            elif name == "style":
                self._css(value)
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css(data)

    def _css(self, css: str) -> None:
        for match in CSS_URL.finditer(css):
            url = match.group(1) or match.group(2)
            if is_network(url):
                self.addresses.append(url)


class Use(NamedTuple):
    """An image reference at a line of a note."""
    line: int
    image: ImageReference


def located(first_line: int, text: str) -> tuple[list[tuple[int, str]], list[Use]]:
    """Where, in ``text`` (which starts at ``first_line``), its remote addresses and its reference
    images are: (line, address) of every remote address but those of its reference images, and
    each reference image's use. Each is found on the line that shows it alone; what no single
    line shows (a tag written over two lines) is given ``first_line``."""
    whole = inspect(text)
    if not whole.addresses and not whole.images:
        return [], []
    from_references = {image.address for image in whole.images}
    remote = set(whole.addresses)
    labels = {image.label: image for image in whole.images}
    addresses, uses = [], []
    for number, line in enumerate(text.split("\n")):
        alone = inspect(line)
        addresses += [(first_line + number, address) for address in alone.addresses if address in remote]
        uses += [Use(first_line + number, image._replace(address=labels[image.label].address))
                 for image in alone.images if image.label in labels]
    seen, used = {address for _, address in addresses}, {use.image.label for use in uses}
    addresses += [(first_line, address) for address in whole.addresses
                  if address not in seen and address not in from_references]
    uses += [Use(first_line, image) for image in whole.images if image.label not in used]
    return addresses, uses
