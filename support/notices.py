"""Notifications support writes to the spine's outbox: a new P1 ticket, and the SLA sweep's escalations.

Recipients are the resolver group's contacts from the rollout file. Bodies
carry the ticket's id, priority, category, title and due times, never its
description: that is free text from clinicians and could hold health data.
Escalations go out as one digest per group per sweep, so an outage that
breaches two hundred tickets at once sends one message, not two hundred.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

from rollout.formats import when
from rollout.notify import Notification, queue_notification
from rollout.organisations import contacts_for

OSLO = "Europe/Oslo"
NEW_P1 = "new-p1"
ESCALATION = "sla-escalation"


def notify_new_p1(session: Session, ticket: Any) -> Notification | None:
    """A new P1 ticket tells its resolver group's contacts (one row each; the first is returned); None when it is not P1,
    the group has no contacts, or the ticket was already announced (raised to P1 twice)."""
    if ticket.priority != "P1":
        return None
    recipients = contacts_for(session, ticket.resolver_group)
    body = "\n".join([
        f"Ticket #{ticket.id} is P1 ({ticket.category}) and routed to {ticket.resolver_group}.",
        f"Title: {ticket.title}",
        f"Created: {when(ticket.created_at, OSLO)}",
        f"Response due: {when(ticket.response_due, OSLO)}",
        f"Resolution due: {when(ticket.resolution_due, OSLO)}",
        "",
        f"golive ticket show {ticket.id}",
    ])
    rows = queue_notification(session, kind=NEW_P1, recipients=recipients,
                              subject=f"P1 #{ticket.id}: {ticket.title}", body=body, at=ticket.created_at,
                              key=f"{NEW_P1}|ticket:{ticket.id}")
    return rows[0] if rows else None


def _escalation_line(row: Any) -> str:
    which = [name for name, flag in (("response", row.response_breached), ("resolution", row.resolution_breached)) if flag]
    due = row.response_due if row.responded_at is None else row.resolution_due
    return f"#{row.id} {row.priority} {row.category}: {row.title} (breached {' and '.join(which)}; due {when(due, OSLO)})"


def notify_escalations(session: Session, rows: Sequence[Any], *, group: str | None, at: datetime) -> tuple[int, int]:
    """One digest per group the escalated tickets now sit in; returns (notifications written, tickets nobody could be told of)."""
    by_group: dict[str, list[Any]] = {}
    for row in rows:
        by_group.setdefault(group or row.resolver_group, []).append(row)
    written = unnotified = 0
    for key, tickets in sorted(by_group.items()):
        recipients = contacts_for(session, key)
        if not recipients:
            unnotified += len(tickets)
            continue
        tickets = sorted(tickets, key=lambda r: (r.priority, r.id))
        subject = (f"SLA breached: #{tickets[0].id} {tickets[0].priority} escalated to {key}" if len(tickets) == 1
                   else f"SLA breached: {len(tickets)} tickets escalated to {key}")
        body = "\n".join([f"Escalated to {key} at {when(at, OSLO)}:", *(_escalation_line(r) for r in tickets), "",
                          "golive sla check"])
        queue_notification(session, kind=ESCALATION, recipients=recipients, subject=subject, body=body, at=at)
        written += 1
    return written, unnotified
