"""Gate decisions and audit rows are append-only in the database itself, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, text, update
from sqlmodel import select

from rollout.database import Database
from rollout.errors import ImmutableError
from rollout.immutable import MARKER
from rollout.models import AuditEntry, GateDecision, Organisation, Plan
from rollout.settings import load_settings
from tests.conftest import assert_error
from tests.rollout.samples import ISSUE_EXAMPLE


@pytest.fixture
def decided(db_url, golive, rollout_file):  # noqa: ANN001, ANN201
    """The issue's example with one recorded NO-GO decision on T-7d."""
    assert golive("apply", rollout_file(ISSUE_EXAMPLE)).exit_code == 0
    result = golive("gate", "decide", "trondheim-2022", "T-7d", "--no-go", "--by", "Kari", "--note", "not ready")
    assert result.exit_code == 0, result.stderr
    db = Database(load_settings(db_url))
    yield db
    db.dispose()


def snapshot(db: Database) -> tuple[list[tuple[int, str]], int]:
    with db.session() as s:
        decisions = [(d.id, d.note) for d in s.exec(select(GateDecision))]
        audit_rows = len(s.exec(select(AuditEntry)).all())
    return decisions, audit_rows


CORE_STATEMENTS = {
    "update decision": update(GateDecision).values(note="changed"),
    "delete decision": delete(GateDecision),
    "update audit": update(AuditEntry).values(actor="someone else"),
    "delete audit": delete(AuditEntry),
    "delete plan (cascade)": delete(Plan),
    "delete organisation (cascade)": delete(Organisation),
}
RAW_SQL = [
    "UPDATE gate_decision SET note = 'changed'",
    "DELETE FROM gate_decision",
    "UPDATE audit_log SET actor = 'someone else'",
    "DELETE FROM audit_log",
    "DELETE FROM plan",
]


@pytest.mark.parametrize("name", list(CORE_STATEMENTS))
def test_core_update_and_delete_are_refused(decided: Database, name: str) -> None:
    before = snapshot(decided)
    with pytest.raises(ImmutableError, match="immutable"):
        with decided.session(write=True) as s:
            s.execute(CORE_STATEMENTS[name])
    assert snapshot(decided) == before


@pytest.mark.parametrize("sql", RAW_SQL)
def test_raw_sql_is_refused_by_the_driver(decided: Database, sql: str) -> None:
    before = snapshot(decided)
    raw = decided.engine.raw_connection()  # below SQLAlchemy: only the database can say no
    try:
        cursor = raw.cursor()
        with pytest.raises(Exception, match=MARKER):
            cursor.execute(sql)
        raw.rollback()
    finally:
        raw.close()
    with decided.engine.connect() as conn, pytest.raises(Exception, match=MARKER):
        conn.execute(text(sql))
    assert snapshot(decided) == before


def test_orm_change_is_refused_and_new_rows_still_go_in(decided: Database, golive) -> None:  # noqa: ANN001
    with pytest.raises(ImmutableError, match="gate decisions are immutable"):
        with decided.session(write=True) as s:
            decision = s.exec(select(GateDecision)).one()
            decision.note = "changed"
            s.add(decision)
    again = golive("gate", "decide", "trondheim-2022", "T-7d", "--no-go", "--by", "Kari", "--note", "still not")
    assert again.exit_code == 0, again.stderr
    decisions, _ = snapshot(decided)
    assert [note for _, note in decisions] == ["not ready", "still not"]


def test_prune_refuses_a_plan_with_decisions(decided: Database, golive, rollout_file) -> None:  # noqa: ANN001
    other_plan = rollout_file(ISSUE_EXAMPLE.replace("key: trondheim-2022", "key: trondheim-2023"), name="other.yaml")
    before = snapshot(decided)
    for extra in ([], ["--dry-run"]):
        assert_error(golive("apply", other_plan, "--prune", *extra), "plan 'trondheim-2022'", "gate decisions", "--prune")
    assert snapshot(decided) == before
    assert {p["key"] for p in golive("plan", "list", "--json").json()} == {"trondheim-2022"}
    kept = golive("apply", other_plan)  # without --prune the plan is kept, decisions and all
    assert kept.exit_code == 0 and "plan trondheim-2022" in kept.stderr


def test_prune_refuses_an_organisation_whose_plan_has_decisions(decided: Database, golive, rollout_file) -> None:  # noqa: ANN001
    other_org = ISSUE_EXAMPLE.split("plans:")[0].replace("key: trondheim", "key: malvik")
    result = golive("apply", rollout_file(other_org, name="malvik.yaml"), "--prune")
    assert_error(result, "organisation 'trondheim'", "plan 'trondheim-2022'")
    assert {o["key"] for o in golive("org", "list", "--json").json()} == {"trondheim"}
