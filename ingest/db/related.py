"""Related findings, computed by the build into ``related_findings``: at most five per finding.

What two findings share is read from their terms (``search/key_terms``): their concepts
(themes with every broader theme, regions, stakeholder types) and the words of their titles.
A term weighs its rarity in whole bits, ``bits(N) - bits(df)`` for N findings of which df
carry it: bm25's inverse document frequency, counted once per finding and without length
normalisation, so that a score is the same both ways. A term on half the findings or more
weighs nothing.

- **Candidates** of a finding are the findings that share with it a term that at most
  ``CANDIDATE_FINDINGS`` findings carry and that weighs something (a narrow theme, a
  distinctive word: its key terms), and that share a theme with it. So a build scores at most
  that many pairs per term of a finding, at any size.
- **Score**: the weight of every concept the two share, broad ones included, plus the weight
  of every key term they share (a word carried by more findings than that counts for nothing).
- **Order**: other sources first, then by score, then by the related finding's id.

An incremental build computes again only the findings whose lists can have changed, and
leaves the table a full build would write (``tests/test_related.py`` compares them):

- the findings it wrote;
- findings with a term whose weight, or whether it finds candidates, changed (every
  finding, when N crosses a power of two);
- findings whose list named a finding it deleted or wrote;
- findings for which a finding it wrote now ranks above their fifth (or that have fewer).

Every other finding keeps its candidates, their scores and so its list. The scoring itself,
with numpy, is ``related_scores``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

import numpy
import sqlite_utils

from ..search.key_terms import CONCEPT
from .related_scores import Findings, Pairs, Terms, as_json, batches, best_with_ties, candidate_pairs

RELATED = 5  # related findings kept per finding
CANDIDATE_FINDINGS = 200  # a term shared by more findings than this finds no candidates


def create_tables(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE related_terms (
        id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE,
        findings INTEGER NOT NULL DEFAULT 0, weight INTEGER, candidates INTEGER)""")
    db.execute("""CREATE TABLE finding_terms (
        finding INTEGER NOT NULL, term INTEGER NOT NULL, PRIMARY KEY (finding, term)) WITHOUT ROWID""")
    db.execute("CREATE INDEX finding_terms_by_term ON finding_terms (term, finding)")
    db["related_findings"].create(
        {"finding_id": str, "rank": int, "related_id": str, "score": int}, pk=("finding_id", "rank"),
        not_null={"related_id", "score"},
        foreign_keys=[("finding_id", "findings", "id"), ("related_id", "findings", "id")])
    db["related_findings"].create_index(["related_id"])


def begin(db: sqlite_utils.Database) -> None:
    """The temp table in which a build gathers findings whose lists must be computed again."""
    db.execute("CREATE TEMP TABLE related_dirty (id TEXT PRIMARY KEY)")


def add_findings(db: sqlite_utils.Database, findings: Sequence[tuple[int, list[str]]]) -> None:
    """Record the related terms of new findings, given as (findings.rowid, terms)."""
    counts = Counter(term for _, terms in findings for term in terms)
    db.conn.executemany("INSERT INTO related_terms (term, findings) VALUES (?, ?) "
                        "ON CONFLICT (term) DO UPDATE SET findings = findings + excluded.findings",
                        sorted(counts.items()))
    ids = dict(db.execute("SELECT term, id FROM related_terms WHERE term IN (SELECT value FROM json_each(?))",
                          [json.dumps(list(counts), ensure_ascii=False)]).fetchall())
    db.conn.executemany("INSERT INTO finding_terms VALUES (?, ?)",
                        ((rowid, ids[term]) for rowid, terms in findings for term in terms))


def forget_findings(db: sqlite_utils.Database, stale: str) -> None:
    """Before the findings whose ids are in the temp table ``stale`` are deleted: take away their
    terms and lists, and mark every other finding whose list names one of them."""
    db.execute(f"""INSERT OR IGNORE INTO temp.related_dirty
        SELECT finding_id FROM related_findings
        WHERE related_id IN (SELECT id FROM temp.[{stale}]) AND finding_id NOT IN (SELECT id FROM temp.[{stale}])""")
    rowids = f"SELECT rowid FROM findings WHERE id IN (SELECT id FROM temp.[{stale}])"
    db.execute(f"""UPDATE related_terms SET findings = findings - gone.n
        FROM (SELECT term, count(*) AS n FROM finding_terms WHERE finding IN ({rowids}) GROUP BY term) AS gone
        WHERE related_terms.id = gone.term""")
    db.execute(f"DELETE FROM finding_terms WHERE finding IN ({rowids})")
    db.execute(f"DELETE FROM related_findings WHERE finding_id IN (SELECT id FROM temp.[{stale}])")


