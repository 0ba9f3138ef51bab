"""A synthetic corpus in the documented note format, for `make bench`.

Deterministic for a given seed: ``notes`` notes of ``findings_per_note`` findings each,
tagged with the real vocabulary, Korean quotes that stand verbatim in each note's own
source document, English summaries with Korean terms, titles in both languages. Each English
title names a case (Kalomi, Runeva, …) drawn from a Zipf distribution over 20,000 names, as
the distinctive words of real titles are: a few everywhere, most in a handful of findings.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

KO_SUBJECTS = [
    "스마트도시", "기존도시", "신도시", "도시재생 지역", "스마트시티 챌린지 사업", "통합운영센터", "자율주행 실증지구",
    "국가시범도시", "지방자치단체", "민간기업", "시민참여단", "리빙랩", "데이터 허브", "공공와이파이", "스마트 교차로",
]
KO_TOPICS = [
    "재원 확보", "민간투자 유치", "클라우드 펀딩", "시민참여적 거버넌스", "개인정보 보호", "사이버 보안", "표준화",
    "해외 홍보", "국제협력", "에너지 효율", "탄소중립", "교통 혼잡 완화", "기반시설조성비", "운영비 조달",
    "규제 샌드박스", "데이터 개방", "디지털 포용", "지속가능한 개발", "신시장 개척", "정치적 투명성",
    "공공서비스 혁신", "주거 복지", "재난 대응", "스마트 그리드", "상수도 관리", "폐기물 처리", "대기질 측정",
    "보행 안전", "주차 관리", "대중교통 연계", "공유 모빌리티", "드론 배송", "물류 효율화", "원격 의료",
    "돌봄 서비스", "고령자 지원", "청년 창업", "일자리 창출", "관광 활성화", "문화시설 운영", "교육 격차 해소",
    "디지털 트윈", "사물인터넷 센서", "빅데이터 분석", "인공지능 활용", "5G 통신망", "클라우드 인프라",
    "블록체인 행정", "전자정부", "주민 의견 수렴", "협치 구조", "성과 평가 지표", "국가 표준", "인증 제도",
]
KO_PREDICATES = [
    "에 대한 논의가 활발하였음", "의 필요성이 강조되었음", "이 향후 과제로 제시되었음", "에 관한 관심이 높았음",
    "을 위한 제도 개선이 요구됨", "이 선행되어야 한다는 의견이 있었음", "의 중요성을 특히 강조함",
    "에 대한 보편적 합의가 필요함", "방안 마련이 시급하다는 지적이 있었음", "사례가 다수 소개되었음",
]
EN_SENTENCES = [
    "Participants agreed that {topic} must come before large-scale investment.",
    "Cities without new development land look for ways to pay for {topic}.",
    "The discussion showed how differently experts understand {topic}.",
    "Korean experience with {topic} drew questions about transferability.",
    "Several delegations described pilots in {topic} funded by private investors.",
    "Citizens were seen as co-producers rather than users of {topic}.",
    "Without shared standards, {topic} is hard to compare across countries.",
    "Security and privacy concerns shaped the debate on {topic}.",
    "Financing models for {topic} ranged from crowdfunding to infrastructure charges.",
    "Promotion abroad of {topic} was considered weak and fragmented.",
]
EN_TOPICS = [
    "retrofitting existing cities", "crowdfunding", "citizen governance", "data platforms", "smart mobility",
    "energy management", "public safety systems", "open data", "digital twins", "urban regeneration",
    "international promotion", "new-town development", "transparency tools", "testbeds", "cybersecurity",
    "flood resilience", "heat islands", "water metering", "waste collection", "air quality sensing",
    "street lighting", "parking management", "bus priority", "bike sharing", "ride hailing", "drone delivery",
    "freight consolidation", "telemedicine", "elderly care", "youth start-ups", "job creation", "tourism apps",
    "cultural venues", "school connectivity", "public wifi", "5G rollout", "cloud procurement", "e-government",
    "blockchain registries", "participatory budgeting", "living labs", "performance indicators", "ISO standards",
    "certification schemes", "land value capture", "tax increment financing", "green bonds", "municipal budgets",
    "procurement reform", "vendor lock-in", "interoperability", "privacy by design", "digital inclusion",
]
PLACES = [("GB", "London"), ("KR", "Sejong"), ("US", "New York"), ("ES", "Barcelona"), ("NL", "Amsterdam"),
          ("SG", "Singapore"), ("JP", "Tokyo"), ("IN", "Pune"), ("DE", "Berlin"), ("FR", "Lyon")]


CASES = 20_000  # names of cases, drawn with probability proportional to 1 / rank
SYLLABLES = "ka lo mi ne ru sa ti vo be du fe gi ha jo ki lu ma no pi re".split()
CASE_WEIGHTS = list(itertools.accumulate(1 / rank for rank in range(1, CASES + 1)))


def case_name(rng: random.Random) -> str:
    """A case's name, such as Kalomi: rank 1 is the commonest."""
    rank = rng.choices(range(CASES), cum_weights=CASE_WEIGHTS)[0]
    syllables = [SYLLABLES[(rank // 20 ** i) % 20] for i in range(4)]
    return "".join(syllables).capitalize()


def korean_sentence(rng: random.Random, n: int) -> str:
    return (f"{rng.choice(KO_SUBJECTS)}의 {rng.choice(KO_TOPICS)}{rng.choice(KO_PREDICATES)} "
            f"({rng.choice(KO_SUBJECTS)} {n}번째 사례)")


def english_summary(rng: random.Random, korean_term: str) -> str:
    sentences = [rng.choice(EN_SENTENCES).format(topic=rng.choice(EN_TOPICS)) for _ in range(3)]
    return " ".join(sentences) + f" The report calls it {korean_term}."


def note_text(index: int, rng: random.Random, vocabulary: dict, findings_per_note: int) -> tuple[str, str]:
    """(note Markdown, source document text) for note number ``index``."""
    note_id = f"bench-{index:07d}"
    country, city = rng.choice(PLACES)
    year, month = rng.randint(2010, 2026), rng.randint(1, 12)
    chatham = rng.random() < 0.2
    front_matter = {
        "id": note_id,
        "title": f"Synthetic forum {index} on {rng.choice(EN_TOPICS)}",
        "title_ko": f"{rng.choice(KO_TOPICS)} 관련 {rng.choice(KO_SUBJECTS)} 포럼 {index}",
        "type": rng.choice(vocabulary["source_types"]),
        "organization": "Korea Research Institute for Human Settlements (KRIHS)",
        "event": f"Synthetic forum {index}",
        "place": city,
        "country": country,
        "start": dt.date(year, month, 1),
        "end": dt.date(year, month, rng.randint(1, 9)),
        "language": "ko",
        "access": "internal" if rng.random() < 0.05 else "public",
        "rule": "chatham-house" if chatham else "none",
        "document": f"sources/{note_id}.txt",
    }
    yaml_text = yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False, width=1000)
    lines = ["---", yaml_text.rstrip(), "---", "", f"Synthetic source number {index}.", ""]
    document = []
    for f in range(findings_per_note):
        quotes = [korean_sentence(rng, index * 100 + f) for _ in range(rng.randint(1, 2))]
        document += quotes
        korean_term = rng.choice(KO_TOPICS)
        lines += [
            f"## Finding {f} of forum {index}: {rng.choice(EN_TOPICS)}, the {case_name(rng)} case",
            f"- id: finding-{f}",
            f"- title_ko: {rng.choice(KO_SUBJECTS)}의 {korean_term}",
            f"- themes: {', '.join(rng.sample(vocabulary['themes'], rng.randint(1, 3)))}",
            f"- regions: {', '.join(rng.sample(vocabulary['regions'], rng.randint(1, 2)))}",
            f"- stakeholders: {', '.join(rng.sample(vocabulary['stakeholders'], rng.randint(1, 2)))}",
            f"- kind: {rng.choice(vocabulary['kinds'])}",
            "",
            *(f"> {q}\n" for q in quotes),
            english_summary(rng, korean_term),
            "",
        ]
    return "\n".join(lines), "\n".join(document) + "\n"


def load_slugs(themes_yml: Path) -> dict[str, list[str]]:
    data = yaml.safe_load(themes_yml.read_text(encoding="utf-8"))
    return {name: [t["slug"] for t in data[name]] for name in ("themes", "regions", "stakeholders", "kinds", "source_types")}


def generate(target: Path, notes: int, findings_per_note: int = 10, seed: int = 2016) -> Path:
    """Write ``notes`` synthetic notes (and their documents) plus the real themes.yml into ``target``."""
    if target.exists():
        shutil.rmtree(target)
    (target / "sources").mkdir(parents=True)
    shutil.copy(ROOT / "notes" / "themes.yml", target / "themes.yml")
    vocabulary = load_slugs(target / "themes.yml")
    rng = random.Random(seed)
    for index in range(notes):
        text, document = note_text(index, rng, vocabulary, findings_per_note)
        (target / f"bench-{index:07d}.md").write_text(text, encoding="utf-8")
        (target / "sources" / f"bench-{index:07d}.txt").write_text(document, encoding="utf-8")
    return target


if __name__ == "__main__":
    import sys

    out = generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100)
    print(out)
