"""A source's reference: one CSL-JSON item, and every form of it, from that item.

``csl_item`` turns a source (``SourceRef``, read from a ``sources`` row) and optionally a
finding's URL into a CSL-JSON item. From the item come the formatted reference, rendered by
citeproc-py through the styles shipped in ``csl/`` (``krihs-ko.csl``: as the institute's journal
「국토연구」 lists references; ``krihs-en.csl``: Chicago author-date), and the files reference
managers import (``reference_files.py``: RIS, BibTeX, CSL-JSON). A change of style is a
change of a ``.csl`` file, and every memo, export, canned query and download follows.

A source under the Chatham House Rule carries the rule as the item's ``note``: every style
prints it after the reference, every file keeps it. An item is made only of source-level
fields, and the build refuses speaker and affiliation fields on such sources.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
import warnings
from pathlib import Path
from typing import NamedTuple

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc.string import SEAM_PUNCTUATION  # citeproc-py drops a repeated one where two texts meet

LANGUAGES = ("ko", "en")
STYLES = {lang: Path(__file__).with_name("csl") / f"krihs-{lang}.csl" for lang in LANGUAGES}
CHATHAM_HOUSE = {
    "ko": "채텀하우스 규칙(Chatham House Rule) 적용: 발언자와 소속은 밝히지 않음",
    "en": "Chatham House Rule: speakers and affiliations are not attributed",
}
CSL_TYPE = "report"  # every source is a document of its organization: a trip report, a study, …
DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
URL_SLOT = "https://url-slot.invalid/"  # rendered once per source, replaced by each finding's URL
CITEPROC_IGNORES = ("event-title",)  # CSL 1.0.2's name of `event`, which citeproc-py 0.11 reads (and warns about)
TEXT_FIELDS = ("organization", "title", "source_type", "event", "place", "url")  # printed as written
STAND_IN_OPEN, STAND_IN_CLOSE = "\ue000", "\ue001"  # private-use characters around a field's name
STAND_IN = {name: f"{STAND_IN_OPEN}{name}{STAND_IN_CLOSE}" for name in TEXT_FIELDS}
STAND_IN_PATTERN = re.compile(f"{STAND_IN_OPEN}([a-z_]+){STAND_IN_CLOSE}")
NOT_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\s]+")  # control characters and line breaks


class SourceRef(NamedTuple):
    """The fields of a source that a reference names, in the reference's language."""

    organization: str | None
    title: str | None
    source_type: str | None  # what the document is, e.g. 해외출장 복명서 / Trip report
    event: str | None
    place: str | None
    start: str | None
    end: str | None
    rule: str | None
    url: str | None = None  # the source's own public address, if it has one

    @classmethod
    def from_row(cls, row, lang: str) -> "SourceRef":
        """From a ``sources`` row plus its type's labels ``type_ko`` and ``type_en``.

        Korean references use the Korean names where the note gives them
        (``organization_ko``, ``title_ko``, ``document_type_ko``).
        """
        korean = check_language(lang) == "ko"

        def pick(korean_key: str, key: str):
            return (korean and _get(row, korean_key)) or _get(row, key)

        return cls(
            pick("organization_ko", "organization"), pick("title_ko", "title"),
            pick("document_type_ko", "type_ko") if korean else _get(row, "type_en"),
            *(_get(row, key) for key in ("event", "place", "start", "end", "rule", "url")),
        )


def _get(row, key: str):
    """A column of a row (dict or sqlite3.Row), None when the query did not select it."""
    try:
        return row[key]
    except (KeyError, IndexError):
        return None


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def clean(text) -> str | None:
    """One line of text: control characters and line breaks become single spaces."""
    if text is None:
        return None
    text = NOT_TEXT.sub(" ", unicodedata.normalize("NFC", str(text))).strip()
    return text or None


def date_parts(value: str | None) -> list[int] | None:
    match = DATE.match(value or "")
    return [int(part) for part in match.groups() if part] if match else None


def csl_item(source: SourceRef, lang: str, item_id: str, url: str | None = None) -> dict:
    """The CSL-JSON item of ``source`` in ``lang``; ``url`` (a finding's page) or the source's own."""
    check_language(lang)
    item = {"id": item_id, "type": CSL_TYPE, "language": lang}
    if organization := clean(source.organization):
        item["author"] = [{"literal": organization}]  # an institution is one name, never split
    fields = {"title": source.title, "genre": source.source_type, "event": source.event,
              "event-title": source.event, "event-place": source.place, "URL": url or source.url}
    item.update({key: value for key, value in ((k, clean(v)) for k, v in fields.items()) if value})
    if start := date_parts(source.start):
        item["issued"] = {"date-parts": [start]}
        end = date_parts(source.end)
        item["event-date"] = {"date-parts": [start, end] if end and end != start else [start]}
    if source.rule == "chatham-house":
        item["note"] = CHATHAM_HOUSE[lang]
    return item


