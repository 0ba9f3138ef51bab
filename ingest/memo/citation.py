"""How a finding is cited: its URL and one citation string, in Korean or English.

The one citation builder of the project: the memo draft, the Excel exports and (as the
SQL function ``citation(...)`` registered by ``plugins/finding_urls.py``) the ``memo``
canned query all call ``citation``. A source under the Chatham House Rule is cited with
the rule, never with a speaker: a citation is made only of source-level fields, and
the build refuses speaker and affiliation fields on such sources.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from datasette.utils import tilde_encode

LANGUAGES = ("ko", "en")
PLAIN_ID = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\Z")
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8001"
DATABASE, TABLE = "insights", "findings"

CHATHAM_HOUSE = {
    "ko": "채텀하우스 규칙(Chatham House Rule) 적용: 발언자와 소속은 밝히지 않음",
    "en": "Chatham House Rule: speakers and affiliations are not attributed",
}


class SourceRef(NamedTuple):
    """The fields of a source that a citation names, in the citation's language."""

    organization: str | None
    title: str | None
    source_type: str | None  # label of the type of source, e.g. 출장 복명서 / Trip report
    event: str | None
    place: str | None
    start: str | None
    end: str | None
    rule: str | None

    @classmethod
    def from_row(cls, row, lang: str) -> "SourceRef":
        """From a ``sources`` row plus its type's labels ``type_ko`` and ``type_en``."""
        korean = check_language(lang) == "ko"
        return cls(
            row["organization"],
            (row["title_ko"] or row["title"]) if korean else row["title"],
            row["type_ko"] if korean else row["type_en"],
            row["event"], row["place"], row["start"], row["end"], row["rule"],
        )


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def finding_url(public_url: str, finding_id: str, base_url: str = "/") -> str:
    """The finding's row page: ``/insights/findings/<note id>~2F<finding id>``."""
    # Ids are slugs joined by '/': tilde-encoding them only turns '/' into '~2F' (fast path).
    encoded = finding_id.replace("/", "~2F") if PLAIN_ID.match(finding_id) else tilde_encode(finding_id)
    return f"{public_url.rstrip('/')}{base_url}{DATABASE}/{TABLE}/{encoded}"


def date_range(start: str | None, end: str | None) -> str | None:
    if start and end and end != start:
        return f"{start} – {end}"
    return start or end


def citation(source: SourceRef, url: str | None, lang: str = "ko") -> str:
    """``organization, title (type), event, place, dates. [rule.] URL``"""
    return with_url(source_citation(source, lang), url)


def with_url(source_citation: str, url: str | None) -> str:
    """A source's citation completed with a finding's URL (readers cache the source part)."""
    return f"{source_citation}. {url}" if url and source_citation else (url or source_citation)


def source_citation(source: SourceRef, lang: str = "ko") -> str:
    """``organization, title (type), event, place, dates[. rule]``: the citation without a URL."""
    title = source.title or ""
    if source.source_type:
        title = f"{title} ({source.source_type})" if title else source.source_type
    parts = [source.organization, title, source.event, source.place, date_range(source.start, source.end)]
    sentences = [", ".join(p.strip() for p in parts if p and p.strip())]
    if source.rule == "chatham-house":
        sentences.append(CHATHAM_HOUSE[check_language(lang)])
    return ". ".join(s for s in sentences if s)


def citation_sql_function(lang, organization, title, source_type, event, place, start, end, rule, url):
    """``citation(lang, organization, title, source_type, event, place, start, end, rule, url)`` in SQL."""
    return citation(SourceRef(organization, title, source_type, event, place, start, end, rule), url, lang)
