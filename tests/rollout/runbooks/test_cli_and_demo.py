"""The runbook CLI's contract: help with examples, and the demo's runbook story (laziness: tests/test_startup.py)."""

from __future__ import annotations

import pytest
import typer


def test_every_runbook_command_has_a_summary_and_an_example():
    from rollout.cli import app

    group = typer.main.get_command(app)
    runbook = group.get_command(group.make_context("golive", [], resilient_parsing=True), "runbook")  # type: ignore[attr-defined]
    names = set(runbook.commands)
    assert names == {"load", "show", "status", "start", "done", "skip", "block", "critical-path", "slip", "simulate", "rehearse", "compare"}
    for name, command in runbook.commands.items():
        assert command.help and "Example: golive runbook " + name in command.help, name
        params = {p.name for p in command.params}
        if name in ("show", "critical-path", "slip", "compare", "load", "start", "done", "skip", "block", "rehearse"):
            assert "as_json" in params, name
        if name in ("load", "start", "done", "skip", "block", "rehearse"):
            assert "actor" in params, name


@pytest.mark.slow
def test_demo_tells_the_runbook_story_as_of_friday_afternoon(golive, tmp_path, monkeypatch):
    out = tmp_path / "demo"
    result = golive("demo", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "projected go-live 2022-05-07 06:20 (planned 2022-05-07 06:00, +20 min)" in result.stdout
    assert "late on the critical path: extract-old-data (20 min)" in result.stdout
    assert "blocked: printers-labels" in result.stdout
    monkeypatch.setenv("GOLIVE_DB", str(out / "golive.sqlite"))
    data = golive("runbook", "show", "trondheim-2022", "--at", "2022-05-06T14:00", "--json").json()
    status = {t["key"]: t["status"] for t in data["tasks"]}
    assert sum(s == "done" for s in status.values()) == 20
    assert status["extract-old-data"] == "running" and status["printers-labels"] == "blocked"
    late_critical = [t["key"] for t in data["tasks"] if t["late"] and t["critical"]]
    assert late_critical == ["extract-old-data"]
    assert data["projected_go_live"] == "2022-05-07T06:20+02:00"
    rag = {s["name"]: s["rag"] for s in data["streams"]}
    assert rag["Konvertering"] == "red" and rag["Tilgang og utstyr"] == "amber" and rag["Ledelse"] == "green"
    # The slip the summary suggests: two more hours of conversion move the go-live to 08:20.
    slip = golive("runbook", "slip", "trondheim-2022", "convert-patients", "2h", "--at", "2022-05-06T14:00", "--json").json()
    assert slip["projected_go_live"] == "2022-05-07T08:20+02:00"
    assert [g["key"] for g in slip["gates_at_risk"]] == ["go-no-go", "go-no-go-final"]
    # The dress rehearsal DR1 ran the whole runbook, the conversion longer than planned: the simulation draws from it.
    dr1 = {t["key"]: t for t in golive("runbook", "compare", "trondheim-2022", "DR1", "--json").json()["tasks"]}
    assert all(dr1[k]["actual_minutes"]["DR1"] is not None for k in dr1)
    assert dr1["convert-patients"]["delta_minutes"]["DR1"] > 60 and dr1["extract-old-data"]["delta_minutes"]["DR1"] > 0
    sim = golive("runbook", "simulate", "trondheim-2022", "--at", "2022-05-06T14:00", "--seed", "1", "--json").json()
    assert sim["rehearsals"] == ["DR1"] and sim["projected_go_live"] == "2022-05-07T06:20+02:00"
    assert sim["projected_go_live"] < sim["p50"] <= sim["p80"] <= sim["p95"] and sim["probability_on_time"] < 0.05
    crit = {t["key"]: t["criticality"] for t in sim["tasks"]}
    assert crit["convert-patients"] > 0.9 and 0 < crit["convert-medication"] < 0.2 and crit["floor-rounds"] == 0
    p50, p80 = (sim[p][11:16] for p in ("p50", "p80"))
    assert f"simulated from rehearsal DR1 (10 000 runs, seed 1): P50 2022-05-07 {p50}, P80 2022-05-07 {p80}" in result.stdout
    # How it ended: the rest of the weekend is recorded, and the Friday view above does not see it.
    assert "went live 2022-05-07 07:10 (+70 min against the plan)" in result.stdout
    assert "RED: 2 open P1 tickets, at most 0 allowed" in result.stdout
    evening = {t["key"]: t for t in golive("runbook", "show", "trondheim-2022", "--at", "2022-05-06T18:00", "--json").json()["tasks"]}
    assert evening["printers-labels"]["status"] == "done" and evening["convert-patients"]["status"] == "running"
    monday = golive("runbook", "show", "trondheim-2022", "--at", "2022-05-09T07:00", "--json").json()
    assert all(t["status"] == "done" for t in monday["tasks"])
    go_live = next(t for t in monday["tasks"] if t["key"] == "go-live")
    assert go_live["actual_end"] == "2022-05-07T07:10+02:00"
    rows = golive("gate", "history", "trondheim-2022", "--json").json()["decisions"]
    assert [(d["gate"], d["decision"]) for d in rows] == [
        ("T-7d", "go"), ("T-1d", "go"), ("go-no-go", "go"), ("go-no-go-final", "go"), ("bolge-2-T-1d", "go")]
    # Deterministic: a second demo gives the same summary.
    again = golive("demo", "--out", out)
    assert again.stdout.replace(str(out), "") == result.stdout.replace(str(out), "")


def test_load_needs_a_playbook(db_url, golive, rollout_file):
    from tests.conftest import assert_error
    from tests.rollout.runbooks.helpers import ROLLOUT

    text = ROLLOUT.replace("    playbook: PLAYBOOK\n", "")
    assert golive("apply", rollout_file(text)).exit_code == 0
    assert_error(golive("runbook", "load", "dst-2026"), "names no playbook", "--playbook")
    assert_error(golive("runbook", "show", "dst-2026"), "has no runbook yet", "golive runbook load dst-2026")
