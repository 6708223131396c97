"""The status rules as one table, and the pieces every lifecycle move shares (support.lifecycle, .triage, .merge, .queue).

new → triaged → in_progress → waiting → in_progress → resolved → closed;
resolved → in_progress (reopen, within 7 days); any open status → merged (final).
new and triaged → in_progress is also how the queue claims a ticket.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session

from rollout.errors import GoliveError, InputError
from support.config import support_config
from support.due import DueCalculator
from support.models import Ticket, TicketWait
from support.tickets import masked

ALLOWED: dict[str, tuple[str, ...]] = {
    "new": ("triaged", "in_progress", "merged"),
    "triaged": ("in_progress", "merged"),
    "in_progress": ("waiting", "resolved", "merged"),
    "waiting": ("in_progress", "merged"),
    "resolved": ("in_progress", "closed"),
    "closed": (),
    "merged": (),
}
WAIT_ON = ("reporter", "partner", "change")
REOPEN_WITHIN = timedelta(days=7)
MAX_TEXT = 20_000
MAX_REASON = 500  # TicketWait.reason


class TransitionRefused(GoliveError):
    """A status change the lifecycle does not allow from where the ticket is."""


def allowed_from(status: str) -> str:
    moves = ALLOWED.get(status, ())
    return f"from {status} it may go to {', '.join(moves)}" if moves else f"{status} is final"


def check_transition(old: str, new: str, *, ticket_id: int | None = None) -> None:
    """Refuse a move the table does not allow, naming the moves that are."""
    if new not in ALLOWED.get(old, ()):
        which = f"ticket {ticket_id}" if ticket_id is not None else "a ticket"
        raise TransitionRefused(f"{which} cannot go from {old} to {new}; {allowed_from(old)}")


def require(status: str, needed: str, *, ticket_id: int, move: str) -> None:
    """Resume and reopen share their target with other moves: the table alone cannot tell them apart."""
    if status != needed:
        raise TransitionRefused(f"ticket {ticket_id} is {status}, not {needed}: nothing to {move}; {allowed_from(status)}")


def text_of(value: str | None, what: str, *, limit: int = MAX_TEXT) -> tuple[str, int]:
    """Free text through the PII guard before anything is written: (masked text, identity numbers removed)."""
    m = masked(value)
    text = m.text.strip()
    if not text:
        raise InputError(f"give a {what}")
    if len(text) > limit:
        raise InputError(f"the {what} is {len(text)} characters long; at most {limit} are allowed")
    return text, m.count


def first_move(ticket: Ticket, at: datetime) -> dict[str, object]:
    """Leaving `new` is the response: it stops the response clock (breached if late) and the resolution clock is next."""
    if ticket.responded_at is not None:
        return {}
    return {"responded_at": at, "response_breached": ticket.response_breached or at > ticket.response_due,
            "next_due": ticket.resolution_due, "next_risk_at": ticket.resolution_risk_at}


def end_waits(session: Session, ticket_id: int, *, at: datetime) -> None:
    session.execute(
        update(TicketWait).where(TicketWait.ticket_id == ticket_id, TicketWait.ended_at.is_(None))  # type: ignore[union-attr]
        .values(ended_at=at).execution_options(synchronize_session=False)
    )


def due_values(session: Session, ticket: Ticket, *, priority: str | None = None) -> dict[str, object]:
    """Due and at-risk instants from creation with the (new) priority and the finished reporter waits as pauses."""
    scratch = Ticket(id=ticket.id, organisation_id=ticket.organisation_id, created_at=ticket.created_at,
                     priority=priority or ticket.priority, responded_at=ticket.responded_at)  # never added to the session
    DueCalculator(session, support_config(session)).apply(scratch)
    return {k: getattr(scratch, k) for k in ("response_due", "resolution_due", "response_risk_at", "resolution_risk_at",
                                             "next_due", "next_risk_at")}
