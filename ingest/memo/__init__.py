"""Downstream of insights.db: a selection of findings read back (records), its sources' references
(references: one CSL-JSON item each, formatted through csl/; reference_files: RIS, BibTeX,
CSL-JSON), cited (citation), unwrapped (text) and written as exports and memo drafts (export, memo)."""
