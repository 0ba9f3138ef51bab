"""How much of a report is read, at most: every limit of the reading step, in one place.

A real 복명서 is 5 to 50 pages: a few hundred KB to a few MB as a file (photos included), at most
a few MB of XML once unpacked, 1,000 to 3,000 paragraphs and 10,000 to 100,000 characters. The
defaults are ten to a hundred times that, so no report a person wrote meets them, while a file
made to exhaust the machine (a zip bomb, a PDF page of 200,000 glyphs) is refused before it is
parsed, or, failing that, stopped by the memory and time limits of the process that reads it.

Each limit can be changed for one run with an environment variable named after it in capitals
with ``INGEST_`` in front (``INGEST_REPORT_SECONDS=120``); docs/operations.md lists them.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass

MB = 1_000_000


@dataclass(frozen=True)
class Limits:
    # The file as uploaded or given: a 50-page report with photos is 5 to 20 MB.
    report_bytes: int = 50 * MB
    # A DOCX or HWPX is a zip, an HWP an OLE file of deflated streams: what they unpack to, in all.
    # A real report's XML is a few MB; images are stored as they are, so they count once.
    report_uncompressed_bytes: int = 100 * MB
    # Unpacked size over packed size, per part: XML deflates 5 to 20 times, images not at all; a
    # bomb of repeated markup 200 to 1,000 times. Parts under 1 MB are not judged (too small to hurt).
    report_compression_ratio: int = 100
    # Members of a zip, streams of an HWP: a report has 10 to 100 (one per image, style, section).
    report_parts: int = 2_000
    # Pages of a PDF: a real report has 5 to 100.
    report_pdf_pages: int = 500
    # Characters on one PDF page, counted before a page is laid out: a page set in 8-point type
    # holds about 8,000; laying out a page costs memory and time for every glyph on it.
    report_page_characters: int = 20_000
    # Characters of the whole report's text: a 50-page report holds about 100,000, a 500-page book
    # a million. Drafting (after reading, in the caller's process) takes about 3 ms a paragraph:
    # these two keep it under a minute.
    report_characters: int = 1_000_000
    # Paragraphs (and table rows, and paragraphs in table cells) read: a 50-page report has about 3,000.
    report_paragraphs: int = 20_000
    # The reading process's address space (RLIMIT_AS): reading the largest real report takes
    # about 300 MB of it, Python and the libraries included.
    report_memory_bytes: int = 1536 * 1024 * 1024
    # Wall time of the reading process: a 50-page PDF reads in a few seconds.
    report_seconds: float = 60.0

    def with_environment(self, environ: Mapping[str, str] | None = None) -> Limits:
        """These limits, with any set by an environment variable (INGEST_REPORT_…); a value that
        is not a positive number raises ValueError naming the variable."""
        environ = os.environ if environ is None else environ
        changes = {}
        for field in dataclasses.fields(self):
            name = env_name(field.name)
            if name in environ:
                kind = float if field.type in (float, "float") else int
                try:
                    value = kind(environ[name].replace("_", ""))
                except ValueError:
                    value = 0
                if value <= 0:
                    raise ValueError(f"{name}={environ[name]!r}: a positive {'number' if kind is float else 'whole number'} is needed")
                changes[field.name] = value
        return dataclasses.replace(self, **changes)


def env_name(limit: str) -> str:
    return f"INGEST_{limit.upper()}"


def limit_hint(limit: str) -> str:
    """What to do about a report over ``limit``."""
    return ("a report a person wrote is far below this: check that it is the report itself; "
            f"to read it anyway, raise the limit ({env_name(limit)}=…, see docs/operations.md)")


DEFAULT_LIMITS = Limits()


def megabytes(count: int) -> str:
    """A byte count as a person reads it: 100 MB, 1.5 GB."""
    if count >= 1000 * MB:
        return f"{count / (1000 * MB):.3g} GB"
    if count >= MB:
        return f"{count / MB:.3g} MB"
    return f"{count:,} bytes"
