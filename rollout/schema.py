"""Every table golive owns, registered on one metadata: for migrations, `golive info` and tests."""

from __future__ import annotations

from sqlmodel import SQLModel

import rollout.models  # noqa: F401  (the spine)
import rollout.readiness.models  # noqa: F401
import rollout.runbooks.models  # noqa: F401

metadata = SQLModel.metadata
