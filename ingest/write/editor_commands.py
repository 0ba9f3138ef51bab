"""``python -m ingest editor add|remove|list`` and ``python -m ingest secret`` (registered in ingest/cli.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .editors import (DEFAULT_SECRET_FILE, EDITORS_ENV, EditorsError, add_editor, check_name, editors_path,
                      list_editors, persistent_secret, remove_editor)

editors_option = click.option(
    "--editors", "editors_file", type=click.Path(dir_okay=False, path_type=Path), envvar=EDITORS_ENV,
    help=f"The editors file  [default: editors.json at the project root; or {EDITORS_ENV}]")


def fail(error: Exception) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(1)


@click.group()
def editor() -> None:
    """Who may sign in and edit notes in the browser (only password hashes are stored)."""


@editor.command()
@click.argument("name")
@editors_option
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input")
def add(name: str, editors_file: Path | None, password_stdin: bool) -> None:
    """Add editor NAME (lowercase letters, digits, hyphens), or set a new password for NAME."""
    path = editors_path(editors_file)
    try:
        check_name(name)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True)
        new = add_editor(path, name, password)
    except (EditorsError, OSError) as error:
        fail(error)
    click.echo(f"{'added' if new else 'changed the password of'} editor {name} in {path}")


@editor.command()
@click.argument("name")
@editors_option
def remove(name: str, editors_file: Path | None) -> None:
    """Remove editor NAME: they can no longer sign in, and a session they hold loses its right to edit."""
    path = editors_path(editors_file)
    try:
        remove_editor(path, name)
    except (EditorsError, OSError) as error:
        fail(error)
    click.echo(f"removed editor {name} from {path}")


@editor.command(name="list")
@editors_option
def list_command(editors_file: Path | None) -> None:
    """The editors, one a line, with when each was added."""
    path = editors_path(editors_file)
    try:
        editors = list_editors(path)
    except (EditorsError, OSError) as error:
        fail(error)
    if not editors:
        click.echo(f"no editors in {path}: add one with `python -m ingest editor add NAME`", err=True)
    for name, added in editors:
        click.echo(f"{name}\t{added}")


@click.command()
@click.option("--file", "secret_file", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_SECRET_FILE,
              show_default=True, help="Where the secret is kept (created once, 0600)")
def secret(secret_file: Path) -> None:
    """Print the server's signing secret: DATASETTE_SECRET if set, else the one kept in --file."""
    try:
        click.echo(persistent_secret(secret_file))
    except OSError as error:
        fail(error)
