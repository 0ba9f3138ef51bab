"""`make bench`: build and serve a synthetic corpus, and measure it against same-run floors.

    python bench/run.py                     # 10k notes / 100k findings
    python bench/run.py --findings 1000000  # 1M

Prints a table and writes bench/results.json. Every figure comes from this run on this
machine: the build is compared with the floors of its own steps (libyaml parsing of the
same notes, kiwipiepy analysis of the same text, plain sqlite3 executemany of the same
rows), Datasette with plain sqlite3 + csv.writer on the same query. Nothing here is
asserted: the goals are printed beside the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sqlite3
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import draft_pdf as draft_pdf_bench  # noqa: E402
from bench import export as export_bench  # noqa: E402
from bench import mcp as mcp_bench  # noqa: E402
from bench import office as office_bench  # noqa: E402
from bench import upload as upload_bench  # noqa: E402
from bench import write as write_bench  # noqa: E402
from bench.corpus import generate  # noqa: E402
from bench.measure import ROOT, datasette_server, in_child, time_alternating  # noqa: E402
from bench.pages import measure_pages, report_lines  # noqa: E402
from bench.related import measure_related  # noqa: E402
from bench.related import report_lines as related_lines  # noqa: E402
from bench.write_check import measure_write_check  # noqa: E402
from bench.write_check import report_lines as write_check_lines  # noqa: E402

WORK = ROOT / "bench" / "work"
DEFAULT_FACETS = ("theme", "source_id", "region", "stakeholder", "kind")
FINDINGS_PER_NOTE = 10
REQUESTS = 30  # timed requests per URL (after 2 warm-ups), each loop also capped in time
REQUEST_BUDGET_S = 60


def corpus(findings: int) -> Path:
    notes = findings // FINDINGS_PER_NOTE
    target = WORK / f"notes-{notes}-cases"  # the corpus with Zipf-distributed case names
    marker = target / ".complete"
    if not marker.exists():
        print(f"generating {notes:,} notes …", flush=True)
        generate(target, notes, FINDINGS_PER_NOTE)
        marker.write_text("ok")
    return target


def measure_builds(notes: Path, db: Path) -> dict:
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    build = ("from pathlib import Path\nfrom ingest.build import build\n"
             "stats, _ = build(Path(sys.argv[1]), Path(sys.argv[2]))\n"
             "result = {'findings': stats.findings, 'written': stats.written, 'analysed': stats.analysed, "
             "'related': stats.related}")
    print("cold build …", flush=True)
    cold = in_child(build, str(notes), str(db))
    print("no-op rebuild …", flush=True)
    noop = in_child(build, str(notes), str(db))
    note = sorted(notes.glob("*.md"))[len(list(notes.glob("*.md"))) // 2]
    original = note.read_text(encoding="utf-8")
    note.write_text(original.replace("- title_ko: ", "- title_ko: 개정된 ", 1), encoding="utf-8")
    try:
        print("rebuild after one changed note …", flush=True)
        one = in_child(build, str(notes), str(db))
    finally:
        note.write_text(original, encoding="utf-8")
    in_child(build, str(notes), str(db))  # back to the corpus as generated
    print("rebuild after one changed note, in a running process (as make watch) …", flush=True)
    warm = in_child(
        "from pathlib import Path\nfrom ingest.search import korean\nfrom ingest.build import build\n"
        "notes, db, note = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])\n"
        "korean.warm()  # loaded once when the watcher started\n"
        "original = note.read_text(encoding='utf-8')\n"
        "note.write_text(original.replace('- title_ko: ', '- title_ko: 다시 고친 ', 1), encoding='utf-8')\n"
        "t0 = time.perf_counter()\n"
        "stats, _ = build(notes, db)\n"
        "result = {'written': stats.written, 'analysed': stats.analysed, 'related': stats.related}\n"
        "note.write_text(original, encoding='utf-8')", str(notes), str(db), str(note))
    warm_seconds = warm["seconds"]
    in_child(build, str(notes), str(db))
    warm["seconds"] = warm_seconds
    return {"cold": cold, "noop": noop, "one_changed": one, "one_changed_warm": warm}


def measure_floors(notes: Path, db: Path) -> dict:
    yaml_floor = in_child(
        "import yaml\nfrom pathlib import Path\n"
        "texts = [p.read_text(encoding='utf-8') for p in sorted(Path(sys.argv[1]).glob('*.md'))]\n"
        "t0 = time.perf_counter()\n"
        "for text in texts:\n"
        "    yaml.load(text.split('\\n---\\n', 1)[0][4:], Loader=yaml.CSafeLoader)\n"
        "result = {'notes': len(texts)}", str(notes))
    kiwi_floor = in_child(
        "import sqlite3\nfrom ingest.search import korean\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "texts = [t for row in conn.execute('select title_ko, summary, quote from findings') for t in row\n"
        "         if korean.has_hangul(t)]\n"
        "t0 = time.perf_counter()\n"
        "korean.index_texts(texts)\n"
        "result = {'texts': len(texts), 'chars': sum(map(len, texts))}", str(db))
    sqlite_floor = in_child(
        "import sqlite3, os\n"
        "source = sqlite3.connect(sys.argv[1])\n"
        "tables = ['sources', 'findings', 'findings_themes', 'findings_regions', 'findings_stakeholders']\n"
        "schema = [sql for (sql,) in source.execute(\"select sql from sqlite_master where name in \"\n"
        "          \"('sources','findings','findings_themes','findings_regions','findings_stakeholders','findings_fts')\")]\n"
        "rows = {t: source.execute(f'select * from [{t}]').fetchall() for t in tables}\n"
        "rows['findings_fts'] = source.execute('select rowid, title, body from findings_fts').fetchall()\n"
        "target = sys.argv[2]\n"
        "[os.remove(target + s) for s in ('', '-wal', '-shm') if os.path.exists(target + s)]\n"
        "out = sqlite3.connect(target)\n"
        "t0 = time.perf_counter()\n"
        "with out:\n"
        "    for sql in schema: out.execute(sql)\n"
        "    for table, values in rows.items():\n"
        "        columns = '(rowid, title, body)' if table == 'findings_fts' else ''\n"
        "        out.executemany(f'insert into [{table}] {columns} values ({\",\".join(\"?\" * len(values[0]))})', values)\n"
        "result = {'rows': sum(map(len, rows.values()))}", str(db), str(WORK / "floor.db"))
    return {"libyaml": yaml_floor, "kiwipiepy": kiwi_floor, "sqlite3": sqlite_floor}


def measure_peer(notes: Path) -> dict | None:
    """markdown-to-sqlite (PyPI) on the same notes: a peer's whole load, Markdown rendering included."""
    if importlib.util.find_spec("markdown_to_sqlite") is None:  # installed by `make bench`
        return None
    target = WORK / "markdown-to-sqlite.db"
    target.unlink(missing_ok=True)
    return in_child(
        "from pathlib import Path\nfrom markdown_to_sqlite.cli import cli\n"
        "paths = [str(p) for p in sorted(Path(sys.argv[1]).glob('*.md'))]\n"
        "t0 = time.perf_counter()\n"
        "cli.main([sys.argv[2], 'notes', *paths], standalone_mode=False)\n"
        "result = {'notes': len(paths)}", str(notes), str(target))


