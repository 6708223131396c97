"""The context every command gets: settings, a lazily opened database, output helpers.

Built once in the root callback (like hatch's Application); nothing here
touches the database or imports SQLAlchemy until a command asks for it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import Console

    from rollout.database import Database
    from rollout.settings import Settings


@dataclass
class AppContext:
    db_option: str | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _db: Database | None = field(default=None, repr=False)

    @classmethod
    def start(cls, *, db_option: str | None) -> AppContext:
        """Read the settings every command depends on once, so a bad one fails every command."""
        from rollout.clock import env_now
        from rollout.errors import UsageError

        if db_option is not None and not db_option.strip():
            raise UsageError("--db is empty: give a SQLite file path or a postgresql:// URL, or leave --db out")
        env_now()  # a bad GOLIVE_NOW is an error even for commands that never read the clock
        app = cls(db_option=db_option)
        _ = app.settings
        return app

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from rollout.settings import load_settings

            self._settings = load_settings(self.db_option)
        return self._settings

    @property
    def db(self) -> Database:
        if self._db is None:
            from rollout.database import Database

            self._db = Database(self.settings)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def app_context(ctx: typer.Context) -> AppContext:
    root = ctx.find_root()
    if not isinstance(root.obj, AppContext):
        root.obj = AppContext()
    return root.obj


def console() -> Console:
    """Rich output for people; imported only when a table is actually drawn (wide in a pipe)."""
    from rollout.cli.output import console as _console

    return _console()


def emit_json(data: Any) -> None:
    """Data for scripts on stdout; datetimes must already be ISO strings."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def say(message: str) -> None:
    """Messages for people go to stderr, keeping stdout clean for data."""
    sys.stderr.write(message + "\n")


def parse_at(value: str | None, tz: str = "Europe/Oslo") -> datetime:
    """`--at` in a plan's zone (or with an offset); default is the program's clock.

    Written as ISO 8601 or the Norwegian way (`06.05.2022 14:00`, `6.5.2022 kl. 14:00`);
    a bare date is local midnight.
    """
    from rollout.clock import now

    if value is None:
        return now()
    return parse_option_time(value, tz, option="--at")


def parse_option_time(value: str, tz: str = "Europe/Oslo", *, option: str) -> datetime:
    """A time typed on the command line; a bad one is a usage error (exit 2), like any bad option value."""
    from rollout.clock import TimeError, parse_local
    from rollout.errors import UsageError

    try:
        return parse_local(value, tz, what=option)
    except TimeError as exc:
        raise UsageError(str(exc)) from None


def parse_count(text: str) -> int:
    """`--limit N`: a whole number, 0 or more (0 means all)."""
    try:
        value = int(str(text).strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a whole number") from None
    if value < 0:
        raise typer.BadParameter(f"must be 0 (all) or more, not {value}")
    return value


# Shared option declarations, so every command spells them the same way.
JSON_OPTION = typer.Option(False, "--json", help="Print JSON for scripts instead of a table.")
AT_OPTION = typer.Option(None, "--at", metavar="TIME", help="Evaluate as of this time (plan's zone, or with an offset); default now.")
AS_OPTION = typer.Option(None, "--as", metavar="NAME", help="Who is acting (audited); default GOLIVE_USER, then your login.")
