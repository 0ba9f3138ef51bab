"""What the draft tool refuses, said so that a researcher knows what to do."""

from __future__ import annotations


class DraftError(Exception):
    """A report that cannot be drafted: ``message`` names the file, ``hint`` what to do."""

    def __init__(self, message: str, hint: str = ""):
        self.message, self.hint = message, hint
        super().__init__(f"{message} ({hint})" if hint else message)
