"""A support desk for lifecycle tests: the example rollout with a support section, a clock on Monday 9 May 2022, tickets."""

from __future__ import annotations

from datetime import datetime, timedelta

from rollout.clock import parse_local

SUPPORT = """\
support:
  groups: [supportsenter, superbrukere, helseplattformen, hemit, norsk-helsenett]
  routing:
    - {category: access, group: hemit}
    - {category: configuration, group: helseplattformen}
    - {category: workflow, group: superbrukere}
  default_group: supportsenter
  escalation_group: supportsenter
  claim_timeout: 30m
"""
# Trondheim is in hypercare (5 May to 3 June 2022): its clocks run 24/7, so the arithmetic below is plain.
T0 = parse_local("2022-05-09 10:00", "Europe/Oslo")


def at(minutes: float) -> datetime:
    """T0 plus some minutes."""
    return T0 + timedelta(minutes=minutes)


def new_ticket(session, *, impact: str = "medium", urgency: str = "medium", category: str = "printing",  # noqa: ANN001
               created: datetime = T0, unit: str = "trondheim/legevakt") -> int:
    from support.tickets import create_ticket

    made = create_ticket(session, title="Etikettskriver skriver ikke", unit=unit, category=category, impact=impact,
                         urgency=urgency, actor="reporter", created_at=created)
    return made.ticket.id  # type: ignore[return-value]
