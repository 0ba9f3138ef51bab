"""The files reference managers (Zotero, EndNote, Mendeley) import, written from CSL-JSON items.

Every writer takes the items ``references.csl_item`` makes — one truth for every form of a
reference — and returns text in UTF-8-ready form, Korean intact: RIS (line-based, so every
value is one line: ``csl_item`` already made it one), BibTeX (TeX's special characters
escaped, braces always balanced) and CSL-JSON.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable

RIS_TYPES = {"report": "RPRT", "book": "BOOK", "thesis": "THES", "article-journal": "JOUR"}
BIBTEX_TYPES = {"report": "techreport", "book": "book", "thesis": "phdthesis", "article-journal": "article"}
BIBTEX_SPECIALS = {
    # BibTeX counts braces even after a backslash, so a brace of the text is a command, never "\{".
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#",
    "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
BIBTEX_SPECIAL = re.compile("[" + re.escape("".join(BIBTEX_SPECIALS)) + "]")
BIBTEX_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:.-]+")
URL_UNSAFE = re.compile(r"[{}\\\"\s<>]")  # never in a URL: percent-encoded so braces stay balanced
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def csl_json(items: Iterable[dict]) -> str:
    """A CSL-JSON array (what Zotero's "Import from Clipboard" and pandoc read)."""
    return json.dumps(list(items), ensure_ascii=False, indent=2) + "\n"


def _author_names(item: dict) -> list[str]:
    return [name.get("literal") or ", ".join(filter(None, (name.get("family"), name.get("given"))))
            for name in item.get("author", ())]


def _issued(item: dict) -> list[int]:
    parts = item.get("issued", {}).get("date-parts") or [[]]
    return parts[0]


def ris(items: Iterable[dict]) -> str:
    """RIS records, CRLF line ends as the format's specification writes them."""
    lines = []
    for item in items:
        issued = _issued(item)
        fields = [("TY", RIS_TYPES.get(item["type"], "GEN"))]
        fields += [("AU", name) for name in _author_names(item)]
        fields += [("TI", item.get("title")), ("M3", item.get("genre")), ("PB", item.get("publisher")),
                   ("T2", item.get("event")), ("CY", item.get("event-place")),
                   ("PY", str(issued[0]) if issued else None),
                   ("DA", "/".join(f"{p:02d}" for p in issued) if issued else None),
                   ("UR", item.get("URL")), ("N1", item.get("note")), ("LA", item.get("language")),
                   ("ID", item["id"]), ("ER", "")]
        lines += [f"{tag}  - {value}" for tag, value in fields if value is not None]
    return "".join(line + "\r\n" for line in lines)


def bibtex_text(value: str) -> str:
    """A value inside ``{…}``: TeX's special characters escaped, so braces always balance."""
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_SPECIALS[m.group()], value)


def bibtex_key(item_id: str) -> str:
    """``2016-03-wilton-park-smart-cities:retrofit-financing``: ASCII, no character BibTeX refuses."""
    return BIBTEX_KEY_UNSAFE.sub("-", item_id.replace("/", ":")).strip("-:") or "reference"


def _bibtex_name(name: dict) -> str:
    """``Family, Given``; an institution's name braced once more, so that no style splits it."""
    if name.get("literal"):
        return "{" + bibtex_text(name["literal"]) + "}"
    return bibtex_text(", ".join(filter(None, (name.get("family"), name.get("given")))))


def bibtex(items: Iterable[dict]) -> str:
    """BibTeX entries (UTF-8; biber and bibtex8 read Korean as it is)."""
    entries = []
    for item in items:
        issued = _issued(item)
        authors = _author_names(item)
        fields = {
            "author": " and ".join(_bibtex_name(name) for name in item.get("author", ())),
            "title": bibtex_text(item.get("title") or ""),
            "type": bibtex_text(item.get("genre") or ""),
            # @techreport needs an institution: the publisher, or the organization that wrote it.
            "institution": bibtex_text(item.get("publisher") or (authors[0] if authors else "")),
            "year": str(issued[0]) if issued else "",
            "month": MONTHS[issued[1] - 1] if len(issued) > 1 and 1 <= issued[1] <= 12 else "",
            "eventtitle": bibtex_text(item.get("event") or ""),
            "venue": bibtex_text(item.get("event-place") or ""),
            "url": URL_UNSAFE.sub(lambda m: urllib.parse.quote(m.group()), item.get("URL") or ""),
            "note": bibtex_text(item.get("note") or ""),
            "langid": {"ko": "korean", "en": "english"}.get(item.get("language"), ""),
        }
        body = ",\n".join(f"  {name} = {{{value}}}" if name != "month" else f"  month = {value}"
                          for name, value in fields.items() if value)
        entries.append(f"@{BIBTEX_TYPES.get(item['type'], 'misc')}{{{bibtex_key(item['id'])},\n{body}\n}}\n")
    return "\n".join(entries)