def update(db: sqlite_utils.Database, written: str, full: bool) -> int:
    """Compute the lists of every finding whose list may have changed, after the findings whose
    ids are in the temp table ``written`` were written; returns how many were computed."""
    db.execute("DELETE FROM related_terms WHERE findings = 0")
    changed = _reweigh(db, db["findings"].count)
    if full:
        todo, new = _rowids(db, "SELECT rowid FROM findings"), numpy.zeros(0, numpy.int64)
    else:
        new = _rowids(db, f"SELECT rowid FROM findings WHERE id IN (SELECT id FROM temp.[{written}])")
        todo = numpy.union1d(new, _rowids(db, f"""
            SELECT rowid FROM findings WHERE id IN (SELECT id FROM temp.related_dirty)
            UNION SELECT finding FROM finding_terms WHERE term IN (SELECT id FROM temp.[{changed}])"""))
    terms = Terms(db)
    findings = Findings(db, terms, everything=full)
    db.execute("CREATE TEMP TABLE related_scores (a INTEGER, b INTEGER, score INTEGER, other_source INTEGER)")
    db.execute("CREATE TEMP TABLE related_new_pairs (x INTEGER, b INTEGER, score INTEGER, other_source INTEGER)")
    for batch in batches(todo):
        pairs = candidate_pairs(db, batch, terms, findings)
        _keep(db, "related_new_pairs", pairs.where(numpy.isin(pairs.finding, new) & ~numpy.isin(pairs.other, todo)))
        _keep(db, "related_scores", best_with_ties(pairs, RELATED))
    outranked = _outranked(db)
    for batch in batches(outranked):
        _keep(db, "related_scores", best_with_ties(candidate_pairs(db, batch, terms, findings), RELATED))
    todo = numpy.union1d(todo, outranked)
    if not full:  # a full build's table is new and empty
        db.execute("DELETE FROM related_findings WHERE finding_id IN "
                   "(SELECT id FROM findings WHERE rowid IN (SELECT value FROM json_each(?)))", [as_json(todo)])
    _rank(db)
    for table in ("related_scores", "related_new_pairs", "related_dirty", changed):
        db.execute(f"DROP TABLE temp.[{table}]")
    return len(todo)


def _reweigh(db: sqlite_utils.Database, findings: int) -> str:
    """Weigh every term for ``findings`` findings; returns the temp table of the terms whose
    weight, or whether they find candidates, changed. A word that finds no candidates counts
    for nothing, so it has no weight; a concept always counts."""
    db.conn.create_function("bit_length", 1, lambda n: int(n).bit_length(), deterministic=True)
    bits = f"max(0, {findings.bit_length():d} - bit_length(findings))"
    candidates = f"(findings BETWEEN 2 AND {CANDIDATE_FINDINGS:d} AND {bits} > 0)"
    weight = f"CASE WHEN {candidates} OR term GLOB '{CONCEPT}*' THEN {bits} END"
    db.execute("CREATE TEMP TABLE related_changed (id INTEGER PRIMARY KEY)")
    db.execute(f"""INSERT INTO temp.related_changed SELECT id FROM related_terms
        WHERE weight IS NOT {weight} OR candidates IS NOT {candidates}""")
    db.execute(f"""UPDATE related_terms SET weight = {weight}, candidates = {candidates}
        WHERE id IN (SELECT id FROM temp.related_changed)""")
    return "related_changed"


def _keep(db: sqlite_utils.Database, table: str, pairs: Pairs) -> None:
    db.conn.executemany(f"INSERT INTO temp.[{table}] VALUES (?, ?, ?, ?)",
                        zip(*(column.tolist() for column in pairs)))


def _outranked(db: sqlite_utils.Database) -> numpy.ndarray:
    """The findings, not computed yet, for which a new finding now ranks above their fifth
    related finding (or which have fewer than five). Scores are the same both ways, so a new
    finding's own candidates (in ``related_new_pairs``) are all there is to look at."""
    return _rowids(db, f"""
        SELECT DISTINCT p.b FROM temp.related_new_pairs p
        JOIN findings x ON x.rowid = p.x
        JOIN findings b ON b.rowid = p.b
        LEFT JOIN related_findings fifth ON fifth.finding_id = b.id AND fifth.rank = {RELATED:d}
        LEFT JOIN findings f ON f.id = fifth.related_id
        WHERE fifth.finding_id IS NULL
           OR (NOT p.other_source, -p.score, x.id) < (f.source_id = b.source_id, -fifth.score, f.id)
        ORDER BY p.b""")


def _rank(db: sqlite_utils.Database) -> None:
    """Each computed finding's list from its kept pairs: other sources first, then by score,
    then by the related finding's id."""
    db.execute(f"""INSERT INTO related_findings (finding_id, rank, related_id, score)
        SELECT finding_id, rank, related_id, score FROM (
            SELECT a.id AS finding_id, b.id AS related_id, s.score, row_number() OVER (
                PARTITION BY s.a ORDER BY NOT s.other_source, s.score DESC, b.id) AS rank
            FROM temp.related_scores s JOIN findings a ON a.rowid = s.a JOIN findings b ON b.rowid = s.b
        ) WHERE rank <= {RELATED:d}""")


def _rowids(db: sqlite_utils.Database, sql: str) -> numpy.ndarray:
    return numpy.array([rowid for (rowid,) in db.execute(sql)], numpy.int64)

