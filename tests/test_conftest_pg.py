"""The PostgreSQL half of the suite cannot be skipped quietly where it is required."""

from __future__ import annotations

import pytest

from tests.conftest import PG_ENV, pg_admin_url


def test_required_postgres_fails_instead_of_skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PG_ENV, raising=False)
    monkeypatch.setenv("GOLIVE_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="CI must run the PostgreSQL half"):
        pg_admin_url()
