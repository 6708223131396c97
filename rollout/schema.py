"""Every table golive owns, on one metadata: each package's declared table modules, imported (for migrations, `info`, tests)."""

from __future__ import annotations

from rollout.registry import register_tables

metadata = register_tables()
