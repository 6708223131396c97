"""One database layer for SQLite and PostgreSQL: engines, sessions, schema state.

SQLite gets WAL (readers never block the writer), foreign keys, a busy
timeout and `BEGIN IMMEDIATE` for writing sessions, so two agents writing at
once queue instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rollout import interrupts
from rollout.errors import DatabaseError, GoliveError, ImmutableError
from rollout.immutable import refused_table
from rollout.settings import Settings, display_url

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 10_000
MIGRATIONS_PACKAGE = "rollout:migrations"


def schema_head() -> str:
    """The revisions a database at head stores, as one text ("0006", or "0007, s0002" with support's branch).

    Read from the declarations, not from Alembic, so start-up stays cheap; a
    test keeps the declared heads equal to Alembic's.
    """
    from rollout.registry import stored_heads

    return revision_text(stored_heads())


def revision_text(revisions: set[str] | list[str]) -> str:
    return ", ".join(sorted(revisions))


SQLITE_MMAP_BYTES = 2**31 - 2**16  # SQLite's default ceiling (SQLITE_MAX_MMAP_SIZE); address space, not memory


def create_engine_for(settings: Settings) -> Engine:
    from sqlalchemy import create_engine, event

    if settings.is_sqlite:
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
            # Read pages through a memory map instead of copying each one into the small page cache: the
            # reports' scans over a million tickets read a few hundred MB of index pages (about 40 % faster).
            cur.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
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
    hint = _sqlite_hint(settings, first)
    return DatabaseError(f"cannot open database {display_url(settings.database_url)}: {first}{hint}")


def _rollback_quietly(session: Any) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    try:
        session.rollback()
    except SQLAlchemyError:
        session.invalidate()  # the connection is dropped, never returned to the pool half-open


def _close_quietly(session: Any) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    try:
        session.close()
    except SQLAlchemyError:
        session.invalidate()


def can_write(folder: Path) -> bool:
    """Whether a file can be made in `folder`: tried, not guessed (os.access says yes to root on a read-only mount)."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def _sqlite_hint(settings: Settings, reason: str) -> str:
    """Why SQLite could not open or write a file: its words alone do not say."""
    path = settings.sqlite_path
    if path is None or not ("unable to open" in reason or "readonly" in reason):
        return ""
    if not can_write(path.parent):
        return f" (the folder {path.parent} is not writable; SQLite keeps its -wal and -shm files beside the database)"
    if path.exists() and not os.access(path, os.W_OK):
        return f" (the file {path} is read-only)"
    return ""


def refusal(settings: Settings, exc: BaseException) -> GoliveError | None:
    """A database error as one line, or None for one we have no words for (a bug).

    An append-only table said no, a constraint two writers raced on, or the
    database could not be reached.
    """
    table = refused_table(exc)
    if table is not None:
        return ImmutableError.for_table(table)
    from sqlalchemy.exc import IntegrityError, OperationalError

    if isinstance(exc, IntegrityError):
        # Two people changing the same thing at once on a shared database.
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else "constraint violated"
        return GoliveError(f"the database refused the change ({first}); nothing was written, try again")
    if isinstance(exc, OperationalError):
        return connection_error(settings, exc)
    return None


class Database:
    """A lazily created engine and session factory, owned by the CLI context.

    Reading never creates a database: a SQLite file that does not exist is
    an error, except the default file in the user data directory. Writing
    sessions and `upgrade()` create a new file at head.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None
        self._checked = False
        self._new: list[Path] = []  # the file and folders this object created, until a write commits

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine_for(self.settings)
        return self._engine

    def missing(self) -> bool:
        """True for a SQLite file that is not there yet (a server database is the server's business)."""
        path = self.settings.sqlite_path
        return path is not None and not path.exists()

    def _may_create(self, create: bool) -> bool:
        return create or self.settings.source == "default"

    def _require_file(self, *, create: bool) -> None:
        """Refuse to read a database that is not there; prepare its folder when creating it."""
        path = self.settings.sqlite_path
        if path is None:
            return
        if path.is_dir():
            raise DatabaseError(f"{path} is a directory, not a database file")
        if path.exists():
            if path.stat().st_size == 0 and not self._may_create(create):
                # Opening it would already write SQLite's header: refuse before connecting.
                raise DatabaseError(f"{path} is empty, not a golive database (run golive apply FILE or golive demo to fill it)")
            return
        if not self._may_create(create):
            raise DatabaseError(f"no database at {path} (run golive apply FILE or golive demo to create one)")
        if not self._new:  # upgrade() asks again once the folder exists
            self._new = [path, *[p for p in path.parents if not p.exists()]]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create {path.parent}: {exc.strerror}") from None
        if not can_write(path.parent):
            raise DatabaseError(f"cannot create database {path}: the folder {path.parent} is not writable")

    def revision(self) -> str | None:
        """The revision stamped in the database, or None for an empty database."""
        from sqlalchemy import inspect, text
        from sqlalchemy.exc import SQLAlchemyError

        if self.missing():
            return None  # connecting would create the file
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

        if self.missing():
            return True
        try:
            with self.engine.connect() as conn:
                return not inspect(conn).get_table_names()
        except SQLAlchemyError as exc:
            raise connection_error(self.settings, exc) from None

    def ensure_ready(self, *, create: bool = False) -> None:
        """Refuse to work on a schema that is not ours; with `create`, a new SQLite file is made at head."""
        if self._checked:
            return
        self._require_file(create=create)
        current = self.revision()
        head = schema_head()
        if current is None and self.settings.is_sqlite and self.is_empty():
            # A new (or empty) SQLite file is created at head; shared databases never move implicitly.
            if not self._may_create(create):
                raise DatabaseError(
                    f"{self.settings.sqlite_path or 'the database'} is empty, not a golive database "
                    "(run golive apply FILE or golive demo to fill it)"
                )
            self.upgrade(final=False)
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

    def upgrade(self, target: str = "heads", *, final: bool = True) -> tuple[str | None, str]:
        """Run Alembic migrations to target (creating a new SQLite file); returns (before, after).

        `final`: the upgrade is what the command does, so once it commits Ctrl-C
        waits for the command to finish; otherwise the command's own write follows.
        """
        from alembic import command
        from sqlalchemy.exc import SQLAlchemyError

        self._require_file(create=True)
        before = self.revision()
        try:
            with self.engine.begin() as conn:
                command.upgrade(alembic_config(conn), target)
                interrupts.hold()
        except SQLAlchemyError as exc:
            raise connection_error(self.settings, exc) from None
        if not final:
            interrupts.release_unless_received()
        self._checked = False
        return before, self.revision() or ""

    @contextmanager
    def session(self, *, write: bool = False, dry_run: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        `write` takes SQLite's write lock up front and may create a new file.
        `dry_run` runs the same statements and rolls back; on a database
        that does not exist yet it works on a scratch copy in memory, so a
        dry run never creates a file. Once a writing session starts to
        commit, Ctrl-C no longer interrupts the command (see rollout.interrupts).
        """
        if dry_run and self.missing():
            scratch = Database(Settings("sqlite:///:memory:", "dry run"))
            try:
                yield from scratch._transaction(write=write, dry_run=True, create=True)
            finally:
                scratch.dispose()
            return
        yield from self._transaction(write=write, dry_run=dry_run, create=write and not dry_run)

    def _transaction(self, *, write: bool, dry_run: bool, create: bool) -> Iterator[Session]:
        from sqlalchemy.exc import DBAPIError
        from sqlmodel import Session

        self.ensure_ready(create=create)
        bind = self.engine.execution_options(golive_begin="IMMEDIATE") if write else self.engine
        session = Session(bind=bind, expire_on_commit=False)
        committed = False
        try:
            yield session
            if dry_run:
                session.rollback()
            else:
                if write:
                    interrupts.hold()
                session.commit()
                committed = True
                self._new = []
        except DBAPIError as exc:
            _rollback_quietly(session)
            mapped = refusal(self.settings, exc)
            if mapped is None:
                raise
            raise mapped from None
        except BaseException:
            # A Ctrl-C inside the driver can leave the connection unusable; the rollback must not replace
            # the interrupt (or the error) with its own complaint: nothing was committed either way.
            _rollback_quietly(session)
            raise
        finally:
            _close_quietly(session)
            if not committed:
                self._discard_new_file()

    def _discard_new_file(self) -> None:
        """A write that fails on a file it just created leaves nothing behind: a typo in --db creates nothing.

        Every mutation writes an audit row, so an empty audit log means no
        other process has written to the new file meanwhile either.
        """
        path = self.settings.sqlite_path
        if not self._new or path is None:
            return
        try:
            with self.engine.connect() as conn:
                if conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar():
                    return
        except Exception:  # not even a schema: still ours to remove
            pass
        self.dispose()
        for suffix in ("-wal", "-shm", ""):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        for folder in self._new[1:]:
            try:
                folder.rmdir()
            except OSError:
                break
        self._new = []
        self._checked = False

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


def table_counts(session: Session) -> dict[str, int]:
    """Rows in every table we own, so a script can see that a re-run wrote nothing."""
    from sqlalchemy import func, select

    from rollout.registry import register_tables

    return {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in register_tables().sorted_tables
    }
