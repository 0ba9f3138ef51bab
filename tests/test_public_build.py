"""`python -m ingest build --public -o public.db` leaves no trace of internal material:
not in any table, not in the full-text index's shadow tables, not in free pages, not in
a -wal or -journal file beside it.

The internal notes carry marker words that occur nowhere else. Korean markers are made of
syllables no Korean text uses (뷁, 똠, 햏 …) and every such syllable is searched for on its own,
so a morphological analyser or cache that splits a marker anywhere is still caught. English
markers are searched for without their first two letters, so the FTS5 index's prefix
compression of neighbouring terms cannot hide one.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, WILTON

pytestmark = pytest.mark.slow  # subprocess builds scanned byte by byte: not in make test-fast

RARE_SYLLABLES = "뷁똠햏쀍뙇꿿쒧똷꿻뷀쓩틥"
INTERNAL_NOTE_ID = "2017-09-qvxbriefing"
INTERNAL_FINDING_IDS = [f"{INTERNAL_NOTE_ID}/zqjfinding", "2018-01-mixed-forum/xjqsecretplan"]

INTERNAL_NOTE = f"""---
id: {INTERNAL_NOTE_ID}
title: qvxbrieftitle closed ministry briefing
title_ko: 뷁똠 비공개 부처 보고
type: interview
organization: qvxorganisation
event: qvxeventname
place: qvxplacename
access: internal
---

qvxdescription of the meeting. 햏쀍 회의 개요.

## zqjtitle of a closed finding
- id: zqjfinding
- title_ko: 뙇꿿 비공개 시사점
- themes: financing
- kind: observation

> zqjquote said in confidence. 쒧똷 발언 인용.

zqjsummary in *Markdown*. 꿻뷀 요약.
"""

MIXED_NOTE = """---
id: 2018-01-mixed-forum
title: A public forum with one closed session
title_ko: 일부 비공개 세션이 있는 공개 포럼
type: conference-report
access: public
---

## Public finding of the mixed forum
- id: public-finding
- title_ko: 공개된 시사점
- themes: governance
- kind: observation

> Cities share their data openly.

Everyone may read this one.

## xjqsecrettitle from the closed session
- id: xjqsecretplan
- title_ko: 쓩틥 내부 전용
- themes: financing
- kind: recommendation
- access: internal

> xjqsecretquote from the closed session. 쓩뷁 인용.

xjqsecretsummary for staff only. 틥똠 요약.
"""

ENGLISH_MARKERS = ["qvxbrieftitle", "qvxorganisation", "qvxeventname", "qvxplacename", "qvxdescription",
                   "zqjtitle", "zqjquote", "zqjsummary", "xjqsecrettitle", "xjqsecretquote", "xjqsecretsummary"]
NEEDLES = sorted(
    {INTERNAL_NOTE_ID, "qvxbriefing", *INTERNAL_FINDING_IDS, "zqjfinding", "xjqsecretplan"}
    | {marker[2:] for marker in ENGLISH_MARKERS}
    | set(RARE_SYLLABLES)
)


def ingest_build(notes: Path, db: Path, *options: str) -> None:
    subprocess.run([sys.executable, "-m", "ingest", "build", "--notes", str(notes), *options, "-o", str(db)],
                   cwd=ROOT, check=True, capture_output=True)


def hits(folder: Path) -> dict[str, list[str]]:
    """Needle -> the files under ``folder`` whose raw bytes contain it."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for needle in NEEDLES:
            if needle.encode("utf-8") in data:
                found.setdefault(needle, []).append(path.name)
    return found


@pytest.fixture
def notes_with_internal_material(notes_dir: Path) -> Path:
    (notes_dir / f"{INTERNAL_NOTE_ID}.md").write_text(INTERNAL_NOTE, encoding="utf-8")
    (notes_dir / "2018-01-mixed-forum.md").write_text(MIXED_NOTE, encoding="utf-8")
    public_text = "".join(p.read_text(encoding="utf-8") for p in notes_dir.rglob("*") if p.is_file()
                          and p.name not in (f"{INTERNAL_NOTE_ID}.md", "2018-01-mixed-forum.md"))
    assert not [s for s in RARE_SYLLABLES if s in public_text + MIXED_NOTE.split("## xjq")[0]]
    return notes_dir


def test_the_scan_finds_every_marker_in_an_internal_build(notes_with_internal_material, tmp_path):
    """The control: without --public every needle is there, so the scan below can see a leak."""
    out = tmp_path / "internal"
    out.mkdir()
    ingest_build(notes_with_internal_material, out / "insights.db")
    assert sorted(hits(out)) == NEEDLES


def test_no_internal_byte_reaches_a_public_build(notes_with_internal_material, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    public_db = out / "public.db"
    # Worst case first: an internal build written to the very same file, then the public one over it.
    ingest_build(notes_with_internal_material, public_db)
    assert hits(out)
    ingest_build(notes_with_internal_material, public_db, "--public")  # as documented: --public -o public.db

    files = sorted(p.name for p in out.iterdir())
    assert files == ["public.db"]  # no -wal, -shm, -journal or .tmp left beside it
    print(f"\npublic build byte scan: {len(NEEDLES)} needles, {public_db.stat().st_size:,} bytes, hits: {hits(out)}")
    assert hits(out) == {}

    with sqlite3.connect(f"file:{public_db}?mode=ro", uri=True) as conn:
        ids = {row[0] for row in conn.execute("select id from findings")}
        assert conn.execute("pragma journal_mode").fetchone() == ("delete",)
        assert conn.execute("select public from build_info").fetchone() == (1,)
    assert "2018-01-mixed-forum/public-finding" in ids and f"{WILTON}/retrofit-financing" in ids
    assert len(ids) == 16
