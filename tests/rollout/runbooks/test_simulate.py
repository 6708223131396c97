"""`runbook simulate` end to end on both backends: hand-computed percentiles, DST, seeds, bad input, writes nothing.

The plan is the DST fixture's (go-live Sunday 29 March 2026 06:00 +02:00) with
a small playbook of its own. Two rehearsals, DR1 and DR2, record the actual
times; the duration model draws from them.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_error
from tests.rollout.runbooks.helpers import ROLLOUT, counts, setup_plan

CHAIN = """\
name: sim-chain
streams: [K, M, L]
tasks:
  - key: t1
    title: First conversion step
    stream: K
    owner: hemit
    at: T-2h
    duration: 1h
  - key: t2
    title: Second conversion step
    stream: STREAM2
    owner: hemit
    after: [t1]
    duration: 1h
  - key: go-live
    title: In use
    stream: L
    milestone: go-live
    after: [t2]
"""

# Over the spring night: x starts at T-5h (00:00 CET) and takes 1 h or 2 h; the go-live has no time of its own.
NIGHT = """\
name: sim-night
streams: [K, L]
tasks:
  - key: x
    title: Night conversion
    stream: K
    owner: hemit
    at: T-5h
    duration: 2h
  - key: go-live
    title: In use
    stream: L
    milestone: go-live
    after: [x]
"""

AT = "2026-03-28T12:00"  # before anything starts


def rehearse(golive, name: str, go_live: str, steps: list[tuple[str, str, str]]) -> None:  # noqa: ANN001
    """Start rehearsal `name` and record (task, start, end) local times in order."""
    assert golive("runbook", "rehearse", "dst-2026", "--name", name, "--go-live", go_live).exit_code == 0
    for task, start, end in steps:
        for action, at in (("start", start), ("done", end)):
            result = golive("runbook", action, "dst-2026", task, "--run", name, "--at", at)
            assert result.exit_code == 0, result.stderr


def chain_rehearsals(golive, *, t2_minutes: tuple[int, int] = (60, 120)) -> None:  # noqa: ANN001
    """DR1: both steps on plan; DR2: t1 took 2 h, t2 as given (2 h by default)."""
    rehearse(golive, "DR1", "2026-03-01T06:00", [("t1", "2026-03-01T04:00", "2026-03-01T05:00"), ("t2", "2026-03-01T05:00", "2026-03-01T06:00"),
                                                  ("go-live", "2026-03-01T06:00", "2026-03-01T06:00")])
    end = f"2026-03-08T{6 + t2_minutes[1] // 60:02d}:00"
    rehearse(golive, "DR2", "2026-03-08T06:00", [("t1", "2026-03-08T04:00", "2026-03-08T06:00"), ("t2", "2026-03-08T06:00", end),
                                                  ("go-live", end, end)])


def simulate(golive, *args: str) -> dict:  # noqa: ANN001
    result = golive("runbook", "simulate", "dst-2026", "--at", AT, "--seed", "7", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_a_chain_of_two_steps_drawn_from_their_stream(db_url, golive, rollout_file):
    """Stream K's ratios are 1, 1, 2, 2 (t1 and t2 in DR1 and DR2): the go-live is 2, 3 or 4 h after 04:00 (¼, ½, ¼)."""
    setup_plan(golive, rollout_file, playbook=CHAIN.replace("STREAM2", "K"))
    chain_rehearsals(golive)
    before = counts(golive)
    data = simulate(golive)
    assert data["rehearsals"] == ["DR1", "DR2"] and data["seed"] == 7 and data["runs"] == 10_000
    assert data["planned_go_live"] == data["projected_go_live"] == "2026-03-29T06:00+02:00"
    assert (data["p50"], data["p80"], data["p95"]) == ("2026-03-29T07:00+02:00", "2026-03-29T08:00+02:00", "2026-03-29T08:00+02:00")
    assert 0.22 < data["probability_on_time"] < 0.28
    tasks = {t["key"]: t for t in data["tasks"]}
    assert tasks["t1"]["source"] == tasks["t2"]["source"] == "stream" and tasks["t1"]["ratios"] == 4 and tasks["t1"]["observed"] == 2
    assert tasks["t1"]["criticality"] == tasks["t2"]["criticality"] == 1.0
    assert data["most_critical"] == ["t1", "t2"]
    assert tasks["t1"]["delay_p80_minutes"] == 60
    hist = data["distribution"]["histogram"]
    assert hist[0]["start"] == "2026-03-29T06:00+02:00" and hist[-1]["start"] == "2026-03-29T08:00+02:00" and len(hist) == 9
    assert sum(b["count"] for b in hist) == 10_000 and [b["count"] for b in hist][1:4] == [0, 0, 0]
    final = next(g for g in data["gates"] if g["key"] == "final")  # plan gate at T-2h: nothing planned to end by 04:00
    assert final["kind"] == "plan" and final["probability"] == 1.0
    assert counts(golive) == before  # a what-if: nothing written


