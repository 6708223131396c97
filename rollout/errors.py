"""One error hierarchy: every refusal the CLI maps to `Error: …` and an exit code."""

from __future__ import annotations


class GoliveError(Exception):
    """A refused operation or invalid data. Exit code 1 unless a subclass says otherwise."""

    exit_code = 1


class InputError(GoliveError):
    """Invalid data in a file the user gave us; the message names the file and line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.detail = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class NotFound(GoliveError):
    """A named organisation, unit, plan or gate that does not exist."""


class DatabaseError(GoliveError):
    """The database cannot be reached, or its schema is not the one this version needs."""


class NoGo(GoliveError):
    """A gate evaluated NO-GO: scripts branch on exit code 3."""

    exit_code = 3
