"""The cutover report of one plan as of one instant: the sections, then the headline from them (reports.rag)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from rollout.models import Plan
from reports.model import NO_CHANGES, Changes, CutoverReport, Headline, Runbook

LANGUAGES = ("nb", "nn", "en")


def plan_language(plan: Plan) -> str:
    return plan.language if plan.language in LANGUAGES else "nb"


def open_p1_max(session: Session, plan: Plan) -> int:
    from rollout.readiness.scope import gate_threshold

    return int(gate_threshold(session, plan=plan, gate=None, criterion="open_p1_max", default=0))


def headline(session: Session, plan: Plan, at: datetime, *, gates, readiness, runbook: Runbook, support) -> Headline:  # noqa: ANN001
    from rollout.clock import to_local
    from rollout.plans import plan_view
    from reports.rag import colour, reasons

    view = plan_view(session, plan, at=at)
    found = reasons(gates=gates, readiness=readiness, runbook=runbook, support=support, open_p1_max=open_p1_max(session, plan),
                    at=at)
    go_live = runbook.actual_go_live or plan.go_live
    days = (to_local(plan.go_live, plan.timezone).date() - to_local(at, plan.timezone).date()).days
    return Headline(
        rag=colour(found), reason=found[0], reasons=found, stage=view.stage,
        phase=view.current_phase.name if view.current_phase else None,
        go_live_planned=plan.go_live, go_live_actual=runbook.actual_go_live, days_to_go_live=days,
        until_go_live=go_live - at,
        next_gate=view.next_gate.gate.key if view.next_gate else None,
        next_gate_due=view.next_gate.gate.due_at if view.next_gate else None,
    )


def cutover_report(session: Session, plan: Plan, at: datetime, *, changes: Changes = NO_CHANGES) -> CutoverReport:
    """Every section of `plan` as of `at` (changes since the last report come from reports.snapshots)."""
    from rollout.memo import shared_reads
    from rollout.models import Organisation
    from reports.data.gates import gates_section
    from reports.data.readiness import readiness_section
    from reports.data.runbook import runbook_section
    from reports.data.support import support_section

    org = session.get(Organisation, plan.organisation_id)
    with shared_reads(session):  # the gates and the readiness section read the same training and roster figures
        gates = gates_section(session, plan, at)
        readiness = readiness_section(session, plan, at)
        runbook = runbook_section(session, plan, at)
        support = support_section(session, plan, at)
    return CutoverReport(
        plan=plan.key, plan_name=plan.name, organisation=org.key if org else "", organisation_name=org.name if org else "",
        timezone=plan.timezone, as_of=at, lang=plan_language(plan),
        headline=headline(session, plan, at, gates=gates, readiness=readiness, runbook=runbook, support=support),
        gates=gates, readiness=readiness, runbook=runbook, support=support, changes=changes,
    )
