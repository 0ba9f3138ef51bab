"""The curated findings a draft's suggestions learn from: which of them are like a passage.

A passage's neighbours are the curated findings that share its key terms, found as related
findings are (``ingest/db/related.py``): a term weighs its rarity in whole bits, ``bits(N) -
bits(df)`` for N findings of which df hold it, and a term held by more than
``CANDIDATE_FINDINGS`` findings finds no one. A neighbour's similarity is the share of the
passage's key-term weight it holds. What is compared is what search indexes of a
finding (``findings_fts``: titles, summary and quotes, Korean as morphemes), so a candidate
bullet meets the quotes of findings curated from reports like it.

Two places hold curated findings, read the same way, through an FTS5 table:
- the built ``insights.db`` (``from_database``): what a server drafting an upload has; each
  term costs one indexed lookup of at most ``CANDIDATE_FINDINGS + 1`` rows, at any size;
- the notes themselves (``from_notes``): parsed and indexed in memory, for the command line
  and for measuring (``suggest_eval`` leaves one note out at a time).

Drafts (``status: draft``) are never learned from: their tags are suggestions, not curation.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..db.related import CANDIDATE_FINDINGS
from ..notes.discover import discover
from ..notes.errors import NoteError
from ..notes.model import Note
from ..notes.parse import read_note
from ..notes.tags import TAGS
from ..search import korean
from ..search.concepts import WORD
from ..search.index_text import FTS_COLUMNS, FTS_TABLE, FTS_TOKENIZE, fts_rows
from ..search.key_terms import STOPWORDS

NEIGHBOURS = 5  # curated findings a passage learns from, at most
MIN_SIMILARITY = 0.2  # a neighbour holds at least this share of the passage's key-term weight
LEARNED_POINTS = 2.0  # how far the curated findings holding a keyword move its points, at most
TAG_LISTS = tuple(tag.name for tag in TAGS)


@dataclass(frozen=True)
class Neighbour:
    title: str  # what a reason calls it: its Korean title, or its English one
    similarity: float  # the share of the passage's key-term weight it holds, 0 to 1
    tags: dict[str, tuple[str, ...]]  # themes, regions, stakeholders


def passage_terms(texts: Sequence[str], analyse: Callable[[Sequence[str]], list[str]] = korean.index_texts
                  ) -> list[list[str]]:
    """The distinct terms of each passage as the index reads them, without the words that
    relate nothing (English function words, numbers, one letter or syllable)."""
    return [[term for term in dict.fromkeys(word.casefold() for word in WORD.findall(text))
             if len(term) > 1 and term not in STOPWORDS and not term.isdigit()] for text in analyse(list(texts))]


class CuratedFindings:
    """Neighbours of passages among the findings of one ``findings_fts`` (title, body, concepts),
    ``findings`` (rowid, title, title_ko, themes, regions, stakeholders as JSON arrays) and
    ``sources`` (id, status)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.count = conn.execute("SELECT count(*) FROM findings").fetchone()[0]
        self._postings: dict[str, tuple[int, ...] | None] = {}
        self._tags_of: dict[str, list[tuple[str, dict[str, tuple[str, ...]]]]] = {}

    @classmethod
    def from_database(cls, path: Path) -> CuratedFindings:
        """The findings of a built database, opened read-only (a running server keeps writing it)."""
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        return cls(conn)

    @classmethod
    def from_notes(cls, notes: Iterable[Note], analyse: Callable[[Sequence[str]], list[str]] = korean.index_texts
                   ) -> CuratedFindings:
        """The findings of parsed notes, drafts left out, indexed in memory as the build indexes them."""
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.execute("CREATE TABLE sources (id TEXT PRIMARY KEY, status TEXT)")
        conn.execute("CREATE TABLE findings (rowid INTEGER PRIMARY KEY, source_id TEXT, title TEXT, title_ko TEXT, "
                     "themes TEXT, regions TEXT, stakeholders TEXT)")
        conn.execute(f"CREATE VIRTUAL TABLE [{FTS_TABLE}] USING fts5({', '.join(FTS_COLUMNS)}, tokenize='{FTS_TOKENIZE}')")
        rows = []
        for note in notes:
            if note.front_matter.get("status") == "draft":
                continue
            conn.execute("INSERT OR IGNORE INTO sources VALUES (?, 'final')", [note.id])
            for finding in note.findings:
                rows.append({"source_id": note.id, "title": finding.title, "title_ko": finding.attributes.get("title_ko"),
                             "summary": finding.summary, "quote": "\n\n".join(q.text for q in finding.quotes),
                             **{name: json.dumps(finding.values(name), ensure_ascii=False) for name in TAG_LISTS}})
        for rowid, (row, indexed) in enumerate(zip(rows, fts_rows(rows, [""] * len(rows), analyse)), start=1):
            conn.execute("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [rowid, row["source_id"], row["title"], row["title_ko"], *(row[n] for n in TAG_LISTS)])
            conn.execute(f"INSERT INTO [{FTS_TABLE}] (rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, ?, ?, ?)",
                         [rowid, *indexed])
        return cls(conn)

    def neighbours(self, terms: Sequence[str], limit: int = NEIGHBOURS) -> list[Neighbour]:
        """The curated findings most like a passage of these terms, most alike first.

        A finding's similarity is the share of the passage's key-term weight that it holds: each
        key term weighs ``bits(N) - bits(df)`` (a word no finding holds weighs the most; a word
        too common to be a key term, nothing), so a neighbour holding only a passage's two most
        ordinary words is no neighbour, however few findings there are."""
        if self.count < 2:
            return []
        scale = self.count.bit_length()
        shared: dict[int, int] = defaultdict(int)
        passage_weight = 0
        for term in terms:
            rowids = self._findings_with(term)
            weight = 0 if rowids is None else scale - len(rowids).bit_length()
            if weight > 0:
                passage_weight += weight
                for rowid in rowids:
                    shared[rowid] += weight
        alike = sorted((-weight / passage_weight, rowid) for rowid, weight in shared.items()
                       if weight >= MIN_SIMILARITY * passage_weight)[:limit * 3]
        found = self._curated({rowid for _, rowid in alike})
        return [Neighbour(found[rowid][0], -s, found[rowid][1]) for s, rowid in alike if rowid in found][:limit]

    def keyword_evidence(self, phrase: Sequence[str], list_name: str, slug: str) -> float:
        """What the curated findings say of a keyword of ``slug``: ``LEARNED_POINTS`` times (those
        holding it that carry the concept, less those that do not) / (those holding it + 2). No
        finding holds it: 0, the keyword counts as written; 지표 in findings about other things
        counts for less, 실증 in findings about innovation for more. A sample of at most
        ``CANDIDATE_FINDINGS + 1`` findings is read."""
        key = " ".join(phrase)
        if key not in self._tags_of:
            query = '{title body} : "' + key.replace('"', '""') + '"'
            rows = self.conn.execute(f"SELECT rowid FROM [{FTS_TABLE}] WHERE [{FTS_TABLE}] MATCH ? LIMIT ?",
                                     [query, CANDIDATE_FINDINGS + 1]).fetchall()
            self._tags_of[key] = list(self._curated({rowid for (rowid,) in rows}).values())
        found = self._tags_of[key]
        carrying = sum(slug in tags.get(list_name, ()) for _, tags in found)
        return LEARNED_POINTS * (2 * carrying - len(found)) / (len(found) + 2)

    def _findings_with(self, term: str) -> tuple[int, ...] | None:
        """The findings whose titles or body hold the term; None when more than
        ``CANDIDATE_FINDINGS`` do (then it is no key term). Asked once per term."""
        if term not in self._postings:
            query = '{title body} : "' + term.replace('"', '""') + '"'
            rows = self.conn.execute(f"SELECT rowid FROM [{FTS_TABLE}] WHERE [{FTS_TABLE}] MATCH ? LIMIT ?",
                                     [query, CANDIDATE_FINDINGS + 1]).fetchall()
            self._postings[term] = None if len(rows) > CANDIDATE_FINDINGS else tuple(r for (r,) in rows)
        return self._postings[term]

    def _curated(self, rowids: set[int]) -> dict[int, tuple[str, dict[str, tuple[str, ...]]]]:
        """Title and tags of those of the findings that are not drafts'."""
        if not rowids:
            return {}
        rows = self.conn.execute(
            f"SELECT f.rowid, coalesce(nullif(f.title_ko, ''), f.title), {', '.join('f.' + n for n in TAG_LISTS)} "
            "FROM findings f JOIN sources s ON s.id = f.source_id "
            "WHERE f.rowid IN (SELECT value FROM json_each(?)) AND coalesce(s.status, '') != 'draft'",
            [json.dumps(sorted(rowids))]).fetchall()
        return {rowid: (title or "", {name: tuple(json.loads(value or "[]")) for name, value in zip(TAG_LISTS, tags)})
                for rowid, title, *tags in rows}


DATABASE = "insights.db"  # where `make build` writes, beside notes/


def curated_for(notes_dir: Path, database: Path | None = None) -> CuratedFindings:
    """The curated findings a draft learns from: those of ``database`` when given (a server's
    insights.db); else those of the database `make build` keeps beside the notes
    (``notes_dir/../insights.db``), when there is one; else those of the notes under
    ``notes_dir``, parsed (a note that cannot be parsed is passed over: ``ingest check`` reports it)."""
    beside = notes_dir.parent / DATABASE
    for path in (database, beside if database is None else None):
        if path is not None and path.is_file():
            try:
                return CuratedFindings.from_database(path)
            except sqlite3.Error:  # not built yet, or by an older schema: the notes say the same
                continue
    notes = []
    if notes_dir.is_dir():
        for path in discover(notes_dir)[0]:
            try:
                notes.append(read_note(path, notes_dir))
            except (NoteError, OSError, UnicodeDecodeError):
                continue
    return CuratedFindings.from_notes(note for note in notes if note.front_matter_read)
