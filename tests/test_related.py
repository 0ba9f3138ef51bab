"""Related findings: computed by the build, at most five a finding, sharing a theme, other
sources first, rarer shared terms weighing more; an incremental build leaves the table a full
build would write."""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from ingest.build import build
from ingest.db import related
from ingest.db.related_scores import Terms

from .conftest import NOTES, make_datasette

FINDING = """
## {title}
- id: {id}
- title_ko: {title}
- themes: {themes}
- regions: {regions}
- stakeholders: citizens
- kind: observation

> {title}

{title}.
"""


def note(note_id: str, findings: list[dict]) -> str:
    front = (f"---\nid: {note_id}\ntitle: {note_id}\ntitle_ko: {note_id}\ntype: study\nlanguage: en\n"
             "access: public\nrule: none\n---\n")
    return front + "".join(FINDING.format(regions="europe", **finding) for finding in findings)


def related_table(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select finding_id, rank, related_id, score from related_findings "
                            "order by finding_id, rank").fetchall()


def related_to(db_path: Path, finding_id: str) -> list[str]:
    return [related_id for finding, _, related_id, _ in related_table(db_path) if finding == finding_id]


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "notes").mkdir()
    shutil.copy(NOTES / "themes.yml", tmp_path / "notes")
    return tmp_path


def write(folder: Path, name: str, findings: list[dict]) -> None:
    (folder / "notes" / f"{name}.md").write_text(note(name, findings), encoding="utf-8")


# Findings on other themes, in other words: in a corpus of a few findings, a term on half of them
# or more weighs nothing (bits(N) - bits(df) = 0), so tests that need weights add these.
OTHERS = [{"id": theme, "title": f"On {theme}", "themes": theme}
          for theme in ("innovation", "transparency", "sustainability", "new-cities", "strategy")]


def test_a_rarer_shared_theme_ranks_above_a_broad_one(folder):
    write(folder, "a", [
        {"id": "pool", "title": "Residents pool savings for lamps", "themes": "crowdfunding"},
        {"id": "bond", "title": "A city issues a green bond", "themes": "private-investment"},
        {"id": "loan", "title": "Banks lend to the utility", "themes": "financing"},
        {"id": "fees", "title": "Developers pay connection fees", "themes": "financing"},
        {"id": "fund", "title": "Neighbours fund a playground", "themes": "crowdfunding"},
        *OTHERS[:4],
    ])
    build(folder / "notes", folder / "insights.db")
    # pool and fund share crowdfunding (two of nine findings) and financing (five of nine): crowdfunding
    # weighs more. A term on half the findings or more weighs nothing (here every finding's region).
    assert related_to(folder / "insights.db", "a/pool")[0] == "a/fund"
    assert set(related_to(folder / "insights.db", "a/pool")) == {"a/fund", "a/bond", "a/loan", "a/fees"}


def test_only_findings_sharing_a_theme_are_related(folder):
    write(folder, "a", [
        {"id": "lamps", "title": "Residents pool savings for street lamps", "themes": "crowdfunding"},
        {"id": "lamps-data", "title": "Street lamps collect data", "themes": "security"},
        {"id": "lamps-loan", "title": "A loan for street lamps", "themes": "private-investment"},
        *OTHERS,
    ])
    build(folder / "notes", folder / "insights.db")
    # lamps-data shares the words street and lamps, but no theme; lamps-loan shares financing
    assert related_to(folder / "insights.db", "a/lamps") == ["a/lamps-loan"]
    assert related_to(folder / "insights.db", "a/lamps-data") == []


def test_other_sources_come_first_and_at_most_five_are_kept(folder):
    same = [{"id": f"same-{i}", "title": f"Crowdfunding of parks round {i}", "themes": "crowdfunding"} for i in range(6)]
    write(folder, "a", same)
    write(folder, "b", [{"id": "other", "title": "Bonds for transit", "themes": "financing"}, *OTHERS])
    build(folder / "notes", folder / "insights.db")
    ids = related_to(folder / "insights.db", "a/same-0")
    assert len(ids) == related.RELATED == 5
    assert ids[0] == "b/other"  # it shares only the broad financing, yet comes first: another source
    assert ids[1:] == ["a/same-1", "a/same-2", "a/same-3", "a/same-4"]  # equal scores: by id


