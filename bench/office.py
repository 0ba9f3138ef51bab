"""HWPX and DOCX memos of 2,000 findings: seconds and peak memory, beside the Markdown memo.

    python -m bench.office                   # 2,000 synthetic findings in bench/work/
    python -m bench.office --findings 5000

Each memo is written in a fresh Python (``bench.measure.in_child``) from a synthetic
insights.db (written by the real writer) to a file, and checked: the file opens as a zip
and holds every finding. Seconds are the writing alone (imports and the connection come
first), on the clock and in CPU time (on a shared machine the clock also counts waiting for
a core); peak memory is the child's high-water resident set (VmHWM), beside that of a child that only
imports the writers and opens the database, so the difference is the memo's own. The
Markdown memo of the same findings, in the same run, is the baseline. Goal: ≤ 5 s each.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import in_child  # noqa: E402
from bench.synthetic import write_synthetic_db  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
GOAL_SECONDS = 5.0
SETUP = (
    "import io, sqlite3, zipfile\n"
    "from ingest.memo.citation import finding_url\n"
    "from ingest.memo.memo import build_memo\n"
    "from ingest.memo.office import write_office_memo\n"
    "from ingest.memo.records import selection_for_tags\n"
    "conn = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True)\n"
    "url_for = lambda i: finding_url('http://127.0.0.1:8001', i)\n"
    "findings = conn.execute('select count(*) from findings').fetchone()[0]\n"
    "t0, cpu0 = time.perf_counter(), time.process_time()  # what follows is timed\n"
)
# ru_maxrss survives execve (the bench's own peak would show); VmHWM is this process's own.
DONE = ("result['cpu_seconds'] = round(time.process_time() - cpu0, 3)\n"
        "result['hwm_mib'] = round(int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))"
        ".split()[1]) / 1024, 1)\n")
WRITE = {
    "idle": "result = {}\n",
    "md": "text = build_memo(conn, selection_for_tags(), url_for, 'ko')\n"
          "result = {'bytes': len(text.encode()), 'complete': text.count('\\n    출처 [') >= findings}\n",
    "office": "with open(sys.argv[2], 'wb') as file:\n"
              "    count = write_office_memo(conn, selection_for_tags(), url_for, 'ko', sys.argv[3], file,\n"
              "                              sys.argv[4], limit=None)\n"
              "package = zipfile.ZipFile(sys.argv[2])\n"
              "result = {'bytes': Path(sys.argv[2]).stat().st_size, 'complete': count == findings and "
              "package.testzip() is None}\n",
}


def measure(db: Path, what: str, fmt: str = "", style: str = "gaejosik") -> dict:
    target = WORK / f"office-memo.{fmt or 'md'}"
    return in_child("from pathlib import Path\n" + SETUP + WRITE[what] + DONE, str(db), str(target), fmt, style)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--findings", type=int, default=2000)
    parser.add_argument("--json", type=Path, default=WORK / "office.json")
    args = parser.parse_args(argv)
    db = WORK / f"office-{args.findings}" / "insights.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.unlink(missing_ok=True)  # written afresh: a database of an older schema would not read
    write_synthetic_db(db, args.findings)
    idle = measure(db, "idle")
    runs = {"Markdown memo (baseline)": measure(db, "md")}
    for fmt in ("hwpx", "docx"):
        for style in ("gaejosik", "prose"):
            runs[f"{fmt.upper()} memo, {style}"] = measure(db, "office", fmt, style)
    baseline = runs["Markdown memo (baseline)"]["seconds"]
    rows = [{"what": what, "seconds": r["seconds"], "cpu_seconds": r["cpu_seconds"], "peak_mib": r["hwm_mib"],
             "above_idle_mib": round(r["hwm_mib"] - idle["hwm_mib"], 1), "bytes": r["bytes"],
             "to_markdown": round(r["seconds"] / baseline, 1), "complete": r["complete"]} for what, r in runs.items()]
    results = {"findings": args.findings, "idle_peak_mib": idle["hwm_mib"], "goal_seconds": GOAL_SECONDS, "rows": rows}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(report(results))
    return results


def report(results: dict) -> str:
    lines = [f"| {results['findings']:,}-finding memo | seconds | CPU seconds | × Markdown | peak MiB (idle child "
             f"{results['idle_peak_mib']}) | above idle | bytes | complete |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    lines += [f"| {r['what']} | {r['seconds']} | {r['cpu_seconds']} | {r['to_markdown']} | {r['peak_mib']} | "
              f"{r['above_idle_mib']} | {r['bytes']:,} | {r['complete']} |" for r in results["rows"]]
    return "\n".join(lines) + f"\n\ngoal: ≤ {results['goal_seconds']} s each"


if __name__ == "__main__":
    main()
