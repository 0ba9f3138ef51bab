"""Full export of every finding, measured against plain sqlite3 + csv.writer in the same run.

    python -m bench.export                      # 100k synthetic findings in bench/work/
    python -m bench.export --findings 10000     # smaller
    python -m bench.export --db insights.db     # an existing database

Serves the database with a real ``datasette serve`` on a free port of 127.0.0.1 (configured
as ``make serve`` configures it), downloads each export over HTTP to a file, checks that it
is complete, and prints a table (also written as JSON): rows per second of the Excel CSV, the
XLSX and the memo draft, of Datasette's own streamed CSV for reference, and of the floor —
``select * from findings`` written with csv.writer. The ratio is export rows/s ÷ floor rows/s
(goal ≥ 0.5), each export run paired with a floor run just before it. Each figure is the
median of ``--repeat`` runs.

Two more measurements, each against a same-run reference: the time to the first byte of each
download (÷ the floor's whole run: how much of a full export a user waits before the download
starts), and the server's peak growth of anonymous memory (its heap; the database's memory-mapped
pages left out) while it sends each download (÷ the Excel CSV's, which streams in constant
memory: the memo draft and the XLSX should stay near 1).
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench.measure import datasette_server  # noqa: E402
from bench.synthetic import write_synthetic_db  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--findings", type=int, default=100_000, help="synthetic findings to generate")
    parser.add_argument("--db", type=Path, help="an existing insights.db instead of a synthetic one")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median reported)")
    parser.add_argument("--json", type=Path, default=WORK / "export.json", help="where to write the results")
    parser.add_argument("--skip-datasette-csv", action="store_true", help="skip Datasette's own CSV (slow)")
    args = parser.parse_args(argv)

    WORK.mkdir(parents=True, exist_ok=True)
    db = args.db or WORK / f"export-{args.findings}" / "insights.db"
    if args.db is None and not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        print(f"writing {args.findings:,} synthetic findings to {db} …", file=sys.stderr)
        write_synthetic_db(db, args.findings)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        ids = [r[0] for r in conn.execute("select id from findings order by id")]
    target = WORK / "download"

    results = {"findings": len(ids), "db": str(db), "machine": machine(), "repeat": args.repeat, "rows": [],
               "first_byte": [], "memory": []}
    floors = [measure(lambda: plain_csv(db, target)) for _ in range(args.repeat)]
    results["rows"].append(row("floor: sqlite3 + csv.writer (select * from findings)", len(ids), floors, floors))
    with datasette_server(db) as client:
        base = str(client.base_url).rstrip("/")
        checks = [
            ("Excel CSV  /insights/findings/-/export.csv", "/insights/findings/-/export.csv", check_csv),
            ("XLSX       /insights/findings/-/export.xlsx", "/insights/findings/-/export.xlsx", check_xlsx),
            ("memo draft /insights/findings/-/memo.md", "/insights/findings/-/memo.md", check_memo),
        ]
        if not args.skip_datasette_csv:
            checks += [
                ("Datasette CSV  findings.csv?_stream=on (reference)",
                 "/insights/findings.csv?_stream=on&_size=max", check_datasette_csv),
                ("Datasette CSV  …&_labels=on, as the page links it",
                 "/insights/findings.csv?_stream=on&_labels=on&_size=max", check_datasette_csv),
            ]
        for name, path, check in checks:
            # Each run is paired with a run of the floor just before it: a neighbour's load on a
            # shared machine then weighs on both sides of the ratio.
            floors, seconds = [], []
            for _ in range(args.repeat):
                floors.append(measure(lambda: plain_csv(db, target)))
                seconds.append(measure(lambda: download(base + path, target)))
            complete = check(target, ids)
            results["rows"].append(row(name, len(ids), seconds, floors, complete))
        for name, path, _ in checks[:3]:
            floor = statistics.median(measure(lambda: plain_csv(db, target)) for _ in range(args.repeat))
            first = statistics.median(first_byte(base + path) for _ in range(args.repeat))
            results["first_byte"].append({"what": name, "seconds": round(first, 3),
                                          "share_of_floor": round(first / floor, 3)})
    csv_growth = None
    for name, path, _ in checks[:3]:
        # A fresh server each: Python keeps the memory it once took, so an earlier download's peak
        # would hide this one's. A page and an empty download first, so that loading code (and the
        # facet index, read in the background) does not count.
        with datasette_server(db) as client:
            base = str(client.base_url).rstrip("/")
            client.get("/insights/findings?_theme=financing")
            download(base + path + "?id=none", target)
            time.sleep(2)
            growth = peak_growth_mb(server_pid(base), lambda: download(base + path, target))
        csv_growth = csv_growth or max(growth, 1.0)
        results["memory"].append({"what": name, "peak_growth_mb": round(growth, 1),
                                  "to_excel_csv": round(growth / csv_growth, 2)})
    print_table(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.json}", file=sys.stderr)
    return results


def measure(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def row(name: str, rows: int, seconds: list[float], floors: list[float], complete: bool = True) -> dict:
    """Medians of the runs; the ratio is the median of each run's ratio to its paired floor."""
    median = statistics.median(seconds)
    return {"what": name, "rows": rows, "seconds": round(median, 3), "rows_per_s": round(rows / median),
            "ratio_to_floor": round(statistics.median(f / s for f, s in zip(floors, seconds)), 2),
            "ratios": [round(f / s, 2) for f, s in zip(floors, seconds)], "complete": complete}