async def test_the_finding_page_shows_the_related_findings_in_their_order(folder):
    write(folder, "a", [{"id": "pool", "title": "Residents pool savings", "themes": "crowdfunding"},
                        {"id": "fund", "title": "Neighbours fund a playground", "themes": "crowdfunding"}])
    write(folder, "b", [{"id": "loan", "title": "Banks lend to the utility", "themes": "financing"}, *OTHERS])
    build(folder / "notes", folder / "insights.db")
    page = (await make_datasette(folder / "insights.db").client.get("/insights/findings/a~2Fpool")).text
    cards = re.findall(r'<h3 lang="ko"><a href="/insights/findings/([^"]+)"', page[page.index("관련 시사점"):])
    assert [card.replace("~2F", "/") for card in cards] == related_to(folder / "insights.db", "a/pool")
    assert related_to(folder / "insights.db", "a/pool") == ["b/loan", "a/fund"]
    # each card says what the two share: the narrowest theme both fall under, then regions and stakeholders
    in_common = [re.sub(r"<[^>]+>", "", line) for line in re.findall(r'<p class="in-common">(.*?)</p>', page)]
    assert in_common == ["공통 · In common: 재원 조달 · Financing, 유럽 · Europe, 시민 · Citizens",
                         "공통 · In common: 크라우드펀딩 · Crowdfunding, 유럽 · Europe, 시민 · Citizens"]


# The random edits: small word and theme pools, so findings share terms, and a low candidate
# threshold, so terms cross it both ways as findings come and go.
WORDS = ("lamps parks bonds savings transit housing sensors data budget levy grant pilot board residents "
         "tram ferry bridge school clinic library market harbour tunnel canal").split()
THEMES = ["crowdfunding", "private-investment", "infrastructure-charges", "financing", "citizen-governance",
          "transparency", "security", "innovation"]


def random_findings(rng: random.Random, prefix: str) -> list[dict]:
    return [{"id": f"{prefix}-{i}", "title": " ".join(rng.sample(WORDS, rng.randint(2, 4))).capitalize(),
             "themes": ", ".join(rng.sample(THEMES, rng.randint(1, 2)))} for i in range(rng.randint(1, 6))]


def random_edit(rng: random.Random, folder: Path, step: int) -> None:
    notes = sorted(p.stem for p in (folder / "notes").glob("*.md"))
    what = rng.choice(["add", "add", "change", "change", "remove"] if len(notes) > 2 else ["add"])
    if what == "add":
        write(folder, f"n{step:02d}", random_findings(rng, "f"))
    elif what == "change":
        write(folder, rng.choice(notes), random_findings(rng, rng.choice(["f", "g"])))
    else:
        (folder / "notes" / f"{rng.choice(notes)}.md").unlink()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_incremental_builds_the_related_table_equals_a_full_builds(folder, monkeypatch, seed):
    monkeypatch.setattr(related, "CANDIDATE_FINDINGS", 8)
    rng = random.Random(seed)
    for number in range(10):
        write(folder, f"start{number}", random_findings(rng, "f"))
    db_path, computed = folder / "insights.db", []
    for step in range(16):
        if step:
            random_edit(rng, folder, step)
        stats, _ = build(folder / "notes", db_path)
        fresh = folder / f"full-{step}.db"
        build(folder / "notes", fresh, full=True)
        assert related_table(db_path) == related_table(fresh), f"step {step}"
        computed.append((stats.full, stats.related, stats.findings))
    assert not any(full for full, *_ in computed[1:])
    # incremental builds recompute part of the table, not all of it, most of the time
    assert sum(related < findings for _, related, findings in computed[1:]) > len(computed) / 2


