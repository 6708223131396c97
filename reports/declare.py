"""What the reports package adds to golive: the `report` commands, the snapshot table on its own migration branch,
and the demo's final reports. The scheduler's `report` job calls `reports.service:write_reports`."""

from rollout.seams import CliGroup, MigrationSet, Package

PACKAGE = Package(
    name="reports",
    cli_groups=(
        CliGroup("report", "reports.cli:report_app", "Cutover status reports for management: HTML, Markdown or JSON, in nb, nn or en."),
    ),
    tables=("reports.models",),
    migrations=MigrationSet(branch="reports", versions="reports:migrations/versions", head="reports.migrations:HEAD",
                            depends_on=("s0001",)),
    demo_steps=("reports.demo:DEMO_STEP",),
)
