"""The ticket lifecycle: the status rules as one table, and each move as one versioned, audited write.

new → triaged → in_progress → waiting → in_progress → resolved → closed;
resolved → in_progress (reopen, within 7 days); any open status → merged (final).
new and triaged → in_progress is also how the queue claims a ticket.
Every move writes its events in the same transaction and refuses a stale write
(support.ticket_write). Only a wait on the reporter pauses the resolution clock:
on resume the due time moves by the SLA time waited (support.due).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from rollout.clock import now
from rollout.errors import InputError
from support.config import support_config
from support.merge import merge
from support.models import OPEN_STATUSES, TicketWait
from support.ticket_write import Outcome, StaleWrite, read_for_write, write
from support.tickets import choose
from support.transitions import (
    ALLOWED, MAX_REASON, REOPEN_WITHIN, WAIT_ON, TransitionRefused, allowed_from, check_transition, due_values, end_waits, require,
    text_of,
)
from support.triage import triage

__all__ = ["ALLOWED", "StaleWrite", "TransitionRefused", "allowed_from", "assign", "check_transition", "close", "comment",
           "escalate", "merge", "reopen", "resolve", "resume", "triage", "wait"]


def assign(session: Session, ticket_id: int, *, assignee: str, actor: str, expected_version: int | None = None,
           at: datetime | None = None) -> Outcome:
    """Give an open ticket to an agent; the status stays (claiming moves it, see support.queue)."""
    at = at or now()
    ticket, version = read_for_write(session, ticket_id, expected_version=expected_version)
    if ticket.status not in OPEN_STATUSES:
        raise TransitionRefused(f"ticket {ticket_id} is {ticket.status}: only open tickets are assigned")
    name = assignee.strip()
    if not name or len(name) > 200:
        raise InputError("give the agent's name (at most 200 characters)")
    return Outcome(write(session, ticket, expected=version, actor=actor, at=at, values={"assignee": name}))


def comment(session: Session, ticket_id: int, *, text: str, actor: str, expected_version: int | None = None,
            at: datetime | None = None) -> Outcome:
    """Add a comment (identity numbers masked); a merged ticket's comments live on the one it was merged into."""
    at = at or now()
    body, count = text_of(text, "comment")
    ticket, version = read_for_write(session, ticket_id, expected_version=expected_version)
    if ticket.status == "merged":
        raise TransitionRefused(f"ticket {ticket_id} was merged into ticket {ticket.merged_into_id}: comment there")
    return Outcome(write(session, ticket, expected=version, actor=actor, at=at, values={}, notes={"comment": body}), count)


def wait(session: Session, ticket_id: int, *, reason: str, on: str = "reporter", actor: str,
         expected_version: int | None = None, at: datetime | None = None) -> Outcome:
    """Put a ticket in progress on hold for a party; only the reporter pauses the resolution clock."""
    at = at or now()
    party = choose(on, WAIT_ON, "party to wait on")
    why, count = text_of(reason, "reason for waiting", limit=MAX_REASON)
    ticket, version = read_for_write(session, ticket_id, expected_version=expected_version)
    check_transition(ticket.status, "waiting", ticket_id=ticket_id)
    session.add(TicketWait(ticket_id=ticket_id, on=party, reason=why, started_at=at))
    return Outcome(write(session, ticket, expected=version, actor=actor, at=at,
                         values={"status": "waiting", "waiting_on": party}, notes={"wait_reason": why}), count)


def resume(session: Session, ticket_id: int, *, actor: str, expected_version: int | None = None,
           at: datetime | None = None) -> Outcome:
    """Back to work: the wait ends; after a wait on the reporter the resolution due moves by the SLA time waited."""
    at = at or now()
    ticket, version = read_for_write(session, ticket_id, expected_version=expected_version)
    require(ticket.status, "waiting", ticket_id=ticket_id, move="resume")
    check_transition(ticket.status, "in_progress", ticket_id=ticket_id)
    end_waits(session, ticket_id, at=at)
    values: dict[str, object] = {"status": "in_progress", "waiting_on": None}
    if ticket.waiting_on == "reporter":
        values.update(due_values(session, ticket))
    return Outcome(write(session, ticket, expected=version, actor=actor, at=at, values=values))


def resolve(session: Session, ticket_id: int, *, note: str, actor: str, expected_version: int | None = None,
            at: datetime | None = None) -> Outcome:
    """The fix is in: resolved (late if past the resolution due); it may be reopened for 7 days."""
    at = at or now()
    body, count = text_of(note, "resolution note")
    ticket, version = read_for_write(session, ticket_id, expected_version=expected_version)
    check_transition(ticket.status, "resolved", ticket_id=ticket_id)
    values = {"status": "resolved", "resolved_at": at,
              "resolution_breached": ticket.resolution_breached or at > ticket.resolution_due}
    return Outcome(write(session, ticket, expected=version, actor=actor, at=at, values=values,
                         notes={"resolution_note": body}), count)


def reopen(session: Session, ticket_id: int, *, reason: str, actor: str, expected_version: int | None = None,
           at: datetime | None = None) -> Outcome:
    """A resolved ticket back to in_progress, within 7 days of its resolution; after that, a new ticket."""
    from rollout.formats import when

    at = at or now()
    why, count = text_of(reason, "reason for reopening")
    ticket, version = read_for_write(session, ticket_id, expected_version=expected_version)
    require(ticket.status, "resolved", ticket_id=ticket_id, move="reopen")
    check_transition(ticket.status, "in_progress", ticket_id=ticket_id)
    if ticket.resolved_at is not None and at - ticket.resolved_at > REOPEN_WITHIN:
        raise TransitionRefused(
            f"ticket {ticket_id} was resolved {when(ticket.resolved_at, 'Europe/Oslo')}, more than 7 days ago: "
            "it can no longer be reopened; create a new ticket")
    return Outcome(write(session, ticket, expected=version, actor=actor, at=at,
                         values={"status": "in_progress", "resolved_at": None}, notes={"reopen_reason": why}), count)


def close(session: Session, ticket_id: int, *, actor: str, expected_version: int | None = None,
          at: datetime | None = None) -> Outcome:
    at = at or now()
    ticket, version = read_for_write(session, ticket_id, expected_version=expected_version)
    check_transition(ticket.status, "closed", ticket_id=ticket_id)
    return Outcome(write(session, ticket, expected=version, actor=actor, at=at, values={"status": "closed", "closed_at": at}))


def escalate(session: Session, ticket_id: int, *, reason: str, actor: str, group: str | None = None,
             expected_version: int | None = None, at: datetime | None = None) -> Outcome:
    """Hand an open ticket to the escalation group of the support settings, or to a named group."""
    at = at or now()
    cfg = support_config(session)
    why, count = text_of(reason, "reason for escalating")
    if group is not None:
        target = choose(group, cfg.groups, "group")
    elif cfg.escalation_group:
        target = cfg.escalation_group
    else:
        raise InputError("the support settings name no escalation_group: name one with --group")
    ticket, version = read_for_write(session, ticket_id, expected_version=expected_version)
    if ticket.status not in OPEN_STATUSES:
        raise TransitionRefused(f"ticket {ticket_id} is {ticket.status}: only open tickets are escalated")
    return Outcome(write(session, ticket, expected=version, actor=actor, at=at,
                         values={"resolver_group": target, "escalated": True}, notes={"escalation_reason": why}), count)
