"""What the draft tool refuses, said so that a researcher knows what to do."""

from __future__ import annotations


class DraftError(Exception):
    """A report that cannot be drafted: ``message`` names the file, ``hint`` what to do."""

    def __init__(self, message: str, hint: str = ""):
        self.message, self.hint = message, hint
        super().__init__(f"{message} ({hint})" if hint else message)


class ReportError(DraftError):
    """A report that cannot be read: damaged, protected, of an unknown kind, or over a limit
    (``limit`` then names it, as in ``ingest.draft.limits``)."""

    def __init__(self, message: str, hint: str = "", limit: str | None = None):
        super().__init__(message, hint)
        self.limit = limit
