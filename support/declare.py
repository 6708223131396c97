"""What the support package adds to golive: ticket, known-issue and SLA commands, the open_p1_max criterion,
its tables on its own migration branch, the rollout file's `support:` section, the demo's tickets and the SLA sweep."""

from rollout.seams import CliGroup, FileSection, JobKind, MigrationSet, Package

PACKAGE = Package(
    name="support",
    cli_groups=(
        CliGroup("ticket", "support.cli.tickets:ticket_app", "Support tickets: create, take the next, triage, work, resolve."),
        CliGroup("known-issue", "support.cli.known_issues:known_issue_app", "Known issues: problems with a workaround that many tickets link to."),
        CliGroup("sla", "support.cli.sla:sla_app", "SLA clocks: breached and at-risk tickets, and the sweep that escalates."),
    ),
    criteria=("support.criteria:OPEN_P1_MAX",),
    tables=("support.models",),
    migrations=MigrationSet(branch="support", versions="support:migrations/versions", head="support.migrations:HEAD",
                            depends_on=("0006",)),
    demo_steps=("support.demo:DEMO_STEP",),
    file_sections=(FileSection(key="support", read="support.config:read_section", apply="support.config:apply_section"),),
    job_kinds=(JobKind("sla-sweep", "support.jobs:sla_sweep_job", "Mark breaches, escalate breached P1/P2, release stale claims."),),
)
