"""The writing room's steps: a note file in the browser and back, as a person could have typed it.

The note file (``notes/**/*.md``) stays the single source of truth and ``ingest check`` its only
judge; nothing here is a second store. ``plugins/writing_room.py`` (thin: routes, permission,
templates) calls these modules, each of which does one step and imports only downwards:

- ``editors``: who may write (``python -m ingest editor add|remove|list``), password hashes in
  Datasette's ``pbkdf2_sha256`` format in a git-ignored file, and the persistent secret.
- ``upload``: an uploaded report judged by its content (never by its name), saved under a safe
  name, then drafted with ``ingest.draft.draft.draft_report`` (blocking: run it in a thread).
- ``note_form``: a note's text ⇄ ``NoteForm`` (front matter fields and finding cards), the
  round trip that keeps comments, key order and layout and rewrites only the finding blocks that
  changed; a form saved without a change gives the same bytes.
- ``form_fields``: the HTTP form (``title_ko``, ``f-<n>-quote`` …, see docs/writing.md) ⇄ ``NoteForm``.
- ``problems``: the text about to be saved, judged as ``ingest check`` judges it, each problem
  placed beside its field and said in a researcher's words.
- ``save``: the digest the form was opened on (409 when the note changed since), the atomic
  write, the incremental build (one at a time), and ``history``: a commit in the notes' git
  repository (the editor as author), or the previous version kept beside the note where there is
  none; who changed a note last and when.

The draft tool's side of the contract (``ingest.draft``): ``draft_report(report, notes_dir,
out_dir=None, force=False, limits=DEFAULT_LIMITS, *, name=None, source_type=None) -> Draft``
writes ``notes/drafts/<id>.md`` (status: draft, TODOs to fill) and the report's text and original
under ``notes/sources/``; ``name`` is what messages call the report (an upload's own name);
``source_type`` overrides the kind the tool recognises. Each suggested tag list is written as
``- themes: a, b  # a: words that matched; b: …`` (the reasons after ``#``), or
``- themes: TODO  # why nothing is suggested``: the review page shows those reasons beside the
tags, read from the note file itself.
"""
