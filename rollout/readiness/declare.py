"""What readiness adds to golive: people, training, staffing and roster commands, three gate criteria, tables, demo data."""

from rollout.seams import CliGroup, JobKind, JobParam, Package

PACKAGE = Package(
    name="rollout.readiness",
    cli_groups=(
        CliGroup("people", "rollout.cli.people:people_app", "People from HR: who works where, in which role, and who is a superuser."),
        CliGroup("training", "rollout.cli.training:training_app", "Training completions and who is trained."),
        CliGroup("staffing", "rollout.cli.staffing:staffing_app", "Planned and normal headcount per unit and shift."),
        CliGroup("roster", "rollout.cli.roster:roster_app", "Superuser rosters: who is on duty where, and the gaps."),
    ),
    criteria=(
        "rollout.readiness.criteria:TRAINING_MIN",
        "rollout.readiness.criteria:STAFF_PER_SUPERUSER_MAX",
        "rollout.readiness.criteria:STAFFING_MIN",
    ),
    tables=("rollout.readiness.models",),  # migrated on the rollout branch (0002)
    demo_steps=("rollout.readiness.demo:DEMO_STEP",),
    job_kinds=(
        JobKind("roster-check", "rollout.readiness.roster_check:roster_check_job",
                "Superuser and staffing gaps in the next hours: tell the plan's roster-check recipients.",
                params=(JobParam("plan", "the plan whose roster to check", required=True, type="plan"),
                        JobParam("hours", "how far ahead to look (default 72)", type="int", default="72"))),
    ),
)
