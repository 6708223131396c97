"""The outbox against a real SMTP server on loopback: delivery, back-off, failures, retry, idempotency; recipients."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import EXAMPLE, assert_error
from tests.rollout.scheduler.conftest import free_port

UTC = timezone.utc
T0 = datetime(2026, 3, 29, 10, 0, tzinfo=UTC)


def queue(db_url: str, *subjects: str, recipients: tuple[str, ...] = ("a@x.example", "b@x.example"), key: str | None = None) -> None:
    from rollout.database import Database
    from rollout.notify import queue_notification
    from rollout.settings import load_settings

    db = Database(load_settings(db_url))
    with db.session(write=True) as s:
        for subject in subjects:
            queue_notification(s, kind="report", recipients=list(recipients), subject=subject, body="hei", at=T0, key=key)
    db.dispose()


def deliver(db_url: str, at: datetime):  # noqa: ANN201
    from rollout.database import Database
    from rollout.outbox.delivery import deliver_due
    from rollout.settings import load_settings

    db = Database(load_settings(db_url))
    try:
        return deliver_due(db, at=at)
    finally:
        db.dispose()


def test_delivery_sends_each_message_once(db_url: str, smtp) -> None:  # noqa: ANN001
    queue(db_url, "one", "two")
    queue(db_url, "one", key=None)  # the same cause, recipient and subject: no second row
    assert deliver(db_url, T0).sent == 4
    assert smtp.received() == [("a@x.example", "one"), ("a@x.example", "two"), ("b@x.example", "one"), ("b@x.example", "two")]
    assert deliver(db_url, T0 + timedelta(hours=1)).attempted == 0
    assert len(smtp.received()) == 4
    assert {m["Message-ID"] for m in smtp.messages}.__len__() == 4


def test_failures_back_off_show_in_the_list_and_retry_sends(db_url: str, golive, smtp, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    queue(db_url, "morning report", recipients=("ledelse@x.example",))
    monkeypatch.setenv("GOLIVE_SMTP_PORT", str(free_port()))  # nobody listens there
    first = deliver(db_url, T0)
    assert (first.sent, first.failed) == (0, 1) and "cannot reach SMTP server" in first.errors[0]
    failed = golive("notify", "list", "--failed", "--json").json()["notifications"]
    assert [(n["status"], n["attempts"], n["next_attempt_at"]) for n in failed] == [("failed", 1, "2026-03-29T12:01+02:00")]
    assert deliver(db_url, T0 + timedelta(seconds=30)).attempted == 0  # backing off
    assert deliver(db_url, T0 + timedelta(minutes=1)).failed == 1
    assert golive("notify", "list", "--failed", "--json").json()["notifications"][0]["attempts"] == 2
    listed = golive("notify", "list", "--failed")
    assert "cannot reach" in listed.stdout
    monkeypatch.setenv("GOLIVE_SMTP_PORT", str(smtp.port))
    retried = golive("notify", "retry", "--json")
    assert retried.exit_code == 0, retried.stderr
    assert retried.json()["sent"] == 1
    assert smtp.received() == [("ledelse@x.example", "morning report")]
    assert golive("notify", "list", "--failed", "--json").json()["notifications"] == []
    assert "Nothing changed" in golive("notify", "retry").stderr
    assert_error(golive("notify", "retry", "999"), "no notification 999")
    assert [e["action"] for e in golive("audit", "--table", "notification", "--json").json()] == ["update"]


def test_run_now_delivers_its_outbox_before_returning(tmp_path, golive, smtp, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GOLIVE_DB", str(tmp_path / "golive.sqlite"))
    assert golive("apply", EXAMPLE).exit_code == 0
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-06T14:00+02:00")
    assert golive("scheduler", "add", "rc", "--job", "roster-check", "--every", "1h", "--param", "plan=trondheim-2022").exit_code == 0
    result = golive("scheduler", "run-now", "rc", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["delivery"]["sent"] == len(smtp.received()) >= 1
    # the example file sends roster-check gaps to the contacts key `kommune`
    assert {to for to, _ in smtp.received()} == {"prosjektleder@trondheim.kommune.example"}


NOTIFY_BASE = """\
contacts:
  kommune: [leder@kommune.example]
organisations:
  - {key: testkommune, name: Testkommune, kind: municipality}
plans:
  - {key: p-2026, organisation: testkommune, name: P, cutover_start: 2026-05-01T08:00, go_live: 2026-05-03T06:00}
