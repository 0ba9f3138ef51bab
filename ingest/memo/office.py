"""Memos in the formats the institute files: HWPX (한글, 개조식) and DOCX (Word).

    write_office_memo(conn, selection, url_for, "ko", "hwpx", file)            # 개조식
    write_office_memo(conn, selection, url_for, "en", "docx", file, "prose")  # plain paragraphs

The memo's outline (``outline.py``, the same as the Markdown memo's) is laid out as
paragraphs (``layout.py``) and handed to a writer (``hwpx_memo.py``, ``docx_memo.py``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import IO

from .docx_memo import write_docx
from .hwpx_memo import write_hwpx
from .layout import check_style, memo_blocks
from .outline import read_outline
from .records import Selection, SelectionError

# Both formats are zips that python-hwpx and python-docx build whole in memory from the
# outline (about 120 KiB a finding at the peak in HWPX, 35 in DOCX: docs/performance.md),
# so a download holds at most this many findings.
MAX_FINDINGS = 5000
WRITERS = {"hwpx": write_hwpx, "docx": write_docx}
OFFICE_FORMATS = tuple(WRITERS)
CONTENT_TYPES = {
    "hwpx": "application/hwp+zip",  # the type an HWPX package names in its own `mimetype` entry
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class MemoTooLarge(SelectionError):
    """The selection holds more findings than an office memo is built of."""


def write_office_memo(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
                      lang: str, fmt: str, file: IO[bytes], style: str = "gaejosik",
                      limit: int | None = MAX_FINDINGS) -> int:
    """Write the memo of ``selection`` to ``file`` in ``fmt``; return the number of findings.
    A selection of more than ``limit`` findings raises ``MemoTooLarge`` before anything is written."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown memo format {fmt!r}: use one of {', '.join(OFFICE_FORMATS)}")
    check_style(style)
    outline = read_outline(conn, selection, url_for, lang, limit + 1 if limit else None)
    if limit and outline.count > limit:
        raise MemoTooLarge(f"an HWPX or DOCX memo holds at most {limit:,} findings: narrow the selection "
                           "(a theme, a region, a kind or a search)")
    WRITERS[fmt](memo_blocks(outline, style), file, outline.title(), selection.description)
    return outline.count
