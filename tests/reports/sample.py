"""A realistic cutover and region report built by hand, hostile text included, for rendering tests.

`sample_cutover()` and `sample_region()` need no database. The texts a user
can write (unit names, ticket and known-issue titles, workarounds, notes,
owners) carry HTML and Markdown payloads that every renderer must neutralise.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from reports.model import (
    AgingBucket, CategoryCount, Change, Changes, CoverageRow, CriterionResult, CutoverReport, DayCount, Decision,
    GateResult, Gates, Headline, KnownIssueRow, OpenTicketRow, PathTask, PriorityCount, Readiness, Reason, RegionGate, RegionReport,
    RegionRow, Runbook, SlaCompliance, StaffingGapRow, StreamRow, Support, TaskRow, TrainingRow, UnitCount, WorstGap,
)

XSS = "<img src=x onerror=alert(1)>"
MD = "| pipes *stars* _under_ [link](http://evil.example) `tick`"
SCRIPT = "</script><script>alert('x')</script>"

AS_OF = datetime(2022, 5, 9, 5, 0, tzinfo=UTC)  # Monday 9 May 2022 07:00 in Oslo
GO_LIVE = datetime(2022, 5, 7, 4, 0, tzinfo=UTC)  # Saturday 7 May 06:00


def _u(hours: float) -> datetime:
    return AS_OF + timedelta(hours=hours)


def sample_headline() -> Headline:
    reasons = (
        Reason("gate_no_go", "red", {"gate": "T+2d", "criteria": ["open_p1_max"]}),
        Reason("open_p1", "red", {"open": 3, "maximum": 0}),
        Reason("sla_below_target", "amber", {"measure": "response", "share": 0.8125, "target": 0.9}),
        Reason("superuser_gaps", "amber", {"shifts": 2}),
    )
    return Headline(rag="red", reason=reasons[0], reasons=reasons, stage="hypercare", phase=f"Hypercare {XSS}",
                    go_live_planned=GO_LIVE, go_live_actual=GO_LIVE + timedelta(minutes=35), days_to_go_live=-2,
                    until_go_live=GO_LIVE - AS_OF, next_gate="T+7d", next_gate_due=_u(24 * 5))


def sample_gates() -> Gates:
    t1 = GateResult(gate="T-1d", wave=None, due_at=GO_LIVE - timedelta(days=1), due=True, verdict="GO", decision="GO", criteria=(
        CriterionResult("training_min", "training ≥ 90 %", 0.9, 0.9412, True),
        CriterionResult("superuser_ratio_max", "≤ 10 staff per superuser", 10, 8.5, True),
    ))
    t2 = GateResult(gate="T+2d", wave="Bølge 1 <b>", due_at=GO_LIVE + timedelta(days=2), due=True, verdict="NO-GO", decision=None, criteria=(
        CriterionResult("open_p1_max", "≤ 0 open P1 tickets", 0, 3, False, offenders=(f"#101 {XSS}", "#102 Innlogging feiler")),
        CriterionResult("custom_check", "custom_check=True", True, None, None),
    ))
    decisions = (
        Decision(gate="T-7d", decision="GO", by="Kari Nordmann", at=GO_LIVE - timedelta(days=7), note=f"Alt klart. {MD}"),
        Decision(gate="T-1d", decision="GO", by=f"Ola {XSS}", at=GO_LIVE - timedelta(days=1, hours=2), note=SCRIPT),
    )
    return Gates(verdict="NO-GO", gates=(t1, t2), decisions=decisions)


def sample_readiness() -> Readiness:
    units = [("legevakt", f"Legevakten {XSS}"), ("helsehus-a", "Helsehus | A *B*"), ("hjemme-ost", "Hjemmetjenesten øst")]
    roles = [("sykepleier", 0.9), ("lege", 1.0), ("helsefagarbeider", 0.9)]
    training = []
    figures = [(45, 50), (9, 10), (28, 30), (40, 48), (12, 12), (20, 25), (95, 100), (3, 4), (60, 61)]
    for i, ((unit, name), (role, minimum)) in enumerate((u, r) for u in units for r in roles):
        trained, total = figures[i]
        share = round(trained / total, 4)
        training.append(TrainingRow(unit, name, role, trained, total, share, minimum, share >= minimum))
    trained = sum(r.trained for r in training)
    total = sum(r.total for r in training)
    coverage = tuple(
        CoverageRow(unit, name, (_u(h)).date(), shift, _u(h), staff, sup, gap)
        for (unit, name), (h, shift, staff, sup, gap) in [
            (units[0], (0, "dag", 24, 3, 0)), (units[0], (8, "kveld", 18, 1, 1)), (units[0], (16, "natt", 9, 0, 1)),
            (units[1], (0, "dag", 30, 3, 0)), (units[2], (8, "kveld", 21, 2, 1)),
        ]
    )
    gaps = (
        StaffingGapRow("legevakt", units[0][1], date(2022, 5, 9), "natt", _u(16), 9, 10, 12, 3),
        StaffingGapRow("hjemme-ost", units[2][1], date(2022, 5, 10), "dag", _u(24), None, None, None, None),
    )
    worst = (
        WorstGap("training", "helsehus-a", units[1][1], "sykepleier", None, None, 8),
        WorstGap("superusers", "legevakt", units[0][1], None, date(2022, 5, 9), "natt", 1),
        WorstGap("staffing", "legevakt", units[0][1], None, date(2022, 5, 9), "natt", 3),
    )
    return Readiness(window_start=GO_LIVE - timedelta(days=2), window_end=GO_LIVE + timedelta(days=7), training_min=0.9,
                     training_share=round(trained / total, 4), trained=trained, total=total, training=tuple(training),
                     staffing_min=1.2, staffing_gaps=gaps, superuser_ratio=10, superuser_gaps=2, coverage_start=AS_OF,
                     coverage_end=_u(72), superuser_coverage=coverage, worst_gaps=worst)


def sample_runbook() -> Runbook:
    streams = (
        StreamRow("infrastruktur", 40, 40, 0, 0, 0, "green"),
        StreamRow(f"data {XSS}", 30, 34, 2, 1, 1, "red"),
        StreamRow("kommunikasjon | *info*", 12, 14, 1, 1, 0, "amber"),
    )
    late = (TaskRow("conv-lab", f"Konverter lab-svar {XSS}", "data", "Hemit", "running", _u(-30), _u(2), timedelta(hours=30), True),
            TaskRow("info-sms", "SMS til innbyggere | *hast*", "kommunikasjon", None, "planned", _u(-4), _u(1), timedelta(hours=4), False))
    blocked = (TaskRow("print-q", "Utskriftskø <script>", "data", "Norsk Helsenett", "blocked", _u(-10), _u(6), timedelta(hours=10), True),)
    path = (PathTask("conv-lab", f"Konverter lab-svar {XSS}", "running"), PathTask("print-q", "Utskriftskø <script>", "blocked"),
            PathTask("handover", "Overlevering til linjen", "planned"))
    return Runbook(present=True, done=82, total=88, streams=streams, late=late, blocked=blocked, critical_path=path,
                   planned_go_live=GO_LIVE, projected_go_live=GO_LIVE + timedelta(minutes=35),
                   actual_go_live=GO_LIVE + timedelta(minutes=35), go_live_delay=timedelta(minutes=35))


def sample_support() -> Support:
    days = tuple(DayCount(date(2022, 5, 7) + timedelta(days=i), o, r) for i, (o, r) in enumerate([(412, 250), (388, 401), (96, 80)]))
    return Support(
        since=date(2022, 5, 7), opened_total=896, open_total=169, open_p1=3, breached_open=12, days=days,
        backlog=(PriorityCount("P1", 3), PriorityCount("P2", 21), PriorityCount("P3", 98), PriorityCount("P4", 47)),
        by_category=(CategoryCount("tilgang", 61), CategoryCount(f"utskrift {XSS}", 40), CategoryCount("annet", 68)),
        sla=SlaCompliance(target=0.9, response=0.8125, response_met=650, response_due=800, resolution=0.9333,
                          resolution_met=560, resolution_due=600),
        aging=(AgingBucket("lt_4h", 40), AgingBucket("4h_1d", 70), AgingBucket("1d_3d", 50), AgingBucket("3d_7d", 9), AgingBucket("ge_7d", 0)),
        top_units=(UnitCount("legevakt", f"Legevakten {XSS}", 301, 60), UnitCount("helsehus-a", "Helsehus | A *B*", 250, 44),
                   UnitCount(None, None, 12, 3)),
        known_issues=(KnownIssueRow(1, f"Arbeidslister forsvinner {XSS}", "open", 87, f"Logg ut og inn igjen. {MD}"),
                      KnownIssueRow(2, "Brev sendes ikke | *viktig*", "open", 41, SCRIPT)),
        open_p1_tickets=(OpenTicketRow(205, "tilgang", f"Legevakten får ikke åpnet journal {XSS}", AS_OF - timedelta(hours=26),
                                       26 * 60),
                         OpenTicketRow(223, "utskrift", "Etiketter | *skrives* ikke", AS_OF - timedelta(minutes=95), 95)),
    )


def sample_changes() -> Changes:
    return Changes(baseline_as_of=AS_OF - timedelta(days=1), items=(
        Change("training_share", 0.9012, 0.9134, "better"),
        Change("open_p1", 1, 3, "worse"),
        Change("open_total", 169, 169, "same"),
        Change("sla_response", 0.85, 0.8125, "worse"),
    ))


def sample_cutover(*, changes: bool = True) -> CutoverReport:
    return CutoverReport(plan="trondheim-2022", plan_name=f"Trondheim kommune {XSS}", organisation="trondheim",
                         organisation_name="Trondheim kommune", timezone="Europe/Oslo", as_of=AS_OF, lang="nb",
                         headline=sample_headline(), gates=sample_gates(), readiness=sample_readiness(),
                         runbook=sample_runbook(), support=sample_support(),
                         changes=sample_changes() if changes else Changes(baseline_as_of=None, items=()))


def sample_region() -> RegionReport:
    h = sample_headline()
    rows = (
        RegionRow(plan="trondheim-2022", plan_name=f"Trondheim kommune {XSS}", organisation="trondheim",
                  organisation_name="Trondheim kommune", rag="red", reason=h.reason, stage="hypercare", phase="Hypercare",
                  go_live=GO_LIVE, days_to_go_live=-2,
                  gates=(RegionGate("T-1d", GO_LIVE - timedelta(days=1), "GO", "GO"), RegionGate("T+2d", GO_LIVE + timedelta(days=2), "NO-GO", None)),
                  training_share=0.9134, superuser_gaps=2,
                  open_by_priority=(PriorityCount("P1", 3), PriorityCount("P2", 21), PriorityCount("P3", 98), PriorityCount("P4", 47)),
                  open_total=169, sla_response=0.8125, sla_resolution=0.9333),
        RegionRow(plan="stolav-2022", plan_name="St. Olavs | *hospital*", organisation="stolav", organisation_name="St. Olavs hospital",
                  rag="green", reason=Reason("on_track", "green"), stage="preparation", phase=None,
                  go_live=datetime(2022, 11, 12, 2, 0, tzinfo=UTC), days_to_go_live=187, gates=(),
                  training_share=0.42, superuser_gaps=0,
                  open_by_priority=(PriorityCount("P1", 0), PriorityCount("P2", 0), PriorityCount("P3", 0), PriorityCount("P4", 0)),
                  open_total=0, sla_response=None, sla_resolution=None),
    )
    return RegionReport(as_of=AS_OF, timezone="Europe/Oslo", lang="nb", plans=rows,
                        changes=Changes(baseline_as_of=None, items=()))
