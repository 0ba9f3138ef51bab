"""Command line: ``python -m ingest check``, ``build`` and ``memo``."""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path

import click
from tqdm import tqdm

from .build import build, check_notes
from .disk_errors import WRITE_ERRORS, explain
from .draft.draft import draft_report
from .draft.errors import DraftError
from .draft.limits import DEFAULT_LIMITS
from .watch import watch
from .write.editor_commands import editor, secret
from .write.lock import Busy, notes_lock
from .memo.citation import DEFAULT_PUBLIC_URL, LANGUAGES, finding_url
from .memo.layout import STYLES
from .memo.memo import build_memo
from .memo.office import OFFICE_FORMATS, write_office_memo
from .memo.records import selection_for_tags
from .notes.errors import BuildRefused, Problem

notes_option = click.option("--notes", "notes_dir", default="notes", show_default=True,
                            type=click.Path(file_okay=False, path_type=Path), help="Folder of notes and themes.yml")


def progress_bar(items: Iterable, total: int, label: str) -> Iterable:
    """A progress bar on a terminal, once a step has run for two seconds; nothing otherwise."""
    return tqdm(items, total=total, desc=label, unit=" notes", delay=2, leave=False,
                disable=not sys.stderr.isatty())


def report(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


@click.group()
def cli() -> None:
    """Smart-city policy insights: notes/*.md → insights.db."""


cli.add_command(editor)
cli.add_command(secret)


@cli.command()
@notes_option
def check(notes_dir: Path) -> None:
    """Validate every note without writing anything."""
    try:
        checked = check_notes(notes_dir)
    except BuildRefused as refused:
        report(refused.problems)
        sys.exit(1)
    report(checked.problems)
    if checked.errors:
        click.echo(f"{len(checked.errors)} error(s) in {notes_dir}/", err=True)
        sys.exit(1)
    click.echo(f"ok: {len(checked.notes)} note(s), {checked.finding_count} finding(s), "
               f"{len(checked.problems)} warning(s)")


@cli.command(name="build")
@notes_option
@click.option("--db", "-o", "db_path", default="insights.db", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="SQLite file to write")
@click.option("--public", is_flag=True, help="Leave out every internal note and finding")
@click.option("--full", is_flag=True, help="Rewrite every note, not only those that changed since the last build")
@click.option("--watch", "keep_watching", is_flag=True, help="Keep running: rebuild whenever a file under --notes changes")
def build_command(notes_dir: Path, db_path: Path, public: bool, full: bool, keep_watching: bool) -> None:
    """Validate the notes, then rebuild the database in one transaction."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if keep_watching:
        click.echo(f"watching {notes_dir}/ (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            watch(notes_dir, lambda: build_once(notes_dir, db_path, public, full),
                  report=lambda line: click.echo(line, err=True))
        return
    try:
        built = build_once(notes_dir, db_path, public, full)
    except WRITE_ERRORS as error:  # a full disk, a read-only folder, a failing disk (--watch retries them)
        click.echo(explain(error, db_path), err=True)
        built = False
    if not built:
        sys.exit(1)


def build_once(notes_dir: Path, db_path: Path, public: bool, full: bool = False) -> bool:
    try:
        with notes_lock(notes_dir):  # never interleaved with a save from the writing room
            stats, warnings = build(notes_dir, db_path, public=public, full=full, progress=progress_bar)
    except Busy as busy:
        click.echo(f"build not run: {busy}", err=True)
        return False
    except BuildRefused as refused:
        report(refused.problems)
        click.echo(f"build refused: {refused}", err=True)
        return False
    report(warnings)
    if stats.cache_notice:
        click.echo(f"warning: {stats.cache_notice}", err=True)
    kind = "public " if public else ""
    how = "all notes written" if stats.full else f"{stats.written} note(s) written, {stats.deleted} replaced or removed"
    click.echo(f"built {kind}{db_path}: {stats.sources} source(s), {stats.findings} finding(s), "
               f"{stats.themes} theme(s); {how}; Korean text(s): {stats.analysed} analysed, {stats.cached} from cache")
    return True


def default_public_url(metadata: Path = Path("metadata.json")) -> str:
    """The host citations name: the ``insights`` plugin's ``public_url`` in metadata.json, if there."""
    try:
        config = json.loads(metadata.read_text(encoding="utf-8"))["plugins"]["insights"]
        return config.get("public_url") or DEFAULT_PUBLIC_URL
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_PUBLIC_URL


@cli.command()
@click.option("--db", "db_path", default="insights.db", show_default=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path), help="insights.db to read")
@click.option("--theme", "themes", multiple=True, help="Only findings with this theme (repeat: all of them)")
@click.option("--region", "regions", multiple=True, help="Only findings with this region (repeat: all of them)")
@click.option("--stakeholder", "stakeholders", multiple=True, help="Only findings with this stakeholder type")
@click.option("--kind", "kinds", multiple=True, help="Only findings of this kind (repeat: any of them)")
@click.option("--lang", type=click.Choice(LANGUAGES), default="ko", show_default=True,
              help="Language of headings, titles and citations")
