"""Shared fixtures: an isolated environment, both database backends, and an in-process CLI runner."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "playbooks" / "examples" / "helse-midt.yaml"
PG_ENV = "GOLIVE_TEST_POSTGRES"  # an admin URL, e.g. postgresql://root@127.0.0.1/postgres


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the user's real files or database; fixed width, no colour."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("GOLIVE_DB", str(tmp_path / "golive.sqlite"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("GOLIVE_USER", "tester")
    for name in ("GOLIVE_NOW", "GOLIVE_DEBUG", "GOLIVE_HOME"):
        monkeypatch.delenv(name, raising=False)
    return home


def pg_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI") or os.environ.get("GOLIVE_REQUIRE_POSTGRES"):
            pytest.fail(f"{PG_ENV} is not set: CI must run the PostgreSQL half of the suite")
        pytest.skip(f"set {PG_ENV}=postgresql://root@127.0.0.1/postgres to run on PostgreSQL")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database at schema head on each backend; PostgreSQL gets its own database, dropped after."""
    if request.param == "sqlite":
        url = str(tmp_path / "golive.sqlite")
        monkeypatch.setenv("GOLIVE_DB", url)
        from rollout.database import Database
        from rollout.settings import load_settings

        db = Database(load_settings(url))  # reads never create a database, so start from one
        db.upgrade()
        db.dispose()
        yield url
        return
    admin = pg_admin_url()
    import psycopg

    name = f"golive_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        pytest.fail(f"cannot create a test database via {PG_ENV}: {exc}")
    base = admin.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    monkeypatch.setenv("GOLIVE_DB", url)
    from rollout.database import Database
    from rollout.settings import load_settings

    db = Database(load_settings(url))
    db.upgrade()
    db.dispose()
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):  # noqa: ANN201
        import json

        return json.loads(self.stdout)


@pytest.fixture
def golive(capsys: pytest.CaptureFixture[str]):  # noqa: ANN201
    """Run the real CLI entry point in-process: `golive("plan", "list", "--json")`."""
    from rollout.cli import main

    def run(*args: str, input: str | None = None) -> Result:  # noqa: A002
        import io
        import sys

        capsys.readouterr()
        old_stdin = sys.stdin
        if input is not None:
            sys.stdin = io.StringIO(input)
        code = 0
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdin = old_stdin
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def rollout_file(tmp_path: Path):  # noqa: ANN201
    """Write a YAML text to a file and return its path."""

    def write(text: str, name: str = "rollout.yaml", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


def assert_error(result: Result, *fragments: str, code: int = 1) -> None:
    """A refusal: the exit code, exactly one `Error:` line naming the fragments, and no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
