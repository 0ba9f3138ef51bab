"""Every kind of bad note gets a clear `path:line: error: message (hint)`, and the build it
stops leaves the previous insights.db byte-identical.

Each case is a fixture folder under tests/fixtures/bad-notes/ laid over a copy of the real
notes, or, where a fixture file would be absurd (a 5 MB note, a symlink), made in tmp_path.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, NamedTuple

import pytest
from click.testing import CliRunner

from ingest.build import build
from ingest.cli import cli

from .conftest import ROOT, WILTON

FIXTURES = ROOT / "tests" / "fixtures"
TEMPLATE = FIXTURES / "good-notes" / "template" / "study.md"


class Case(NamedTuple):
    name: str
    file: str  # the file the problem names, relative to notes/
    line: int | str  # the line, or text that stands on it in `file`
    words: str  # what the message (and hint) must say
    make: Callable[[Path, Path], None] | None = None  # (notes_dir, tmp_path): for generated cases


def huge_note(notes: Path, _: Path) -> None:
    line = "시민이 투자하는 지역 사업. Citizens invest in local projects.\n"
    summary = line * (5_000_000 // len(line.encode()))  # 5 MB
    (notes / "huge.md").write_text(TEMPLATE.read_text(encoding="utf-8") + summary, encoding="utf-8")


def long_title(notes: Path, _: Path) -> None:
    text = TEMPLATE.read_text(encoding="utf-8").replace("title: A study of citizen finance", "title: " + "Long-" * 2_000)
    (notes / "long.md").write_text(text, encoding="utf-8")


def link_outside(notes: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "private.md"
    outside.parent.mkdir()
    shutil.copy(TEMPLATE, outside)
    (notes / "linked.md").symlink_to(outside)


def broken_link(notes: Path, _: Path) -> None:
    (notes / "gone.md").symlink_to(notes / "never-written.md")


CASES = [
    Case("malformed-yaml", "bad.md", "title: [A study", "the front matter is not valid YAML: did not find expected ',' or ']'"),
    Case("unclosed-front-matter", "bad.md", 1, "the front matter is not closed (add a line '---'"),
    Case("missing-required-field", "bad.md", 1, "front matter lacks 'type' (add 'type: …'"),
    Case("unknown-theme", "bad.md", "crowdfundng", "unknown theme 'crowdfundng' (did you mean 'crowdfunding'?"),
    Case("unknown-region", "bad.md", "eurpoe", "unknown region 'eurpoe' (did you mean 'europe'?"),
    Case("unknown-stakeholder", "bad.md", "- stakeholders: citizen", "unknown stakeholder 'citizen' (did you mean 'citizens'?"),
    Case("unknown-kind", "bad.md", "observaton", "unknown kind 'observaton' (did you mean 'observation'?"),
    Case("unknown-source-type", "bad.md", "studdy", "unknown source type 'studdy' (did you mean 'study'?"),
    Case("duplicate-note-id", "copy.md", "id: 2016-03", f"note id '{WILTON}' is already used by {WILTON}.md"),
    Case("duplicate-finding-id-in-a-note", "bad.md", 24,  # the second '- id: citizen-funding'
          "finding id 'citizen-funding' is already used at line 11"),
    # <note id>/<finding id> can only repeat across notes when the note ids do: that is what is reported.
    Case("duplicate-finding-id-across-notes", "copy.md", "id: 2016-03", f"note id '{WILTON}' is already used by {WILTON}.md"),
    Case("no-quote", "bad.md", "## Citizens", "the finding has no quote (after the attributes, quote the source verbatim"),
    Case("no-summary", "bad.md", "## Citizens", "the finding has no summary"),
    Case("quote-not-in-source", "bad.md", "> Residents", "quote not found in sources/wilton-park-2016-trip-report.ko.txt"),
    Case("invalid-date", "bad.md", "start:", "'start' must be a date like 2016-03-17, not '2016-13-45'"),
    Case("reversed-dates", "bad.md", "end:", "end 2016-03-17 is before start 2016-03-20"),
    Case("not-utf8", "bad.md", 4,  # the first Korean line
         "the file is not UTF-8 (it looks like EUC-KR/CP949) (save it as UTF-8, e.g. iconv -f CP949"),
    Case("heading-without-attributes", "bad.md", "## Citizens", "the finding has no attribute list"),
    Case("empty-note", "empty.md", 1, "the note is empty"),
    Case("no-findings", "bad.md", 8, "the note has no findings"),  # the line after the front matter
    Case("not-markdown", "meeting-notes.txt", 1, "not a note: only Markdown notes (*.md) and themes.yml belong here "
                                                 "(notes are Markdown files ending in '.md': rename it to meeting-notes.md)"),
    Case("symlink-outside-notes", "linked.md", 1, "symlink points outside notes/", link_outside),
    Case("broken-symlink", "gone.md", 1, "broken symlink", broken_link),
    Case("huge-note", "huge.md", 1, "the note is 5.0 MB, over the 1 MB limit for one note", huge_note),
    Case("long-title", "long.md", "title: Long", "title is 10,000 characters long (keep titles under 300 characters)", long_title),
    Case("attribute-twice", "bad.md", "- kind: question", "attribute 'kind' appears twice in this finding"),
    Case("field-twice", "bad.md", "title: Another", "front-matter field 'title' appears twice"),
    Case("speaker-under-chatham-house", "bad.md", "speaker:", "'speaker' is not allowed: this source is under the Chatham House Rule"),
    Case("script-url", "bad.md", "url:", "url 'javascript:alert(1)' must be a web address starting with https://"),
]


def lay_out(case: Case, notes_dir: Path, tmp_path: Path) -> None:
    if case.make:
        case.make(notes_dir, tmp_path)
    else:
        shutil.copytree(FIXTURES / "bad-notes" / case.name, notes_dir, dirs_exist_ok=True)


def line_number(case: Case, notes_dir: Path) -> int:
    if isinstance(case.line, int):
        return case.line
    lines = (notes_dir / case.file).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if case.line in line)


def database_files(db: Path) -> dict[str, bytes]:
    """The database and any -wal/-shm/-journal beside it, byte for byte."""
    return {p.name: p.read_bytes() for p in sorted(db.parent.glob(db.name + "*"))}


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_every_fixture_folder_has_a_case():
    named = {c.name for c in CASES if not c.make} | {"unknown-front-matter-key", "multiple-problems"}
    assert named == {p.name for p in (FIXTURES / "bad-notes").iterdir()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_bad_note_is_named_by_file_and_line_and_the_database_is_kept(case, notes_dir, tmp_path):
    db = tmp_path / "insights.db"
    build(notes_dir, db)
    before = database_files(db)
    lay_out(case, notes_dir, tmp_path)
    expected = f"{case.file}:{line_number(case, notes_dir)}: error: "

    for command in ("check", "build"):
        result = run(command, "--notes", str(notes_dir), "--db", str(db)) if command == "build" \
            else run(command, "--notes", str(notes_dir))
        assert result.exit_code == 1, result.output
        reported = [line for line in result.stderr.splitlines() if line.startswith(expected)]
        assert any(case.words in line for line in reported), (command, expected, case.words, result.stderr)
    assert database_files(db) == before


def test_an_unknown_front_matter_key_is_a_warning_with_a_suggestion(notes_dir, tmp_path):
    db = tmp_path / "insights.db"
    shutil.copytree(FIXTURES / "bad-notes" / "unknown-front-matter-key", notes_dir, dirs_exist_ok=True)
    result = run("build", "--notes", str(notes_dir), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "study.md:6: warning: unknown front-matter field 'organisation' is ignored (did you mean 'organization'?)"]
    assert "16 finding(s)" in result.stdout


def test_check_reports_every_problem_of_a_file_even_past_a_yaml_error(notes_dir):
    shutil.copytree(FIXTURES / "bad-notes" / "multiple-problems", notes_dir, dirs_exist_ok=True)
    result = run("check", "--notes", str(notes_dir))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "bad.md:3: error: the front matter is not valid YAML: did not find expected ',' or ']' on line 4, while parsing "
        "a flow sequence that starts here (check indentation and quote values that contain ': ' or start with special characters)",
        "bad.md:17: error: unknown kind 'observaton' (did you mean 'observation'? tags come from notes/themes.yml)",
        "2 error(s) in " + str(notes_dir) + "/",
    ]


@pytest.mark.parametrize("case", ["bom", "crlf", "tabs"])
def test_bom_crlf_and_tabs_are_accepted(case, notes_dir, tmp_path):
    shutil.copytree(FIXTURES / "good-notes" / case, notes_dir, dirs_exist_ok=True)
    result = run("build", "--notes", str(notes_dir), "--db", str(tmp_path / "insights.db"))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "2 source(s), 16 finding(s)" in result.stdout


def test_hidden_files_and_source_documents_are_not_notes(notes_dir, tmp_path):
    (notes_dir / ".DS_Store").write_bytes(b"\0\1binary")
    (notes_dir / ".study.md.swp").write_bytes(b"\0swap")
    (notes_dir / "sources" / "minutes.pdf").write_bytes(b"%PDF-1.4")
    result = run("check", "--notes", str(notes_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ok: 1 note(s), 15 finding(s), 0 warning(s)"


def test_a_symlink_inside_notes_is_read_like_the_file(notes_dir, tmp_path):
    shutil.copy(TEMPLATE, notes_dir / "sources" / "study.md")
    (notes_dir / "study.md").symlink_to(notes_dir / "sources" / "study.md")
    result = run("check", "--notes", str(notes_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ok: 2 note(s), 16 finding(s), 0 warning(s)"
