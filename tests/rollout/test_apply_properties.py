"""Invariants of `golive apply` over generated rollout files: a re-run changes nothing, a dry run shows the real run."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_counter = itertools.count()

unit = st.fixed_dictionaries(
    {
        "key": st.sampled_from(["legevakt", "helsehus", "hjemme", "skole", "fengsel", "akutt"]),
        "staff": st.integers(min_value=0, max_value=5000),
        "hours": st.sampled_from(["24/7", "weekdays"]),
    }
)
plan_shape = st.fixed_dictionaries(
    {
        "units": st.lists(unit, min_size=1, max_size=4, unique_by=lambda u: u["key"]),
        "day": st.integers(min_value=1, max_value=28),
        "month": st.sampled_from([3, 5, 10, 11]),
        "hour": st.sampled_from([0, 1, 3, 6, 23]),  # never 02:xx: those may not exist or happen twice
        "gates": st.lists(st.sampled_from(["T-7d", "T-1d", "T-24h", "T-90m", "T+2d", "T-1d12h"]), max_size=4, unique=True),
    }
)


def render(shape: dict, prefix: str) -> str:
    go_live = f"2026-{shape['month']:02d}-{shape['day']:02d}T{shape['hour']:02d}:00"
    units = "\n".join(
        f"      - {{key: {u['key']}, name: {u['key'].title()}, hours: \"{u['hours']}\", staff: {u['staff']}}}" for u in shape["units"]
    )
    gates = "\n".join(f"      - {{key: g{i}, at: {g}, criteria: {{training_min: 0.9}}}}" for i, g in enumerate(shape["gates"]))
    return (
        f"organisations:\n  - key: {prefix}\n    name: Kommune {prefix}\n    kind: municipality\n    units:\n{units}\n"
        f"plans:\n  - key: {prefix}-plan\n    organisation: {prefix}\n    name: Plan\n"
        f"    cutover_start: 2026-01-02T08:00\n    go_live: {go_live}\n"
        f"    waves:\n      - {{name: Alle, units: [{', '.join(u['key'] for u in shape['units'])}]}}\n"
        + (f"    gates:\n{gates}\n" if gates else "")
    )


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=plan_shape, second=plan_shape)
def test_rerun_changes_nothing_and_dry_run_matches(db_url, golive, rollout_file, first: dict, second: dict) -> None:  # noqa: ANN001
    prefix = f"k{next(_counter)}"  # every example gets organisations of its own in the shared database
    a = rollout_file(render(first, prefix), name=f"{prefix}-a.yaml")
    b = rollout_file(render(second, prefix), name=f"{prefix}-b.yaml")
    applied = golive("apply", a, "--json")
    assert applied.exit_code == 0, applied.stderr
    assert golive("apply", a, "--json").json()["changed"] is False
    before = golive("info", "--json").json()["counts"]
    dry = golive("apply", b, "--dry-run", "--json").json()
    assert golive("info", "--json").json()["counts"] == before  # a dry run writes nothing
    real = golive("apply", b, "--json").json()
    assert dry["changes"] == real["changes"]
    assert golive("apply", b, "--json").json()["changed"] is False
    shown = golive("plan", "show", f"{prefix}-plan", "--json").json()
    assert sorted(shown["waves"][0]["units"]) == sorted(u["key"] for u in second["units"])
