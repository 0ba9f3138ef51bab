"""Where the writing room writes and how much it takes: read from the metadata's
``plugins.insights`` (as given, like the editors file), else the environment, else the defaults.

- ``notes_dir``: ``plugins.insights.notes_dir``, else ``INSIGHTS_NOTES``, else notes/ at the
  project's root (what `make serve` builds from);
- ``upload_bytes``: ``plugins.insights.upload_bytes``, else ``INSIGHTS_UPLOAD_BYTES``, else 50 MB:
  the largest report an upload may carry (the form around it may add ``FORM_BYTES``);
- the database a save builds: the served ``insights`` database's file.
"""

from __future__ import annotations

import os
from pathlib import Path

from ingest.draft.limits import MB

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATABASE = "insights"
NOTES_ENV = "INSIGHTS_NOTES"
UPLOAD_ENV = "INSIGHTS_UPLOAD_BYTES"
DEFAULT_UPLOAD_BYTES = 50 * MB


def _config(datasette) -> dict:
    plugins = (getattr(datasette, "_metadata_local", None) or {}).get("plugins") or {}
    return plugins.get("insights") or {}


def notes_dir(datasette, environ=None) -> Path:
    environ = os.environ if environ is None else environ
    chosen = _config(datasette).get("notes_dir") or environ.get(NOTES_ENV)
    return Path(chosen) if chosen else PROJECT_ROOT / "notes"


def upload_bytes(datasette, environ=None) -> int:
    """The upload limit; ValueError naming the setting when it is not a positive whole number."""
    environ = os.environ if environ is None else environ
    configured = _config(datasette).get("upload_bytes")
    name, value = ("plugins.insights.upload_bytes", configured) if configured is not None else (UPLOAD_ENV, environ.get(UPLOAD_ENV))
    if value is None:
        return DEFAULT_UPLOAD_BYTES
    try:
        limit = int(str(value).replace("_", ""))
    except ValueError:
        limit = 0
    if limit <= 0:
        raise ValueError(f"{name}={value!r}: a positive whole number of bytes is needed")
    return limit


def database_path(datasette) -> Path:
    return Path(datasette.get_database(DATABASE).path)
