"""The writing room's check of one note about to be saved (ingest/write/problems.py), at the bench's
size: ``check_text`` against its floor in the same run, the parser and ``Validator`` on the same
note (what ``ingest check`` does for it), so the ratio shows what placing problems by field and
the duplicate-id look-up across every other note cost. Also the form's round trip of that note
with one changed summary, and of a note near the 1 MB limit against parsing it. Run alone with ``python -m bench.write_check NOTES_DIR``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .measure import in_child

MEASURE = r"""
import statistics
from pathlib import Path
from ingest.notes.discover import VOCABULARY_FILE
from ingest.notes.parse import parse_note
from ingest.notes.validate import Validator
from ingest.notes.vocabulary import load_vocabulary
from ingest.write.note_form import read_form, write_form
from ingest.write.problems import check_text

notes = Path(sys.argv[1])
paths = sorted(notes.glob("*.md"))
note = paths[len(paths) // 2]
relative, text = note.name, note.read_bytes().decode("utf-8")

def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)

vocabulary = load_vocabulary(notes / VOCABULARY_FILE, VOCABULARY_FILE)
floor = lambda: Validator(vocabulary, notes).check(parse_note(text, relative))
first_started = time.perf_counter()
first_problems = check_text(notes, relative, text)  # reads the id of every other note once
first_ms = round((time.perf_counter() - first_started) * 1000, 1)
assert [p for p in first_problems if p.severity == "error"] == [], first_problems

def edit():
    form = read_form(text)
    form.findings[0].summary += " Edited."
    return write_form(text, form)

head, rest = text.split("\n## ", 1)
copies = max(1, 900_000 // len(text.encode("utf-8")))  # near the 1 MB limit of a note, every finding its own id
large = head + "".join("\n## " + rest.replace("\n- id: ", f"\n- id: c{n}-") for n in range(copies))
started = time.perf_counter()
large_form = read_form(large)
large_first_read_ms = round((time.perf_counter() - started) * 1000, 1)

def edit_large():
    large_form.findings[-1].summary += " Edited."
    return write_form(large, large_form)

result = {
    "notes": len(paths),
    "floor_ms": timed(floor, 20),
    "check_text_first_ms": first_ms,
    "check_text_ms": timed(lambda: check_text(notes, relative, text), 20),
    "round_trip_ms": timed(edit, 20),
    "large_kb": len(large.encode("utf-8")) // 1000,
    "large_findings": len(large_form.findings),
    "large_parse_ms": timed(lambda: parse_note(large, relative), 5),
    "large_first_read_ms": large_first_read_ms,
    "large_read_ms": timed(lambda: read_form(large), 5),
    "large_write_ms": timed(edit_large, 5),
}
result["large_write_to_parse"] = round(result["large_write_ms"] / result["large_parse_ms"], 2)
result["check_text_to_floor"] = round(result["check_text_ms"] / result["floor_ms"], 2)
"""


def measure_write_check(notes: Path) -> dict:
    print("writing room: one note checked as it is saved …", flush=True)
    return in_child(MEASURE, str(notes))


def report_lines(result: dict) -> list[str]:
    return [
        "", f"| writing room: one note about to be saved ({result['notes']:,} notes) | ms (median of 20) | "
            "× floor (same run) | goal |",
        "| --- | ---: | ---: | --- |",
        f"| floor: parse + Validator of that note (what `ingest check` does for it) | {result['floor_ms']} | 1 | |",
        f"| `check_text`: the same, problems placed by field, note ids of every other note compared | "
        f"{result['check_text_ms']} | {result['check_text_to_floor']} | one `stat` per other note, no parsing |",
        f"| `check_text`, first save after start (reads each other note's id once) | {result['check_text_first_ms']} | | |",
        f"| form round trip: read the note, change one summary, write it | {result['round_trip_ms']} | | |",
        f"| a note of {result['large_kb']:,} kB ({result['large_findings']:,} findings): parse (floor) | "
        f"{result['large_parse_ms']} | 1 | |",
        f"| the same note: read its form, first time | {result['large_first_read_ms']} | | |",
        f"| the same note: read its form again (its blocks remembered, as a save after opening) | "
        f"{result['large_read_ms']} | | |",
        f"| the same note: write it with one summary changed | {result['large_write_ms']} | "
        f"{result['large_write_to_parse']} | linear in the note's size |",
    ]


if __name__ == "__main__":
    print("\n".join(report_lines(measure_write_check(Path(sys.argv[1])))))
