"""Support's gate criterion `open_p1_max`: at most N open P1 tickets for the plan's organisation.

Declared here because tickets are a support concept. Its measure arrives with
the ticket queue; until then the criterion reads "not measured yet" and a
gate that names it is NO-GO, never GO by default.
"""

from __future__ import annotations

from rollout.seams import Criterion, whole_number

OPEN_P1_MAX = Criterion(
    name="open_p1_max",
    help="most open P1 tickets allowed (a whole number)",
    validate=lambda v: whole_number(v, "open_p1_max"),
    describe=lambda v: f"open P1 ≤ {v}",
    measure=None,
)
