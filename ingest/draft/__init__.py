"""From a raw trip report (해외출장 복명서) to a draft note: ``python -m ingest draft REPORT``.

Two steps. Reading: ``reading.read_report`` turns a file into its text within the limits of
``limits`` (judged first by ``packages`` and ``pdf_budget``, then parsed by ``formats``' readers
``text``, ``office`` and ``pdf`` in the child process ``reader``). Drafting: ``structure`` finds
the text's parts, ``overview`` reads the front matter from them, ``suggest`` proposes tags from
the vocabulary, ``candidates`` turns bullets into candidate findings, ``render`` writes the note
and ``draft`` puts it all on disk.
"""
