"""Shell completion of keys from the database: plans, gates, units, organisations, runbook tasks.

Completers run on every TAB, before any command callback, so they open the
database themselves, read-only and with the plain driver (no SQLAlchemy), and
quietly offer nothing when there is no database or it cannot be read.
"""

from __future__ import annotations

import re
from typing import Any

Item = tuple[str, str]  # (value, help shown by zsh and fish)


def _database_url(ctx: Any) -> str | None:
    # The root callback does not run while completing; --db is among the parsed params.
    from rollout.settings import load_settings

    root = ctx.find_root() if ctx is not None else None
    option = root.params.get("db") if root is not None else None
    return load_settings(option or None).database_url


def query(ctx: Any, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Rows of one read-only query (`:name` placeholders) on the context's database; [] on any failure."""
    try:
        url = _database_url(ctx)
        if url is None:
            return []
        if url.startswith("sqlite"):
            return _sqlite_rows(url, sql, params)
        return _postgres_rows(url, sql, params)
    except Exception:  # completion must never print a traceback into the user's prompt
        return []


def _sqlite_rows(url: str, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    import sqlite3
    from pathlib import Path

    path = url.split(":///", 1)[1]
    if not path or path == ":memory:" or not Path(path).is_file():
        return []  # mode=ro never creates a file, but say so plainly
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _postgres_rows(url: str, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    pg_sql = re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql)
    with psycopg.connect(dsn, connect_timeout=3, options="-c default_transaction_read_only=on") as conn:
        return list(conn.execute(pg_sql, params).fetchall())


def _prefix(incomplete: str) -> str:
    """A LIKE pattern for keys starting with what was typed, its % and _ taken literally."""
    return re.sub(r"([\\%_])", r"\\\1", incomplete or "") + "%"


def _items(rows: list[tuple[Any, ...]]) -> list[Item]:
    return [(str(value), str(help_text or "")) for value, help_text in rows]


def complete_plans(ctx: Any, incomplete: str) -> list[Item]:
    return _items(query(ctx, "SELECT key, name FROM plan WHERE key LIKE :p ESCAPE '\\' ORDER BY go_live, key", {"p": _prefix(incomplete)}))


def complete_gates(ctx: Any, incomplete: str) -> list[Item]:
    """Gates of the plan already typed (the `plan` argument), in their order.

    Completing an option's value (`--gate T-`), click parses the words before it
    without the plan; then every plan's gate keys are offered, once each.
    """
    plan = ctx.params.get("plan") if ctx is not None else None
    if not plan:
        if ctx is None or not any(p.name == "plan" for p in getattr(ctx.command, "params", [])):
            return []
        rows = query(ctx, "SELECT g.key, MIN(COALESCE(g.at, '')) FROM gate g WHERE g.key LIKE :p ESCAPE '\\' "
                          "GROUP BY g.key ORDER BY MIN(g.position), g.key", {"p": _prefix(incomplete)})
        return _items(rows)
    return _items(query(
        ctx,
        "SELECT g.key, COALESCE(g.at, '') FROM gate g JOIN plan p ON p.id = g.plan_id "
        "WHERE p.key = :plan AND g.key LIKE :p ESCAPE '\\' ORDER BY g.position, g.key",
        {"plan": plan, "p": _prefix(incomplete)},
    ))


def complete_decision_keys(ctx: Any, incomplete: str) -> list[Item]:
    """What `gate decide` takes: the plan's gates and its runbook gate tasks."""
    plan = ctx.params.get("plan") if ctx is not None else None
    if not plan:
        return []
    tasks = query(
        ctx,
        "SELECT t.key, t.title FROM runbook_task t JOIN plan p ON p.id = t.plan_id "
        "WHERE p.key = :plan AND t.gate = :yes AND t.key LIKE :p ESCAPE '\\' ORDER BY t.planned_start, t.position",
        {"plan": plan, "yes": True, "p": _prefix(incomplete)},
    )
    return complete_gates(ctx, incomplete) + _items(tasks)


def complete_tasks(ctx: Any, incomplete: str) -> list[Item]:
    """Runbook tasks of the plan already typed, in planned order."""
    plan = ctx.params.get("plan") if ctx is not None else None
    if not plan:
        return []
    return _items(query(
        ctx,
        "SELECT t.key, t.title FROM runbook_task t JOIN plan p ON p.id = t.plan_id "
        "WHERE p.key = :plan AND t.key LIKE :p ESCAPE '\\' ORDER BY t.planned_start, t.position",
        {"plan": plan, "p": _prefix(incomplete)},
    ))


def complete_organisations(ctx: Any, incomplete: str) -> list[Item]:
    return _items(query(ctx, "SELECT key, name FROM organisation WHERE key LIKE :p ESCAPE '\\' ORDER BY key", {"p": _prefix(incomplete)}))


def complete_units(ctx: Any, incomplete: str) -> list[Item]:
    """Bare unit keys of `--org` or of the plan typed; else `org/unit` keys."""
    params = ctx.params if ctx is not None else {}
    if params.get("org"):
        scope, args = "o.key = :org", {"org": params["org"]}
    elif params.get("plan"):
        scope, args = "o.id = (SELECT organisation_id FROM plan WHERE key = :plan)", {"plan": params["plan"]}
    else:
        return _items(query(
            ctx,
            "SELECT o.key || '/' || u.key AS k, u.name FROM unit u JOIN organisation o ON o.id = u.organisation_id "
            "WHERE o.key || '/' || u.key LIKE :p ESCAPE '\\' ORDER BY k",
            {"p": _prefix(incomplete)},
        ))
    return _items(query(
        ctx,
        "SELECT u.key, u.name FROM unit u JOIN organisation o ON o.id = u.organisation_id "
        f"WHERE {scope} AND u.key LIKE :p ESCAPE '\\' ORDER BY u.key",
        {**args, "p": _prefix(incomplete)},
    ))


def complete_runs(ctx: Any, incomplete: str) -> list[Item]:
    """`live` and the rehearsals of the plan typed, oldest first."""
    plan = ctx.params.get("plan") if ctx is not None else None
    if not plan:
        return []
    return _items(query(
        ctx,
        "SELECT r.name, r.kind FROM runbook_run r JOIN plan p ON p.id = r.plan_id "
        "WHERE p.key = :plan AND r.name LIKE :p ESCAPE '\\' ORDER BY r.created_at, r.id",
        {"plan": plan, "p": _prefix(incomplete)},
    ))


def complete_audit_tables(ctx: Any, incomplete: str) -> list[Item]:
    """The tables the audit log has entries for."""
    rows = query(ctx, "SELECT DISTINCT entity FROM audit_log WHERE entity LIKE :p ESCAPE '\\' ORDER BY entity", {"p": _prefix(incomplete)})
    return [(str(r[0]), "") for r in rows]
