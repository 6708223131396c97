"""`golive audit` and `audit_entries`: reading the audit log, newest first, filtered in SQL."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.conftest import assert_error
from tests.rollout.samples import ISSUE_EXAMPLE

MAY_1 = "2022-05-01T10:00+02:00"
MAY_6 = "2022-05-06T14:00+02:00"


@pytest.fixture
def history(db_url, golive, rollout_file, monkeypatch):  # noqa: ANN001, ANN201
    """Kari applies the plan on 1 May; on 6 May Ola raises a unit's staff and records a NO-GO."""
    monkeypatch.setenv("GOLIVE_NOW", MAY_1)
    assert golive("apply", rollout_file(ISSUE_EXAMPLE), "--as", "Kari Nordmann").exit_code == 0
    monkeypatch.setenv("GOLIVE_NOW", MAY_6)
    changed = ISSUE_EXAMPLE.replace("staff: 140", "staff: 150")
    assert golive("apply", rollout_file(changed, name="v2.yaml"), "--as", "Ola Hansen").exit_code == 0
    decided = golive("gate", "decide", "trondheim-2022", "T-7d", "--no-go", "--by", "Kari", "--note", "Ikke klare", "--as", "Ola Hansen")
    assert decided.exit_code == 0, decided.stderr
    monkeypatch.delenv("GOLIVE_NOW")
    return db_url


def test_json_lists_entries_newest_first_with_changes_as_stored(history, golive) -> None:  # noqa: ANN001
    entries = golive("audit", "--json").json()
    assert [e["id"] for e in entries] == sorted((e["id"] for e in entries), reverse=True)
    newest = entries[0]
    assert newest["table"] == "gate_decision" and newest["key"] == "trondheim-2022/T-7d"
    assert newest["action"] == "decide" and newest["actor"] == "Ola Hansen"
    assert newest["at"] == "2022-05-06T14:00+02:00"
    assert newest["changes"]["decision"] == "no-go"
    update = next(e for e in entries if e["action"] == "update")
    assert update == {"id": update["id"], "at": "2022-05-06T14:00+02:00", "actor": "Ola Hansen", "table": "unit",
                      "key": "trondheim/legevakt", "action": "update", "changes": {"staff": [140, 150]}}
    assert {e["at"] for e in entries} == {"2022-05-01T10:00+02:00", "2022-05-06T14:00+02:00"}


def test_filters_by_table_time_and_actor(history, golive) -> None:  # noqa: ANN001
    units = golive("audit", "--table", "unit", "--json").json()
    assert [(e["action"], e["key"]) for e in units] == [("update", "trondheim/legevakt"), ("create", "trondheim/legevakt")]
    since = golive("audit", "--since", "06.05.2022 kl. 08:00", "--json").json()
    assert {e["actor"] for e in since} == {"Ola Hansen"} and len(since) == 2
    assert golive("audit", "--since", "2022-05-06T08:00", "--json").json() == since
    karis = golive("audit", "--as", "kari nordmann", "--json").json()
    assert karis and {e["actor"] for e in karis} == {"Kari Nordmann"}
    assert {e["at"] for e in karis} == {"2022-05-01T10:00+02:00"}
    both = golive("audit", "--table", "unit", "--as", "Kari Nordmann", "--since", "2022-04-30", "--json").json()
    assert [(e["action"], e["actor"]) for e in both] == [("create", "Kari Nordmann")]
    assert golive("audit", "--as", "nobody", "--json").json() == []


def test_limit_keeps_the_newest_and_says_more_exist(history, golive) -> None:  # noqa: ANN001
    every = golive("audit", "--limit", "0", "--json").json()
    two = golive("audit", "--limit", "2", "--json").json()
    assert two == every[:2]
    text = golive("audit", "--limit", "2")
    assert "--limit 0 shows all" in text.stderr
    assert "--limit" not in golive("audit", "--limit", str(len(every))).stderr
    assert golive("audit", "--limit", "-1").exit_code == 2


def test_unknown_table_is_refused_with_a_suggestion(history, golive) -> None:  # noqa: ANN001
    assert_error(golive("audit", "--table", "units"), "unknown table 'units'", "did you mean 'unit'?")
    assert_error(golive("audit", "--since", "i går"), "--since 'i går' is not a time like", code=2)  # a bad option value is a usage error
    # A table golive owns with nothing audited yet is simply empty.
    empty = golive("audit", "--table", "runbook_task")
    assert empty.exit_code == 0 and empty.stdout == "" and "No audit entries" in empty.stderr


def test_text_at_80_columns_never_breaks_keys_or_times(history, golive, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # draw as for a terminal
    out = golive("audit").stdout
    lines = out.splitlines()
    assert lines and all(len(line) <= 80 for line in lines), out
    assert "2022-05-06 14:00  update unit trondheim/legevakt  by Ola Hansen" in out
    assert "    staff: 140 → 150" in out
    assert "decide gate_decision trondheim-2022/T-7d" in out


def test_in_a_pipe_each_header_stays_on_one_line(history, golive, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    lines = golive("audit", "--table", "unit").stdout.splitlines()
    headers = [line for line in lines if not line.startswith(" ")]
    assert len(headers) == 2
    assert headers[0].startswith("2022-05-06 14:00  update unit trondheim/legevakt  by Ola Hansen  #")


def test_library_view_filters_in_sql(history) -> None:  # noqa: ANN001
    from rollout.audit import audit_entries, audit_tables
    from rollout.database import Database
    from rollout.errors import GoliveError
    from rollout.settings import load_settings

    db = Database(load_settings(history))
    try:
        with db.session() as session:
            everything = audit_entries(session)
            assert everything[0].at >= everything[-1].at
            since = audit_entries(session, since=datetime(2022, 5, 6, 0, 0, tzinfo=timezone.utc))
            assert {v.actor for v in since} == {"Ola Hansen"}
            assert len(audit_entries(session, limit=1)) == 1
            assert audit_entries(session, table="unit", actor="OLA HANSEN")[0].as_json()["changes"] == {"staff": [140, 150]}
            assert {"unit", "plan", "gate_decision", "audit_log", "runbook_task"} <= set(audit_tables(session))
            with pytest.raises(GoliveError, match="did you mean 'plan'"):
                audit_entries(session, table="plann")
    finally:
        db.dispose()
