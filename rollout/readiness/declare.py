"""What readiness adds to golive: people, training, staffing and roster commands, three gate criteria, tables, demo data."""

from rollout.seams import CliGroup, Package

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
)