@click.option("--public-url", help="Site of the finding URLs cited [default: public_url in ./metadata.json, else http://127.0.0.1:8001]")
@click.option("--format", "fmt", type=click.Choice(("md", *OFFICE_FORMATS)), default="md", show_default=True,
              help="Markdown, HWPX (한글, 개조식) or DOCX (Word)")
@click.option("--style", type=click.Choice(STYLES), default="gaejosik", show_default=True,
              help="HWPX and DOCX: 개조식 markers (□ ○ -) or plain paragraphs (prose)")
@click.option("--output", "-o", type=click.File("wb"), help="File to write [default: standard output, Markdown only]")
def memo(db_path: Path, themes, regions, stakeholders, kinds, lang: str, public_url: str | None,
         fmt: str, style: str, output) -> None:
    """Write a memo draft (grouped by theme, with citations): Markdown to standard output, or a file."""
    if fmt != "md" and output is None and sys.stdout.isatty():
        raise click.UsageError(f"--format {fmt} writes a binary file: give -o FILE (or redirect the output)")
    base = public_url or default_public_url()
    selection = selection_for_tags(themes, regions, stakeholders, kinds)
    url_for = lambda finding_id: finding_url(base, finding_id)  # noqa: E731
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        if fmt == "md":
            text = build_memo(conn, selection, url_for, lang)
        else:
            write_office_memo(conn, selection, url_for, lang, fmt, output or sys.stdout.buffer, style, limit=None)
    finally:
        conn.close()
    if fmt == "md":
        (output.write(text.encode("utf-8")) if output else click.echo(text, nl=False))


@cli.command()
@click.argument("report_path", metavar="REPORT", type=click.Path(dir_okay=False, path_type=Path))
@notes_option
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the draft note, inside --notes  [default: NOTES/drafts]")
@click.option("--force", is_flag=True, help="Overwrite a draft note or source file that is already there")
@click.option("--type", "source_type", metavar="TYPE",
              help="The kind of source, overriding the one recognised: a source_types slug of themes.yml "
                   "(trip-report, report, press-release, proceedings, policy-brief, web-page, document …)")
def draft(report_path: Path, notes_dir: Path, out_dir: Path | None, force: bool, source_type: str | None) -> None:
    """Draft a note from a document (HWPX, HWP, DOCX, PDF, HTML, text or Markdown) for a researcher to finish:
    a trip report, report, press release, proceedings, policy brief, web page, or any other document.

    The report is read in a child process within limits (INGEST_REPORT_* variables: docs/operations.md)."""
    logging.disable(logging.CRITICAL)  # libraries' own log lines (python-hwpx logs tracebacks): our message says it
    try:
        limits = DEFAULT_LIMITS.with_environment()
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    try:
        result = draft_report(report_path, notes_dir, out_dir, force, limits, source_type=source_type)
    except DraftError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    except BuildRefused as refused:
        report(refused.problems)
        sys.exit(1)
    facts = result.facts
    click.echo(f"kind: {result.kind} ({result.kind_reason})")
    for taken, by in result.taken.items():
        click.echo(f"the id {taken} is already {by}'s: the draft's id is {result.note.stem}")
    if facts.kind_read_as in ("trip-report", "proceedings"):
        about = f"{facts.start or '?'} to {facts.end or '?'}, {facts.place or 'place unknown'}"
    else:
        about = f"{facts.organization or 'organization unknown'}, {facts.start or facts.year or 'date unknown'}"
    click.echo(f"drafted {result.note}: {len(result.candidates)} candidate finding(s) ({about})")
    click.echo(f"source text: {result.document}" + ("" if result.original == result.document else f"; original: {result.original}"))
    click.echo("next: keep the findings that matter, fill in every TODO, then remove 'status: draft'; `make check` lists what is left")