def plain_csv(db: Path, target: Path) -> None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with open(target, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        cursor = conn.execute("select * from findings")
        writer.writerow([d[0] for d in cursor.description])
        writer.writerows(cursor)
    conn.close()


def download(url: str, target: Path) -> None:
    with httpx.stream("GET", url, timeout=600) as response, open(target, "wb") as file:
        response.raise_for_status()
        for chunk in response.iter_bytes(1 << 20):
            file.write(chunk)


def first_byte(url: str) -> float:
    """Seconds from the request to the first byte of the file's body."""
    start = time.perf_counter()
    with httpx.stream("GET", url, timeout=600) as response:
        response.raise_for_status()
        next(response.iter_raw(1))
        return time.perf_counter() - start


def server_pid(base: str) -> int:
    """The `datasette serve` listening on ``base``'s port (found by its command line)."""
    port = base.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in argv and b"--port" in argv and argv[argv.index(b"--port") + 1] == port.encode():
            return int(proc.name)
    raise RuntimeError(f"no datasette serve on port {port}")


def rss_mb(pid: int) -> float:
    """The process's anonymous resident memory: its heap, without the database's memory-mapped pages."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("RssAnon:"))) / 1024


def peak_growth_mb(pid: int, run) -> float:
    """How far the server's resident memory rose above its level before ``run``, at its highest."""
    before, peak, done = rss_mb(pid), [0.0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        run()
    finally:
        done.set()
        sampler.join()
    return max(0.0, peak[0] - before)


def check_csv(path: Path, ids: list[str]) -> bool:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return [r[0] for r in list(csv.reader(file))[1:]] == ids


def check_datasette_csv(path: Path, ids: list[str]) -> bool:
    with open(path, encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))[1:]
    return sorted(r[0] for r in rows) == ids


def check_xlsx(path: Path, ids: list[str]) -> bool:
    """Every id in the sheet, in order (read from the sheet's XML: openpyxl takes minutes at 100k)."""
    import re
    import zipfile
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    first_cells = re.findall(r'<c r="A\d+" [^>]*t="inlineStr"[^>]*><is><t[^>]*>([^<]*)</t>', sheet)
    return first_cells[1:] == ids


def check_memo(path: Path, ids: list[str]) -> bool:
    text = path.read_text(encoding="utf-8")
    return f"Findings: {len(ids)}\n" in text


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    import os
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"


def print_table(results: dict) -> None:
    print(f"Full export of {results['findings']:,} findings — {results['machine']} "
          f"(median of {results['repeat']})")
    print(f"{'what':<62} {'seconds':>8} {'rows/s':>9} {'× floor':>8} complete  runs (× floor)")
    for r in results["rows"]:
        print(f"{r['what']:<62} {r['seconds']:>8.2f} {r['rows_per_s']:>9,} {r['ratio_to_floor']:>8.2f} "
              f"{'yes' if r['complete'] else 'NO':>8}  {' '.join(f'{x:.2f}' for x in r['ratios'])}")
    print(f"\n{'time to the first byte':<62} {'seconds':>8} {'÷ floor run':>12}")
    for r in results.get("first_byte", []):
        print(f"{r['what']:<62} {r['seconds']:>8.2f} {r['share_of_floor']:>12.2f}")
    print(f"\n{'server memory while sending (peak growth)':<62} {'MB':>8} {'× Excel CSV':>12}")
    for r in results.get("memory", []):
        print(f"{r['what']:<62} {r['peak_growth_mb']:>8.1f} {r['to_excel_csv']:>12.2f}")


if __name__ == "__main__":
    main()