notify:
"""


@pytest.mark.parametrize(("entries", "line", "fragment"), [
    ("  - {event: report, to: [kommune], cc: [x]}\n", 8, "unknown key 'cc'"),
    ("  - {event: reprot, to: [kommune]}\n", 8, "unknown event 'reprot'"),
    ("  - {event: report, plan: p-2027, to: [kommune]}\n", 8, "no plan 'p-2027'"),
    ("  - {event: report, to_owner: true}\n", 8, "to_owner is only for runbook-reminder"),
    ("  - {event: roster-check}\n", 8, "needs to:"),
    ("  - {event: report, to: [komune]}\n", 8, "did you mean 'kommune'"),
    ("  - {event: report, to: [kommune]}\n  - {event: report, to: [a@b.example]}\n", 9, "declared twice"),
    ("  - {event: report, to: ['not an address']}\n", 8, "neither an e-mail address"),
])
def test_bad_notify_sections_name_file_and_line(golive, rollout_file, entries: str, line: int, fragment: str) -> None:  # noqa: ANN001
    path = rollout_file(NOTIFY_BASE + entries)
    assert_error(golive("apply", path), f"{path}:{line}:", fragment)


def test_notify_rules_resolve_through_contacts_and_reapply_changes_nothing(db_url: str, golive, rollout_file) -> None:  # noqa: ANN001
    from rollout.database import Database
    from rollout.outbox.recipients import recipients_for
    from rollout.settings import load_settings

    path = rollout_file(NOTIFY_BASE + "  - {event: report, plan: p-2026, to: [kommune, styret@x.example]}\n"
                        "  - {event: runbook-reminder, to_owner: true}\n")
    assert golive("apply", path).exit_code == 0
    assert "Nothing changed" in golive("apply", path).stderr
    db = Database(load_settings(db_url))
    with db.session() as s:
        report = recipients_for(s, event="report", plan="p-2026")
        reminder = recipients_for(s, event="runbook-reminder", plan="p-2026")
        other = recipients_for(s, event="report", plan="other")
    db.dispose()
    assert report.to == ["leder@kommune.example", "styret@x.example"]
    assert (reminder.to, reminder.to_owner) == ([], True)
    assert other.to == []


def test_old_notification_rows_become_one_per_recipient(tmp_path) -> None:  # noqa: ANN001
    import json

    from alembic import command
    from sqlalchemy import text

    from rollout.database import Database, alembic_config
    from rollout.settings import load_settings

    db = Database(load_settings(str(tmp_path / "old.sqlite")))
    db._require_file(create=True)
    with db.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0007")
        conn.execute(text("INSERT INTO notification (created_at, kind, recipients, subject, body, sent_at, error) VALUES "
                          "('2022-05-07 04:00:00.000000', 'new-p1', :r, 'P1 #1', 'b', NULL, NULL)"), {"r": json.dumps(["a@x.no", "b@x.no"])})
    db.upgrade()
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT recipient, subject, attempts, sent_at FROM notification ORDER BY recipient")).all()
    db.dispose()
    assert [tuple(r) for r in rows] == [("a@x.no", "P1 #1", 0, None), ("b@x.no", "P1 #1", 0, None)]


def test_run_now_without_smtp_counts_its_messages_as_waiting(tmp_path, golive, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("GOLIVE_SMTP_HOST", raising=False)
    monkeypatch.setenv("GOLIVE_DB", str(tmp_path / "golive.sqlite"))
    assert golive("apply", EXAMPLE).exit_code == 0
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-06T14:00+02:00")
    assert golive("scheduler", "add", "rc", "--job", "roster-check", "--every", "1h", "--param", "plan=trondheim-2022").exit_code == 0
    result = golive("scheduler", "run-now", "rc", "--json")
    assert result.exit_code == 0, result.stderr
    queued = len(golive("notify", "list", "--json").json()["notifications"])
    assert queued >= 1
    assert {k: result.json()["delivery"][k] for k in ("sent", "failed", "waiting")} == {"sent": 0, "failed": 0, "waiting": queued}
    assert f"{2 * queued} waiting" in golive("scheduler", "run-now", "rc").stderr  # its own and the first run's


def test_retry_of_an_unknown_id_says_so_before_asking_for_smtp(db_url: str, golive, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("GOLIVE_SMTP_HOST", raising=False)
    assert_error(golive("notify", "retry", "99999"), "no notification 99999")
    queue(db_url, "one", recipients=("a@x.example",))
    assert_error(golive("notify", "retry", "1"), "GOLIVE_SMTP_HOST is not set")
    assert golive("audit", "--table", "notification", "--json").json() == []  # refused: nothing queued again
