"""Where the database is and who is acting: resolved by a function, never at import."""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass
from pathlib import Path

from rollout.errors import DatabaseError


def user_data_dir() -> Path:
    """`GOLIVE_HOME` when set (tests, containers), else the platform's user data dir."""
    override = os.environ.get("GOLIVE_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("golive", appauthor=False)


@dataclass(frozen=True)
class Settings:
    database_url: str
    source: str  # "--db", "GOLIVE_DB" or "default": shown by `golive info`

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        path = self.database_url.split(":///", 1)[1]
        return Path(path) if path and path != ":memory:" else None


def database_url(value: str) -> str:
    """Accept what users write: a plain path, sqlite:///…, postgres:// or postgresql://…

    PostgreSQL URLs are pinned to psycopg 3, the driver we ship.
    """
    raw = value.strip()
    if not raw:
        raise DatabaseError("the database setting is empty")
    if re.match(r"^postgres(ql)?(\+psycopg)?://", raw):
        return re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql+psycopg://", raw)
    if raw.startswith("sqlite://"):
        return raw
    if raw == ":memory:":  # SQLite's in-memory database, not a file named ":memory:"
        return "sqlite:///:memory:"
    if re.match(r"^[a-z][a-z0-9+]*://", raw):
        raise DatabaseError(f"unsupported database URL {mask_url(raw)!r}: use a file path or postgresql://")
    return "sqlite:///" + str(Path(raw).expanduser().absolute())


def load_settings(db: str | None = None) -> Settings:
    if db:
        return Settings(database_url(db), "--db")
    env = os.environ.get("GOLIVE_DB")
    if env is not None and not env.strip():
        # set but empty is a mistake (an unset variable in a script), not a request for the default database
        from rollout.errors import UsageError

        raise UsageError("GOLIVE_DB is set but empty: unset it for the default database, or name a file or URL")
    if env:
        return Settings(database_url(env), "GOLIVE_DB")
    return Settings(database_url(str(user_data_dir() / "golive.sqlite")), "default")


def mask_url(url: str) -> str:
    """Hide a password in a URL so it never reaches a terminal, log or report."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


def display_url(url: str) -> str:
    """The URL as the user wrote it, masked, without our driver pin."""
    return mask_url(url.replace("postgresql+psycopg://", "postgresql://"))


def acting_person(explicit: str | None = None) -> str:
    """Who is changing data: `--as`, then `GOLIVE_USER`, then the OS login."""
    if explicit and explicit.strip():
        return _actor_name(explicit.strip(), "--as")
    env = os.environ.get("GOLIVE_USER", "").strip()
    if env:
        return _actor_name(env, "GOLIVE_USER")
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


MAX_ACTOR = 200  # the audit log's actor column


def _actor_name(name: str, source: str) -> str:
    if len(name) > MAX_ACTOR:
        from rollout.errors import GoliveError

        raise GoliveError(f"{source} is {len(name)} characters long; at most {MAX_ACTOR} are allowed")
    return name
