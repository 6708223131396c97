"""`golive demo` tells the readiness story: about 9 000 people, and the T-7d gate is NO-GO with its reasons."""

from __future__ import annotations

from pathlib import Path


def test_demo_t7d_gate_is_no_go_with_reasons(golive, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "demo"
    result = golive("demo", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "Gate T-7d as of 2022-04-30 06:00: NO-GO" in result.stdout
    assert "legevakt natt 2022-05-07: 9 on shift, 0 superusers" in result.stdout
    db = str(out / "golive.sqlite")
    counts = golive("--db", db, "info", "--json").json()["counts"]
    assert 8_500 <= counts["person"] <= 9_500
    check = golive("--db", db, "gate", "check", "trondheim-2022", "T-7d", "--at", "2022-04-30T06:00", "--json")
    assert check.exit_code == 3
    body = check.json()
    assert body["verdict"] == "NO-GO"
    failed = {c["criterion"] for c in body["criteria"] if c["passed"] is False}
    assert failed == {"training_min", "staff_per_superuser_max", "staffing_min"}
    training = golive("--db", db, "training", "status", "trondheim-2022", "--at", "2022-04-30T06:00", "--json").json()
    lagging = {r["unit"] for r in training["rows"] if r["share"] < 0.9}
    assert "hjemme-heimdal" in lagging
    roster = golive("--db", db, "roster", "gaps", "trondheim-2022", "--gate", "T-7d", "--at", "2022-04-30T06:00", "--json").json()
    assert [(g["unit"], g["date"], g["shift"], g["superusers"]) for g in roster["ratio_gaps"]] == [("legevakt", "2022-05-07", "natt", 0)]
