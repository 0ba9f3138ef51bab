"""Korean analysis cached by text digest, so a rebuild analyses only text that changed.

The cache is its own SQLite file beside the database (``insights.db`` →
``insights.db-analysis-cache``, git-ignored), never a table inside it; a public build
uses an in-memory cache and leaves no file beside itself:

- a public build writes a fresh database that must hold public rows and nothing else;
  a cache table in it would be one more place for text to hide;
- Datasette serves the database, not the cache, and each build replaces every table;
- deleting the file is always safe: the next build analyses everything again.

After a successful full build the cache holds exactly that build's texts, so the analysis
of a removed note does not linger; an incremental build only adds to it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from . import korean

SUFFIX = "-analysis-cache"


def cache_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def digest(text: str) -> str:
    return hashlib.sha256(f"{korean.ANALYSIS_VERSION}\0{text}".encode()).hexdigest()


class AnalysisCache:
    """``index_texts`` through a cache file; use as a context manager around one build."""

    def __init__(self, path: Path | None, prune: bool = True):
        """``path=None``: a cache for this build only, kept in memory. ``prune``: at the end of
        the build forget every text it did not use (right for a full build, which uses them all)."""
        self.prune_unused = prune
        self.path = path
        self.hits = self.misses = 0
        self.conn = self._open()
        # The digests this build used, on disk rather than in a Python set: a million
        # findings use three million texts.
        self.conn.execute("create temp table used (digest text primary key)")

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path or ":memory:")
            conn.execute("create table if not exists analysis (digest text primary key, indexed text not null)")
            return conn
        except sqlite3.DatabaseError:  # not a cache we can read: start a new one
            self.path.unlink(missing_ok=True)
            conn = sqlite3.connect(self.path)
            conn.execute("create table analysis (digest text primary key, indexed text not null)")
            return conn

    def index_texts(self, texts: Sequence[str]) -> list[str]:
        """Like ``korean.index_texts``: cached texts are looked up, the rest analysed in one batch."""
        keys = [digest(text) if korean.has_hangul(text) else None for text in texts]
        wanted = sorted({key for key in keys if key})
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            found.update(self.conn.execute(
                f"select digest, indexed from analysis where digest in ({','.join('?' * len(chunk))})", chunk
            ).fetchall())
        missing = {key: text for key, text in zip(keys, texts) if key and key not in found}
        if missing:
            analysed = korean.index_texts(list(missing.values()))
            new = dict(zip(missing, analysed))
            self.conn.executemany("insert or replace into analysis values (?, ?)", new.items())
            found.update(new)
        self.misses += len(missing)
        self.hits += len(wanted) - len(missing)
        self.conn.executemany("insert or ignore into temp.used values (?)", ((key,) for key in wanted))
        return [found[key] if key else text for key, text in zip(keys, texts)]

    def prune(self) -> None:
        """Forget every text this build did not use."""
        self.conn.execute("delete from analysis where digest not in (select digest from temp.used)")

    def __enter__(self) -> AnalysisCache:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None and self.prune_unused:
                self.prune()
            self.conn.commit()  # new analyses are valid even if the build failed
        finally:
            self.conn.close()
