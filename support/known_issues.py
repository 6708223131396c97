"""Known issues (known errors): one problem with a workaround that many tickets link to, resolved for all of them at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, literal, select, update
from sqlmodel import Session

from rollout import audit
from rollout.clock import iso, now
from rollout.coltypes import UTCDateTime
from rollout.errors import GoliveError, InputError, NotFound
from support import events
from support.config import support_config
from support.models import OPEN_STATUSES, KnownIssue, Ticket, TicketEvent, TicketWait
from support.tickets import MAX_TITLE, choose, get_ticket, masked

OSLO = "Europe/Oslo"
MAX_WORKAROUND = 20_000


@dataclass
class KnownIssueView:
    issue: KnownIssue
    open_tickets: int = 0  # linked tickets still open
    linked: int = 0  # linked tickets in any status
    tickets: list[dict[str, Any]] | None = None  # with `show`: the linked tickets
    masked: int = 0  # identity numbers removed on the way in
    resolved_tickets: int | None = None  # with `resolve`: how many it resolved

    def as_json(self) -> dict[str, Any]:
        ki = self.issue
        body: dict[str, Any] = {
            "id": ki.id, "title": ki.title, "workaround": ki.workaround, "category": ki.category, "status": ki.status,
            "created_at": iso(ki.created_at, OSLO), "resolved_at": iso(ki.resolved_at, OSLO),
            "resolution_note": ki.resolution_note, "open_tickets": self.open_tickets, "linked_tickets": self.linked,
        }
        if self.tickets is not None:
            body["tickets"] = self.tickets
        if self.masked:
            body["masked_identity_numbers"] = self.masked
        if self.resolved_tickets is not None:
            body["resolved_tickets"] = self.resolved_tickets
        return body


@dataclass
class KnownIssueMatch:
    id: int
    title: str
    workaround: str
    score: float

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "workaround": self.workaround, "score": self.score}


@dataclass
class Change:
    """What an update did: the view, and the fields it changed (empty: nothing changed)."""

    view: KnownIssueView
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def _text(value: str, what: str, limit: int) -> tuple[str, int]:
    m = masked(value)
    text = m.text.strip()
    if len(text) > limit:
        raise InputError(f"the {what} is {len(text)} characters long; at most {limit} are allowed")
    return text, m.count


def _category(session: Session, category: str | None) -> str | None:
    if category is None or not category.strip():
        return None
    return choose(category, support_config(session).categories, "category")


def _get(session: Session, known_issue_id: int, *, for_update: bool = False) -> KnownIssue:
    stmt = select(KnownIssue).where(KnownIssue.id == known_issue_id)
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()  # link and resolve serialise on the known issue's row
    issue = session.execute(stmt).scalars().first()
    if issue is None:
        raise NotFound(f"no known issue {known_issue_id}")
    return issue


def add_known_issue(session: Session, *, title: str, workaround: str, category: str | None, actor: str) -> KnownIssueView:
    """A new open known issue; title and workaround go through the PII guard first."""
    clean_title, n_title = _text(title, "title", MAX_TITLE)
    if not clean_title:
        raise InputError("a known issue needs a title")
    clean_workaround, n_work = _text(workaround, "workaround", MAX_WORKAROUND)
    issue = KnownIssue(title=clean_title, workaround=clean_workaround, category=_category(session, category),
                       status="open", created_at=now())
    session.add(issue)
    session.flush()
    audit.record(session, actor=actor, action="create", entity="known_issue", entity_key=str(issue.id),
                 changes={"title": clean_title, "category": issue.category})
    return KnownIssueView(issue=issue, masked=n_title + n_work)


def update_known_issue(
    session: Session, *, known_issue_id: int, actor: str,
    title: str | None = None, workaround: str | None = None, category: str | None = None,
) -> Change:
    """Change the title, workaround (publishing a new one) or category; only what differs is written and audited."""
    issue = _get(session, known_issue_id, for_update=True)
    wanted: dict[str, Any] = {}
    count = 0
    if title is not None:
        wanted["title"], n = _text(title, "title", MAX_TITLE)
        if not wanted["title"]:
            raise InputError("a known issue needs a title")
        count += n
    if workaround is not None:
        wanted["workaround"], n = _text(workaround, "workaround", MAX_WORKAROUND)
        count += n
    if category is not None:
        wanted["category"] = _category(session, category)
    changed = {k: (getattr(issue, k), v) for k, v in wanted.items() if getattr(issue, k) != v}
    for key, (_old, new) in changed.items():
        setattr(issue, key, new)
    if changed:
        audit.record(session, actor=actor, action="update", entity="known_issue", entity_key=str(issue.id),
                     changes={k: {"old": o, "new": n} for k, (o, n) in changed.items()})
        session.flush()
    return Change(view=_with_counts(session, issue, masked_count=count), changed=changed)


def _counts() -> Any:
    """Per known issue: linked tickets still open, and linked tickets in all (one grouped query)."""
    is_open = Ticket.status.in_(OPEN_STATUSES)  # type: ignore[attr-defined]
    return (
        select(Ticket.known_issue_id, func.count().filter(is_open), func.count())
        .where(Ticket.known_issue_id.is_not(None))  # type: ignore[union-attr]
        .group_by(Ticket.known_issue_id)
    )


def _with_counts(session: Session, issue: KnownIssue, *, masked_count: int = 0) -> KnownIssueView:
    row = session.execute(_counts().where(Ticket.known_issue_id == issue.id)).first()
    return KnownIssueView(issue=issue, open_tickets=row[1] if row else 0, linked=row[2] if row else 0, masked=masked_count)


def list_known_issues(session: Session, *, status: str = "open") -> list[KnownIssueView]:
    """Known issues (open by default; `resolved` or `all`), most open tickets first, with the counts from SQL."""
    status = choose(status, ("open", "resolved", "all"), "status")
    counts = _counts().subquery()
    open_count = func.coalesce(counts.c[1], 0)
    stmt = (
        select(KnownIssue, open_count, func.coalesce(counts.c[2], 0))
        .outerjoin(counts, counts.c.known_issue_id == KnownIssue.id)
        .order_by(open_count.desc(), KnownIssue.id)
    )
    if status != "all":
        stmt = stmt.where(KnownIssue.status == status)
    return [KnownIssueView(issue=ki, open_tickets=o, linked=n) for ki, o, n in session.execute(stmt)]


def show_known_issue(session: Session, *, known_issue_id: int) -> KnownIssueView:
    """The known issue with its linked tickets, open ones first."""
    view = _with_counts(session, _get(session, known_issue_id))
    rows = session.execute(
        select(Ticket.id, Ticket.title, Ticket.status, Ticket.priority, Ticket.resolver_group, Ticket.created_at)
        .where(Ticket.known_issue_id == known_issue_id)
        .order_by(Ticket.status.not_in(OPEN_STATUSES), Ticket.priority, Ticket.id)  # type: ignore[attr-defined]
    )
    view.tickets = [{"id": i, "title": t, "status": s, "priority": p, "group": g, "created_at": iso(c, OSLO)}
                    for i, t, s, p, g, c in rows]
    return view


def link_ticket(session: Session, *, ticket_id: int, known_issue_id: int, actor: str) -> bool:
    """Link a ticket to an open known issue (an event on the ticket); False when it already was."""
    issue = _get(session, known_issue_id, for_update=True)
    if issue.status != "open":
        raise GoliveError(f"known issue {known_issue_id} is resolved; link tickets only to open known issues")
    ticket = get_ticket(session, ticket_id, for_update=True)
    if ticket.known_issue_id == known_issue_id:
        return False
    if ticket.status == "merged":
        raise GoliveError(f"ticket {ticket_id} is merged into {ticket.merged_into_id}; link that ticket instead")
    at = now()
    old = ticket.known_issue_id
    ticket.known_issue_id, ticket.updated_at, ticket.version = known_issue_id, at, ticket.version + 1
    session.flush()
    events.record(session, ticket_id=ticket_id, actor=actor, at=at, changes={"known_issue": (old, known_issue_id)})
    return True


def resolve_known_issue(session: Session, *, known_issue_id: int, note: str, actor: str) -> KnownIssueView:
    """Resolve the known issue and every open ticket linked to it with the note, set-based, in the caller's transaction.

    The tickets' events are written by INSERT … SELECT from the same rows before
    the one UPDATE, so each ticket's history names its own old status.
    """
    issue = _get(session, known_issue_id, for_update=True)
    if issue.status != "open":
        raise GoliveError(f"known issue {known_issue_id} is already resolved ({iso(issue.resolved_at, OSLO)})")
    clean_note, count = _text(note, "note", MAX_WORKAROUND)
    if not clean_note:
        raise InputError("resolving a known issue needs a --note saying what fixed it")
    at = now()
    linked_open = and_(Ticket.known_issue_id == known_issue_id, Ticket.status.in_(OPEN_STATUSES))  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Ticket.id).where(linked_open).with_for_update())  # hold the rows until the UPDATE
    when = bindparam("at", at, type_=UTCDateTime())
    for field_name, old, new in (("status", Ticket.status, literal("resolved")), ("resolution", None, literal(clean_note))):
        session.execute(insert(TicketEvent).from_select(
            ["ticket_id", "at", "actor", "field", "old", "new"],
            select(Ticket.id, when, literal(actor), literal(field_name), old if old is not None else literal(None), new)
            .where(linked_open),
        ))
    # a waiting ticket's wait ends with it
    session.execute(
        update(TicketWait).where(TicketWait.ended_at.is_(None),  # type: ignore[union-attr]
                                 TicketWait.ticket_id.in_(select(Ticket.id).where(linked_open, Ticket.status == "waiting")))
        .values(ended_at=at)
    )
    resolved = session.execute(
        update(Ticket).where(linked_open).values(
            status="resolved", resolved_at=at, updated_at=at, waiting_on=None, version=Ticket.version + 1,
            responded_at=func.coalesce(Ticket.responded_at, at),  # leaving `new` is the response
            next_due=Ticket.resolution_due, next_risk_at=Ticket.resolution_risk_at,
        ).execution_options(synchronize_session=False)
    ).rowcount
    issue.status, issue.resolved_at, issue.resolution_note = "resolved", at, clean_note
    session.flush()
    audit.record(session, actor=actor, action="resolve", entity="known_issue", entity_key=str(issue.id),
                 changes={"resolved_tickets": resolved})
    view = _with_counts(session, issue, masked_count=count)
    view.resolved_tickets = resolved
    return view


def matching_known_issues(session: Session, text: str, *, limit: int = 3) -> list[KnownIssueMatch]:
    """The open known issues a ticket's text most likely is (bokmål or nynorsk), best first."""
    from support.matching import match_known_issues

    rows = {i: (t, w) for i, t, w in session.execute(
        select(KnownIssue.id, KnownIssue.title, KnownIssue.workaround).where(KnownIssue.status == "open")
    )}
    if not rows:
        return []
    hits = match_known_issues(text, [(i, t) for i, (t, _w) in rows.items()], limit=limit)
    return [KnownIssueMatch(id=i, title=rows[i][0], workaround=rows[i][1], score=score) for i, score in hits]

