"""The text a finding is found by: what goes into the full-text index.

Three columns, so that ranking can weigh a match in a title above one in the body, and
both above a match by concept (the ``search`` query orders by ``bm25(findings_fts, 10.0,
1.0, 0.0)``, then by concept): ``title`` (English title, Korean title), ``body`` (summary,
quotes) and ``concepts`` (a token per concept the finding carries: see ``concepts``).
Korean words are indexed as their morphemes (``korean.index_texts``), English as written;
the tokenizer porter-stems the English and leaves the morphemes as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import korean

# FTS5 table over (title, body, concepts), rowid = findings.rowid.
FTS_TABLE = "findings_fts"
FTS_COLUMNS = ("title", "body", "concepts")
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"

Analyse = Callable[[Sequence[str]], list[str]]
KOREAN_FIELDS = ("title_ko", "summary", "quote")  # the fields analysed (when they hold Hangul)


def fts_rows(findings: Sequence[dict], concepts: Sequence[str],
             analyse: Analyse = korean.index_texts) -> list[tuple[str, str, str]]:
    """(title, body, concepts) to index for each findings row, analysing all their text in
    one batch; ``concepts`` holds each finding's concept tokens."""
    texts = [finding[field] or "" for finding in findings for field in KOREAN_FIELDS]
    indexed = iter(analyse(texts))
    rows = []
    for finding, tokens in zip(findings, concepts, strict=True):
        title_ko, summary, quote = (next(indexed) for _ in KOREAN_FIELDS)
        title = "\n".join(filter(None, (finding["title"], title_ko)))
        body = "\n".join(filter(None, (summary, quote)))
        rows.append((title, body, tokens))
    return rows
