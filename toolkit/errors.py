"""User-facing errors: each prints as one line naming the file (and line or record id), never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


class ToolkitError(Exception):
    """An error the user can fix; the CLI prints str(err) and exits non-zero."""


@dataclass
class Problem:
    """One problem in one input: where it is and what is wrong."""

    file: str
    message: str
    line: int | None = None
    record_id: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        rid = f" {self.record_id}" if self.record_id else ""
        return f"{where}{rid}: {self.message}"


class InputError(ToolkitError):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