def measure_datasette(db: Path, notes: Path | None = None) -> dict:
    urls = {
        "findings page (JSON, default facets)": "/insights/findings.json",
        "theme facet applied (_theme=financing)": "/insights/findings.json?_theme=financing",
        "two tags (_theme + _region)": "/insights/findings.json?_theme=crowdfunding&_region=europe",
        "Korean search (_search=홍보)": "/insights/findings.json?_search=%ED%99%8D%EB%B3%B4",
        "English search (_search=crowdfunding)": "/insights/findings.json?_search=crowdfunding",
        "broad Korean search (_search=도시, most rows)": "/insights/findings.json?_search=%EB%8F%84%EC%8B%9C",
        "search + facet (_search=도시&_theme=financing)":
            "/insights/findings.json?_search=%EB%8F%84%EC%8B%9C&_theme=financing",
        "concept search (_search=재원: the theme financing)": "/insights/findings.json?_search=%EC%9E%AC%EC%9B%90",
        "ranked search query (q=홍보)": "/insights/search.json?q=%ED%99%8D%EB%B3%B4",
        "ranked concept search (q=재원)": "/insights/search.json?q=%EC%9E%AC%EC%9B%90",
    }
    results, dropped = {}, {}
    with datasette_server(db) as client:
        results["startup_s"] = client.startup_seconds
        for label, url in urls.items():
            print(f"  {label} …", flush=True)
            if "findings.json" not in url:
                # Same-run baseline: the query's ranked hits alone, without titles and snippets.
                (timing, floor), _ = time_alternating(
                    client, [url, ranked_hits_url(url)], REQUESTS, REQUEST_BUDGET_S)
                timing["hits_only_p50_ms"] = floor["p50_ms"]
                timing["to_hits_only"] = round(timing["p50_ms"] / floor["p50_ms"], 2)
                results[label] = timing
                continue
            # Same-run baseline: the same page without facets (Datasette's rows and count only),
            # requested in turn with it.
            (timing, floor), (response, _) = time_alternating(
                client, [url, url + ("&" if "?" in url else "?") + "_nofacet=1"], REQUESTS, REQUEST_BUDGET_S)
            timing["matches"] = response.json().get("filtered_table_rows_count")
            timing["without_facets_p50_ms"] = floor["p50_ms"]
            timing["to_without_facets"] = round(timing["p50_ms"] / floor["p50_ms"], 2)
            results[label] = timing
            dropped[label] = sorted(set(DEFAULT_FACETS) - set(response.json().get("facet_results", {})))
        print("  reading-room pages …", flush=True)
        results["reading_room_pages"] = measure_pages(client, REQUESTS, REQUEST_BUDGET_S)
        print("  search_findings over /-/mcp …", flush=True)
        results["mcp_search_findings"] = mcp_bench.measure_search_findings(client, REQUESTS, REQUEST_BUDGET_S)
        if notes is not None:  # last: it edits a note (and puts it back) under the running server
            print("  save → visible (bench/write.py) …", flush=True)
            results["save_visible"] = write_bench.measure_save_visible(client, notes, db)
            results["save_visible"]["last_change"] = write_bench.measure_last_change()
    results["dropped_facets"] = dropped
    return results


