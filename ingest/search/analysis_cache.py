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

Damage never fails a build nor reaches the index. SQLite writes the file through its own
write-ahead log, so a killed build leaves it as it was. A file SQLite cannot read (truncated,
overwritten, malformed pages) is deleted and started again; every entry carries a CRC-32 of
its digest and its analysed text, so an entry whose bytes changed on disk (a flipped bit
inside the text, which SQLite itself would not notice) is analysed again and replaced. Either
way ``notice`` says what happened, and the build prints it.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import zlib
from collections.abc import Sequence
from pathlib import Path

from ..crash_points import crash_point, watch
from . import korean

SUFFIX = "-analysis-cache"
FORMAT = 2  # PRAGMA user_version of the cache file; a file of another format is started again
SCHEMA = "create table analysis (digest text primary key, indexed text not null, checksum integer not null)"
DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")  # the file is not what SQLite wrote: start again


def cache_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def recover(path: Path) -> None:
    """Finish what a killed build left of the cache: reading it makes SQLite roll its log back,
    and closing it deletes the log (a no-op build would otherwise leave it until the next write)."""
    if path.with_name(path.name + "-wal").exists():
        with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("pragma user_version").fetchone()


def digest(text: str) -> str:
    return hashlib.sha256(f"{korean.ANALYSIS_VERSION}\0{text}".encode()).hexdigest()


def checksum(key: str, indexed: bytes) -> int:
    return zlib.crc32(indexed, zlib.crc32(key.encode() + b"\0"))


def is_damage(error: sqlite3.Error) -> bool:
    return getattr(error, "sqlite_errorname", "").startswith(DAMAGED) or "malformed" in str(error)


class AnalysisCache:
    """``index_texts`` through a cache file; use as a context manager around one build."""

    def __init__(self, path: Path | None, prune: bool = True):
        """``path=None``: a cache for this build only, kept in memory. ``prune``: at the end of
        the build forget every text it did not use (right for a full build, which uses them all)."""
        self.prune_unused = prune
        self.path = path
        self.hits = self.misses = self.damaged_entries = 0
        self.notice = ""  # what went wrong with the cache file, if anything: the build says so
        self.conn: sqlite3.Connection | None = None
        try:
            self.conn = self._open()
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
            self._start_again(error)

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path or ":memory:")
        try:
            conn.execute("pragma journal_mode = wal")  # a killed build leaves a -wal the next one recovers
            if conn.execute("pragma user_version").fetchone()[0] != FORMAT:  # new, or an older format
                conn.execute("drop table if exists analysis")
                conn.execute(SCHEMA)
                conn.execute(f"pragma user_version = {FORMAT}")
                conn.commit()
            # The digests this build used, on disk rather than in a Python set: a million
            # findings use three million texts.
            conn.execute("create temp table used (digest text primary key)")
        except BaseException:
            conn.close()
            raise
        watch(conn, "cache")
        return conn

    def _start_again(self, error: sqlite3.Error) -> None:
        """Delete a cache file SQLite cannot read and open a new one."""
        self.notice = f"the analysis cache {self.path} could not be read ({error}); it was deleted and rebuilt"
        self._delete()
        self.conn = self._open()

    def _delete(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)

    def index_texts(self, texts: Sequence[str]) -> list[str]:
        """Like ``korean.index_texts``: cached texts are looked up, the rest analysed in one batch."""
        try:
            return self._index_texts(texts)
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
            self._start_again(error)
            return self._index_texts(texts)

    def _index_texts(self, texts: Sequence[str]) -> list[str]:
        keys = [digest(text) if korean.has_hangul(text) else None for text in texts]
        wanted = sorted({key for key in keys if key})
        found = self._look_up(wanted)
        missing = {key: text for key, text in zip(keys, texts) if key and key not in found}
        if missing:
            analysed = korean.index_texts(list(missing.values()))
            new = dict(zip(missing, analysed))
            self.conn.executemany("insert or replace into analysis values (?, ?, ?)",
                                  ((key, text, checksum(key, text.encode())) for key, text in new.items()))
            found.update(new)
        self.misses += len(missing)
        self.hits += len(wanted) - len(missing)
        self.conn.executemany("insert or ignore into temp.used values (?)", ((key,) for key in wanted))
        return [found[key] if key else text for key, text in zip(keys, texts)]

    def _look_up(self, wanted: list[str]) -> dict[str, str]:
        """The cached analyses of ``wanted``, leaving out every entry that fails its checksum."""
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self.conn.execute(
                "select digest, cast(indexed as blob), checksum from analysis "
                f"where digest in ({','.join('?' * len(chunk))})", chunk)
            for key, indexed, stored in rows:
                if checksum(key, indexed) == stored:
                    found[key] = indexed.decode("utf-8")
                else:
                    self.damaged_entries += 1
        if self.damaged_entries:
            self.notice = (f"{self.damaged_entries} entr{'y' if self.damaged_entries == 1 else 'ies'} of the analysis "
                           f"cache {self.path} failed their checksum; those texts were analysed again")
        return found

    def prune(self) -> None:
        """Forget every text this build did not use."""
        self.conn.execute("delete from analysis where digest not in (select digest from temp.used)")

    def __enter__(self) -> AnalysisCache:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        """Keep the new analyses, even if the build failed. The database is committed by then,
        so a cache that cannot be saved (a full disk, damage) is a notice, not a failure; after a
        failed build, the build's own error is the one to report."""
        try:
            if exc_type is None and self.prune_unused:
                self.prune()
            crash_point("cache")
            self.conn.commit()
        except sqlite3.Error as error:
            if exc_type is None:
                self.notice = f"the analysis cache {self.path} was not saved ({error}); the next build analyses those texts again"
            if is_damage(error) and self.path:
                self._delete()
        finally:
            if self.conn is not None:
                self.conn.close()
