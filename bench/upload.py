"""Upload → review page: the seed report (the Wilton Park trip report the seed note quotes) sent
to a real ``datasette serve`` as an editor's browser sends it (``POST /-/write/upload``, multipart,
the CSRF token first), until the draft's review page (``GET /-/write/<note id>``) has arrived.

Same-run baselines, on the same report: ``python -m ingest draft`` (the command a researcher ran
before the writing room: a fresh Python, reading and drafting) and ``draft_report`` in a warm
process (the drafting itself, no HTTP, no git). The server's notes are a git repository, so each
upload's time includes its commit. One upload first, not counted (the server loads the vocabulary
and the Korean analyser once).

    python -m bench.upload            # alone; make bench runs it too
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import ROOT, datasette_server  # noqa: E402
from ingest.build import build  # noqa: E402
from ingest.draft.draft import draft_report  # noqa: E402
from ingest.write.editors import add_editor  # noqa: E402

SEED_NOTES = ROOT / "tests" / "fixtures" / "corpus"
SEED_REPORT = SEED_NOTES / "sources" / "wilton-park-2016-trip-report.ko.txt"
ROUNDS = 5
EDITOR, PASSWORD = "bench-editor", "bench password 2026"


def _notes_repository(folder: Path) -> Path:
    notes = folder / "notes"
    shutil.copytree(SEED_NOTES, notes)
    for args in (["init", "--quiet"], ["add", "--all"],
                 ["-c", "user.name=Bench", "-c", "user.email=bench@example.invalid", "commit", "--quiet", "-m", "seed"]):
        subprocess.run(["git", "-C", str(notes), *args], check=True, capture_output=True)
    return notes


def _sign_in(client: httpx.Client) -> str:
    client.get("/-/login")
    token = client.cookies["ds_csrftoken"]
    response = client.post("/-/login", data={"username": EDITOR, "password": PASSWORD, "csrftoken": token})
    assert "ds_actor" in client.cookies, response.text[:500]
    return token


def _upload(client: httpx.Client, token: str, name: str, content: bytes) -> float:
    started = time.perf_counter()
    response = client.post("/-/write/upload", data={"csrftoken": token}, files={"report": (name, content)})
    assert response.status_code == 302, response.text[:1000]
    review = client.get(response.headers["location"])
    assert review.status_code == 200 and "finding-card" in review.text, review.text[:500]
    return time.perf_counter() - started


def _ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def measure(rounds: int = ROUNDS) -> dict:
    content = SEED_REPORT.read_bytes()
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as work:
        work = Path(work)
        notes = _notes_repository(work)
        db = work / "insights.db"
        build(notes, db)
        editors = work / "editors.json"
        add_editor(editors, EDITOR, PASSWORD)
        environment = {"INSIGHTS_NOTES": str(notes), "INSIGHTS_EDITORS": str(editors),
                       "DATASETTE_SECRET": "bench-upload-secret"}
        saved = {key: os.environ.get(key) for key in environment}
        os.environ.update(environment)  # the server inherits them
        try:
            with datasette_server(db) as client:
                client.follow_redirects = False
                token = _sign_in(client)
                _upload(client, token, "warm-up.ko.txt", content)
                uploads = [_upload(client, token, f"seed-report-{n}.ko.txt", content) for n in range(rounds)]
        finally:
            for key, value in saved.items():
                os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)

        cli, warm = [], []
        for n in range(rounds):
            notes_copy = work / f"cli-{n}"
            shutil.copytree(SEED_NOTES, notes_copy)
            report = work / f"seed-report-{n}.ko.txt"
            report.write_bytes(content)
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "ingest", "draft", str(report), "--notes", str(notes_copy)],
                           cwd=ROOT, check=True, capture_output=True)
            cli.append(time.perf_counter() - started)
        draft_report(work / "seed-report-0.ko.txt", work / "cli-0", force=True)  # warm: vocabulary, analyser
        for n in range(rounds):
            notes_copy = work / f"warm-{n}"
            shutil.copytree(SEED_NOTES, notes_copy)
            started = time.perf_counter()
            draft_report(work / f"seed-report-{n}.ko.txt", notes_copy)
            warm.append(time.perf_counter() - started)
    result = {"rounds": rounds, "report": SEED_REPORT.name, "upload_to_review_ms": _ms(uploads),
              "ingest_draft_cli_ms": _ms(cli), "draft_report_warm_ms": _ms(warm)}
    result["to_cli"] = round(result["upload_to_review_ms"] / result["ingest_draft_cli_ms"], 2)
    result["to_warm_draft"] = round(result["upload_to_review_ms"] / result["draft_report_warm_ms"], 2)
    return result


def report_lines(result: dict) -> list[str]:
    return [
        "", f"| writing room: the seed report ({result['report']}) | p50 ms ({result['rounds']} rounds) | "
            "× `ingest draft` (same run) |",
        "| --- | ---: | ---: |",
        f"| baseline: `python -m ingest draft REPORT` (a fresh process) | {result['ingest_draft_cli_ms']} | 1 |",
        f"| floor: `draft_report` in a warm process (no HTTP, no git) | {result['draft_report_warm_ms']} | "
        f"{round(result['draft_report_warm_ms'] / result['ingest_draft_cli_ms'], 2)} |",
        f"| upload → review page: `POST /-/write/upload`, draft, commit, `GET /-/write/<id>` | "
        f"{result['upload_to_review_ms']} | {result['to_cli']} (× warm floor: {result['to_warm_draft']}) |",
    ]


if __name__ == "__main__":
    print("\n".join(report_lines(measure())))
