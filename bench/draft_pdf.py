"""Drafting a 30-page PDF report, against merely extracting its text (issue 21, item 6).

    python -m bench.draft_pdf                # bench/work/draft-pdf/: the PDF, then the two timings

The PDF is printed by headless Chromium (Debian's) from the Wilton Park report, its body
repeated until the report has 30 A4 pages, Korean wrapped inside words (``word-break:
break-all``, as LibreOffice prints it) with a running header and page numbers: every line join
goes through the join rules, Kiwi included. Each timing runs in a fresh Python
(``bench.measure.in_child``): pdfplumber's ``extract_text`` of every page (the baseline), and
``draft_report`` (reading in its limited child process, Kiwi loaded, drafting, files written).
Goal: ≤ 10 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import in_child  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "draft-pdf"
REPORT = ROOT / "tests" / "fixtures" / "corpus" / "sources" / "wilton-park-2016-trip-report.ko.txt"
GOAL_SECONDS = 10.0
PAGES = 30
# CPU seconds of the child and of the processes it waited for (the draft reads in a child of its
# own): on a shared machine the clock also counts waiting for a core.
CPU_START = ("def cpu():\n    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
             "    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime\ncpu0 = cpu()\n")
CPU_END = "result['cpu_seconds'] = round(cpu() - cpu0, 3)\n"


def write_report(path: Path, pages: int = PAGES) -> int:
    """The 30-page PDF; returns its page count."""
    import pdfplumber
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.test_draft_same_quotes import print_pdf

    text = REPORT.read_text(encoding="utf-8")
    head, body = text.split("II. 출장내용", 1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        repeats = 8
        for _ in range(6):
            sections = "".join(f"\n{n}. 세부 논의 {n}\n" + body.split("\n", 2)[2] for n in range(1, repeats + 1))
            print_pdf(head + "II. 출장내용\n" + sections, path, browser, "break-all", "170mm")
            with pdfplumber.open(path) as pdf:
                count = len(pdf.pages)
            if count >= pages:
                break
            repeats = int(repeats * pages / max(count, 1)) + 1
        browser.close()
    return count


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, default=WORK / "draft-pdf.json")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    pdf = WORK / "wilton-park-30-pages.pdf"
    pages = write_report(pdf)
    extract = in_child(CPU_START + "import pdfplumber\n"
                       "with pdfplumber.open(sys.argv[1]) as pdf:\n"
                       "    text = ''.join(page.extract_text() or '' for page in pdf.pages)\n"
                       "result = {'characters': len(text)}\n" + CPU_END, str(pdf))
    notes = WORK / "notes"
    shutil.rmtree(notes, ignore_errors=True)
    notes.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "corpus" / "themes.yml", notes / "themes.yml")
    draft = in_child(CPU_START + "from pathlib import Path\nfrom ingest.draft.draft import draft_report\n"
                     "done = draft_report(Path(sys.argv[1]), Path(sys.argv[2]))\n"
                     "result = {'findings': done.note.read_text(encoding='utf-8').count('\\n## ')}\n" + CPU_END,
                     str(pdf), str(notes))
    results = {"pages": pages, "goal_seconds": GOAL_SECONDS,
               "extract": extract, "draft": draft, "to_extract": round(draft["seconds"] / extract["seconds"], 2),
               "to_extract_cpu": round(draft["cpu_seconds"] / extract["cpu_seconds"], 2)}
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(report(results))
    return results


def report(results: dict) -> str:
    e, d = results["extract"], results["draft"]
    return "\n".join([
        f"| {results['pages']}-page PDF report | seconds | CPU seconds | × extract | × extract (CPU) | peak MiB | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| pdfplumber extract_text (baseline) | {e['seconds']} | {e['cpu_seconds']} | 1.0 | 1.0 | {e['peak_mib']} | "
        f"{e['characters']:,} characters |",
        f"| draft (read in its child, joins, Kiwi, draft written) | {d['seconds']} | {d['cpu_seconds']} | "
        f"{results['to_extract']} | {results['to_extract_cpu']} | {d['peak_mib']} (parent) | {d['findings']} candidates |",
        "", f"goal: draft ≤ {results['goal_seconds']} s"])


if __name__ == "__main__":
    main()
