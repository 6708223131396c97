"""What the reports package adds to golive: the `report` commands, the snapshot table on its own migration branch,
the demo's final reports, and the scheduler's `report` job (reports.jobs, which calls `reports.service:write_reports`)."""

from rollout.seams import CliGroup, JobKind, JobParam, MigrationSet, Package

PACKAGE = Package(
    name="reports",
    cli_groups=(
        CliGroup("report", "reports.cli:report_app", "Cutover status reports for management: HTML, Markdown or JSON, in nb, nn or en."),
    ),
    tables=("reports.models",),
    migrations=MigrationSet(branch="reports", versions="reports:migrations/versions", head="reports.migrations:HEAD",
                            depends_on=("s0001",)),
    demo_steps=("reports.demo:DEMO_STEP",),
    job_kinds=(
        JobKind("report", "reports.jobs:report_job",
                "Write the cutover report (or the region report) and tell the report recipients where the files are.",
                params=(JobParam("plan", "the plan whose cutover report to write (none: the region report)", type="plan"),
                        JobParam("formats", "comma-separated formats: html, md, json (default html, or json without the renderer)",
                                 type="list", validate="reports.jobs:check_formats"),
                        JobParam("folder", "where the files go (default: reports/ beside the database)", type="path",
                                 validate="reports.jobs:check_folder"),
                        JobParam("keep", "keep only the newest N files of each format", type="int",
                                 validate="reports.jobs:check_keep"))),
    ),
)
