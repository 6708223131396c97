"""Cutover runbooks: playbooks instantiated for a plan, live status, the critical path, what-if slips and rehearsals."""
