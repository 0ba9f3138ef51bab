"""The text a finding is found by: what goes into the full-text index.

Two columns, so that ranking can weigh a match in a title above one in the body
(the ``search`` query orders by ``bm25(findings_fts, 10.0, 1.0)``):
``title`` (English title, Korean title) and ``body`` (summary, quotes). Korean words are
indexed as their morphemes (``korean.index_texts``), English as written; the
tokenizer porter-stems the English and leaves the morphemes as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import korean

# FTS5 table over (title, body), rowid = findings.rowid.
FTS_TABLE = "findings_fts"
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"

Analyse = Callable[[Sequence[str]], list[str]]
KOREAN_FIELDS = ("title_ko", "summary", "quote")  # the fields analysed (when they hold Hangul)


def fts_rows(findings: Sequence[dict], analyse: Analyse = korean.index_texts) -> list[tuple[str, str]]:
    """(title, body) to index for each findings row, analysing all their text in one batch."""
    texts = [finding[field] or "" for finding in findings for field in KOREAN_FIELDS]
    indexed = iter(analyse(texts))
    rows = []
    for finding in findings:
        title_ko, summary, quote = (next(indexed) for _ in KOREAN_FIELDS)
        title = "\n".join(filter(None, (finding["title"], title_ko)))
        body = "\n".join(filter(None, (summary, quote)))
        rows.append((title, body))
    return rows