def test_one_step_with_ratios_1x_and_2x_has_exact_percentiles(db_url, golive, rollout_file):
    """t1 took 1 h in DR1 and 2 h in DR2 (its stream has nothing else); t2 always 1 h: exactly half the runs are on time."""
    setup_plan(golive, rollout_file, playbook=CHAIN.replace("STREAM2", "M"))
    chain_rehearsals(golive, t2_minutes=(60, 60))
    data = simulate(golive)
    assert (data["p50"], data["p80"], data["p95"]) == ("2026-03-29T06:00+02:00", "2026-03-29T07:00+02:00", "2026-03-29T07:00+02:00")
    assert data["probability_on_time"] == 0.5
    tasks = {t["key"]: t for t in data["tasks"]}
    assert tasks["t2"]["ratios"] == 2 and tasks["t1"]["ratios"] == 2  # M = {1, 1}: t2 keeps its hour
    percentiles = {p["p"]: p["at"] for p in data["distribution"]["percentiles"]}
    assert percentiles[50] == "2026-03-29T06:00+02:00" and percentiles[60] == "2026-03-29T07:00+02:00"


def test_the_spring_night_is_reported_in_the_right_offset(db_url, golive, rollout_file):
    """x from 00:00 CET for 1 h or 2 h: the go-live is 01:00+01:00 or 03:00+02:00 (02:00-03:00 does not exist)."""
    setup_plan(golive, rollout_file, playbook=NIGHT)
    rehearse(golive, "DR1", "2026-03-01T06:00", [("x", "2026-03-01T01:00", "2026-03-01T02:00"), ("go-live", "2026-03-01T02:00", "2026-03-01T02:00")])
    rehearse(golive, "DR2", "2026-03-08T06:00", [("x", "2026-03-08T01:00", "2026-03-08T03:00"), ("go-live", "2026-03-08T03:00", "2026-03-08T03:00")])
    data = simulate(golive)
    assert data["planned_go_live"] == "2026-03-29T03:00+02:00"
    assert (data["p50"], data["p95"]) == ("2026-03-29T01:00+01:00", "2026-03-29T03:00+02:00")
    assert data["probability_on_time"] == 1.0
    starts = [b["start"] for b in data["distribution"]["histogram"]]
    assert starts == ["2026-03-29T01:00+01:00", "2026-03-29T01:15+01:00", "2026-03-29T01:30+01:00", "2026-03-29T01:45+01:00", "2026-03-29T03:00+02:00"]
    text = golive("runbook", "simulate", "dst-2026", "--at", AT, "--seed", "7")
    assert text.exit_code == 0 and "2026-03-29 01:00" in text.stdout and "2026-03-29 03:00" in text.stdout


def test_the_same_seed_gives_the_same_output_and_no_seed_prints_one(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file, playbook=CHAIN.replace("STREAM2", "K"))
    chain_rehearsals(golive)
    args = ("runbook", "simulate", "dst-2026", "--at", AT, "--runs", "3000")
    first, second = golive(*args, "--seed", "42"), golive(*args, "--seed", "42")
    assert first.exit_code == 0 and first.stdout == second.stdout and "seed 42" in first.stdout
    assert "Seed" not in first.stderr  # given, so not repeated
    assert golive(*args, "--seed", "42", "--json").json() == golive(*args, "--seed", "42", "--json").json()
    unseeded = golive(*args, "--json")
    assert unseeded.exit_code == 0
    seed = unseeded.json()["seed"]
    assert f"--seed {seed}" in unseeded.stderr
    assert golive(*args, "--json", "--seed", str(seed)).json() == unseeded.json()


def test_without_rehearsal_data_every_percentile_is_the_projection(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)  # the DST fixture's own playbook, no rehearsal
    golive("runbook", "start", "dst-2026", "a", "--at", "2026-03-28T17:30")  # late: the projection moves
    data = golive("runbook", "simulate", "dst-2026", "--at", "2026-03-28T18:00", "--runs", "500", "--json").json()
    assert data["rehearsal_data"] is False and data["rehearsals"] == []
    assert data["p50"] == data["p80"] == data["p95"] == data["projected_go_live"] == "2026-03-29T06:30+02:00"
    assert data["probability_on_time"] == 0.0 and "No rehearsal data found" in data["messages"][0]
    view = golive("runbook", "critical-path", "dst-2026", "--at", "2026-03-28T18:00", "--json").json()
    tasks = {t["key"]: t for t in data["tasks"]}
    assert {k for k, t in tasks.items() if t["criticality"] == 1.0} == set(view["critical_path"])
    text = golive("runbook", "simulate", "dst-2026", "--at", "2026-03-28T18:00", "--runs", "500", "--seed", "1")
    assert "No rehearsal data found" in text.stdout and "What-if only: nothing written." in text.stderr


