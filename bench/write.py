"""Save → visible: the writing room's save (``ingest.write.save.save_note``: the conflict check,
the atomic write, the incremental build) until a real ``datasette serve`` shows the new text on
the finding's page. Goal (issue 20): ≤ 2 s at 100k findings.

    python bench/write.py --findings 100000   # alone (generates and builds the corpus if missing)
    (make bench runs it inside bench/run.py's Datasette timings, on the same server)

Also ``last_change`` (who changed a note last, asked on every source page) on a git history of
1,000 commits, for the note touched only by the first commit (git walks the whole history) and
for one touched by the last, before and after a save has written git's commit-graph; its
baseline is a bare ``git rev-parse HEAD`` (the cost of starting git at all), in turn with it.

Same-run baselines: the finding's page alone (its p50, requested in turn with the saves), and a
no-op build of the same notes in the same process, the floor of any save's build. The saving
process has loaded the Korean analyser first, as a running server has after its first save.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import ROOT, datasette_server, percentiles  # noqa: E402
from ingest.build import build  # noqa: E402
from ingest.memo.citation import finding_url  # noqa: E402
from ingest.notes.discover import discover  # noqa: E402
from ingest.search import korean  # noqa: E402
from ingest.write.history import HISTORY_DIR, commit_files, last_change  # noqa: E402
from ingest.write.save import Editor, file_digest, save_note  # noqa: E402

GOAL_S = 2.0
ROUNDS = 5
POLL_TIMEOUT_S = 30.0
MARK = "- title_ko: "


def measure_save_visible(client: httpx.Client, notes: Path, db: Path, rounds: int = ROUNDS) -> dict:
    """Edit one finding's Korean title ``rounds`` times through save_note; time each until the
    finding's page shows it; put the note back as it was at the end."""
    korean.warm()
    paths, _ = discover(notes)
    note = paths[len(paths) // 2]
    relative = note.relative_to(notes).as_posix()
    finding = first_finding(db, relative)
    page = finding_url("", finding)
    original = note.read_text(encoding="utf-8")
    had_history = (notes / HISTORY_DIR).exists()
    editor = Editor("bench")
    saves, visible, page_ms = [], [], []
    noop = []
    try:
        for _ in range(2):
            client.get(page).raise_for_status()  # warm-up
        for index in range(rounds):
            marker = f"저장확인{index:03d}{time.time_ns() % 10**6:06d}"
            text = original.replace(MARK, f"{MARK}{marker} ", 1)
            t0 = time.perf_counter()
            save_note(notes, relative, text, opened_digest=file_digest(note), editor=editor, db_path=db,
                      message=f"bench: {marker}")
            saves.append(time.perf_counter() - t0)
            while marker not in client.get(page).text:
                if time.perf_counter() - t0 > POLL_TIMEOUT_S:
                    raise RuntimeError(f"{page} never showed the saved title")
            visible.append(time.perf_counter() - t0)
            t1 = time.perf_counter()
            client.get(page).raise_for_status()  # the baseline, in turn with the saves
            page_ms.append((time.perf_counter() - t1) * 1000)
            t2 = time.perf_counter()
            build(notes, db)  # nothing changed since the save: the floor of a save's build
            noop.append(time.perf_counter() - t2)
    finally:
        if note.read_text(encoding="utf-8") != original:
            save_note(notes, relative, original, opened_digest=file_digest(note), editor=editor, db_path=db,
                      message="bench: put back")
        if not had_history:
            shutil.rmtree(notes / HISTORY_DIR, ignore_errors=True)
    p50 = statistics.median(visible)
    floor = statistics.median(noop)
    return {"rounds": rounds, "save_p50_s": round(statistics.median(saves), 3),
            "visible_p50_s": round(p50, 3), "visible_max_s": round(max(visible), 3),
            "page_p50_ms": percentiles(page_ms)["p50_ms"], "noop_build_p50_s": round(floor, 3),
            "to_noop_build": round(p50 / floor, 2) if floor else None, "goal_s": GOAL_S, "met": max(visible) <= GOAL_S}


def measure_last_change(commits: int = 1000, repeat: int = 30) -> dict:
    """p50 ms of last_change on a history of ``commits`` commits, with and without a commit-graph."""
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "history"
        history_of(repo, commits)
        notes = repo / "notes"
        results = {"commits": commits}
        for stage in ("without commit-graph", "after a save (commit-graph written)"):
            if stage.startswith("after"):
                (notes / "note-0001.md").write_text("고침\n", encoding="utf-8")
                commit_files(notes, [Path("note-0001.md")], Editor("bench"), "bench")
            for note in ("oldest.md", "note-0199.md"):
                asked, bare = [], []
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    last_change(notes, note)
                    asked.append((time.perf_counter() - t0) * 1000)
                    t0 = time.perf_counter()
                    subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, check=True)
                    bare.append((time.perf_counter() - t0) * 1000)
                p50, floor = statistics.median(asked), statistics.median(bare)
                results[f"{note}, {stage}"] = {"p50_ms": round(p50, 1), "git_call_p50_ms": round(floor, 1),
                                               "to_git_call": round(p50 / floor, 2)}
    return results


