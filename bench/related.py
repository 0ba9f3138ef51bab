"""Related findings (ingest/db/related.py) at the bench's size: how long computing every list
takes, as a share of the cold build measured in the same run, and what the table holds."""

from __future__ import annotations

from pathlib import Path

from .measure import in_child

# Every list computed again, as a full build does, in a transaction that is rolled back.
RECOMPUTE = """
import sqlite_utils
from ingest.db import related
db = sqlite_utils.Database(sys.argv[1])
db.execute("BEGIN")
db.execute("DELETE FROM related_findings")  # as a full build finds it: new and empty
related.begin(db)
db.execute("CREATE TEMP TABLE written_findings (id TEXT PRIMARY KEY)")
started = time.perf_counter()
computed = related.update(db, "written_findings", full=True)
result = {"computed": computed, "update_seconds": round(time.perf_counter() - started, 3)}
result["table"] = dict(zip(("rows", "findings_with_related", "mean_score"), db.execute(
    "select count(*), count(distinct finding_id), round(avg(score), 1) from related_findings").fetchone()))
result["key_terms"] = db.execute("select count(*) from related_terms where candidates").fetchone()[0]
db.execute("ROLLBACK")
"""


def measure_related(db: Path, cold_build_s: float) -> dict:
    print("related findings, every list computed again …", flush=True)
    result = in_child(RECOMPUTE, str(db))
    return result | {"share_of_cold_build": round(result["update_seconds"] / cold_build_s, 3)}


def report_lines(related: dict, builds: dict) -> list[str]:
    table = related["table"]
    return [
        "", "| related findings | seconds | × cold build (same run) | lists computed |",
        "| --- | ---: | ---: | ---: |",
        f"| every list computed again, as a full build does | {related['update_seconds']} | {related['share_of_cold_build']} "
        f"| {related['computed']:,} |",
        f"| rebuild after one changed note (new process · as `make watch`) | "
        f"{builds['one_changed']['seconds']} · {builds['one_changed_warm']['seconds']} | | "
        f"{builds['one_changed']['related']:,} · {builds['one_changed_warm']['related']:,} |",
        "",
        f"The table: {table['rows']:,} rows; {table['findings_with_related']:,} findings with at least one related "
        f"finding; mean score {table['mean_score']}; {related['key_terms']:,} key terms find candidates.",
    ]