def test_unfinished_rehearsals_are_left_out_by_default_and_refused_by_name(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file, playbook=CHAIN.replace("STREAM2", "K"))
    chain_rehearsals(golive)
    rehearse(golive, "DR3", "2026-03-15T06:00", [("t1", "2026-03-15T04:00", "2026-03-15T09:00")])  # stopped after t1
    assert simulate(golive)["rehearsals"] == ["DR1", "DR2"]
    assert simulate(golive, "--from-rehearsals", "DR2")["rehearsals"] == ["DR2"]
    before = counts(golive)
    assert_error(golive("runbook", "simulate", "dst-2026", "--from-rehearsals", "DR1,DR3"), "rehearsal 'DR3'", "never finished")
    assert_error(golive("runbook", "simulate", "dst-2026", "--from-rehearsals", "DR22"), "no rehearsal 'DR22'", "did you mean 'DR2'")
    assert_error(golive("runbook", "simulate", "dst-2026", "--from-rehearsals", "live"), "'live' is the real cutover")
    assert_error(golive("runbook", "simulate", "dst-2026", "--run", "DR22"), "no run 'DR22'", "did you mean 'DR2'")
    assert counts(golive) == before


@pytest.mark.parametrize("runs", ["0", "1000001", "-5"])
def test_runs_out_of_range(db_url, golive, rollout_file, runs):
    setup_plan(golive, rollout_file)
    before = counts(golive)
    assert_error(golive("runbook", "simulate", "dst-2026", "--runs", runs), "--runs must be between 1 and 1 000 000")
    assert counts(golive) == before


def test_a_plan_without_a_runbook(db_url, golive, rollout_file):
    assert golive("apply", rollout_file(ROLLOUT.replace("PLAYBOOK", "none.yaml"))).exit_code == 0
    assert_error(golive("runbook", "simulate", "dst-2026"), "has no runbook yet", "golive runbook load dst-2026")
    assert_error(golive("runbook", "simulate", "dst-2025"), "no plan 'dst-2025'")


def test_a_rehearsal_can_be_simulated_too(db_url, golive, rollout_file):
    """--run DR3: the rehearsal's own clock and actuals, durations from the finished DR1 and DR2."""
    setup_plan(golive, rollout_file, playbook=CHAIN.replace("STREAM2", "K"))
    chain_rehearsals(golive)
    rehearse(golive, "DR3", "2026-03-15T06:00", [("t1", "2026-03-15T04:00", "2026-03-15T05:00")])
    data = golive("runbook", "simulate", "dst-2026", "--run", "DR3", "--at", "2026-03-15T05:00", "--seed", "3", "--json").json()
    assert data["run"] == "DR3" and data["rehearsals"] == ["DR1", "DR2"]
    assert data["planned_go_live"] == "2026-03-15T06:00+01:00"
    assert (data["p50"], data["p95"]) == ("2026-03-15T06:00+01:00", "2026-03-15T07:00+01:00")  # t2: 1 h or 2 h from 05:00


GATED = ROLLOUT.replace(
    "      - {key: final, at: T-2h, criteria: {runbook_due_done: true}}\n",
    "      - {key: final, at: T-2h, criteria: {runbook_due_done: true}}\n      - {key: odds, at: T-1d, criteria: {golive_p80_by: LIMIT}}\n",
)


@pytest.mark.parametrize(("limit", "passed", "code"), [("T+1h", False, 3), ("T+2h", True, 0)])
def test_gate_criterion_golive_p80_by(db_url, golive, rollout_file, limit, passed, code):
    book = rollout_file(CHAIN.replace("STREAM2", "K"), name="sim-chain.yaml")
    assert golive("apply", rollout_file(GATED.replace("PLAYBOOK", str(book)).replace("LIMIT", limit))).exit_code == 0
    assert golive("runbook", "load", "dst-2026").exit_code == 0
    chain_rehearsals(golive)
    before = counts(golive)
    result = golive("gate", "check", "dst-2026", "odds", "--at", AT, "--json")
    assert result.exit_code == code, result.stderr
    measured = next(c for c in result.json()["criteria"] if c["criterion"] == "golive_p80_by")
    assert measured["passed"] is passed and measured["value"] == "2026-03-29T08:00+02:00"
    assert measured["details"]["p80"] == "2026-03-29T08:00+02:00" and measured["details"]["rehearsals"] == ["DR1", "DR2"]
    again = golive("gate", "check", "dst-2026", "odds", "--at", AT, "--json").json()
    assert again == result.json()  # a fixed seed: the same verdict every time
    assert counts(golive) == before


def test_gate_criterion_value_is_checked_in_the_rollout_file(db_url, golive, rollout_file):
    path = rollout_file(GATED.replace("PLAYBOOK", "x.yaml").replace("LIMIT", "soon"))
    line = GATED.splitlines().index(next(x for x in GATED.splitlines() if "golive_p80_by" in x)) + 1
    assert_error(golive("apply", path), f"rollout.yaml:{line}", "golive_p80_by", "'soon'")
