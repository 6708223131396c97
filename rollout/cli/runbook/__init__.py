"""`golive runbook …`: load a playbook for a plan, follow the cutover live, analyse slips, rehearse.

One module per command family; importing this package registers them all on
`runbook_app` (the root finds it at `rollout.cli.runbook:runbook_app`).
"""

from __future__ import annotations

from rollout.cli.runbook import analysis, rehearsals, show, simulation, status  # noqa: F401  (they register their commands)
from rollout.cli.runbook.common import runbook_app

__all__ = ["runbook_app"]
