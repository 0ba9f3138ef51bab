"""Remote content: HTML or Markdown in a note that makes a reader's browser fetch something
from another server as soon as a page opens (an image, a frame, a style sheet, a font).

Such a request tells that server who reads which finding, when, from where: on an internal
instance it leaks the readers; on a public one it is a tracking pixel. `check` refuses it
(docs/notes.md says why it refuses rather than drops). Every text of a note is rendered as
the pages render it (Python-Markdown, then an HTML parser that decodes entities as browsers
do) and every element is inspected, so ``&#104;ttps:``, ``//host`` and ``srcset`` are caught
as well as ``![](https://…)``. Links (``<a href>``, ``[text](https://…)``) load nothing and
stay allowed.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown

# Attributes whose address a browser fetches without a click, and elements whose href it fetches.
FETCHED = {"src", "srcset", "imagesrcset", "poster", "background", "data", "lowsrc", "dynsrc", "codebase",
           "archive", "longdesc", "manifest", "ping", "xlink:href"}
FETCHED_HREF = {"link", "image", "use", "feimage", "base", "script"}
NETWORK = re.compile(r"^\s*(?:(?:https?|ftps?|wss?):|[/\\]{2})", re.IGNORECASE)
CSS_URL = re.compile(r"""(?:url|image-set|image)\s*\(\s*['"]?\s*([^'")\s]+)|@import\s+['"]\s*([^'"]+)""", re.IGNORECASE)
# Browsers drop ASCII tab and newline anywhere in a URL (so "ht\ttps://" is "https://").
URL_NOISE = str.maketrans("", "", "\t\n\r")
IMAGE_REFERENCE = re.compile(r"!\[[^\]]*\]\s*\[[^\]]*\]")  # ![alt][ref]: its address is elsewhere
TAG = re.compile(r"<(?!/|a[\s>])[^>]*>", re.IGNORECASE)  # every start tag but a link's
LOADS = re.compile(r"src|href|poster|data|background|style|url|import", re.IGNORECASE)
NETWORK_ANYWHERE = re.compile(r"(?:https?|ftps?|wss?):|[/\\]{2}", re.IGNORECASE)
MAYBE = ("<", "![")  # text without either renders no element at all: the common case, skipped fast


def remote_addresses(text: str) -> list[str]:
    """The addresses in ``text`` (Markdown with HTML) that a page showing it would fetch from another server."""
    if not any(sign in text for sign in MAYBE):
        return []
    page = markdown.markdown(text, output_format="html5")
    finder = _Finder()
    finder.feed(page)
    finder.close()
    # Whatever a parser may read differently from a browser (<img/src=…>): any tag but a link's
    # that names a network address.
    odd = [tag for tag in map(html.unescape, TAG.findall(page)) if LOADS.search(tag) and is_network_anywhere(tag)
           and not any(address in tag for address in finder.addresses)]
    return finder.addresses + odd


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
        elif IMAGE_REFERENCE.search(data):
            self.addresses.append(IMAGE_REFERENCE.search(data).group())

    def _css(self, css: str) -> None:
        for match in CSS_URL.finditer(css):
            url = match.group(1) or match.group(2)
            if is_network(url):
                self.addresses.append(url)


def located(first_line: int, text: str) -> list[tuple[int, str]]:
    """(line, address) of every remote address in ``text``, which starts at ``first_line``: the
    line that holds it; for a reference image (``![alt][ref]``), the line of the image."""
    whole = remote_addresses(text)
    if not whole:
        return []
    found = [(first_line + number, address) for number, line in enumerate(text.split("\n"))
             for address in remote_addresses(line)]
    references = [line for line, address in found if IMAGE_REFERENCE.fullmatch(address)]
    if not any(IMAGE_REFERENCE.fullmatch(address) for address in whole):  # all resolved within the text
        found = [(line, address) for line, address in found if not IMAGE_REFERENCE.fullmatch(address)]
    seen = {address for _, address in found}
    return found + [(references[0] if references else first_line, address) for address in whole if address not in seen]
