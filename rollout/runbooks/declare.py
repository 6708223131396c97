"""What the runbooks add to golive: the `runbook` commands, the `runbook_due_done` and `golive_p80_by` criteria, tables and the demo's weekend."""

from rollout.seams import CliGroup, JobKind, JobParam, Package

PACKAGE = Package(
    name="rollout.runbooks",
    cli_groups=(
        CliGroup("runbook", "rollout.cli.runbook:runbook_app",
                 "Cutover runbooks: T-minus tasks, live status, critical path, what-if slips, rehearsals."),
    ),
    criteria=("rollout.runbooks.criteria:RUNBOOK_DUE_DONE", "rollout.runbooks.criteria:GOLIVE_P80_BY"),
    tables=("rollout.runbooks.models",),  # migrated on the rollout branch (0003)
    demo_steps=("rollout.runbooks.demo:DEMO_STEP",),
    job_kinds=(
        JobKind("runbook-reminders", "rollout.runbooks.reminders:runbook_reminders_job",
                "Tasks starting within the lead time, or overdue: remind their owner (once per task start).",
                params=(JobParam("plan", "the plan whose runbook to watch", required=True, type="plan"),
                        JobParam("lead", "how far ahead to remind (default 1h)", type="duration", default="1h"))),
    ),
)
