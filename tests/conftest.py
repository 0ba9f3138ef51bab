"""Shared fixtures: a copy of the frozen corpus, a real insights.db built from it,
and a real Datasette configured exactly as `make serve` configures it.

Every test builds from the frozen corpus (tests/fixtures/corpus/: the seed note, its source
document and themes.yml as they were when the suite was frozen; the study note of another kind
is tests/fixtures/study-note/), never from the live notes/, which researchers change every day.
Only tests/test_live_notes.py reads notes/, and it asserts no counts."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from datasette.app import Datasette
from hypothesis import settings
from playwright.sync_api import Browser, sync_playwright

from ingest.build import build

# Hypothesis: `make test` runs the same examples every time (derandomised, no example database), so
# unchanged code never turns red by chance; `make fuzz` (--hypothesis-profile=fuzz) runs many random ones.
settings.register_profile("pinned", derandomize=True, database=None, print_blob=True)
settings.register_profile("fuzz", max_examples=2000, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "pinned"))


def examples(count: int) -> int:
    """A property test's number of examples: ``count`` when pinned, the profile's (more) when fuzzing.
    Read when a test module is imported, after --hypothesis-profile has loaded its profile."""
    return count if settings.default.derandomize else max(count, settings.default.max_examples)


# Every build in the tests (and the builds they run as child processes) dates what it writes
# at this one time (ingest/db/dates.py), so that builds made seconds apart compare equal;
# tests/test_feeds.py sets other times to see dates move.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00+00:00

# No test reads the operator's editors.json (the default of plugins/editors.py and `ingest editor`):
# a test with editors names its own file (INSIGHTS_EDITORS, or plugins.insights.editors_file).
os.environ["INSIGHTS_EDITORS"] = str(Path(__file__).resolve().parent / "fixtures" / "no-editors.json")


ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "tests" / "fixtures" / "corpus"  # the frozen corpus: figures in tests are about it
STUDY_NOTE = ROOT / "tests" / "fixtures" / "study-note"  # a study note in English only, no document
LIVE_NOTES = ROOT / "notes"  # only tests/test_live_notes.py may read it
WILTON = "2016-03-wilton-park-smart-cities"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package: Playwright never downloads a browser here
KOREAN_FONTS = Path("/usr/share/fonts/truetype/nanum")  # fonts-nanum: without it Korean renders as boxes


# Tables whose rows hold the build's own row numbers (a finding's rowid, a term's id), which differ
# between an incremental build and a full one: read by what those numbers stand for.
BY_WHAT_ROWIDS_STAND_FOR = {
    "related_terms": "select term, findings, weight, candidates from related_terms order by term",
    "finding_terms": "select f.id, t.term from finding_terms x join findings f on f.rowid = x.finding "
                     "join related_terms t on t.id = x.term order by 1, 2",
}


def make_datasette(db_path: Path, plugin_config: dict | None = None, *, metadata: dict | None = None,
                   **settings) -> Datasette:
    """Datasette with the project's metadata.json (or ``metadata``), plugins/, templates/ and
    settings.json (``settings`` laid over it; ``plugin_config`` laid over the metadata's
    ``plugins``), and static/ mounted at /static/ as `--static static:static` does."""
    metadata = metadata or json.loads((ROOT / "metadata.json").read_text(encoding="utf-8"))
    metadata["plugins"] = {**metadata.get("plugins", {}), **(plugin_config or {})}
    return Datasette(
        files=[str(db_path)],
        metadata=metadata,
        plugins_dir=str(ROOT / "plugins"),
        template_dir=str(ROOT / "templates"),
        static_mounts=[("static", str(ROOT / "static"))],
        settings={**json.loads((ROOT / "settings.json").read_text(encoding="utf-8")), **settings},
    )


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    """A private copy of the frozen corpus that a test may change."""
    target = tmp_path / "notes"
    shutil.copytree(NOTES, target)
    return target


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory) -> Path:
    """The frozen corpus built once per test run: the folder holding its insights.db (and the
    analysis cache beside it)."""
    folder = tmp_path_factory.mktemp("corpus-build")
    shutil.copytree(NOTES, folder / "notes")
    build(folder / "notes", folder / "insights.db")
    return folder


@pytest.fixture
def db_path(tmp_path: Path, notes_dir: Path, corpus_build: Path) -> Path:
    """A private insights.db of ``notes_dir``: the run's build of the corpus copied, then built
    again from ``notes_dir`` (a no-op in milliseconds, since both copies keep the files' sizes,
    times and digests; a real incremental build if a fixture changed the notes first)."""
    path = tmp_path / "insights.db"
    for built in corpus_build.glob("insights.db*"):
        shutil.copy2(built, tmp_path / built.name)
    build(notes_dir, path)
    return path


@pytest.fixture
def ds(db_path: Path) -> Datasette:
    return make_datasette(db_path)


@pytest.fixture
def wilton_note() -> str:
    return (NOTES / f"{WILTON}.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Browser:
    """Headless Chromium (Debian's), driven by Playwright. Missing, it is a failure, not a skip.

    Module-scoped: Playwright's sync API keeps an event loop running in this thread while
    it is open, which async tests in other modules cannot share."""
    if not CHROMIUM.exists() or not KOREAN_FONTS.is_dir():
        pytest.fail(f"browser tests need Debian's chromium ({CHROMIUM}) and a Korean font ({KOREAN_FONTS}): "
                    "run `sudo apt-get update && sudo apt-get install -y chromium fonts-nanum` (never `playwright install`)",
                    pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        yield browser
        browser.close()


def pytest_collection_modifyitems(items):
    """Every test that uses the browser fixture is marked ``browser`` and ``slow``."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
