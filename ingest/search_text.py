"""The text a finding is found by: what goes into the full-text index."""

from __future__ import annotations

# FTS5 table over (title, body); English words are porter-stemmed by the tokenizer.
FTS_TABLE = "findings_fts"
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"


def fts_columns(finding: dict) -> tuple[str, str]:
    """(title, body) to index for one findings row."""
    title = "\n".join(filter(None, (finding["title"], finding["title_ko"])))
    body = "\n".join(filter(None, (finding["summary"], finding["quote"])))
    return title, body
