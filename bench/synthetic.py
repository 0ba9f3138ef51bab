"""A synthetic knowledge base of any size, written by the real writer (ingest/db/write.py).

Notes are made as ``ingest.notes.model.Note`` objects in the documented shape — Korean quotes,
hard-wrapped English summaries, tags from the real vocabulary (notes/themes.yml), some
sources under the Chatham House Rule — so a 100k-finding insights.db takes seconds, not
the time it takes to write and parse 10k files.
"""

from __future__ import annotations

import datetime as dt
import random
import textwrap
from pathlib import Path

from ingest.db.state import BuildInfo, BuildStats
from ingest.db.write import write_database
from ingest.notes.model import Finding, Note, Quote
from ingest.notes.vocabulary import Vocabulary, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "notes" / "themes.yml"

KOREAN = ("스마트도시 기존도시 신도시 재원 확보 민간투자 클라우드 펀딩 시민 참여 거버넌스 보안 데이터 플랫폼 "
          "교통 에너지 기반시설조성비 국제협력 홍보 전략 표준 지속가능성 혁신 정책 논의 필요 관심 사례 도입 "
          "추진 확대 지원 방안 검토 과제 제도 운영 협력 구축 활용").split()
ENDINGS = ("에 대한 논의가 있었음", "이 필요하다는 의견이 많았음", "에 대한 관심이 높았음", "을 강조함", "이 언급되었음")
ENGLISH = ("city cities citizens finance financing investment private public data platform security "
           "transport energy governance participation strategy standards retrofit new towns "
           "cooperation promotion policy pilot programme budget infrastructure services residents "
           "operators ministry agency evidence").split()


def synthetic_notes(findings: int, vocabulary: Vocabulary, *, per_note: int = 10, seed: int = 5,
                    internal_every: int = 0) -> list[Note]:
    """``findings`` findings in notes of ``per_note``; every ``internal_every``-th finding internal."""
    rng = random.Random(seed)
    themes, regions = list(vocabulary.themes), list(vocabulary.regions)
    stakeholders, kinds, types = list(vocabulary.stakeholders), list(vocabulary.kinds), list(vocabulary.source_types)
    notes, made = [], 0
    for number in range((findings + per_note - 1) // per_note):
        note_id = f"synthetic-{number:07d}"
        start = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5000))
        front_matter = {
            "id": note_id, "title": f"Synthetic source {number}: {_english(rng, 4).capitalize()}",
            "title_ko": f"합성 출처 {number}: {_korean(rng, 3)}", "type": rng.choice(types),
            "organization": "Korea Research Institute for Human Settlements (KRIHS)",
            "event": f"Forum {number}", "place": rng.choice(["Seoul, Korea", "London, United Kingdom", "Sejong, Korea"]),
            "country": "KR", "start": start, "end": start + dt.timedelta(days=rng.randrange(4)),
            "language": "ko", "access": "public", "rule": rng.choice(["none", "none", "chatham-house"]),
        }
        note_findings = []
        for position in range(min(per_note, findings - made)):
            made += 1
            attributes = {
                "id": f"finding-{position:02d}", "title_ko": _korean(rng, 5),
                "themes": ", ".join(rng.sample(themes, rng.randint(1, 3))),
                "regions": ", ".join(rng.sample(regions, rng.randint(0, 2))),
                "stakeholders": ", ".join(rng.sample(stakeholders, rng.randint(1, 2))),
                "kind": rng.choice(kinds),
            }
            if internal_every and made % internal_every == 0:
                attributes["access"] = "internal"
            summary = textwrap.fill(" ".join(_english(rng, 12).capitalize() + "." for _ in range(4)), 90)
            quotes = [Quote(_korean(rng, 12) + rng.choice(ENDINGS), 0) for _ in range(rng.randint(1, 2))]
            note_findings.append(Finding(title=_english(rng, 7).capitalize(), line=20 + 10 * position,
                                         attributes=attributes, quotes=quotes, summary=summary))
        notes.append(Note(f"{note_id}.md", front_matter, {}, "", note_findings, f"{number:064x}"))
    return notes


def write_synthetic_db(db_path: Path, findings: int, *, public: bool = False, internal_every: int = 0,
                       seed: int = 5) -> BuildStats:
    """Write a synthetic insights.db of ``findings`` findings with the project's writer."""
    vocabulary = load_vocabulary(VOCABULARY, "themes.yml")
    notes = synthetic_notes(findings, vocabulary, internal_every=internal_every, seed=seed)
    info = BuildInfo(notes_digest=f"synthetic-{findings}-{seed}", vocabulary_digest="synthetic",
                     document_digest=lambda document: None)
    return write_database(db_path, notes, vocabulary, info, public=public)


def _korean(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(KOREAN) for _ in range(words))


def _english(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(ENGLISH) for _ in range(words))
