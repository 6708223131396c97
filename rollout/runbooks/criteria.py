"""The runbook's gate criterion `runbook_due_done`: validated and described here, measured in `runbooks/gates.py`."""

from __future__ import annotations

from rollout.seams import Criterion, flag

RUNBOOK_DUE_DONE = Criterion(
    name="runbook_due_done",
    help="every runbook task planned to end by the gate's due time is done or skipped (true/false)",
    validate=lambda v: flag(v, "runbook_due_done"),
    describe=lambda v: "runbook tasks due are done" if v else "runbook not checked",
    measure="rollout.runbooks.gates:measure_runbook_due_done",
)
