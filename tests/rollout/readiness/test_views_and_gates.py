"""Readiness views and gates against hand-counted figures for a municipality going live over the spring DST weekend."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_error
from tests.rollout.readiness import scenario as sc


@pytest.fixture
def loaded(db_url: str, golive, tmp_path: Path):  # noqa: ANN001, ANN201
    sc.load(golive, tmp_path)
    return golive


def test_training_status_counts_per_unit_and_role(loaded) -> None:  # noqa: ANN001
    data = loaded("training", "status", "testby-2026", "--at", sc.T1D, "--json").json()
    rows = {(r["unit"], r["role"]): (r["trained"], r["total"]) for r in data["rows"]}
    # L1 only (L2 lacks HP-LEGE, L3 completed it at 10:00, after the time asked about)
    assert rows[("legevakt", "lege")] == (1, 3)
    assert rows[("legevakt", "sykepleier")] == (9, 10)  # S10 has nothing
    assert rows[("legevakt", "helsefagarbeider")] == (2, 2)  # no course required
    assert rows[("helsestasjon", "sykepleier")] == (1, 1)
    assert (data["trained"], data["total"]) == (13, 16)
    share = {(r["unit"], r["role"]): r["share"] for r in data["rows"]}
    assert share[("legevakt", "lege")] == pytest.approx(1 / 3, abs=1e-4)


def test_training_status_later_counts_the_later_completion(loaded) -> None:  # noqa: ANN001
    data = loaded("training", "status", "testby-2026", "--at", "2026-03-27T10:00", "--unit", "legevakt", "--role", "lege", "--json").json()
    assert [(r["trained"], r["total"]) for r in data["rows"]] == [(2, 3)]


def test_retake_counts_from_the_earliest_completion(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    # S01's HP-GRUNN was completed 2026-03-01 and retaken 25 March: trained on 2 March already.
    data = loaded("training", "status", "testby-2026", "--at", "2026-03-02T00:00", "--role", "sykepleier", "--json").json()
    rows = {r["unit"]: r["trained"] for r in data["rows"]}
    assert rows["legevakt"] == 9
    later = sc.write(tmp_path, "retake.csv", "employee_id,course,completed\nS01,HP-GRUNN,2026-03-26\n")
    result = loaded("training", "import", later, "--json")
    assert result.json()["updated"] == 0 and result.json()["created"] == 0
    earlier = sc.write(tmp_path, "earlier.csv", "employee_id,course,completed\nS01,HP-GRUNN,2026-02-01\n")
    assert loaded("training", "import", earlier, "--json").json()["updated"] == 1


def test_training_missing_lists_and_exports_formula_safe_csv(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    data = loaded("training", "missing", "testby-2026", "--at", sc.T1D, "--json").json()
    assert [(r["employee_id"], r["course"]) for r in data["rows"]] == [("L2", "HP-LEGE"), ("L3", "HP-LEGE"), ("S10", "HP-GRUNN")]
    # the formula-looking name came in as data and is neutralised on the way out
    assert data["rows"][2]["name"] == '=HYPERLINK("x")'
    out = tmp_path / "missing.csv"
    assert loaded("training", "missing", "testby-2026", "--at", sc.T1D, "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text


def test_staffing_gaps_include_missing_24_7_shifts(loaded) -> None:  # noqa: ANN001
    data = loaded("staffing", "gaps", "testby-2026", "--json").json()
    assert data["window"] == {"start": "2026-03-27T08:00+01:00", "end": "2026-03-30T06:00+02:00"}
    gaps = [(g["date"], g["shift"], g["planned"]) for g in data["gaps"]]
    assert gaps == [
        ("2026-03-27", "kveld", None),
        ("2026-03-28", "kveld", 13),  # 13 < 1.2 × 12 = 14.4
        ("2026-03-29", "dag", None),
        ("2026-03-29", "kveld", None),
        ("2026-03-29", "natt", None),
    ]
    # 5 staffing rows overlap the window plus 5 missing legevakt shifts
    assert data["shifts_checked"] == 10


def test_roster_gaps_match_hand_counts(loaded) -> None:  # noqa: ANN001
    data = loaded("roster", "gaps", "testby-2026", "--at", sc.T1D, "--json").json()
    gaps = [(g["unit"], g["date"], g["shift"], g["staff"], g["superusers"]) for g in data["ratio_gaps"]]
    assert gaps == [
        ("legevakt", "2026-03-28", "natt", 16, 0),  # nobody on the DST night
        ("legevakt", "2026-03-28", "dag", 18, 1),  # 18 per superuser > 10
    ]
    # 27 natt: S03 has no superuser course, so only S02 counts: 10 per superuser is allowed
    assert [u["employee_id"] for u in data["untrained_superusers"]] == ["S03"]
    assert [(d["employee_id"], d["first"]["unit"], d["second"]["unit"]) for d in data["double_bookings"]] == [
        ("S02", "legevakt", "helsestasjon")
    ]
    rest = [(v["employee_id"], v["rest_minutes"]) for v in data["rest_violations"]]
    # S04: kveld ends 23:00 CET, dag starts 07:00 CEST: 7 h of real rest, not 8
    assert rest == [("S04", 420), ("S02", 480), ("S02", 480)]
    spread = {s["employee_id"]: (s["shifts"], s["minutes"]) for s in data["spread"]}
    assert spread == {"S02": (4, 8 * 60 * 3 + 180), "S01": (2, 960), "S04": (2, 960), "S03": (1, 480)}


def test_dst_night_shifts_last_7_and_9_hours(db_url: str, golive, tmp_path: Path) -> None:  # noqa: ANN001
    golive("apply", sc.write(tmp_path, "r.yaml", sc.ROLLOUT))
    staffing = sc.write(
        tmp_path,
        "dst.csv",
        "unit,date,shift,planned,baseline\n"
        "testby/legevakt,2026-03-28,natt,5,4\n"  # 23:00 Sat → 07:00 Sun 29 March (spring forward)
        "testby/legevakt,2026-10-24,natt,5,4\n"  # 23:00 Sat → 07:00 Sun 25 October (fall back)
        "testby/legevakt,2026-03-29,natt,5,4\n",
    )
    assert golive("staffing", "import", staffing).exit_code == 0
    from sqlmodel import select

    from rollout.database import Database
    from rollout.readiness.models import StaffingShift
    from rollout.settings import load_settings

    db = Database(load_settings(db_url))
    with db.session() as session:
        hours = {str(s.day): (s.end_at - s.start_at).total_seconds() / 3600 for s in session.exec(select(StaffingShift))}
    db.dispose()
    assert hours == {"2026-03-28": 7, "2026-10-24": 9, "2026-03-29": 8}


def test_shift_interval_in_utc() -> None:
    from datetime import date, time

    from rollout.readiness.shifts import shift_interval

    start, end = shift_interval(date(2026, 3, 28), time(23), time(7), "Europe/Oslo")
    assert (start.isoformat(), end.isoformat()) == ("2026-03-28T22:00:00+00:00", "2026-03-29T05:00:00+00:00")
    start, end = shift_interval(date(2026, 10, 24), time(23), time(7), "Europe/Oslo")
    assert (end - start).total_seconds() == 9 * 3600


def test_gate_check_no_go_with_reasons(loaded) -> None:  # noqa: ANN001
    result = loaded("gate", "check", "testby-2026", "T-1d", "--at", sc.T1D)
    assert result.exit_code == 3
    assert "NO-GO" in result.stdout
    assert "legevakt / lege: 1 of 3 trained (33 %), need 100 %" in result.stdout
    assert "legevakt natt 2026-03-28: 16 on shift, 0 superusers" in result.stdout
    assert "open_p1_max: no open P1 tickets" in result.stdout
    data = loaded("gate", "check", "testby-2026", "T-1d", "--at", sc.T1D, "--json")
    assert data.exit_code == 3
    body = data.json()
    assert body["verdict"] == "NO-GO"
    by_name = {c["criterion"]: c for c in body["criteria"]}
    assert by_name["training_min"]["passed"] is False
    assert by_name["training_min"]["value"] == pytest.approx(0.3333, abs=1e-4)
    assert by_name["staff_per_superuser_max"]["passed"] is False
    assert by_name["staffing_min"]["passed"] is False
    assert by_name["open_p1_max"]["passed"] is True and by_name["open_p1_max"]["value"] == 0


def test_gate_check_go_exits_zero(loaded) -> None:  # noqa: ANN001
    result = loaded("gate", "check", "testby-2026", "training-only", "--at", sc.T1D, "--json")
    assert result.exit_code == 0, result.stdout
    assert result.json()["verdict"] == "GO"
    # every gate at once: NO-GO when any gate is
    both = loaded("gate", "check", "testby-2026", "--at", sc.T1D, "--json")
    assert both.exit_code == 3
    assert [g["verdict"] for g in both.json()["gates"]] == ["NO-GO", "GO"]


def test_gate_decide_needs_override_against_no_go(loaded) -> None:  # noqa: ANN001
    before = loaded("info", "--json").json()["counts"]
    refused = loaded("gate", "decide", "testby-2026", "T-1d", "--go", "--by", "Kari", "--note", "ok", "--at", sc.T1D)
    assert_error(refused, "T-1d", "--override")
    assert loaded("info", "--json").json()["counts"] == before
    forced = loaded(
        "gate", "decide", "testby-2026", "T-1d", "--go", "--by", "Kari Nordmann", "--note", "risiko akseptert",
        "--override", "--at", sc.T1D, "--as", "sekretær", "--json",
    )
    assert forced.exit_code == 0, forced.stderr
    assert forced.json()["override"] is True and forced.json()["verdict"] == "NO-GO"
    nogo = loaded("gate", "decide", "testby-2026", "T-1d", "--no-go", "--by", "Kari", "--note", "vent", "--at", sc.T1D)
    assert nogo.exit_code == 0
    history = loaded("gate", "history", "testby-2026", "--json").json()["decisions"]
    assert [(d["decision"], d["override"], d["decided_by"], d["actor"]) for d in history] == [
        ("go", True, "Kari Nordmann", "sekretær"),
        ("no-go", False, "Kari", "tester"),
    ]
    evidence = history[0]["evidence"]
    assert evidence["verdict"] == "NO-GO" and evidence["at"] == "2026-03-27T06:00+01:00"
    assert any(c["criterion"] == "training_min" and c["offenders"] for c in evidence["criteria"])


def test_gate_decide_unknown_key(loaded) -> None:  # noqa: ANN001
    result = loaded("gate", "decide", "testby-2026", "T-1x", "--go", "--by", "Kari", "--note", "x")
    assert_error(result, "T-1x", "T-1d")


def test_decisions_are_immutable(loaded) -> None:  # noqa: ANN001
    assert loaded("gate", "decide", "testby-2026", "training-only", "--go", "--by", "K", "--note", "n", "--at", sc.T1D).exit_code == 0
    import os

    from sqlmodel import select

    from rollout.database import Database
    from rollout.errors import GoliveError
    from rollout.models import GateDecision
    from rollout.settings import load_settings

    db = Database(load_settings(os.environ["GOLIVE_DB"]))
    with pytest.raises(GoliveError, match="immutable"):
        with db.session(write=True) as session:
            decision = session.exec(select(GateDecision)).one()
            decision.note = "changed"
            session.add(decision)
            session.flush()
    db.dispose()


def test_reimport_changes_nothing_and_dry_run_writes_nothing(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    before = loaded("info", "--json").json()["counts"]
    again = loaded("people", "import", tmp_path / "people.csv", "--map", sc.PEOPLE_MAP, "--org", "testby")
    assert again.exit_code == 0 and "Nothing changed" in again.stderr
    for args in (("training", "import", tmp_path / "training.csv"), ("staffing", "import", tmp_path / "staffing.csv"),
                 ("roster", "import", tmp_path / "roster.csv", "--org", "testby")):
        result = loaded(*args)
        assert result.exit_code == 0 and "Nothing changed" in result.stderr, (args, result.stderr)
    changed = sc.write(tmp_path, "changed.csv", "employee_id,name,unit,role,superuser\nL1,Lege En,testby/legevakt,lege,ja\nNY,Ny Person,testby/legevakt,lege,nei\n")
    dry = loaded("people", "import", changed, "--dry-run", "--json")
    assert dry.json()["created"] == 1 and dry.json()["updated"] == 1 and dry.json()["dry_run"] is True
    assert loaded("info", "--json").json()["counts"] == before
    assert loaded("people", "import", changed).exit_code == 0
    after = loaded("info", "--json").json()["counts"]
    assert after["person"] == before["person"] + 1
    assert after["audit_log"] == before["audit_log"] + 1  # one audit row per import


def test_ical_export_has_vtimezone_and_true_dst_lengths(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "legevakt.ics"
    result = loaded("roster", "ical", "--unit", "testby/legevakt", "-o", out)
    assert result.exit_code == 0, result.stderr
    from icalendar import Calendar

    cal = Calendar.from_ical(out.read_bytes())
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Oslo"]
    events = cal.walk("VEVENT")
    assert len(events) == 8
    assert len({e["UID"] for e in events}) == 8
    durations = sorted((e.decoded("DTEND") - e.decoded("DTSTART")).total_seconds() / 3600 for e in events)
    assert durations == [8] * 8  # wall-clock shifts; none of these crosses the change
    raw = out.read_bytes().decode()
    assert "DTSTART;TZID=Europe/Oslo:20260327T070000" in raw
    night = sc.write(tmp_path, "night.csv", "employee_id,unit,date,shift\nS01,testby/legevakt,28.03.2026,natt\n")
    assert loaded("roster", "import", night).exit_code == 0
    assert loaded("roster", "ical", "--person", "S01", "-o", tmp_path / "s01.ics").exit_code == 0
    s01 = Calendar.from_ical((tmp_path / "s01.ics").read_bytes())
    nights = [e for e in s01.walk("VEVENT") if "natt" in str(e["SUMMARY"])]
    # elapsed time (in UTC): same-zone aware datetimes subtract as wall clocks in Python
    utc = __import__("datetime").timezone.utc
    assert [(e.decoded("DTEND").astimezone(utc) - e.decoded("DTSTART").astimezone(utc)).total_seconds() / 3600 for e in nights] == [7]
    assert "DTEND;TZID=Europe/Oslo:20260329T070000" in (tmp_path / "s01.ics").read_text()
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in (tmp_path / "s01.ics").read_text()
    person = loaded("roster", "ical", "--person", "S04", "-o", tmp_path / "s04.ics")
    assert person.exit_code == 0
    assert len(Calendar.from_ical((tmp_path / "s04.ics").read_bytes()).walk("VEVENT")) == 2
    assert_error(loaded("roster", "ical", "-o", tmp_path / "x.ics"), "--person")


def test_wave_gate_measures_only_the_wave_units(db_url: str, golive, tmp_path: Path) -> None:  # noqa: ANN001
    rollout = sc.ROLLOUT.replace(
        "    gates:\n",
        "    waves:\n"
        "      - {name: Dagenheter, go_live: 2026-03-30T08:00, units: [helsestasjon]}\n"
        "    gates:\n"
        "      - {key: dag-T-1d, at: T-1d, wave: Dagenheter, criteria: {training_min: 1.0, staffing_min: 1.2}}\n",
    )
    sc.load(golive, tmp_path)
    assert golive("apply", sc.write(tmp_path, "testby.yaml", rollout)).exit_code == 0
    result = golive("gate", "check", "testby-2026", "dag-T-1d", "--at", sc.T1D, "--json")
    assert result.exit_code == 0, result.stdout
    body = result.json()
    assert body["wave"] == "Dagenheter" and body["verdict"] == "GO"
    training = next(c for c in body["criteria"] if c["criterion"] == "training_min")
    assert (training["details"]["trained"], training["details"]["total"]) == (1, 1)  # HS1 only
    staffing = next(c for c in body["criteria"] if c["criterion"] == "staffing_min")
    # the wave's window ends 2 days after its own go-live: Wed 1 April 08:00; only its one weekday row counts
    assert staffing["details"]["window"] == ["2026-03-27T08:00+01:00", "2026-04-01T08:00+02:00"]
    assert staffing["details"]["shifts"] == 1


def test_tables_for_people(loaded) -> None:  # noqa: ANN001
    check = loaded("gate", "check", "testby-2026", "--at", sc.T1D)
    assert check.exit_code == 3
    assert "Gate T-1d of testby-2026" in check.stdout and "Gate training-only of testby-2026" in check.stdout
    roster = loaded("roster", "gaps", "testby-2026", "--at", sc.T1D)
    assert roster.exit_code == 0 and "Spread: 4 superusers on duty, 1-4 duties each" in roster.stdout
    staffing = loaded("staffing", "gaps", "testby-2026")
    assert staffing.exit_code == 0 and "5 of 10 shifts short" in staffing.stdout
    status = loaded("training", "status", "testby-2026", "--at", sc.T1D)
    assert status.exit_code == 0 and "13 of 16 trained (81 %)" in status.stdout
    history = loaded("gate", "history", "testby-2026")
    assert history.exit_code == 0


def test_replace_syncs_within_the_file_scope(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    before = loaded("info", "--json").json()["counts"]
    # staffing: the file covers legevakt 27-28 March; 28 natt is no longer named, helsestasjon is out of scope
    staffing = sc.write(
        tmp_path, "staffing2.csv",
        "unit;date;shift;planned;baseline\n"
        "testby/legevakt;27.03.2026;dag;18;15\ntestby/legevakt;27.03.2026;natt;10;8\n"
        "testby/legevakt;28.03.2026;dag;18;15\ntestby/legevakt;28.03.2026;kveld;13;12\n",
    )
    dry = loaded("staffing", "import", staffing, "--replace", "--dry-run", "--json").json()
    assert (dry["deleted"], dry["created"], dry["updated"]) == (1, 0, 0)
    assert loaded("info", "--json").json()["counts"] == before
    assert loaded("staffing", "import", staffing, "--replace").exit_code == 0
    assert loaded("info", "--json").json()["counts"]["staffing_shift"] == before["staffing_shift"] - 1
    # people: S03 leaves; their completion and their duty go with them
    people = (tmp_path / "people.csv").read_bytes().decode("cp1252")
    kept = "\n".join(line for line in people.splitlines() if not line.startswith("S03;")) + "\n"
    path = sc.write(tmp_path, "people2.csv", kept, "cp1252")
    result = loaded("people", "import", path, "--map", sc.PEOPLE_MAP, "--org", "testby", "--replace", "--json").json()
    assert (result["deleted"], result["created"], result["updated"]) == (1, 0, 0)
    roster = loaded("roster", "gaps", "testby-2026", "--at", sc.T1D, "--json").json()
    assert roster["untrained_superusers"] == []  # S03 and their night duty are gone
    status = loaded("training", "status", "testby-2026", "--at", sc.T1D, "--role", "sykepleier", "--unit", "legevakt", "--json").json()
    assert [(r["trained"], r["total"]) for r in status["rows"]] == [(8, 9)]
