"""Drafting's suggestions at the bench's size: the Wilton Park report drafted with a 100k-finding
insights.db to learn from, against the same draft with the vocabulary alone (no curated
findings), in the same run; and the leave-one-out table (ingest/draft/suggest_eval.py).

    python bench/suggest.py DB        # DB: a built insights.db, e.g. bench/work/…/insights.db
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.draft import suggest_eval  # noqa: E402
from ingest.draft.candidates import find_candidates  # noqa: E402
from ingest.draft.curated import CuratedFindings  # noqa: E402
from ingest.draft.structure import read_structure  # noqa: E402
from ingest.draft.suggest import Suggester  # noqa: E402
from ingest.notes.vocabulary import load_vocabulary  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "tests" / "fixtures" / "corpus" / "sources" / "wilton-park-2016-trip-report.ko.txt"
RUNS = 5


def draft_seconds(db: Path | None) -> tuple[float, int]:
    """Median seconds to find and suggest the report's candidates (a fresh suggester each run:
    nothing cached between drafts), and the candidates' count."""
    vocabulary = load_vocabulary(ROOT / "notes" / "themes.yml", "themes.yml")
    items = read_structure(REPORT.read_text(encoding="utf-8"), str(REPORT)).items
    times, count = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        curated = CuratedFindings.from_database(db) if db else None
        count = len(find_candidates(items, Suggester(vocabulary, curated)))
        times.append(time.perf_counter() - started)
    return statistics.median(times), count


def main(db: Path) -> None:
    findings = CuratedFindings.from_database(db).count
    baseline, count = draft_seconds(None)
    learned, _ = draft_seconds(db)
    print(f"| suggestions for {count} candidates | seconds (median of {RUNS}) | × vocabulary alone (same run) |")
    print("| --- | ---: | ---: |")
    print(f"| vocabulary alone | {baseline:.3f} | 1.0 |")
    print(f"| with {findings:,} curated findings (insights.db) | {learned:.3f} | {learned / baseline:.1f} |")
    suggest_eval.main()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
