"""The writing room's steps: a note file in the browser and back, as a person could have typed it.

The note file (``notes/**/*.md``) stays the single source of truth and ``ingest check`` its only
judge; nothing here is a second store. Thin plugins call these modules (``plugins/editors.py``:
sign-in and the ``edit-notes`` permission; ``plugins/writing_room.py``: the routes, through
``ingest/serve/writing_*.py``); each module does one step and imports only downwards:

- Who writes: ``editors`` (the editors file with password hashes in Datasette's
  ``pbkdf2_sha256`` format, and the kept secret) and ``editor_commands`` (``ingest editor …``).
- A report in: ``upload_body`` (the HTTP body read within its limit, the CSRF token before the
  file), ``upload`` (its kind judged by its content, never by its name; a safe name; drafted with
  ``ingest.draft.draft.draft_report`` in a thread).
- A note ⇄ the form: ``note_form`` (``read_form``/``write_form``: front matter and finding cards,
  byte for byte where nothing changed), built on ``lines``, ``front_matter`` and
  ``finding_blocks``; ``form_fields`` (the HTTP form of docs/writing.md ⇄ ``NoteForm``);
  ``note_files`` (a note found by the id in its front matter).
- Judged before saving: ``problems`` (the same parser and Validator as ``check``, on the text in
  memory), ``field_map`` (which field a line sits on), ``wording`` (a researcher's words),
  ``note_ids`` (the one check across notes, without parsing them).
- Saved: ``save`` (the digest the form was opened on, 409 on a newer version; one writer at a time
  through ``lock``; ``atomic`` replace; the incremental build; ``journal`` finishes or undoes a
  save that was killed) and ``history`` (a git commit with the editor as author, or the previous
  version kept in ``notes/.history/``; who changed a note last and when).

The draft tool's side of the contract (``ingest.draft``): ``draft_report(report, notes_dir,
out_dir=None, force=False, limits=DEFAULT_LIMITS, *, name=None, source_type=None, curated=None)
-> Draft`` writes ``notes/drafts/<id>.md`` (status: draft, TODOs to fill) and the report's text and
original under ``notes/sources/``; ``name`` is what messages call the report (an upload's own
name); ``source_type`` overrides the kind the tool recognises (``Draft.kind``, ``kind_reason``);
``curated`` is the built database whose findings the suggestions learn from. Each suggested tag list
is written as ``- themes: a, b  # a: words that matched; b: …`` (the reasons after ``#``), or
``- themes: TODO  # why nothing is suggested``: the review page shows those reasons beside the
tags, read from the note file itself.
"""
