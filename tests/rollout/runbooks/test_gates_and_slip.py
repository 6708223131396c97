"""`gate check` and `runbook slip` side by side on the demo, at several times of the cutover weekend.

Both judge a gate by the runbook tasks planned to end at or before the gate's
due time (`runbook_due_done`); `gate check` counts which of them are not done
as of --at, `slip` which of them would now end after the gate.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

TIMES = ["2022-05-05T12:00", "2022-05-06T06:00", "2022-05-06T14:00", "2022-05-06T23:30", "2022-05-07T03:00"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gates-demo")
    subprocess.run([sys.executable, "-m", "rollout", "demo", "--out", str(out)], cwd=REPO, check=True, capture_output=True)
    return out / "golive.sqlite"


def _json(db: Path, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "rollout", "--db", str(db), *args, "--json"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode in (0, 3), done.stderr  # 3: a gate evaluated NO-GO
    return json.loads(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("at", TIMES)
def test_gate_check_and_slip_agree_on_what_each_gate_waits_for(demo_db: Path, at: str) -> None:
    show = _json(demo_db, "runbook", "show", "trondheim-2022", "--at", at)
    checks = _json(demo_db, "gate", "check", "trondheim-2022", "--at", at)["gates"]
    gates = {g["gate"]: g for g in checks if any(c["criterion"] == "runbook_due_done" for c in g["criteria"])}
    assert {"T-7d", "T-1d", "go-no-go"} <= set(gates)
    for key, gate in gates.items():
        measured = next(c for c in gate["criteria"] if c["criterion"] == "runbook_due_done")
        due = [t for t in show["tasks"] if t["planned_end"] <= gate["due_at"]]  # same offset all weekend: strings compare
        still_open = [t["key"] for t in due if t["status"] not in ("done", "skipped")]
        assert measured["details"] == {"due": len(due), "done": len(due) - len(still_open)}, (key, at)
        assert [o.split(" ")[0] for o in measured["offenders"]] == sorted(still_open, key=lambda k: next(t["planned_end"] for t in due if t["key"] == k)), (key, at)
        assert measured["passed"] is (not still_open)
    counts = {key: next(c for c in g["criteria"] if c["criterion"] == "runbook_due_done")["details"]["due"] for key, g in gates.items()}
    assert counts["T-7d"] <= counts["T-1d"] < counts["go-no-go"]  # earlier gates cover fewer tasks, whatever --at is

    open_tasks = [t for t in show["tasks"] if t["status"] in ("pending", "running", "blocked")]
    slipped = min(open_tasks, key=lambda t: (t["planned_start"], t["key"]))
    what_if = _json(demo_db, "runbook", "slip", "trondheim-2022", slipped["key"], "3h", "--at", at)
    for risk in (r for r in what_if["gates_at_risk"] if r["kind"] == "plan"):
        gate = gates[risk["key"]]
        assert risk["due"] == gate["due_at"] and gate["due_at"] >= show["as_of"]
        offenders = {o.split(" ")[0] for o in next(c for c in gate["criteria"] if c["criterion"] == "runbook_due_done")["offenders"]}
        assert set(risk["waiting_on"]) <= offenders, (risk, at)  # what slip waits on, gate check counts as not done


def test_the_three_gates_no_longer_report_the_same_count(demo_db: Path) -> None:
    checks = _json(demo_db, "gate", "check", "trondheim-2022", "--at", "2022-05-06T14:00")["gates"]
    summaries = {g["gate"]: next(c for c in g["criteria"] if c["criterion"] == "runbook_due_done")["summary"] for g in checks if g["gate"] in ("T-7d", "T-1d", "go-no-go")}
    assert summaries["T-7d"] == "no runbook task due by 2022-04-30 06:00"
    assert summaries["T-1d"].endswith("runbook tasks due by 2022-05-06 06:00 are not done")
    assert summaries["go-no-go"].endswith("runbook tasks due by 2022-05-07 04:00 are not done")
    assert len(set(summaries.values())) == 3
    t1d = next(g for g in checks if g["gate"] == "T-1d")
    offenders = next(c for c in t1d["criteria"] if c["criterion"] == "runbook_due_done")["offenders"]
    assert offenders and all(o.split(", due ")[1][:16] <= "2022-05-06 06:00" for o in offenders)  # nothing due after the gate


def test_slip_says_whether_a_gate_was_already_at_risk(demo_db: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rollout", "--db", str(demo_db), "runbook", "slip", "trondheim-2022", "convert-patients", "2h", "--at", "2022-05-06T14:00"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    risks = [line for line in done.stdout.splitlines() if line.startswith("Gate at risk")]
    data = _json(demo_db, "runbook", "slip", "trondheim-2022", "convert-patients", "2h", "--at", "2022-05-06T14:00")
    assert len(risks) == len(data["gates_at_risk"]) > 0
    for line, risk in zip(risks, data["gates_at_risk"]):
        expected = "already at risk before this slip" if risk["already_at_risk"] else "at risk because of this slip"
        assert line.startswith(f"Gate at risk ({expected}): {risk['key']} ")


@pytest.mark.parametrize("at", ["2022-05-06T06:00", "2022-05-07T04:00"])
def test_at_a_gate_s_due_time_slip_waits_on_every_task_gate_check_counts(demo_db: Path, at: str) -> None:
    """Blocked and overdue running tasks are projected to end "now"; at the due instant they are still late."""
    gate_key = {"2022-05-06T06:00": "T-1d", "2022-05-07T04:00": "go-no-go"}[at]
    check = _json(demo_db, "gate", "check", "trondheim-2022", gate_key, "--at", at)
    offenders = {o.split(" ")[0] for o in next(c for c in check["criteria"] if c["criterion"] == "runbook_due_done")["offenders"]}
    what_if = _json(demo_db, "runbook", "slip", "trondheim-2022", "validate-conversion", "1m", "--at", at)
    risk = next(r for r in what_if["gates_at_risk"] if r["key"] == gate_key)
    assert offenders and set(risk["waiting_on"]) == offenders
