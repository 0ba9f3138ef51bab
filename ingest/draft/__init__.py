"""From a raw trip report (해외출장 복명서) to a draft note: ``python -m ingest draft REPORT``.

One module per step: ``formats`` reads a file of any supported format as the report's text
(``text``, ``office``, ``pdf``), ``structure`` finds its parts, ``overview`` reads the front
matter from them, ``suggest`` proposes tags from the vocabulary, ``candidates`` turns bullets
into candidate findings, ``render`` writes the note and ``draft`` puts it all on disk.
"""
