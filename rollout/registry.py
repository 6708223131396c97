"""The root's list of packages and the merge of what they declare.

This is the one place where the spine names the layers above it, and only as
text: a package that is not installed is simply absent. Static on purpose (no
entry-point scan), so start-up reads a few small modules and nothing else.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rollout.seams import CliGroup, Criterion, DemoStep, FileSection, JobKind, MigrationSet, Package, load_path

# In dependency order: a package may build on the ones before it (demo steps run in this order).
PACKAGES: tuple[str, ...] = (
    "rollout.declare:PACKAGE",
    "rollout.readiness.declare:PACKAGE",
    "rollout.runbooks.declare:PACKAGE",
    "support.declare:PACKAGE",
    "reports.declare:PACKAGE",
)


@cache
def packages() -> tuple[Package, ...]:
    found = []
    for path in PACKAGES:
        module_name = path.partition(":")[0]
        try:
            found.append(load_path(path))
        except ModuleNotFoundError as exc:
            # An optional layer that is not installed contributes nothing; a broken one is a bug.
            if exc.name is None or not module_name.startswith(exc.name):
                raise
    return tuple(found)


def cli_groups() -> dict[str, CliGroup]:
    groups: dict[str, CliGroup] = {}
    for package in packages():
        for group in package.cli_groups:
            if group.name in groups:
                raise RuntimeError(f"{package.name} declares CLI group {group.name!r}, already declared")
            groups[group.name] = group
    return groups


@cache
def criteria() -> dict[str, Criterion]:
    """Every known criterion by name, in declaration order (the order error messages list them)."""
    known: dict[str, Criterion] = {}
    for package in packages():
        for path in package.criteria:
            criterion: Criterion = load_path(path)
            if criterion.name in known:
                raise RuntimeError(f"{package.name} declares criterion {criterion.name!r}, already declared")
            known[criterion.name] = criterion
    return known


def table_modules() -> list[str]:
    return [module for package in packages() for module in package.tables]


def register_tables() -> Any:
    """Import every package's models, so SQLModel.metadata holds every table golive owns."""
    import importlib

    from sqlmodel import SQLModel

    for module in table_modules():
        importlib.import_module(module)
    return SQLModel.metadata


def migration_sets() -> list[MigrationSet]:
    return [package.migrations for package in packages() if package.migrations is not None]


def schema_heads() -> set[str]:
    """The newest revision of every branch this code ships."""
    return {load_path(m.head) for m in migration_sets()}


def stored_heads() -> set[str]:
    """What `alembic_version` holds at head: every branch head not implied by another branch's dependency."""
    heads = schema_heads()
    implied = {rev for m in migration_sets() for rev in m.depends_on}
    return heads - implied


def version_locations() -> list[str]:
    """Folders of every branch's revisions, as Alembic wants them ("package:path")."""
    return [m.versions for m in migration_sets()]


def demo_steps() -> list[DemoStep]:
    return [load_path(path) for package in packages() for path in package.demo_steps]


def job_kinds() -> dict[str, JobKind]:
    return {kind.name: kind for package in packages() for kind in package.job_kinds}


def file_sections() -> dict[str, FileSection]:
    """Top-level rollout-file sections the packages own, by key."""
    return {section.key: section for package in packages() for section in package.file_sections}
