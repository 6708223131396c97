"""`golive db backup`: a consistent copy of a live SQLite database, written beside the target and linked into place."""

from __future__ import annotations

from pathlib import Path

from rollout.database import SQLITE_BUSY_TIMEOUT_MS
from rollout.errors import DatabaseError
from rollout.settings import Settings


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
