"""One scheduler per database: two schedulers on one job store would run every job twice.

PostgreSQL: a session-level advisory lock held on a dedicated connection for
the scheduler's lifetime (the server drops it when the process dies, even
after kill -9). SQLite: an exclusive fcntl lock on `<database>.scheduler.lock`
beside the database file (the kernel drops it with the process).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from rollout.errors import GoliveError

if TYPE_CHECKING:
    from rollout.settings import Settings

# pg_try_advisory_lock(bigint): "golive" + "sched" as one number, so other applications' locks never collide.
ADVISORY_KEY = 0x676F6C697665_01


class SchedulerRunning(GoliveError):
    """Another scheduler holds the lock on this database."""


class SchedulerLock:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._file: Any = None
        self._conn: Any = None
        self._engine: Any = None

    def acquire(self) -> SchedulerLock:
        if self.settings.is_sqlite:
            self._lock_file()
        else:
            self._lock_server()
        return self

    def _lock_file(self) -> None:
        import fcntl

        path = self.settings.sqlite_path
        if path is None:  # an in-memory database is one process's by definition
            return
        lock_path = f"{path}.scheduler.lock"
        handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the scheduler's lifetime
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise SchedulerRunning(
                f"a scheduler is already running on {path}{f' (pid {holder})' if holder else ''}; "
                f"only one may run per database (lock file {lock_path})"
            ) from None
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def _lock_server(self) -> None:
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        from rollout.database import connection_error, create_engine_for
        from rollout.settings import display_url

        self._engine = create_engine_for(self.settings)
        try:
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}).scalar()
        except SQLAlchemyError as exc:
            self._engine.dispose()
            raise connection_error(self.settings, exc) from None
        if not got:
            holder = conn.execute(text(
                "SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted "
                "AND ((l.classid::bigint << 32) | l.objid::bigint) = :key"), {"key": ADVISORY_KEY}).scalar()
            conn.close()
            self._engine.dispose()
            raise SchedulerRunning(
                f"a scheduler is already running on {display_url(self.settings.database_url)}"
                f"{f' (server backend pid {holder})' if holder else ''}; only one may run per database"
            )
        self._conn = conn

    def release(self) -> None:
        if self._file is not None:
            import fcntl

            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        if self._conn is not None:
            from sqlalchemy import text

            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            finally:
                self._conn.close()
                self._engine.dispose()
                self._conn = self._engine = None

    def __enter__(self) -> SchedulerLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
