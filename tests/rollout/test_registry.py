"""The seams: packages declare what they add, the root merges it, and a new package plugs in with one entry."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from rollout import registry
from rollout.seams import Criterion, load_path


def test_every_declared_group_loads_and_its_one_liner_is_its_help() -> None:
    from rollout.cli.lazy import load_group

    for name, group in registry.cli_groups().items():
        assert load_group(name).help.strip().splitlines()[0] == group.help, name


def test_every_criterion_is_declared_once_with_a_resolvable_measure() -> None:
    known = registry.criteria()
    assert list(known) == ["training_min", "staff_per_superuser_max", "staffing_min", "runbook_due_done", "open_p1_max"]
    for name, criterion in known.items():
        assert isinstance(criterion, Criterion) and criterion.name == name and criterion.help
        if criterion.measure is not None:
            assert callable(load_path(criterion.measure)), name
    # open_p1_max belongs to support; it is declared and measured there, named by path, not in the spine
    assert registry.criteria()["open_p1_max"].measure == "support.criteria:measure_open_p1"


def test_validation_and_wording_come_from_the_criterion() -> None:
    from rollout.criteria import describe_criterion

    assert describe_criterion("training_min", {"default": 0.9, "lege": 1.0}) == "training ≥ 90 % (lege 100 %)"
    assert describe_criterion("staff_per_superuser_max", 10) == "≤ 10 staff per superuser"
    assert describe_criterion("open_p1_max", 0) == "open P1 ≤ 0"
    with pytest.raises(ValueError, match="between 0 and 1"):
        registry.criteria()["training_min"].validate(1.5)


PLUGIN_DECLARE = '''
from rollout.seams import CliGroup, Package, MigrationSet

PACKAGE = Package(
    name="extrapkg",
    cli_groups=(CliGroup("extra", "extrapkg.cli:extra_app", "An extra group from a plugged-in package."),),
    criteria=("extrapkg.criteria:EXTRA_MAX",),
    tables=("extrapkg.models",),
    migrations=MigrationSet(branch="extrapkg", versions="extrapkg:versions", head="extrapkg:HEAD"),
)
'''
PLUGIN_CRITERIA = '''
from rollout.criteria import Measurement
from rollout.seams import Criterion, whole_number


def measure(session, ctx, threshold):
    return Measurement(criterion="extra_max", threshold=threshold, value=0, passed=True, summary="nothing extra")


EXTRA_MAX = Criterion(name="extra_max", help="an extra limit", validate=lambda v: whole_number(v, "extra_max"),
                      describe=lambda v: f"extra ≤ {v}", measure="extrapkg.criteria:measure")
'''
PLUGIN_CLI = '''
import typer

extra_app = typer.Typer(help="An extra group from a plugged-in package.", no_args_is_help=True)


@extra_app.command("hello")
def hello() -> None:
    """Say hello. Example: golive extra hello"""
    typer.echo("hello from extrapkg")
'''
PLUGIN_MODELS = '''
from sqlmodel import Field, SQLModel


class ExtraThing(SQLModel, table=True):
    __tablename__ = "extra_thing"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
'''
PLUGIN_REVISION = '''
"""The extra package's first table, on its own branch."""
import sqlalchemy as sa
from alembic import op

revision = "x0001"
down_revision = None
branch_labels = ("extrapkg",)
depends_on = "0001"  # it builds on the spine's tables


def upgrade():
    op.create_table("extra_thing", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("name", sa.String(length=64), nullable=False))


def downgrade():
    op.drop_table("extra_thing")
'''


@pytest.fixture
def plugged_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A package `extrapkg` on sys.path and one entry in the root's list: nothing else changes."""
    pkg = tmp_path / "plugins" / "extrapkg"
    (pkg / "versions").mkdir(parents=True)
    (pkg / "__init__.py").write_text('HEAD = "x0001"\n')
    for name, text in (("declare", PLUGIN_DECLARE), ("criteria", PLUGIN_CRITERIA), ("cli", PLUGIN_CLI), ("models", PLUGIN_MODELS)):
        (pkg / f"{name}.py").write_text(textwrap.dedent(text))
    (pkg / "versions" / "x0001_extra.py").write_text(textwrap.dedent(PLUGIN_REVISION))
    monkeypatch.syspath_prepend(str(pkg.parent))
    monkeypatch.setattr(registry, "PACKAGES", (*registry.PACKAGES, "extrapkg.declare:PACKAGE"))
    registry.packages.cache_clear()
    registry.criteria.cache_clear()
    yield
    registry.packages.cache_clear()
    registry.criteria.cache_clear()
    from sqlmodel import SQLModel

    if "extra_thing" in SQLModel.metadata.tables:
        SQLModel.metadata.remove(SQLModel.metadata.tables["extra_thing"])
    for name in [m for m in sys.modules if m == "extrapkg" or m.startswith("extrapkg.")]:
        del sys.modules[name]


def assert_schema_matches_models(_: object) -> None:
    """Both branches upgraded give exactly the tables the models (the plugin's included) describe."""
    import os

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from rollout.database import Database
    from rollout.settings import load_settings

    db = Database(load_settings(os.environ["GOLIVE_DB"]))
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), registry.register_tables())
    db.dispose()
    assert diff == []


def test_a_missing_optional_package_contributes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "PACKAGES", (*registry.PACKAGES, "reports_not_installed.declare:PACKAGE"))
    registry.packages.cache_clear()
    try:
        assert [p.name for p in registry.packages()][-1] == "reports"
    finally:
        registry.packages.cache_clear()


def test_one_entry_adds_a_group_a_criterion_a_table_and_a_migration_branch(plugged_in, golive, tmp_path) -> None:  # noqa: ANN001
    from tests.conftest import EXAMPLE

    assert "extra" in golive("--help").stdout
    assert golive("extra", "hello").stdout.strip() == "hello from extrapkg"
    # the criterion is accepted by the rollout file and measured by gate check
    text = EXAMPLE.read_text(encoding="utf-8").replace("criteria: {open_p1_max: 0, runbook_due_done: true}",
                                                        "criteria: {extra_max: 3}")
    assert "extra_max" in text
    rollout_file = tmp_path / "extra.yaml"
    rollout_file.write_text(text, encoding="utf-8")
    assert golive("apply", rollout_file).exit_code == 0, "the new criterion is validated by its own declaration"
    info = golive("info", "--json").json()
    assert "extra_thing" in info["counts"]
    assert "x0001" in info["schema_revision"].split(", ") and info["schema_revision"] == ", ".join(sorted(registry.stored_heads()))
    assert info["schema_revision"] == info["schema_head"]
    check = golive("gate", "check", "trondheim-2022", "go-no-go", "--json").json()
    assert [(c["criterion"], c["summary"], c["description"]) for c in check["criteria"]] == [("extra_max", "nothing extra", "extra ≤ 3")]
    assert_schema_matches_models(info["database"] if "database" in info else None)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("extra_max: 3", "extra_max: -1"), encoding="utf-8")
    result = golive("apply", bad)
    assert result.exit_code == 1 and "extra_max must be a whole number ≥ 0" in result.stderr and f"{bad}:" in result.stderr
