"""Readiness: people, training, staffing and superuser rosters, measured for go/no-go gates."""
