"""How a finding is cited: its URL, the site that URL names, and its reference in Korean or English.

The references themselves come from ``ingest/memo/references.py`` (one CSL-JSON item per
source, rendered through the institute's CSL styles): the memo draft, the Excel exports, the
cite downloads (``plugins/cite.py``) and, as the SQL function ``citation(...)`` registered by
``plugins/finding_urls.py``, the ``memo`` canned query all cite through it. A source under the
Chatham House Rule is cited with the rule, never with a speaker.
"""

from __future__ import annotations

import re
import urllib.parse

from datasette.utils import tilde_encode

from .host import parse_host
from .references import CHATHAM_HOUSE, LANGUAGES, SourceRef, check_language, formatted_reference

__all__ = ["CHATHAM_HOUSE", "DEFAULT_PUBLIC_URL", "LANGUAGES", "SourceRef", "check_language", "citation", "cited_site",
           "finding_url"]

PLAIN_ID = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\Z")
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8001"  # only where no request tells the serving address
DATABASE, TABLE = "insights", "findings"


def cited_site(public_url: str | None, request_url: str) -> str:
    """The site citations name: ``public_url`` when it is set, else the scheme and host served from.

    ``cited_site(None, "http://example.test:9000/insights/memo")`` is ``http://example.test:9000``,
    so a copy served elsewhere never cites 127.0.0.1. A host that is no host name (a forged
    ``Host`` header) is a ``ValueError``: it never reaches a citation.
    """
    if public_url:
        return public_url.rstrip("/")
    parts = urllib.parse.urlsplit(request_url)
    if parts.scheme not in ("http", "https") or parse_host(parts.netloc) is None:
        raise ValueError(f"cannot cite the address {request_url[:100]!r}: set plugins.insights.public_url")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def finding_url(public_url: str, finding_id: str, base_url: str = "/") -> str:
    """The finding's row page: ``<site><base_url>insights/findings/<note id>~2F<finding id>``."""
    # Ids are slugs joined by '/': tilde-encoding them only turns '/' into '~2F' (fast path).
    encoded = finding_id.replace("/", "~2F") if PLAIN_ID.match(finding_id) else tilde_encode(finding_id)
    return f"{public_url.rstrip('/')}{base_url}{DATABASE}/{TABLE}/{encoded}"


def citation(source: SourceRef, url: str | None, lang: str = "ko") -> str:
    """A finding's reference: its source's, with the finding's URL where the style puts it."""
    return formatted_reference(source, lang, url)


def citation_sql_function(lang, organization, title, source_type, event, place, start, end, rule, url):
    """``citation(lang, organization, title, source_type, event, place, start, end, rule, url)`` in SQL."""
    return citation(SourceRef(organization, title, source_type, event, place, start, end, rule), url, lang)
