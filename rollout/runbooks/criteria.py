"""The runbook's gate criterion `runbook_due_done`: validated and described here, measured in `runbooks/gates.py`."""

from __future__ import annotations

from rollout.seams import Criterion, CriterionValueError, flag

RUNBOOK_DUE_DONE = Criterion(
    name="runbook_due_done",
    help="every runbook task planned to end by the gate's due time is done or skipped (true/false)",
    validate=lambda v: flag(v, "runbook_due_done"),
    describe=lambda v: "runbook tasks due are done" if v else "runbook not checked",
    measure="rollout.runbooks.gates:measure_runbook_due_done",
)


def _validate_p80_by(value: object) -> str:
    from rollout.offsets import OffsetError, parse_offset

    if isinstance(value, bool) or not isinstance(value, str):
        raise CriterionValueError(f"golive_p80_by must be an offset from go-live like T+2h, not {value!r}")
    try:
        return str(parse_offset(value))
    except OffsetError as e:
        raise CriterionValueError(f"golive_p80_by: {e}") from None


GOLIVE_P80_BY = Criterion(
    name="golive_p80_by",
    help="P80 of the simulated go-live (runbook simulate, fixed seed) is no later than go-live plus this offset (like T+2h)",
    validate=_validate_p80_by,
    describe=lambda v: f"simulated P80 go-live by {v}",
    measure="rollout.runbooks.gates:measure_golive_p80_by",
)
