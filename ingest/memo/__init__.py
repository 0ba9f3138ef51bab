"""Downstream of insights.db: a selection of findings read back (records), cited (citation),
unwrapped (text) and written as exports and memo drafts (export, memo)."""
