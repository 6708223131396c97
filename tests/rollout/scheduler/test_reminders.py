"""The rollout job kinds on a hand-computed runbook: reminders go to owners through contacts, once per task start."""

from __future__ import annotations

import pytest

from tests.rollout.runbooks.helpers import PLAYBOOK, ROLLOUT

CONTACTS = "contacts:\n  hemit: [vakt@hemit.example]\n  kommune: [leder@kommune.example]\n"


@pytest.fixture
def runbook(golive, rollout_file, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    book = rollout_file(PLAYBOOK, name="dst-test.yaml")
    assert golive("apply", rollout_file(ROLLOUT.replace("PLAYBOOK", str(book)) + CONTACTS)).exit_code == 0
    assert golive("runbook", "load", "dst-2026").exit_code == 0
    monkeypatch.setenv("GOLIVE_NOW", "2026-03-28T03:30Z")
    assert golive("scheduler", "add", "remind", "--job", "runbook-reminders", "--every", "5m",
                  "--param", "plan=dst-2026", "--param", "lead=1h").exit_code == 0
    return golive


def run_now(golive, monkeypatch: pytest.MonkeyPatch, at: str) -> dict:  # noqa: ANN001
    monkeypatch.setenv("GOLIVE_NOW", at)
    result = golive("scheduler", "run-now", "remind", "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_reminders_reach_owners_once_per_task_start(runbook, smtp, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    golive = runbook
    first = run_now(golive, monkeypatch, "2026-03-28T03:30Z")
    # b2 (owner hemit) starts at 05:00 local, within the hour
    assert smtp.received() == [("vakt@hemit.example", "Starts 2026-03-28 05:00: b2 (dst-2026)")]
    assert (first["outcome"], first["notified"]) == ("ok", 1)
    again = run_now(golive, monkeypatch, "2026-03-28T03:45Z")
    assert again["notified"] == 0 and len(smtp.received()) == 1  # a later run does not remind of the same start
    later = run_now(golive, monkeypatch, "2026-03-28T04:10Z")
    received = smtp.received()
    assert len(received) == len(set(received)) == 1 + later["notified"]
    assert ("leder@kommune.example", "Starts 2026-03-28 06:00: b (dst-2026)") in received


def test_an_owner_nobody_can_reach_is_a_failed_item_and_the_rest_go_on(runbook, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    golive = runbook
    run = run_now(golive, monkeypatch, "2026-03-28T19:30Z")  # c (owner testkommune, no contacts) is late from 20:00 local
    assert run["outcome"] == "partial" and run["notified"] >= 1  # the overdue tasks of hemit and kommune were reminded
    assert any("testkommune" in f["error"] for f in run["failures"])
    history = golive("scheduler", "history", "--failed", "--json").json()["runs"]
    assert [r["id"] for r in history] == [run["id"]]
