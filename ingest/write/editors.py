"""Who may write: the editors file, and the server's persistent secret.

The editors file (``editors.json`` at the project root, git-ignored, mode 0600; ``--editors PATH``
or ``INSIGHTS_EDITORS`` choose another) holds, per editor name, only a password hash in
Datasette's ``pbkdf2_sha256$<iterations>$<salt>$<hash>`` format (datasette-auth-passwords' own
function), never a password::

    {"editors": {"kim-jiyoung": {"password_hash": "pbkdf2_sha256$480000$…", "added": "2026-12-03T08:00:00Z"}}}

A name becomes an actor id, the key of a datasette-auth-passwords account and a git author
name, so it is a short slug: lowercase ASCII letters, digits and single hyphens.

The secret (``DATASETTE_SECRET``; else ``.datasette-secret`` at the project root, generated once,
0600) signs the ``ds_actor`` cookie: the same secret across restarts keeps editors signed in.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from datetime import datetime, timezone
from pathlib import Path

from datasette_auth_passwords.utils import hash_password, verify_password

from .atomic import replace_file

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_EDITORS_FILE = PROJECT_ROOT / "editors.json"
DEFAULT_SECRET_FILE = PROJECT_ROOT / ".datasette-secret"
EDITORS_ENV = "INSIGHTS_EDITORS"
SECRET_ENV = "DATASETTE_SECRET"
NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_NAME = 32
RESERVED = {"root"}  # Datasette's own actor for `datasette serve --root`
MIN_PASSWORD = 8
HASH_FORMAT = re.compile(r"pbkdf2_sha256\$[0-9]+\$[^$]+\$[A-Za-z0-9+/=]+")


class EditorsError(ValueError):
    """A name, password or editors file that cannot be used, said so a person can fix it."""


def editors_path(path: str | os.PathLike | None = None) -> Path:
    """The editors file: ``path`` if given, else ``INSIGHTS_EDITORS``, else editors.json at the root."""
    chosen = path or os.environ.get(EDITORS_ENV)
    return Path(chosen) if chosen else DEFAULT_EDITORS_FILE


def check_name(name: str) -> str:
    """``name`` if it is a usable editor name; else EditorsError saying what is allowed."""
    if name in RESERVED:
        raise EditorsError(f"editor name {name!r} is not allowed: Datasette gives the actor {name!r} "
                           "rights of its own (its debug pages); choose another name")
    if not (isinstance(name, str) and len(name) <= MAX_NAME and NAME.fullmatch(name)):
        raise EditorsError(
            f"editor name {name!r} is not allowed: use 1-{MAX_NAME} lowercase ASCII letters, digits and "
            "single hyphens, starting with a letter (for example kim-jiyoung); it becomes the sign-in "
            "name and the author of the editor's commits")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise EditorsError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    if password != password.strip():
        raise EditorsError("the password starts or ends with a space: leave those out")
    return password


def read_editors(path: Path) -> dict[str, str]:
    """Editor name → password hash; empty when the file does not exist. A file that is not an
    editors file, or holds an entry that is not a name with a pbkdf2_sha256 hash, is refused."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise EditorsError(f"{path} is not an editors file (not JSON: {error})") from None
    entries = data.get("editors") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise EditorsError(f'{path} is not an editors file (no "editors" object)')
    editors = {}
    for name, entry in entries.items():
        password_hash = entry.get("password_hash") if isinstance(entry, dict) else None
        if not (isinstance(password_hash, str) and HASH_FORMAT.fullmatch(password_hash)):
            raise EditorsError(f"{path}: editor {name!r} has no pbkdf2_sha256 password hash")
        editors[check_name(name)] = password_hash
    return editors


def _read_entries(path: Path) -> dict:
    read_editors(path)  # refuses a damaged file before anything is written over it
    try:
        return json.loads(path.read_text(encoding="utf-8"))["editors"]
    except FileNotFoundError:
        return {}


def write_private(path: Path, text: str) -> None:
    """``text`` into ``path`` atomically, readable and writable by its owner only (0600) from the first byte."""
    replace_file(path, text.encode("utf-8"), 0o600)


def _write_entries(path: Path, entries: dict) -> None:
    write_private(path, json.dumps({"editors": dict(sorted(entries.items()))}, ensure_ascii=False, indent=2) + "\n")


def add_editor(path: Path, name: str, password: str) -> bool:
    """Store ``name`` with a hash of ``password`` (replacing an existing one's password).
    True when the editor is new."""
    check_name(name)
    check_password(password)
    entries = _read_entries(path)
    new = name not in entries
    entries[name] = {"password_hash": hash_password(password),
                     "added": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    _write_entries(path, entries)
    return new


def remove_editor(path: Path, name: str) -> None:
    entries = _read_entries(path)
    if name not in entries:
        raise EditorsError(f"there is no editor {name!r} in {path}")
    del entries[name]
    _write_entries(path, entries)


def list_editors(path: Path) -> list[tuple[str, str]]:
    """(name, when added) of each editor, by name."""
    entries = _read_entries(path)
    return [(name, str(entries[name].get("added", ""))) for name in sorted(entries)]


def password_matches(path: Path, name: str, password: str) -> bool:
    password_hash = read_editors(path).get(name)
    return bool(password_hash) and verify_password(password, password_hash)


def persistent_secret(path: Path | None = None) -> str:
    """``DATASETTE_SECRET`` when the environment gives one; else the secret in ``path``
    (default .datasette-secret at the root), generated there once (0600)."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV]
    path = path or DEFAULT_SECRET_FILE
    try:
        secret = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        secret = ""
    if not secret:
        secret = secrets.token_hex(32)
        write_private(path, secret + "\n")
    return secret
