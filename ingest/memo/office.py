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
from .memo import built_at
from .outline import memo_outline
from .records import Selection, Vocabulary, read_findings

WRITERS = {"hwpx": write_hwpx, "docx": write_docx}
OFFICE_FORMATS = tuple(WRITERS)
CONTENT_TYPES = {
    "hwpx": "application/hwp+zip",  # the type an HWPX package names in its own `mimetype` entry
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def write_office_memo(conn: sqlite3.Connection, selection: Selection, url_for: Callable[[str], str],
                      lang: str, fmt: str, file: IO[bytes], style: str = "gaejosik") -> int:
    """Write the memo of ``selection`` to ``file`` in ``fmt``; return the number of findings."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown memo format {fmt!r}: use one of {', '.join(OFFICE_FORMATS)}")
    check_style(style)
    vocabulary = Vocabulary.read(conn, lang)
    outline = memo_outline(read_findings(conn, selection, url_for, lang, vocabulary), vocabulary, selection,
                           built_at(conn))
    WRITERS[fmt](memo_blocks(outline, style), file, outline.title(), selection.description)
    return outline.count
