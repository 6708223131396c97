"""What the spine adds to golive: organisations, units, plans and gates, their tables and migration branch, the demo's plans."""

from rollout.seams import CliGroup, FileSection, MigrationSet, Package

PACKAGE = Package(
    name="rollout",
    cli_groups=(
        CliGroup("org", "rollout.cli.catalog:org_app", "Organisations taking part in the rollout."),
        CliGroup("unit", "rollout.cli.catalog:unit_app", "Units (enheter) of the organisations."),
        CliGroup("plan", "rollout.cli.catalog:plan_app", "Phased rollout plans: phases, waves, gates."),
        CliGroup("gate", "rollout.cli.gates:gate_app", "Go/no-go gates: evaluate from the data, record decisions."),
        CliGroup("audit", "rollout.cli.audit:audit_app", "The audit log: who changed what, when, from what to what, newest first."),
        CliGroup("scheduler", "rollout.cli.scheduler:scheduler_app",
                 "The scheduler: jobs (SLA sweeps, reports, reminders, roster checks), their runs and history."),
        CliGroup("notify", "rollout.cli.notify:notify_app", "The notification outbox: what was sent, what failed, retry."),
    ),
    tables=("rollout.models", "rollout.notify", "rollout.scheduler.models"),
    # The spine's branch also holds the readiness (0002) and runbook (0003) tables, which predate branches.
    migrations=MigrationSet(branch="rollout", versions="rollout:migrations/versions", head="rollout.migrations:HEAD"),
    # the scheduler's jobs are registered last (they name plans; every package's job kinds are known by then)
    demo_steps=("rollout.demo:PLANS_STEP", "rollout.scheduler.demo:JOBS_STEP"),
    # who hears of the scheduler's events (report, runbook-reminder, roster-check)
    file_sections=(FileSection(key="notify", read="rollout.outbox.recipients:read_section",
                               apply="rollout.outbox.recipients:apply_section"),),
)
