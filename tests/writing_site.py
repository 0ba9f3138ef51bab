"""A writing room to test against: the frozen corpus as a git repository in a temporary folder
(never the project's notes/), its insights.db, an editors file with one editor, and how a
browser signs in and carries the CSRF token."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ingest.build import build
from ingest.write.editors import add_editor

from .conftest import NOTES, make_datasette

EDITOR, PASSWORD = "kim-jiyoung", "서울 smart city 2016"
READER_ONLY = "park-reader"  # a signed-in actor who is no editor


def git(notes: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(notes), *args], capture_output=True, text=True, check=True).stdout


def notes_repository(folder: Path) -> Path:
    """The frozen corpus copied to ``folder/notes``, committed in a git repository of its own."""
    notes = folder / "notes"
    shutil.copytree(NOTES, notes)
    git(notes, "init", "--quiet", "--initial-branch=main")
    git(notes, "add", "--all")
    git(notes, "-c", "user.name=Seed", "-c", "user.email=seed@example.invalid", "commit", "--quiet", "-m", "Seed notes")
    return notes


def writing_room(folder: Path) -> tuple[Path, Path, Path]:
    """(notes, insights.db, editors file) in ``folder``, built."""
    notes = notes_repository(folder)
    db = folder / "insights.db"
    build(notes, db)
    editors = folder / "editors.json"
    add_editor(editors, EDITOR, PASSWORD)
    return notes, db, editors


def writing_datasette(notes: Path, db: Path, editors: Path, **insights):
    return make_datasette(db, {"insights": {"notes_dir": str(notes), "editors_file": str(editors), **insights}})


def actor_cookie(ds, name: str = EDITOR) -> str:
    """The ``ds_actor`` cookie Datasette sets for a signed-in actor."""
    return ds.sign({"a": {"id": name}}, "actor")


def server_env(notes: Path, editors: Path, **more: str) -> dict[str, str]:
    """The environment a real `datasette serve` of this writing room needs."""
    return {"INSIGHTS_NOTES": str(notes), "INSIGHTS_EDITORS": str(editors),
            "DATASETTE_SECRET": "writing-room-tests-secret", **more}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but git's own, with its bytes: 'nothing was written' is this unchanged."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(folder).parts}
