"""What the support package adds to golive. For now: the `open_p1_max` gate criterion, declared where tickets will live."""

from rollout.seams import Package

PACKAGE = Package(
    name="support",
    criteria=("support.criteria:OPEN_P1_MAX",),
)
