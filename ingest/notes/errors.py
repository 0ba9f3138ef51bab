"""Problems found in notes, reported as ``path:line: message (hint)``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = "error"  # "error" stops a build; "warning" does not

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class NoteError(Exception):
    """A note that cannot be read or parsed at all."""

    def __init__(self, path: str, line: int, message: str, hint: str = ""):
        self.problem = Problem(path, line, message, hint)
        super().__init__(str(self.problem))


class BuildRefused(Exception):
    """Validation found errors; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) in notes; the database was not changed")
