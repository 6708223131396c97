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


class UsageError(GoliveError):
    """A command line that cannot be run as written: exit code 2, like click's usage errors."""

    exit_code = 2


class ImmutableError(GoliveError):
    """The database refused to change or delete evidence (gate decisions, audit rows)."""

    WHAT = {
        "gate_decision": ("gate decisions", "record a new decision instead"),
        "audit_log": ("audit rows", "the audit log only grows"),
    }

    @classmethod
    def for_table(cls, table: str) -> ImmutableError:
        what, advice = cls.WHAT.get(table, (f"{table} rows", "add a new row instead"))
        return cls(f"{what} are immutable: the database refuses to change or delete them; {advice}")


class NoGo(GoliveError):
    """A gate evaluated NO-GO: scripts branch on exit code 3."""

    exit_code = 3
