"""Settings every command depends on are checked at start-up: the clock, the database option, demo's target."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, REPO, assert_error

COMMANDS = [["org", "list"], ["plan", "list"], ["info"], ["db", "upgrade"], ["apply", str(EXAMPLE), "--dry-run"], ["runbook", "show", "x"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_bad_golive_now_fails_every_command(golive, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:  # noqa: ANN001
    monkeypatch.setenv("GOLIVE_NOW", "i går")
    assert_error(golive(*args), "GOLIVE_NOW='i går'", "ISO 8601")


def test_help_and_version_work_with_a_bad_golive_now(golive, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GOLIVE_NOW", "i går")
    assert golive("--help").exit_code == 0
    assert golive("--version").exit_code == 0


def test_golive_now_without_offset_is_refused_everywhere(golive, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-06T14:00")
    assert_error(golive("org", "list"), "needs an offset")


def test_demo_refuses_db_instead_of_ignoring_it(golive, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "demo"
    result = golive("--db", "postgresql://golive@db.example.org/golive", "demo", "--out", out)
    assert_error(result, "demo always builds a fresh SQLite database", "--db", code=2)
    assert not out.exists()


RESERVED = re.compile(r"@([a-z0-9-]+\.)*(example\.(org|com|net)|[a-z0-9-]+\.(example|test))$", re.IGNORECASE)
ADDRESS = re.compile(r"[\w.+{}-]+@[\w-]+(?:\.[\w-]+)+")  # also f"{first}.{last}@domain" in demo code


def test_demo_and_example_addresses_use_reserved_example_domains() -> None:
    found = []
    data = [*(REPO / "playbooks").rglob("*.yaml"), *(REPO / "rollout").rglob("demo.py")]
    for path in data:
        found += [(path.name, a) for a in ADDRESS.findall(path.read_text(encoding="utf-8"))]
    assert found, "the scan found no addresses at all"
    real = [(name, a) for name, a in found if not RESERVED.search(a)]
    assert real == [], real
