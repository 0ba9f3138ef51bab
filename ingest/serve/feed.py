"""An Atom feed (RFC 4287) of findings: what ``/insights/findings.atom?…`` answers (plugins/feeds.py).

Written with ``xml.etree`` (every text and attribute escaped by it), UTF-8 with its XML
declaration. Each entry: the Korean title with the English one, the finding's page as its id
and link, ``updated`` from ``findings.updated`` (ingest/db/dates.py), its themes as categories,
the source's organization as author (never a speaker: Chatham House), and as content the
summary (Markdown rendered as the pages render it), the quote and the source, one HTML
fragment sanitised by nh3 — no script, no event handler, no ``javascript:`` link, no image at
all (a feed reader loads nothing from it), relative links made absolute.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import NamedTuple

import markdown
import nh3

from ingest.memo.records import FindingRecord, label

ATOM = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# What a finding's HTML may hold: the tags Markdown writes for text, links, quotes and lists.
TAGS = {"a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "li", "ol", "p", "pre", "strong", "ul"}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "*": {"lang"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Characters XML 1.0 cannot hold, even escaped (a control character in a note would make the feed unreadable).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

ET.register_namespace("", ATOM)


class Feed(NamedTuple):
    id: str  # the feed's own absolute address
    title: str
    page: str  # the findings page showing the same selection
    updated: str  # when anything in it last changed (ISO 8601 with offset)
    author: str  # the instance's name
    site: str  # absolute base of relative links in summaries
    lang: str = "ko"


class Entry(NamedTuple):
    finding: FindingRecord
    updated: str
    organization: str | None = None  # the source's organization, in the feed's language first


def text(value) -> str:
    return NOT_XML.sub("", str(value or ""))


def sanitised_html(fragment: str, site: str) -> str:
    """``fragment`` with only the tags and attributes above, links absolute to ``site``."""
    return nh3.clean(text(fragment), tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     url_relative=("rewrite_with_base", site.rstrip("/") + "/"),
                     link_rel="noopener noreferrer nofollow")


def entry_html(finding: FindingRecord, lang: str, site: str) -> str:
    """Summary, quote and source as one sanitised HTML fragment."""
    parts = [markdown.markdown(finding.summary or "", output_format="html")]
    if finding.quote:
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in finding.quote.split("\n\n") if p.strip())
        parts.append(f"<blockquote>{paragraphs}</blockquote>")
    source = finding.source_title
    if source:
        source_word = "출처 · Source" if lang == "ko" else "Source · 출처"
        parts.append(f"<p>{source_word}: <cite>{html.escape(source)}</cite></p>")
    return sanitised_html("\n".join(parts), site)


def entry_title(finding: FindingRecord, lang: str) -> str:
    if finding.title_ko and finding.title_ko != finding.title:
        return label(finding.title_ko, finding.title, lang)
    return finding.title


def atom_feed(feed: Feed, entries: Iterable[Entry]) -> bytes:
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": feed.lang})
    _add(root, "id", feed.id)
    _add(root, "title", feed.title)
    _add(root, "updated", feed.updated)
    _add(root, "link", rel="self", type="application/atom+xml", href=feed.id)
    _add(root, "link", rel="alternate", type="text/html", href=feed.page)
    _add(_add(root, "author"), "name", feed.author)
    _add(root, "generator", "smart-city-insights")
    for entry in entries:
        finding = entry.finding
        element = _add(root, "entry")
        _add(element, "id", finding.url)
        _add(element, "title", entry_title(finding, feed.lang))
        _add(element, "updated", entry.updated)
        _add(element, "link", rel="alternate", type="text/html", href=finding.url)
        if entry.organization:
            _add(_add(element, "author"), "name", entry.organization)
        for slug, name in zip(finding.themes, finding.theme_labels.split("; ")):
            _add(element, "category", term=slug, label=name)
        _add(element, "content", entry_html(finding, feed.lang, feed.site), type="html")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def _add(parent: ET.Element, tag: str, value: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: text(v) for k, v in attributes.items()})
    if value is not None:
        element.text = text(value)
    return element
