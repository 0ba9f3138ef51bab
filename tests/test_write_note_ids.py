"""Which other note already uses a note id (ingest/write/note_ids.py): the one check across notes
the writing room makes for a save, without parsing the other notes."""

from __future__ import annotations

import os

from ingest.write.note_ids import id_in_head, other_note_with_id

from .conftest import WILTON


def test_the_id_line_is_read_as_yaml_writes_it():
    """Breaks if a quoted id, a comment, CRLF or a BOM hides the id, or an id outside the front matter counts."""
    assert id_in_head(b"---\nid: a-b  # stable\ntitle: x\n---\n") == "a-b"
    assert id_in_head(b"\xef\xbb\xbf---\r\nid: 'a-b'\r\n---\r\n") == "a-b"
    assert id_in_head('---\nid: "한글-id"\n---\n'.encode()) == "한글-id"
    assert id_in_head(b"---\ntitle: x\n---\nid: not-front-matter\n") is None
    assert id_in_head(b"no front matter\nid: x\n") is None


def test_another_note_with_the_id_is_found_in_any_folder_but_sources(notes_dir):
    """Breaks if a note in a sub-folder is missed, or the note itself, a source or a hidden file counts."""
    text = (notes_dir / f"{WILTON}.md").read_text(encoding="utf-8")
    assert other_note_with_id(notes_dir, f"{WILTON}.md", WILTON) is None
    (notes_dir / "sources" / "copy.md").write_text(text, encoding="utf-8")
    (notes_dir / ".hidden.md").write_text(text, encoding="utf-8")
    assert other_note_with_id(notes_dir, f"{WILTON}.md", WILTON) is None
    (notes_dir / "drafts").mkdir()
    (notes_dir / "drafts" / "copy.md").write_text(text, encoding="utf-8")
    assert other_note_with_id(notes_dir, f"{WILTON}.md", WILTON) == "drafts/copy.md"
    assert other_note_with_id(notes_dir, "drafts/copy.md", WILTON) == f"{WILTON}.md"


def test_an_id_changed_in_place_is_seen_at_the_next_save(notes_dir):
    """Breaks if the remembered id of a note is used after the file changed (its size or time)."""
    other = notes_dir / "other.md"
    other.write_text("---\nid: first-id\n---\n", encoding="utf-8")
    assert other_note_with_id(notes_dir, "mine.md", "second-id") is None
    other.write_text("---\nid: second-id\n---\n", encoding="utf-8")
    stat = other.stat()
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert other_note_with_id(notes_dir, "mine.md", "second-id") == "other.md"


def test_warm_reads_every_id_once(notes_dir, monkeypatch):
    """Breaks if warm() does not leave every note's id remembered (the first save would read them all)."""
    from ingest.write import note_ids

    (notes_dir / "other.md").write_text("---\nid: other-id\n---\n", encoding="utf-8")
    note_ids.warm(notes_dir)
    opened = []
    monkeypatch.setattr(note_ids, "id_in_head", lambda head: opened.append(head))
    assert note_ids.other_note_with_id(notes_dir, "mine.md", "other-id") == "other.md"
    assert opened == []
