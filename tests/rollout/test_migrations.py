"""Migrations produce exactly the schema the models describe, on both backends."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from rollout import registry
from rollout.database import Database, alembic_config, schema_head
from rollout.settings import load_settings


def test_head_constant_matches_the_newest_migration() -> None:
    with Database(load_settings(":memory:")).engine.connect() as conn:
        script = ScriptDirectory.from_config(alembic_config(conn))
    # one head per package branch, and the declared heads (read at start-up without Alembic) are those
    assert set(script.get_heads()) == registry.schema_heads()
    assert {label for h in script.get_heads() for label in script.get_revision(h).branch_labels} >= {"rollout", "support"}
    # each branch declares the other branches' revisions it depends on (start-up needs them, not Alembic)
    for m in registry.migration_sets():
        named = {dep for rev in script.walk_revisions() if m.branch in rev.branch_labels
                 for dep in ((rev.dependencies,) if isinstance(rev.dependencies, str) else (rev.dependencies or ()))}
        assert set(m.depends_on) == named, m.branch


def test_upgraded_empty_database_matches_the_models(db_url: str, tmp_path: Path) -> None:
    db = Database(load_settings(db_url))
    if db.settings.is_sqlite:
        db.upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, registry.register_tables())
        version = ", ".join(sorted(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()))
    db.dispose()
    assert diff == []
    assert version == schema_head()


def test_downgrade_to_base_and_upgrade_again(db_url: str) -> None:
    from alembic import command

    db = Database(load_settings(db_url))
    if db.settings.is_sqlite:
        db.upgrade()
    with db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert db.revision() is None or db.revision() == ""
    with db.engine.connect() as conn:
        leftover = [t for t in conn.dialect.get_table_names(conn) if t != "alembic_version"]
    assert leftover == []
    assert db.upgrade()[1] == schema_head()
    db.dispose()
