"""The database layer on both backends: UTC at the column boundary, SQLite settings, schema state, backups."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from rollout.database import Database, schema_head
from rollout.errors import DatabaseError
from rollout.migrations import HEAD as ROLLOUT_HEAD
from rollout.models import AuditEntry, Organisation, Plan
from rollout.settings import database_url, display_url, load_settings, mask_url
from tests.conftest import EXAMPLE, assert_error

OSLO = ZoneInfo("Europe/Oslo")


def open_db(url: str) -> Database:
    return Database(load_settings(url))


def test_aware_datetimes_round_trip_in_utc(db_url: str) -> None:
    db = open_db(db_url)
    autumn_first = datetime(2026, 10, 25, 2, 30, tzinfo=OSLO, fold=0)  # 00:30 UTC
    autumn_second = datetime(2026, 10, 25, 2, 30, tzinfo=OSLO, fold=1)  # 01:30 UTC
    with db.session(write=True) as s:
        org = Organisation(key="o", name="O", kind="municipality")
        s.add(org)
        s.flush()
        s.add(Plan(key="p1", organisation_id=org.id, name="P", cutover_start=autumn_first, go_live=autumn_second,
                   hypercare_until=datetime(2026, 11, 1).date()))
    with db.session() as s:
        plan = s.exec(select(Plan)).one()
    db.dispose()
    assert plan.cutover_start.tzinfo is not None and plan.cutover_start.utcoffset() == timedelta(0)
    assert plan.cutover_start == datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)
    assert plan.go_live == datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc)
    assert plan.go_live - plan.cutover_start == timedelta(hours=1)


def test_naive_datetimes_are_refused(db_url: str) -> None:
    db = open_db(db_url)
    with pytest.raises(Exception, match="naive datetime"):
        with db.session(write=True) as s:
            s.add(AuditEntry(at=datetime(2022, 5, 7, 6, 0), actor="a", action="x", entity="e", entity_key="k"))
            s.flush()
    with db.session() as s:
        assert s.exec(select(AuditEntry)).all() == []
    db.dispose()


def test_sqlite_connection_settings(tmp_path: Path) -> None:
    db = open_db(str(tmp_path / "x.sqlite"))
    db.ensure_ready(create=True)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    db.dispose()


def test_sqlite_writers_queue_instead_of_failing(tmp_path: Path) -> None:
    """Two writing sessions at once: BEGIN IMMEDIATE + busy timeout make the second wait, not fail."""
    db = open_db(str(tmp_path / "x.sqlite"))
    db.ensure_ready(create=True)
    started = threading.Event()
    errors: list[BaseException] = []

    def first_writer() -> None:
        try:
            with db.session(write=True) as s:
                s.add(Organisation(key="a", name="A", kind="partner"))
                s.flush()
                started.set()
                threading.Event().wait(0.5)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            started.set()

    t = threading.Thread(target=first_writer)
    t.start()
    started.wait(5)
    with db.session(write=True) as s:
        # This read-modify-write would hit "database is locked" on upgrade without BEGIN IMMEDIATE.
        count = len(s.exec(select(Organisation)).all())
        s.add(Organisation(key="b", name=f"B after {count}", kind="partner"))
    t.join()
    assert not errors
    with db.session() as s:
        names = {o.key: o.name for o in s.exec(select(Organisation))}
    db.dispose()
    assert names == {"a": "A", "b": "B after 1"}


def test_new_sqlite_file_is_created_at_head_by_a_write(golive, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "sub" / "new.sqlite"
    up = golive("--db", path, "db", "upgrade")
    assert up.exit_code == 0, up.stderr
    result = golive("--db", path, "info", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["schema_revision"] == schema_head() == data["schema_head"]
    assert data["backend"] == "sqlite"
    assert path.exists()


def test_existing_database_behind_head_is_refused_until_upgraded(tmp_path: Path, golive, monkeypatch) -> None:  # noqa: ANN001
    path = tmp_path / "old.sqlite"
    db = open_db(str(path))
    db.ensure_ready(create=True)
    with db.engine.begin() as conn:
        # one row per branch: put the spine's behind (support's row stays, as after an older release)
        conn.exec_driver_sql(f"UPDATE alembic_version SET version_num = '0000' WHERE version_num = '{ROLLOUT_HEAD}'")
    db.dispose()
    assert_error(golive("--db", path, "org", "list"), "schema revision 0000", "golive db upgrade")


def test_postgresql_without_schema_is_refused_and_db_upgrade_fixes_it(golive) -> None:  # noqa: ANN001
    import uuid

    from tests.conftest import pg_admin_url

    admin = pg_admin_url()  # skips, or fails under CI / GOLIVE_REQUIRE_POSTGRES, like every PostgreSQL test
    import psycopg

    name = f"golive_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + "/" + name
    try:
        assert_error(golive("--db", url, "org", "list"), "no golive schema", "golive db upgrade")
        up = golive("--db", url, "db", "upgrade")
        assert up.exit_code == 0 and f"→ {schema_head()}" in up.stderr
        again = golive("--db", url, "db", "upgrade")
        assert "Nothing changed" in again.stderr
        assert golive("--db", url, "apply", EXAMPLE).exit_code == 0
        info = golive("--db", url, "info", "--json").json()
        assert info["backend"] == "postgresql" and info["counts"]["plan"] == 4
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_is_a_consistent_copy_and_never_overwrites(golive, tmp_path: Path) -> None:  # noqa: ANN001
    source = tmp_path / "live.sqlite"
    assert golive("--db", source, "apply", EXAMPLE).exit_code == 0
    # Another connection holds an open read transaction while the backup runs.
    reader = sqlite3.connect(source)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM unit").fetchone()
    target = tmp_path / "copy.sqlite"
    result = golive("--db", source, "db", "backup", target)
    reader.rollback()
    reader.close()
    assert result.exit_code == 0, result.stderr
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM unit").fetchone()[0] == 31
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    before = target.read_bytes()
    assert_error(golive("--db", source, "db", "backup", target), "already exists")
    assert target.read_bytes() == before
    assert not list(tmp_path.glob(".golive-backup-*"))  # no temp file left behind


def test_backup_refuses_postgresql(golive) -> None:  # noqa: ANN001
    assert_error(golive("--db", "postgresql://root@127.0.0.1:1/x", "db", "backup", "x.sqlite"), "cannot open database")


def test_settings_order_and_url_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOLIVE_DB", "postgresql://me@db/golive")
    assert load_settings("plain.sqlite").database_url == "sqlite:///" + str(Path("plain.sqlite").absolute())
    assert load_settings(None).database_url == "postgresql+psycopg://me@db/golive"
    monkeypatch.delenv("GOLIVE_DB")
    monkeypatch.setenv("GOLIVE_HOME", str(tmp_path / "data"))
    default = load_settings(None)
    assert default.source == "default" and default.sqlite_path == tmp_path / "data" / "golive.sqlite"
    assert database_url("postgres://a@b/c") == "postgresql+psycopg://a@b/c"
    with pytest.raises(DatabaseError, match="unsupported"):
        database_url("mysql://a@b/c")
    assert mask_url("postgresql://user:pa55@host/db") == "postgresql://user:***@host/db"
    assert display_url("postgresql+psycopg://user:pa55@host:5433/db") == "postgresql://user:***@host:5433/db"


def test_info_shows_the_database_with_the_password_masked(db_url: str, golive) -> None:  # noqa: ANN001
    import re

    result = golive("--db", db_url, "info", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    password = re.search(r"://[^:/@]+:([^@/]+)@", db_url)
    if password:  # CI's PostgreSQL role has one
        assert f":{password.group(1)}@" not in result.stdout and ":***@" in result.stdout
    expected = display_url(db_url) if db_url.startswith("postgresql") else "sqlite:///" + db_url
    assert data["database"] == expected
    assert data["version"] and data["schema_revision"] == schema_head()
    assert set(data["counts"]) >= {"organisation", "unit", "plan", "phase", "wave", "wave_unit", "gate", "gate_decision", "audit_log"}


def test_a_directory_or_unreadable_file_as_database_is_one_error_line(golive, tmp_path: Path) -> None:  # noqa: ANN001
    assert_error(golive("--db", tmp_path, "org", "list"), "is a directory")
    garbage = tmp_path / "not-a-db.sqlite"
    garbage.write_bytes(b"this is not sqlite at all" * 100)
    assert_error(golive("--db", garbage, "org", "list"), "cannot open database")


# -- a database that is not there -------------------------------------------------------

READS = [["org", "list"], ["plan", "list"], ["unit", "list"], ["info"], ["plan", "show", "trondheim-2022"], ["db", "backup", "copy.sqlite"]]


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a))
def test_reading_a_mistyped_path_creates_nothing(golive, tmp_path: Path, args: list[str]) -> None:  # noqa: ANN001
    path = tmp_path / "typo" / "golive.sqlite"
    assert_error(golive("--db", path, *args), f"no database at {path}", "golive apply", "golive demo")
    assert not path.parent.exists()


def test_dry_run_on_a_new_path_shows_the_changes_and_creates_nothing(golive, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "new" / "golive.sqlite"
    dry = golive("--db", path, "apply", EXAMPLE, "--dry-run", "--json")
    assert dry.exit_code == 0, dry.stderr
    assert not path.parent.exists()
    real = golive("--db", path, "apply", EXAMPLE, "--json")
    assert real.exit_code == 0 and path.exists()
    assert dry.json()["changes"] == real.json()["changes"] and dry.json()["created"] > 50


def test_an_empty_file_is_not_filled_by_a_read(golive, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "empty.sqlite"
    path.touch()
    assert_error(golive("--db", path, "org", "list"), str(path), "empty")
    assert path.stat().st_size == 0


def test_empty_db_option_is_a_usage_error(golive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GOLIVE_HOME", str(tmp_path / "data"))
    for empty in ("", "  "):
        assert_error(golive("--db", empty, "org", "list"), "--db is empty", code=2)
    assert not (tmp_path / "data").exists()


def test_the_default_database_is_created_on_first_use(golive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("GOLIVE_DB")
    monkeypatch.setenv("GOLIVE_HOME", str(tmp_path / "data"))
    result = golive("org", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json() == [] and (tmp_path / "data" / "golive.sqlite").exists()


def read_only(folder: Path) -> None:
    """Make a folder nobody can write, root included: the immutable flag where we are root, else the mode bits."""
    import subprocess

    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)


def writable_again(folder: Path) -> None:
    import subprocess

    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(0o755)


def test_a_read_only_folder_says_so(golive, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "ro"
    folder.mkdir()
    assert golive("--db", folder / "golive.sqlite", "apply", EXAMPLE).exit_code == 0
    for name in ("golive.sqlite-wal", "golive.sqlite-shm"):
        (folder / name).unlink(missing_ok=True)
    read_only(folder)
    try:
        assert_error(golive("--db", folder / "new.sqlite", "apply", EXAMPLE), "not writable", str(folder))
        result = golive("--db", folder / "golive.sqlite", "org", "list")
        if result.exit_code:  # SQLite can read a WAL database without its -shm only on some builds
            assert_error(result, "not writable", str(folder))
        assert not (folder / "new.sqlite").exists()
    finally:
        writable_again(folder)


def test_dry_run_session_rolls_back(db_url: str) -> None:
    db = open_db(db_url)
    with db.session(write=True, dry_run=True) as s:
        s.add(Organisation(key="dry", name="Dry", kind="partner"))
        s.flush()
        assert len(s.exec(select(Organisation)).all()) == 1
    with db.session() as s:
        assert s.exec(select(Organisation)).all() == []
    db.dispose()


def test_a_failing_first_write_leaves_no_file_behind(golive, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "typo" / "deeper" / "golive.sqlite"
    assert_error(golive("--db", path, "gate", "decide", "no-such-plan", "T-1d", "--go", "--by", "K", "--note", "n"), "no-such-plan")
    assert not (tmp_path / "typo").exists()
    assert golive("--db", path, "apply", EXAMPLE).exit_code == 0
    assert path.exists()
