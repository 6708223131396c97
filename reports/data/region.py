"""The region report: every plan side by side, each row read off that plan's own cutover report (the same figures)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from reports.model import NO_CHANGES, Changes, CutoverReport, RegionGate, RegionReport, RegionRow

REGION_TZ = "Europe/Oslo"


def region_row(report: CutoverReport) -> RegionRow:
    h, s = report.headline, report.support
    return RegionRow(
        plan=report.plan, plan_name=report.plan_name, organisation=report.organisation,
        organisation_name=report.organisation_name, rag=h.rag, reason=h.reason, stage=h.stage, phase=h.phase,
        go_live=h.go_live_planned, days_to_go_live=h.days_to_go_live,
        gates=tuple(RegionGate(gate=g.gate, due_at=g.due_at, verdict=g.verdict, decision=g.decision) for g in report.gates.gates),
        training_share=report.readiness.training_share, superuser_gaps=report.readiness.superuser_gaps,
        open_by_priority=s.backlog, open_total=s.open_total, sla_response=s.sla.response, sla_resolution=s.sla.resolution,
    )


def cutover_reports(session: Session, at: datetime) -> list[CutoverReport]:
    from rollout.plans import list_plans
    from reports.data.cutover import cutover_report

    return [cutover_report(session, plan, at) for plan, _org in list_plans(session)]


def region_report(session: Session, at: datetime, *, lang: str = "nb", changes: Changes = NO_CHANGES,
                  reports: list[CutoverReport] | None = None) -> RegionReport:
    """Every plan as of `at`, by go-live then key (the order `golive plan list` shows)."""
    reports = cutover_reports(session, at) if reports is None else reports
    return RegionReport(as_of=at, timezone=REGION_TZ, lang=lang, plans=tuple(region_row(r) for r in reports), changes=changes)
