"""`python -m ingest editor add|remove|list` as an operator runs it, and the editors file it keeps
(ingest/write/editors.py): a hash in Datasette's pbkdf2_sha256 format, never the password; 0600."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from datasette_auth_passwords.utils import verify_password

from ingest.write.editors import (EditorsError, add_editor, check_name, list_editors, persistent_secret,
                                  read_editors, remove_editor)

from .conftest import ROOT

PASSWORD = "정책연구 correct horse"  # Korean and spaces inside stay part of the password


def editor_cli(*args, stdin: str = "", env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "ingest", "editor", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, env={**os.environ, **(env or {})})


def test_add_stores_a_pbkdf2_hash_and_never_the_password(tmp_path):
    """Breaks if the password (or anything but Datasette's hash format) reaches the file."""
    path = tmp_path / "editors.json"
    result = editor_cli("add", "kim-jiyoung", "--password-stdin", "--editors", str(path), stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert "added editor kim-jiyoung" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text and "correct horse" not in text
    password_hash = json.loads(text)["editors"]["kim-jiyoung"]["password_hash"]
    algorithm, iterations, salt, digest = password_hash.split("$")
    assert algorithm == "pbkdf2_sha256" and int(iterations) >= 480000 and salt and digest
    assert verify_password(PASSWORD, password_hash) and not verify_password("correct horse", password_hash)


def test_the_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "editors.json"
    editor_cli("add", "kim", "--password-stdin", "--editors", str(path), stdin=PASSWORD)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["editors.json"]  # no temporary file left beside it


def test_the_password_is_asked_twice_on_a_terminal(tmp_path):
    """Without --password-stdin the prompt asks for it and its confirmation (hidden)."""
    path = tmp_path / "editors.json"
    mismatch = editor_cli("add", "kim", "--editors", str(path), stdin="password-one\npassword-two\n"
                          "password-one\npassword-one\n")
    assert mismatch.returncode == 0, mismatch.stderr
    assert "do not match" in mismatch.stderr + mismatch.stdout
    assert verify_password("password-one", read_editors(path)["kim"])


def test_insights_editors_chooses_the_file(tmp_path):
    path = tmp_path / "elsewhere.json"
    result = editor_cli("add", "lee", "--password-stdin", stdin=PASSWORD, env={"INSIGHTS_EDITORS": str(path)})
    assert result.returncode == 0, result.stderr
    assert list(read_editors(path)) == ["lee"]


def test_list_and_remove(tmp_path):
    path = tmp_path / "editors.json"
    for name in ("park", "kim"):
        assert editor_cli("add", name, "--password-stdin", "--editors", str(path), stdin=PASSWORD).returncode == 0
    listed = editor_cli("list", "--editors", str(path))
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["kim", "park"]
    assert editor_cli("remove", "kim", "--editors", str(path)).returncode == 0
    assert list(read_editors(path)) == ["park"]
    again = editor_cli("remove", "kim", "--editors", str(path))
    assert again.returncode == 1 and "there is no editor 'kim'" in again.stderr


def test_adding_again_changes_the_password(tmp_path):
    path = tmp_path / "editors.json"
    assert add_editor(path, "kim", "first-password") is True
    assert add_editor(path, "kim", "second-password") is False
    assert verify_password("second-password", read_editors(path)["kim"])
    assert [name for name, _ in list_editors(path)] == ["kim"]


@pytest.mark.parametrize("name", ["Kim", "김지영", "kim jiyoung", "kim_jiyoung", "-kim", "kim-", "kim--lee",
                                  "../kim", "kim.lee", "1kim", "", "k" * 33, "kim\n", "root<script>"])
def test_names_that_are_not_short_slugs_are_refused(tmp_path, name):
    """Names become actor ids, account keys and git author names: a slug or nothing."""
    path = tmp_path / "editors.json"
    result = editor_cli("add", "--password-stdin", "--editors", str(path), "--", name, stdin=PASSWORD)
    assert result.returncode == 1
    assert "is not allowed: use 1-32 lowercase ASCII letters, digits and single hyphens" in result.stderr
    assert not path.exists()


def test_root_is_not_an_editor_name(tmp_path):
    """Datasette's own root actor (``datasette serve --root``) has rights of its own."""
    with pytest.raises(EditorsError, match="'root' is not allowed"):
        add_editor(tmp_path / "editors.json", "root", PASSWORD)


@pytest.mark.parametrize("name", ["kim", "kim-jiyoung", "lee2", "k" * 32])
def test_short_slugs_are_names(name):
    assert check_name(name) == name


def test_a_short_password_is_refused(tmp_path):
    result = editor_cli("add", "kim", "--password-stdin", "--editors", str(tmp_path / "e.json"), stdin="short\n")
    assert result.returncode == 1 and "too short" in result.stderr


def test_a_damaged_file_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "editors.json"
    path.write_text('{"editors": {"kim": {"password_hash": "plain-text-password"}}}', encoding="utf-8")
    with pytest.raises(EditorsError, match="no pbkdf2_sha256 password hash"):
        add_editor(path, "lee", PASSWORD)
    assert "plain-text-password" in path.read_text(encoding="utf-8")
    with pytest.raises(EditorsError):
        remove_editor(path, "kim")


def test_list_without_a_file_says_how_to_add_one(tmp_path):
    result = editor_cli("list", "--editors", str(tmp_path / "none.json"))
    assert result.returncode == 0 and result.stdout == ""
    assert "python -m ingest editor add NAME" in result.stderr


def test_the_secret_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("DATASETTE_SECRET", raising=False)
    path = tmp_path / ".datasette-secret"
    first = persistent_secret(path)
    assert len(first) == 64 and persistent_secret(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv("DATASETTE_SECRET", "from-the-environment")
    assert persistent_secret(path) == "from-the-environment"
    assert path.read_text().strip() == first


def test_the_secret_command_prints_the_kept_secret(tmp_path):
    path = tmp_path / "secret"
    env = {k: v for k, v in os.environ.items() if k != "DATASETTE_SECRET"}
    runs = [subprocess.run([sys.executable, "-m", "ingest", "secret", "--file", str(path)], cwd=ROOT, env=env,
                           capture_output=True, text=True) for _ in range(2)]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout == path.read_text()