def history_of(repo: Path, commits: int) -> None:
    """A repository of ``commits`` commits (git fast-import): notes/oldest.md in the first only,
    then 200 notes in turn."""
    stream = []
    for i in range(commits):
        note = f"notes/note-{i % 200:04d}.md" if i else "notes/oldest.md"
        body, message = f"note {i}\n한글 {i}\n".encode(), f"edit {i}".encode()
        stamp = f"{1700000000 + i * 60} +0000"
        stream += [f"commit refs/heads/main\nauthor 편집자{i % 7} <e{i % 7}@example.org> {stamp}\n"
                   f"committer M <m@example.org> {stamp}\n".encode(), b"data %d\n%s\n" % (len(message), message),
                   f"M 100644 inline {note}\n".encode(), b"data %d\n%s\n" % (len(body), body)]
    repo.mkdir(parents=True)
    for args, data in ((["init", "-q", "-b", "main"], None), (["fast-import", "--quiet"], b"".join(stream)),
                       (["checkout", "-q", "-f", "main"], None)):
        subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=True)


def first_finding(db: Path, note_path: str) -> str:
    with closing(sqlite3.connect(db)) as conn:
        row = conn.execute("select f.id from findings f join sources s on s.id = f.source_id "
                           "where s.note_path = ? order by f.position limit 1", [note_path]).fetchone()
    if row is None:
        raise RuntimeError(f"{note_path} has no finding in {db}")
    return row[0]


def last_change_lines(r: dict) -> list[str]:
    lines = ["", f"| last_change on {r['commits']:,} commits (who changed a note last) | p50 ms | "
                 f"bare git call p50 ms (same run) | × that |", "| --- | ---: | ---: | ---: |"]
    for label, t in r.items():
        if isinstance(t, dict):
            lines.append(f"| {label} | {t['p50_ms']} | {t['git_call_p50_ms']} | {t['to_git_call']} |")
    return lines


def report_lines(r: dict) -> list[str]:
    return ["", f"| save → visible (save_note, then the finding's page over HTTP) | p50 s | max s | n | "
                f"save_note p50 s | finding page p50 ms (same run) | no-op build p50 s (same run) | × no-op build | "
                f"goal ≤ {r['goal_s']} s |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| one finding's Korean title edited | {r['visible_p50_s']} | {r['visible_max_s']} | {r['rounds']} | "
            f"{r['save_p50_s']} | {r['page_p50_ms']} | {r['noop_build_p50_s']} | {r['to_noop_build']} | "
            f"{'yes' if r['met'] else 'no'} |"]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    from bench.corpus import generate
    work = ROOT / "bench" / "work"
    notes = work / f"notes-{args.findings // 10}-cases"  # bench/run.py's corpus
    if not (notes / ".complete").exists():
        print(f"generating {args.findings // 10:,} notes …", flush=True)
        generate(notes, args.findings // 10, 10)
        (notes / ".complete").write_text("ok")
    db = work / "write-bench" / "insights.db"  # named so that Datasette serves it as `insights`
    db.parent.mkdir(parents=True, exist_ok=True)
    print("building …", flush=True)
    build(notes, db)
    with datasette_server(db) as client:
        results = measure_save_visible(client, notes, db, args.rounds)
    results["last_change"] = measure_last_change()
    print("\n".join(report_lines(results) + last_change_lines(results["last_change"])))
    return results


if __name__ == "__main__":
    main()
