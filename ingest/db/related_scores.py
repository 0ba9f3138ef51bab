"""The scores of related findings, computed with numpy a batch of findings at a time.

For each finding of a batch: its candidates are the findings that share one of its terms
that find candidates (``related_terms.candidates``), read from the terms' postings; a
candidate's score is the weight of every concept the two share (a bit mask per finding, so
broad concepts cost nothing to compare) plus the weight of every candidate-finding word they
share. Pairs that share no theme are dropped. What ``related.py`` keeps of a finding's pairs
is its top five by (other source first, score) with every tie at the fifth, so that SQL can
rank them exactly by id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import NamedTuple

import numpy
import sqlite_utils

from ..search.key_terms import CONCEPT, THEME

BATCH = 2_000  # findings scored at a time: bounds memory at any corpus size
CHUNK = 100_000  # rows read from SQLite at a time


class Pairs(NamedTuple):
    finding: numpy.ndarray  # rowids
    other: numpy.ndarray  # rowids of its candidates
    score: numpy.ndarray
    other_source: numpy.ndarray  # bool: the candidate comes from another source

    def where(self, rows: numpy.ndarray) -> Pairs:
        return Pairs(*(column[rows] for column in self))


class Terms:
    """Every term's weight, whether it finds candidates, and, for a concept, its bit."""

    def __init__(self, db: sqlite_utils.Database):
        rows = db.execute("SELECT id, term, weight, candidates FROM related_terms ORDER BY id").fetchall()
        size = (rows[-1][0] + 1) if rows else 1
        self.candidates = numpy.zeros(size, bool)
        self.word_weight = numpy.zeros(size, numpy.int64)  # a concept's weight counts through its bit
        self.bit = numpy.full(size, -1, numpy.int64)
        concept_weights, theme_bits = [], []
        for term_id, term, weight, candidates in rows:
            self.candidates[term_id] = bool(candidates)
            if term.startswith(CONCEPT):
                self.bit[term_id] = len(concept_weights)
                if term.startswith(THEME):
                    theme_bits.append(len(concept_weights))
                concept_weights.append(weight or 0)
            elif candidates:
                self.word_weight[term_id] = weight
        self.words = max(1, (len(concept_weights) + 63) // 64)  # uint64 words in a concept mask
        self.concept_weights = concept_weights
        self.theme_mask = _mask(theme_bits, self.words)


class Findings:
    """Each finding's concept mask and source, read from the database when first asked for."""

    def __init__(self, db: sqlite_utils.Database, terms: Terms, everything: bool):
        size = (db.execute("SELECT max(rowid) FROM findings").fetchone()[0] or 0) + 1
        self.db, self.terms = db, terms
        self.masks = numpy.zeros((size, terms.words), numpy.uint64)
        self.sources = numpy.zeros(size, numpy.int64)
        self.loaded = numpy.zeros(size, bool)
        if everything:
            self._load(None)

    def of(self, rowids: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
        missing = numpy.unique(rowids[~self.loaded[rowids]])
        if len(missing):
            self._load(missing)
        return self.masks[rowids], self.sources[rowids]

    def _load(self, rowids: numpy.ndarray | None) -> None:
        where = "" if rowids is None else "WHERE f.rowid IN (SELECT value FROM json_each(:rowids))"
        params = {} if rowids is None else {"rowids": as_json(rowids)}
        for rowid, source in self.db.execute(
                f"SELECT f.rowid, s.rowid FROM findings f JOIN sources s ON s.id = f.source_id {where}", params):
            self.sources[rowid] = source
            self.loaded[rowid] = True
        terms = "" if rowids is None else "AND finding IN (SELECT value FROM json_each(:rowids))"
        cursor = self.db.execute(f"SELECT finding, term FROM finding_terms WHERE term IN "
                                 f"(SELECT id FROM related_terms WHERE term GLOB :concepts) {terms}",
                                 {**params, "concepts": CONCEPT + "*"})
        while rows := cursor.fetchmany(CHUNK):  # a chunk at a time: a million findings have millions
            finding, term = numpy.array(rows, numpy.int64).T
            bits = self.terms.bit[term]
            shifts = numpy.left_shift(numpy.uint64(1), (bits % 64).astype(numpy.uint64))
            numpy.bitwise_or.at(self.masks, (finding, bits // 64), shifts)


def batches(rowids: numpy.ndarray) -> Iterator[numpy.ndarray]:
    for start in range(0, len(rowids), BATCH):
        yield rowids[start:start + BATCH]


def candidate_pairs(db: sqlite_utils.Database, batch: numpy.ndarray, terms: Terms, findings: Findings) -> Pairs:
    """Every candidate of the findings in ``batch`` that shares a theme with it, with its score."""
    mine, term = _columns(db.execute(
        "SELECT finding, term FROM finding_terms WHERE finding IN (SELECT value FROM json_each(?))", [as_json(batch)]))
    finding_candidates = terms.candidates[term]
    mine, term = mine[finding_candidates], term[finding_candidates]
    posting_term, posting = _columns(db.execute(
        "SELECT term, finding FROM finding_terms WHERE term IN (SELECT value FROM json_each(?)) ORDER BY term, finding",
        [as_json(numpy.unique(term))]))
    start = numpy.searchsorted(posting_term, term, "left")
    counts = numpy.searchsorted(posting_term, term, "right") - start
    finding = numpy.repeat(mine, counts)
    other = posting[_ranges(start, counts)]
    weight = numpy.repeat(terms.word_weight[term], counts)
    apart = finding != other
    key = (finding[apart] << 32) | other[apart]  # one number a pair (rowids stay below 2³²)
    pairs, at = numpy.unique(key, return_inverse=True)
    word_score = numpy.bincount(at, weights=weight[apart], minlength=len(pairs)).astype(numpy.int64)
    finding, other = pairs >> 32, pairs & 0xFFFFFFFF
    (mask, source), (other_mask, other_source) = findings.of(finding), findings.of(other)
    shared = mask & other_mask
    score = word_score + _weigh(shared, terms)
    theme = (shared & terms.theme_mask).any(axis=1)
    return Pairs(finding[theme], other[theme], score[theme], (source != other_source)[theme])


def best_with_ties(pairs: Pairs, keep: int) -> Pairs:
    """Each finding's ``keep`` best pairs by (other source, score), and every pair tied with the last."""
    order = numpy.lexsort((-pairs.score, ~pairs.other_source, pairs.finding))
    finding, score, other_source = pairs.finding[order], pairs.score[order], pairs.other_source[order]
    starts = numpy.flatnonzero(numpy.r_[True, finding[1:] != finding[:-1]]) if len(finding) else finding
    sizes = numpy.diff(numpy.r_[starts, len(finding)])
    group_start, group_size = numpy.repeat(starts, sizes), numpy.repeat(sizes, sizes)
    position = numpy.arange(len(finding)) - group_start
    last = group_start + numpy.minimum(group_size, keep) - 1  # the last pair kept for its position
    kept = (position < keep) | ((other_source == other_source[last]) & (score == score[last]))
    return pairs.where(order[kept])


def _weigh(shared: numpy.ndarray, terms: Terms) -> numpy.ndarray:
    """The summed weights of the concepts whose bits are set in each row of ``shared``."""
    total = numpy.zeros(len(shared), numpy.int64)
    for bit, weight in enumerate(terms.concept_weights):
        if weight:
            total += weight * ((shared[:, bit // 64] >> numpy.uint64(bit % 64)) & numpy.uint64(1)).astype(numpy.int64)
    return total


def _ranges(start: numpy.ndarray, counts: numpy.ndarray) -> numpy.ndarray:
    """start[i], start[i]+1, …, start[i]+counts[i]-1 for every i, concatenated."""
    offsets = numpy.cumsum(counts) - counts
    return numpy.arange(counts.sum()) - numpy.repeat(offsets - start, counts)


def _mask(bits: list[int], words: int) -> numpy.ndarray:
    mask = numpy.zeros(words, numpy.uint64)
    for bit in bits:
        mask[bit // 64] |= numpy.uint64(1) << numpy.uint64(bit % 64)
    return mask


def _columns(cursor) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Two integer columns of a query, read a chunk of rows at a time."""
    parts = [numpy.zeros((0, 2), numpy.int64)]
    while rows := cursor.fetchmany(CHUNK):
        parts.append(numpy.array(rows, numpy.int64))
    columns = numpy.concatenate(parts)
    return columns[:, 0], columns[:, 1]


def as_json(values: numpy.ndarray) -> str:
    """An array as one JSON parameter, for ``json_each(?)``."""
    return json.dumps(values.tolist())
