"""One database layer for SQLite and PostgreSQL: engines, sessions, schema state.

SQLite gets WAL (readers never block the writer), foreign keys, a busy
timeout and `BEGIN IMMEDIATE` for writing sessions, so two agents writing at
once queue instead of failing half-way with "database is locked".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rollout.errors import DatabaseError, GoliveError
from rollout.settings import Settings, display_url

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 10_000
MIGRATIONS_PACKAGE = "rollout:migrations"


def schema_head() -> str:
    """The newest revision of every package's migration branch, as one text ("0006" or "0006, s0002").

    Read from the declarations, not from Alembic, so start-up stays cheap; a
    test keeps the declared heads equal to Alembic's.
    """
    from rollout.registry import schema_heads

    return revision_text(schema_heads())


def revision_text(revisions: set[str] | list[str]) -> str:
    return ", ".join(sorted(revisions))


def create_engine_for(settings: Settings) -> Engine:
    from sqlalchemy import create_engine, event

    if settings.is_sqlite:
        path = settings.sqlite_path
        if path is not None:
            if path.is_dir():
                raise DatabaseError(f"{path} is a directory, not a database file")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"cannot create {path.parent}: {exc.strerror}") from None
        engine = create_engine(
            settings.database_url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is DEFERRED).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            mode = conn.get_execution_options().get("golive_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return create_engine(settings.database_url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def connection_error(settings: Settings, exc: BaseException) -> DatabaseError:
    """One line a person can act on, instead of a driver traceback."""
    reason = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
    first = reason[0] if reason else type(exc).__name__
    # psycopg prefixes with 'connection failed: connection to server at … failed: '
    first = first.split("failed: ")[-1] if "failed: " in first else first
    return DatabaseError(f"cannot open database {display_url(settings.database_url)}: {first}")


class Database:
    """A lazily created engine and session factory, owned by the CLI context."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None
        self._checked = False

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine_for(self.settings)
        return self._engine

    def revision(self) -> str | None:
        """The revision stamped in the database, or None for an empty database."""
        from sqlalchemy import inspect, text
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                # one row per migration branch (the spine's, support's, …)
                rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
                return revision_text(rows) if rows else None
        except SQLAlchemyError as exc:
            raise connection_error(self.settings, exc) from None

    def is_empty(self) -> bool:
        from sqlalchemy import inspect
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.connect() as conn:
                return not inspect(conn).get_table_names()
        except SQLAlchemyError as exc:
            raise connection_error(self.settings, exc) from None

    def ensure_ready(self) -> None:
        """Refuse to work on a schema that is not ours; create a new SQLite file at head."""
        if self._checked:
            return
        current = self.revision()
        head = schema_head()
        if current is None and self.settings.is_sqlite and self.is_empty():
            # A new (or empty) SQLite file is created at head; shared databases never move implicitly.
            self.upgrade()
            current = head
        if current != head:
            where = display_url(self.settings.database_url)
            if current is None:
                raise DatabaseError(f"database {where} has no golive schema; run: golive db upgrade")
            raise DatabaseError(
                f"database {where} is at schema revision {current}, this golive needs {head}; "
                "run: golive db upgrade"
            )
        self._checked = True

    def upgrade(self, target: str = "heads") -> tuple[str | None, str]:
        """Run Alembic migrations to target; returns (before, after)."""
        from alembic import command
        from sqlalchemy.exc import SQLAlchemyError

        before = self.revision()
        try:
            with self.engine.begin() as conn:
                command.upgrade(alembic_config(conn), target)
        except SQLAlchemyError as exc:
            raise connection_error(self.settings, exc) from None
        self._checked = False
        return before, self.revision() or ""

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        from sqlalchemy.exc import IntegrityError, OperationalError
        from sqlmodel import Session

        self.ensure_ready()
        bind = self.engine.execution_options(golive_begin="IMMEDIATE") if write else self.engine
        session = Session(bind=bind, expire_on_commit=False)
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            raise connection_error(self.settings, exc) from None
        except IntegrityError as exc:
            # Two people changing the same thing at once on a shared database.
            session.rollback()
            first = str(exc.orig).strip().splitlines()[0] if exc.orig else "constraint violated"
            raise GoliveError(f"the database refused the change ({first}); nothing was written, try again") from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS_PACKAGE)
    # Every package's branch in the one database (rollout, then support, …).
    from rollout.registry import version_locations

    cfg.set_main_option("path_separator", "newline")
    cfg.set_main_option("version_locations", "\n".join(version_locations()))
    cfg.attributes["connection"] = connection
    return cfg


def backup_sqlite(settings: Settings, destination: Path) -> Path:
    """A consistent copy of a live SQLite database, never overwriting a file.

    The copy is made with SQLite's online backup API into a temp file beside
    the target, then hard-linked into place: `link` fails if the name exists,
    so a file that appeared meanwhile is not clobbered either.
    """
    import os
    import sqlite3
    import tempfile

    source = settings.sqlite_path
    if source is None:
        raise DatabaseError("db backup works on SQLite files; for PostgreSQL use pg_dump")
    if not source.exists():
        raise DatabaseError(f"{source}: no such database file")
    destination = destination.expanduser().absolute()
    if destination.exists():
        raise DatabaseError(f"{destination}: already exists; choose a new file name")
    if not destination.parent.is_dir():
        raise DatabaseError(f"{destination.parent}: no such directory")
    fd, tmp_name = tempfile.mkstemp(prefix=".golive-backup-", suffix=".tmp", dir=destination.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            dst.close()
            src.close()
        try:
            os.link(tmp, destination)
        except FileExistsError:
            raise DatabaseError(f"{destination}: already exists; choose a new file name") from None
    except sqlite3.Error as exc:
        raise DatabaseError(f"backup of {source} failed: {exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return destination


def table_counts(session: Session) -> dict[str, int]:
    """Rows in every table we own, so a script can see that a re-run wrote nothing."""
    from sqlalchemy import func, select

    from rollout.registry import register_tables

    return {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in register_tables().sorted_tables
    }
