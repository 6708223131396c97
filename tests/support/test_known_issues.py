"""Known issues: add, update, list, show, link, a set-based resolve of every linked open ticket, and matching on `ticket new`."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLE, assert_error

PRINTERS = "Etikettskrivere skriver ikke ut etter oppdatering"


@pytest.fixture
def loaded(db_url: str, golive, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-09T10:00+02:00")
    assert golive("apply", EXAMPLE).exit_code == 0
    return golive


def _ticket(golive, title: str, description: str = "", category: str = "printing"):  # noqa: ANN001, ANN202
    result = golive("ticket", "new", "--title", title, "--unit", "trondheim/legevakt", "--category", category,
                    "--impact", "medium", "--urgency", "medium", "--description", description, "--json")
    assert result.exit_code == 0, result.stderr
    return result


def _add(golive, title: str = PRINTERS, *extra: str) -> int:  # noqa: ANN001
    result = golive("known-issue", "add", "--title", title, "--workaround", "Start skriveren på nytt", *extra, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()["id"]


def test_add_update_list_and_show(loaded) -> None:  # noqa: ANN001
    ki = _add(loaded, "Pasient 15108695088 mangler i lista", "--category", "workflow")
    other = _add(loaded, PRINTERS)
    shown = loaded("known-issue", "show", ki, "--json").json()
    assert (shown["title"], shown["category"], shown["status"]) == ("Pasient [fnr fjernet] mangler i lista", "workflow", "open")
    t1 = _ticket(loaded, "Skriver på legevakta").json()["id"]
    t2 = _ticket(loaded, "Skriver på legevakta igjen").json()["id"]
    for t in (t1, t2):
        assert loaded("known-issue", "link", t, other).exit_code == 0
    again = loaded("known-issue", "link", t1, other)
    assert again.exit_code == 0 and "Nothing changed" in again.stderr
    listed = loaded("known-issue", "list", "--json").json()
    assert [(k["id"], k["open_tickets"]) for k in listed] == [(other, 2), (ki, 0)]  # most open tickets first
    detail = loaded("known-issue", "show", other, "--json").json()
    assert sorted(t["id"] for t in detail["tickets"]) == [t1, t2]
    history = loaded("ticket", "show", t1, "--json").json()["history"]
    assert ("known_issue", None, str(other)) in [(e["field"], e["old"], e["new"]) for e in history]

    changed = loaded("known-issue", "update", other, "--workaround", "Bruk skriveren i gangen", "--json")
    assert changed.exit_code == 0 and changed.json()["workaround"] == "Bruk skriveren i gangen"
    same = loaded("known-issue", "update", other, "--workaround", "Bruk skriveren i gangen")
    assert same.exit_code == 0 and "Nothing changed" in same.stderr
    assert_error(loaded("known-issue", "update", other, "--category", "printr"), "unknown category 'printr'", "printing")
    assert_error(loaded("known-issue", "show", 99), "no known issue 99")
    assert_error(loaded("known-issue", "link", 99, other), "no ticket 99")


def test_resolve_resolves_every_linked_open_ticket_in_one_statement(loaded, db_url: str) -> None:  # noqa: ANN001
    from sqlalchemy import event, update

    from rollout.clock import now
    from rollout.database import Database
    from rollout.settings import load_settings
    from support.known_issues import link_ticket, resolve_known_issue
    from support.models import Ticket, TicketWait

    ki = _add(loaded)
    linked = [_ticket(loaded, f"Skriver {n}").json()["id"] for n in range(6)]
    unlinked = _ticket(loaded, "Skriver uten kobling").json()["id"]
    db = Database(load_settings(db_url))
    with db.session(write=True) as session:
        for t in linked:
            link_ticket(session, ticket_id=t, known_issue_id=ki, actor="agent")
        # one linked ticket is already closed, one waits on the reporter, one is in progress
        session.execute(update(Ticket).where(Ticket.id == linked[0]).values(status="closed"))
        session.execute(update(Ticket).where(Ticket.id == linked[1]).values(status="waiting", waiting_on="reporter"))
        session.add(TicketWait(ticket_id=linked[1], on="reporter", reason="venter", started_at=now()))
        session.execute(update(Ticket).where(Ticket.id == linked[2]).values(status="in_progress", assignee="kari"))
    statements: list[str] = []
    engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with db.session(write=True) as session:
        view = resolve_known_issue(session, known_issue_id=ki, note="Ny driver 15108695088 rullet ut", actor="lead")
    db.dispose()
    assert view.resolved_tickets == 5
    ticket_updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE TICKET ")]
    assert len(ticket_updates) == 1, ticket_updates  # set-based: one UPDATE for all of them

    status = {t["id"]: t for t in loaded("ticket", "list", "--status", "all", "--json").json()}
    assert status[linked[0]]["status"] == "closed"
    assert [status[t]["status"] for t in linked[1:]] == ["resolved"] * 5
    assert status[unlinked]["status"] == "new"
    assert status[linked[2]]["assignee"] == "kari" and status[linked[1]]["waiting_on"] is None
    history = loaded("ticket", "show", linked[1], "--json").json()["history"]
    changes = [(e["field"], e["old"], e["new"], e["actor"]) for e in history]
    assert ("status", "waiting", "resolved", "lead") in changes
    assert ("resolution", None, "Ny driver [fnr fjernet] rullet ut", "lead") in changes
    assert loaded("ticket", "show", linked[1], "--json").json()["held_minutes"]["reporter"] >= 0
    shown = loaded("known-issue", "show", ki, "--json").json()
    assert (shown["status"], shown["open_tickets"], shown["resolution_note"]) == ("resolved", 0, "Ny driver [fnr fjernet] rullet ut")
    # resolved: no second resolve, no new links, not listed as open
    assert_error(loaded("known-issue", "resolve", ki, "--note", "igjen"), "already resolved")
    assert_error(loaded("known-issue", "link", unlinked, ki), "is resolved")
    assert loaded("known-issue", "list", "--json").json() == []
    assert [k["id"] for k in loaded("known-issue", "list", "--status", "all", "--json").json()] == [ki]


def test_resolve_through_the_cli_reports_the_count(loaded) -> None:  # noqa: ANN001
    ki = _add(loaded)
    for n in range(3):
        assert loaded("known-issue", "link", _ticket(loaded, f"Skriver {n}").json()["id"], ki, "--as", "kari").exit_code == 0
    result = loaded("known-issue", "resolve", ki, "--note", "Fikset i driver 4.2", "--as", "lead")
    assert result.exit_code == 0 and "3 open linked ticket(s) resolved" in result.stderr
    assert loaded("ticket", "list", "--json").json() == []  # none open


@pytest.mark.parametrize(
    "title",
    ["Etikettskrivaren skriv ikkje ut etikettar",  # nynorsk
     "Etikettskriveren skriver ikke ut etiketter"],  # bokmål
)
def test_ticket_new_shows_matching_open_known_issues(loaded, title: str) -> None:  # noqa: ANN001
    printers = _add(loaded, PRINTERS)
    _add(loaded, "Pasientlisten forsvinner ved bytte av enhet")
    result = _ticket(loaded, title, "på avdelinga i dag")
    assert [k["id"] for k in result.json()["known_issues"]] == [printers]
    assert f"Known issues that may match: #{printers} {PRINTERS}" in result.stderr
    assert result.json()["id"] and result.json()["status"] == "new"  # still the ticket


def test_unrelated_or_resolved_known_issues_are_not_suggested(loaded) -> None:  # noqa: ANN001
    printers = _add(loaded, PRINTERS)
    unrelated = _ticket(loaded, "Får ikke logget inn med HelseID", category="access")
    assert unrelated.json()["known_issues"] == [] and "Known issues" not in unrelated.stderr
    assert loaded("known-issue", "resolve", printers, "--note", "fikset").exit_code == 0
    assert _ticket(loaded, "Etikettskriveren skriver ikke ut").json()["known_issues"] == []
