"""The shapes in which a package declares what it adds to golive (CLI groups, criteria, tables, migrations, demo steps, jobs).

Standard library only: the root reads every declaration at start-up, so
`golive --help` must not pay for SQLAlchemy. Everything a declaration names
is a textual path ("package.module:attribute"), imported only when used, so
`rollout` composes `support` and `reports` without importing them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def load_path(path: str) -> Any:
    """Import "package.module:attribute" (Django's import_string, with a colon)."""
    module_name, _, attr = path.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attr) if attr else module


@dataclass(frozen=True)
class CliGroup:
    """A sub-command group: where its typer.Typer lives and its one-line help for `golive --help`."""

    name: str
    app: str  # "rollout.cli.gates:gate_app"
    help: str


@dataclass(frozen=True)
class MigrationSet:
    """A named Alembic branch in the one database: the package owns its schema.

    `head` is the path of a constant holding the branch's newest revision, so
    start-up can check the schema without loading Alembic (a test keeps it true).
    """

    branch: str
    versions: str  # "rollout:migrations/versions": package and folder inside it
    head: str  # "rollout.migrations:HEAD"
    # Revisions of other branches this branch's revisions name in `depends_on` (a test keeps it true):
    # while such a revision is its branch's head, Alembic stores only the dependent head.
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class JobParam:
    """One `--param key=value` a job kind takes, checked at `scheduler add` (never discovered at 07:00).

    `type` is a simple type the scheduler knows: text, int (whole number ≥ 0), duration (2h, 30m: stored as
    minutes), list (comma-separated words), plan (an existing plan key) or path (a folder or file name).
    `validate` may name a function (`"package.module:check"`, value -> normalised value, raising ValueError)
    for anything stricter. Values are stored as text and parsed again when the job runs.
    """

    name: str
    help: str
    required: bool = False
    type: str = "text"
    default: str | None = None
    validate: str | None = None


@dataclass(frozen=True)
class JobKind:
    """A kind of scheduled job: `run(ctx: JobContext) -> JobOutcome` (rollout.scheduler.contract), found by path."""

    name: str
    run: str  # "support.jobs:sla_sweep_job"
    help: str
    params: tuple[JobParam, ...] = ()


@dataclass(frozen=True)
class FileSection:
    """A top-level section of the rollout file that a package owns (`support:`).

    `read(reader: LineReader, node, line) -> spec` validates it with file:line errors;
    `apply(session, spec, *, actor) -> list[rollout.apply.Change]` brings the database in line,
    writing only what changed (and auditing it), so a re-run changes nothing.
    """

    key: str
    read: str  # "support.config:read_section"
    apply: str  # "support.config:apply_section"


@dataclass(frozen=True)
class Package:
    """One package's declaration: everything it contributes, by textual path."""

    name: str
    cli_groups: tuple[CliGroup, ...] = ()
    criteria: tuple[str, ...] = ()  # paths of Criterion objects
    tables: tuple[str, ...] = ()  # modules whose import registers SQLModel tables
    migrations: MigrationSet | None = None
    demo_steps: tuple[str, ...] = ()  # paths of DemoStep objects, run in package order
    job_kinds: tuple[JobKind, ...] = ()
    file_sections: tuple[FileSection, ...] = ()


class CriterionValueError(ValueError):
    """A threshold a criterion refuses; the rollout file adds the file and line."""


@dataclass(frozen=True)
class Criterion:
    """A go/no-go criterion, registered once by the package that measures it.

    - `validate(value)` returns the normalised threshold or raises CriterionValueError;
    - `describe(value)` says how it reads to a person ("training ≥ 90 %");
    - `measure` is the path of `def measure(session, ctx: GateContext, threshold) -> Measurement`,
      or None while nothing measures it yet (then it is "not measured yet" and never passes).
    """

    name: str
    help: str
    validate: Callable[[Any], Any]
    describe: Callable[[Any], str]
    measure: str | None


@dataclass
class DemoSection:
    """What a demo step has to tell, as plain lines: the CLI renders them."""

    title: str | None
    lines: list[str] = field(default_factory=list)
    next_commands: list[str] = field(default_factory=list)


# A formatter for instants in people's time, chosen by the CLI: (instant, zone name) -> text.
TimeText = Callable[[datetime | None, str], str]


@dataclass(frozen=True)
class DemoStep:
    """One package's part of `golive demo`.

    `build(session, *, actor) -> dict[str, int]` writes its data (counts for the summary);
    `summarise(session, *, when, built) -> DemoSection` reads it back once every step is built.
    """

    name: str
    build: Callable[..., dict[str, int]]
    summarise: Callable[..., DemoSection]


# -- shared threshold checks for criteria ------------------------------------


def number(value: Any, what: str, *, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CriterionValueError(f"{what} must be a number, not {value!r}")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise CriterionValueError(f"{what} must be {bound}, not {value}")
    return value


def whole_number(value: Any, what: str, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise CriterionValueError(f"{what} must be a whole number ≥ {low}, not {value!r}")
    return value


def flag(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise CriterionValueError(f"{what} must be true or false, not {value!r}")
    return value