def formatted_reference(source: SourceRef, lang: str = "ko", url: str | None = None) -> str:
    """The reference as the institute's style in ``lang`` writes it, ``url`` where the style puts it.

    ``국토연구원. 2016. 「…」. 해외출장 복명서. <url>. 채텀하우스 규칙(…) 적용: …``; without
    ``url``, the source's own address (if any). Made once per source and language; a finding's
    URL is then put in the slot the style gave it.
    """
    if url and not (url.isascii() and url.isprintable() and " " not in url):  # else: a URL we built
        url = clean(url)
    if not url:
        return _rendered(source, check_language(lang))
    before, after = _around_url(source, check_language(lang))
    if after is None:  # a style that prints no URL
        return before
    if url[:1] in SEAM_PUNCTUATION or url[-1:] in SEAM_PUNCTUATION:
        return rendered_like_its_shape(source, lang, url)
    return f"{before}{url}{after}"


@functools.lru_cache(maxsize=4096)
def _rendered(source: SourceRef, lang: str) -> str:
    return rendered_like_its_shape(source, lang)


@functools.lru_cache(maxsize=4096)
def _around_url(source: SourceRef, lang: str) -> tuple[str, str | None]:
    """The reference rendered with a stand-in URL, cut where the URL goes (after is None: nowhere)."""
    before, slot, after = rendered_like_its_shape(source, lang, URL_SLOT).partition(URL_SLOT)
    return before, after if slot else None


def rendered_like_its_shape(source: SourceRef, lang: str, url: str | None = None) -> str:
    """``render(csl_item(source, lang, …, url), lang)``, from a rendering of the source's shape.

    citeproc-py takes about a millisecond a reference, and a 100k-finding export cites some 10k
    sources. The styles print text fields as written and dates as their year (tests check
    both), so what a reference looks like depends only on which fields it has, its year and its
    rule: each such shape is rendered once with stand-ins for the texts, which are then put in.
    A text that begins or ends with punctuation citeproc-py may merge with its neighbour's
    (``Inc.`` before ``. ``) is rendered as it is.
    """
    texts = {name: clean(getattr(source, name)) for name in TEXT_FIELDS}
    texts["url"] = clean(url) if url else texts["url"]
    if any(text and (text[0] in SEAM_PUNCTUATION or text[-1] in SEAM_PUNCTUATION) for text in texts.values()):
        return render(csl_item(source, lang, "reference", url), lang)
    year = (date_parts(source.start) or [None])[0]
    shape = SourceRef(**{name: STAND_IN[name] if texts[name] else None for name in TEXT_FIELDS},
                      start=f"{year:04d}" if year is not None else None, end=None, rule=source.rule)
    template = _shape_template(shape, lang)
    if template is None:  # the style changed a stand-in (text-case, …): render this source itself
        return render(csl_item(source, lang, "reference", url), lang)
    return STAND_IN_PATTERN.sub(lambda match: texts[match.group(1)], template)


@functools.lru_cache(maxsize=512)
def _shape_template(shape: SourceRef, lang: str) -> str | None:
    text = render(csl_item(shape, lang, "reference"), lang)
    intact = [m.group(1) for m in STAND_IN_PATTERN.finditer(text)]
    whole = len(intact) == len(set(intact)) == text.count(STAND_IN_OPEN) == text.count(STAND_IN_CLOSE)
    return text if whole else None


_render_lock = threading.Lock()  # citeproc-py keeps state in its style objects: one render at a time


def render(item: dict, lang: str) -> str:
    """A CSL-JSON item as plain text, in the bibliography form of ``lang``'s style."""
    item = {key: value for key, value in item.items() if key not in CITEPROC_IGNORES}
    with _render_lock:
        bibliography = CitationStylesBibliography(style(lang), CiteProcJSON([item]), formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"])]))
        return str(bibliography.bibliography()[0])


@functools.cache
def style(lang: str) -> CitationStylesStyle:
    """The style of ``lang``, parsed once; a style the CSL schema refuses is an error, not a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return CitationStylesStyle(str(STYLES[check_language(lang)]), validate=True)