def brute_force(db_path: Path) -> list[tuple]:
    """The table as the docs define it, pair by pair: a candidate shares a term that finds
    candidates and a theme; its score is the weight of every concept and candidate-finding word
    the two share; other sources first, then score, then id; five at most."""
    with sqlite3.connect(db_path) as conn:
        names = dict(conn.execute("select id, term from related_terms"))
        stored = {row[0]: row[1:] for row in conn.execute("select id, weight, candidates from related_terms")}
        source = dict(conn.execute("select rowid, source_id from findings"))
        ids = dict(conn.execute("select rowid, id from findings"))
        held: dict[int, set[int]] = {}
        for finding, term in conn.execute("select finding, term from finding_terms"):
            held.setdefault(finding, set()).add(term)
    # Weights and candidates computed here from who holds what (not read from the database under
    # test): bits(N) - bits(df), at least 0; a term finds candidates if 2..CANDIDATE_FINDINGS hold it
    # and it weighs something; a word that finds none has no weight, a concept always has one.
    n = len(ids)
    df = {term: sum(term in mine for mine in held.values()) for term in names}
    bits = {term: max(0, n.bit_length() - df[term].bit_length()) for term in names}
    finds = {term: 2 <= df[term] <= related.CANDIDATE_FINDINGS and bits[term] > 0 for term in names}
    terms = {term: (names[term], bits[term] if finds[term] or names[term].startswith("concept:") else None,
                    finds[term]) for term in names}
    assert {t: (w, bool(c)) for t, (w, c) in stored.items()} == {t: terms[t][1:] for t in terms}
    table = []
    for a, mine in held.items():
        ranked = []
        for b, theirs in held.items():
            shared = mine & theirs
            if a == b or not any(terms[t][2] for t in shared) or not any(
                    terms[t][0].startswith("concept:theme") for t in shared):
                continue
            score = sum(terms[t][1] or 0 for t in shared)
            ranked.append((source[a] == source[b], -score, ids[b]))
        table += [(ids[a], rank, b, -score) for rank, (_, score, b) in enumerate(sorted(ranked)[:5], start=1)]
    return sorted(table)


@pytest.mark.parametrize("seed", [4, 5])
def test_the_table_is_what_the_definition_gives_pair_by_pair(folder, monkeypatch, seed):
    monkeypatch.setattr(related, "CANDIDATE_FINDINGS", 8)
    rng = random.Random(seed)
    for number in range(12):
        write(folder, f"start{number}", random_findings(rng, "f"))
    build(folder / "notes", folder / "insights.db")
    with sqlite3.connect(folder / "insights.db") as conn:
        broad = conn.execute("select count(*) from related_terms where term glob 'concept:*' and not candidates "
                             "and weight > 0").fetchone()[0]
    assert broad  # concepts too common to find candidates, that still count in scores
    assert related_table(folder / "insights.db") == brute_force(folder / "insights.db")


def test_concepts_beyond_sixty_four_are_compared_too(tmp_path):
    """A concept mask is as many 64-bit words as the vocabulary needs: with 150 concepts, two
    findings that share only the 150th are related, and weigh it."""
    db = sqlite_utils.Database(tmp_path / "related.db")
    db["sources"].insert_all([{"id": "s1"}, {"id": "s2"}], pk="id")
    db["findings"].insert_all([{"id": f"s{n % 2 + 1}/f{n}", "source_id": f"s{n % 2 + 1}"} for n in range(40)], pk="id")
    related.create_tables(db)
    related.begin(db)
    theme = [f"concept:theme{n:03d}" for n in range(150)]
    rowids = dict(db.execute("select id, rowid from findings").fetchall())
    # f0 and f1 share only the last theme; every other finding has four themes of its own
    own = {n: theme[(n - 2) * 4:min((n - 1) * 4, 149)] for n in range(2, 40)}
    related.add_findings(db, [(rowids[f"s{n % 2 + 1}/f{n}"], own.get(n, [theme[149]])) for n in range(40)])
    db.execute("CREATE TEMP TABLE written_findings (id TEXT PRIMARY KEY)")
    terms_before = Terms(db)
    assert (terms_before.words, len(terms_before.concept_weights)) == (3, 150)
    assert related.update(db, "written_findings", full=True) == 40
    weight = 4  # 40 findings, 2 hold it: bits(40) - bits(2) = 6 - 2
    assert db.execute("select weight from related_terms where term = ?", [theme[149]]).fetchone()[0] == weight
    assert db.execute("select finding_id, related_id, score from related_findings").fetchall() == [
        ("s1/f0", "s2/f1", weight), ("s2/f1", "s1/f0", weight)]
