"""The language of a document's text (ISO 639-1), from its letters."""

from __future__ import annotations

import re

LETTER_SCRIPTS = (("ko", re.compile(r"[\uac00-\ud7a3]")), ("ja", re.compile(r"[\u3040-\u30ff]")),
                  ("zh", re.compile(r"[\u4e00-\u9fff]")), ("en", re.compile(r"[A-Za-z]")))
SAMPLE = 20_000  # characters: enough to tell, and the first pages are the document's own language


def language(text: str) -> str:
    """ISO 639-1 code of the text's language, by its letters: Korean as soon as a fifth of them
    are Hangul (a Korean report is full of English terms), then Japanese kana, Chinese, English."""
    sample = text[:SAMPLE]
    counts = {code: len(pattern.findall(sample)) for code, pattern in LETTER_SCRIPTS}
    letters = sum(counts.values()) or 1
    if counts["ko"] >= letters / 5:
        return "ko"
    if counts["ja"] >= letters / 10:
        return "ja"
    if counts["zh"] >= letters / 3:
        return "zh"
    return "en"