RANKED_HITS = ("select rowid from findings_fts where findings_fts match escape_fts(:q) "
               "order by bm25(findings_fts, 10.0, 1.0, 0.0), bm25(findings_fts, 10.0, 1.0, 1.0) limit 100")


def ranked_hits_url(search_url: str) -> str:
    """The search query's ranked hits alone (its first step), as SQL on the same server."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(search_url).query)["q"][0]
    return "/insights.json?" + urllib.parse.urlencode({"sql": RANKED_HITS, "q": query})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--no-floors", action="store_true",
                        help="skip the floors and the peer (at 1M they take longer than the build)")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = {
        "findings": args.findings,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "sqlite": sqlite3.sqlite_version},
        "floors": {}, "markdown_to_sqlite": None, "cold_build_to_floors": None,
    }

    def save(**phase) -> None:
        """Write what has been measured so far: a long run that dies late keeps its first figures."""
        results.update(phase, bench_seconds=round(time.perf_counter() - started, 1))
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    notes = corpus(args.findings)
    db = WORK / "insights.db"  # named so that Datasette serves it as `insights`
    save(builds=measure_builds(notes, db))
    save(related=measure_related(db, results["builds"]["cold"]["seconds"]))
    save(write_check=measure_write_check(notes))
    if not args.no_floors:
        print("floors …", flush=True)
        floors = measure_floors(notes, db)
        save(floors=floors, cold_build_to_floors=round(
            results["builds"]["cold"]["seconds"] / sum(f["seconds"] for f in floors.values()), 2))
        print("markdown-to-sqlite …", flush=True)
        save(markdown_to_sqlite=measure_peer(notes))
    print("datasette …", flush=True)
    save(datasette=measure_datasette(db, notes))
    print("full exports (bench/export.py) …", flush=True)
    save(exports=export_bench.main(["--db", str(db), "--repeat", "1", "--json", str(WORK / "export.json")]))
    print("HWPX and DOCX memos (bench/office.py) …", flush=True)
    save(office=office_bench.main([]))
    print("upload → review page, the seed report (bench/upload.py) …", flush=True)
    save(upload=upload_bench.measure())
    print("a 30-page PDF report drafted (bench/draft_pdf.py) …", flush=True)
    save(draft_pdf=draft_pdf_bench.main([]))
    print(report(results))


def report(r: dict) -> str:
    b, f, d = r["builds"], r["floors"], r["datasette"]
    floor_sum = sum(x["seconds"] for x in f.values()) or float("nan")
    lines = [
        f"## {r['findings']:,} findings — {r['machine']['cpus']} cores, Python {r['machine']['python']}, "
        f"SQLite {r['machine']['sqlite']}",
        "",
        "| build | seconds | peak MiB | goal |",
        "| --- | ---: | ---: | --- |",
        f"| cold build | {b['cold']['seconds']} | {b['cold']['peak_mib']} | ≤ 1.5× floors ({1.5 * floor_sum:.1f} s); "
        f"≤ 1 GiB at 1M |",
        f"| no-op rebuild | {b['noop']['seconds']} | {b['noop']['peak_mib']} | |",
        f"| rebuild after one changed note (new process: loads the analyser, ~1.5 s) | {b['one_changed']['seconds']} | "
        f"{b['one_changed']['peak_mib']} | ≤ 2 s |",
        f"| rebuild after one changed note (running process, as `make watch`) | {b['one_changed_warm']['seconds']} | "
        f"{b['one_changed_warm']['peak_mib']} | ≤ 2 s |",
    ]
    if f:
        lines += [
            f"| floor: libyaml parse of the notes | {f['libyaml']['seconds']} | | |",
            f"| floor: kiwipiepy analysis ({f['kiwipiepy']['chars']:,} chars) | {f['kiwipiepy']['seconds']} | | |",
            f"| floor: sqlite3 executemany ({f['sqlite3']['rows']:,} rows) | {f['sqlite3']['seconds']} | | |",
            f"| **cold build ÷ sum of floors** | **{r['cold_build_to_floors']}×** | | ≤ 1.5× |",
        ]
    if r.get("markdown_to_sqlite"):
        lines.append(f"| peer: markdown-to-sqlite on the same notes | {r['markdown_to_sqlite']['seconds']} | "
                     f"{r['markdown_to_sqlite']['peak_mib']} | reference |")
    if r.get("related"):
        lines += related_lines(r["related"], b)
    if r.get("write_check"):
        lines += write_check_lines(r["write_check"])
    lines += ["", f"Datasette start-up: {d['startup_s']} s", "",
              "| request | rows matched | p50 ms | p95 ms | n | p50 of its baseline (same run) | × that | "
              "default facets dropped |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for label, value in d.items():
        if isinstance(value, dict) and "p50_ms" in value:
            dropped = d["dropped_facets"].get(label)
            matches = f"{value['matches']:,}" if value.get("matches") is not None else ""
            baseline = (f"{value['without_facets_p50_ms']} (without facets)" if "without_facets_p50_ms" in value
                        else f"{value['hits_only_p50_ms']} (ranked hits only)" if "hits_only_p50_ms" in value else "")
            lines.append(f"| {label} | {matches} | {value['p50_ms']} | {value['p95_ms']} | {value['n']} | "
                         f"{baseline} | {value.get('to_without_facets', value.get('to_hits_only', ''))} | "
                         f"{', '.join(dropped) if dropped else ('none' if dropped is not None else '')} |")
    if d.get("reading_room_pages"):
        lines += report_lines(d["reading_room_pages"])
    if d.get("mcp_search_findings"):
        lines += mcp_bench.report_lines(d["mcp_search_findings"])
    if d.get("save_visible"):
        lines += write_bench.report_lines(d["save_visible"]) + write_bench.last_change_lines(
            d["save_visible"]["last_change"])
    lines += ["", "| full export (every row, over HTTP) | rows/s | × plain sqlite3 + csv.writer | complete |",
              "| --- | ---: | ---: | --- |"]
    for row in r["exports"]["rows"]:
        lines.append(f"| {row['what']} | {row['rows_per_s']:,} | {row['ratio_to_floor']} | {row['complete']} |")
    if r.get("office"):
        lines += ["", office_bench.report(r["office"])]
    if r.get("upload"):
        lines += upload_bench.report_lines(r["upload"])
    if r.get("draft_pdf"):
        lines += ["", draft_pdf_bench.report(r["draft_pdf"])]
    lines.append(f"\nbench took {r['bench_seconds']} s")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
