"""The source documents that quotes come from, kept under notes/ (usually notes/sources/)."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path


class DocumentCache:
    """Source documents under notes/, compared whitespace-insensitively and in one Unicode form (NFC).

    The most recently used documents stay in memory (notes that share a document follow
    each other), so a build of any size holds at most ``size`` of them.
    """

    def __init__(self, notes_dir: Path, size: int = 256):
        self.notes_dir = notes_dir.resolve()
        self.size = size
        self._texts: dict[str, str | None] = {}
        # sha256 of each document as first read, so a build can tell one that changed under it
        self.read_digests: dict[str, str] = {}

    def _text(self, relative: str) -> str | None:
        if relative in self._texts:
            self._texts[relative] = self._texts.pop(relative)  # most recently used last
        else:
            if len(self._texts) >= self.size:
                del self._texts[next(iter(self._texts))]
            try:
                path = (self.notes_dir / relative).resolve()
                inside = path.is_relative_to(self.notes_dir)
                data = path.read_bytes() if inside and path.is_file() else None
                text = None if data is None else data.decode("utf-8-sig")
                if data is not None:
                    self.read_digests.setdefault(relative, hashlib.sha256(data).hexdigest())
            except (OSError, ValueError):  # unreadable, not UTF-8, a NUL in the name
                text = None
            self._texts[relative] = normalise(text) if text is not None else None
        return self._texts[relative]

    def exists(self, relative: str) -> bool:
        return self._text(relative) is not None

    def contains(self, relative: str, quote: str) -> bool:
        text = self._text(relative)
        return text is not None and normalise(quote) in text


def normalise(text: str) -> str:
    """White space collapsed, and NFC: a decomposed (NFD) document or quote still matches."""
    return " ".join(unicodedata.normalize("NFC", text).split())
