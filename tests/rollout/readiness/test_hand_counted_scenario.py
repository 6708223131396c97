"""An unseen-style municipality going live on the spring DST morning (Sun 29 March 2026 06:00), figures counted by hand.

Window: cutover start Fri 27 Mar 18:00 (+01:00) → 1 day after go-live = Mon 30 Mar 06:00 (+02:00).
Legevakt (24/7) shifts overlapping it: 27 kveld, 27 natt, 28 dag/kveld/natt (natt lasts 7 h), 29 dag/kveld/natt.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

ROLLOUT = """\
organisations:
  - key: fjordby
    name: Fjordby kommune
    kind: municipality
    units:
      - {key: legevakt, name: Fjordby legevakt, service: legevakt, hours: "24/7", staff: 30}
      - {key: hjemmetjeneste, name: Hjemmetjenesten sør, service: hjemmetjeneste, hours: weekdays, staff: 25}
plans:
  - key: fjordby-2026
    organisation: fjordby
    name: Fjordby går live
    cutover_start: 2026-03-27T18:00
    go_live: 2026-03-29T06:00
    readiness_window_days: 1
    training:
      requirements: {lege: [HP-GRUNN, HP-LEGE], sykepleier: [HP-GRUNN, HP-MED], default: [HP-GRUNN]}
      superuser_course: HP-SUPER
    gates:
      - key: T-1d
        at: T-1d
        criteria: {training_min: {default: 0.5, lege: 1.0, sykepleier: 0.6}, staffing_min: 1.2, staff_per_superuser_max: 10, open_p1_max: 0}
      - key: map-without-default
        criteria: {training_min: {lege: 0.5}}
      - key: empty
"""

PEOPLE = """\
Ansattnr;Fullt navn;E-post;Enhet;Stilling;Superbruker
L1;Lege Åse;l1@f.no;legevakt;lege;nei
L2;Lege Bjørn;l2@f.no;legevakt;lege;nei
L3;Lege Æsa;l3@f.no;fjordby/legevakt;Lege;nei
L4;Lege Øyvind;l4@f.no;legevakt;lege;ja
S1;Sykepl Én;s1@f.no;legevakt;sykepleier;ja
S2;Sykepl To;s2@f.no;legevakt;sykepleier;ja
S3;Sykepl Tre;s3@f.no;legevakt;sykepleier;ja
S4;Sykepl Fire;s4@f.no;legevakt;sykepleier;nei
S5;Sykepl Fem;s5@f.no;legevakt;sykepleier;nei
S6;Sykepl Seks;s6@f.no;legevakt;sykepleier;nei
H1;Helsefag Én;h1@f.no;legevakt;helsefagarbeider;nei
H2;Helsefag To;h2@f.no;legevakt;helsefagarbeider;nei
J1;Hjemme Én;j1@f.no;hjemmetjeneste;sykepleier;ja
J2;Hjemme To;j2@f.no;hjemmetjeneste;sykepleier;nei
J3;Hjemme Tre;j3@f.no;hjemmetjeneste;sykepleier;nei
J4;Hjemme Fire;j4@f.no;hjemmetjeneste;helsefagarbeider;nei
"""

# L2 retook HP-LEGE: 20.03 counts, not 01.04. L3 completes HP-LEGE exactly at the T-1d instant (counts).
# L4 completes HP-SUPER at 12:00 on the 28th (after T-1d); S3 never does.
TRAINING = """\
Ansatt;Kurskode;Fullført dato
L1;HP-GRUNN;01.03.2026
L1;HP-LEGE;02.03.2026
L2;HP-GRUNN;2026-03-01
L2;HP-LEGE;01.04.2026
L2;HP-LEGE;20.03.2026
L3;HP-GRUNN;2026-03-10
L3;HP-LEGE;28.03.2026 06:00
L4;HP-GRUNN;01.03.2026
L4;HP-SUPER;28.03.2026 12:00
""" + "".join(f"{p};{c};01.03.2026\n" for p in ("S1", "S2", "S3", "S4", "J1", "J2", "J3") for c in ("HP-GRUNN", "HP-MED")) + """\
S5;HP-GRUNN;01.03.2026
H1;HP-GRUNN;01.03.2026
J4;HP-GRUNN;01.03.2026
S1;HP-SUPER;01.03.2026
S2;HP-SUPER;01.03.2026
J1;HP-SUPER;01.03.2026
"""

# legevakt 29 kveld has no row (24/7: a gap); 31.03 is outside the window.
STAFFING = """\
Enhet;Dato;Vakt;Planlagt;Normalbemanning
legevakt;27.03.2026;kveld;12;10
legevakt;27.03.2026;natt;6;5
legevakt;28.03.2026;dag;13;10
legevakt;28.03.2026;kveld;11;10
legevakt;28.03.2026;natt;16;12
legevakt;29.03.2026;dag;12;10
legevakt;29.03.2026;natt;5;5
hjemmetjeneste;28.03.2026;dag;22;20
hjemmetjeneste;28.03.2026;kveld;8;6
hjemmetjeneste;31.03.2026;dag;1;10
"""

ROSTER = [
    ("S1", "legevakt", dt.date(2026, 3, 27), "kveld"), ("S2", "legevakt", dt.date(2026, 3, 27), "natt"),
    ("S1", "legevakt", dt.date(2026, 3, 28), "dag"), ("S3", "legevakt", dt.date(2026, 3, 28), "dag"),
    ("S2", "legevakt", dt.date(2026, 3, 28), "kveld"), ("S3", "legevakt", dt.date(2026, 3, 28), "natt"),
    ("S1", "legevakt", dt.datetime(2026, 3, 29), "dag"), ("J1", "legevakt", dt.date(2026, 3, 29), "dag"),
    ("L4", "legevakt", dt.date(2026, 3, 29), "natt"), ("J1", "hjemmetjeneste", dt.date(2026, 3, 28), "dag"),
]
# S1 is double-booked on the 27th; S2 rests 23:00 → 10:00 across the DST change: 11 h on the wall, 10 h elapsed.
ROSTER_OWN = """\
Ansattnr;Enhet;Fra;Til
S1;fjordby/hjemmetjeneste;27.03.2026 20:00;27.03.2026 23:30
S2;fjordby/hjemmetjeneste;29.03.2026 10:00;29.03.2026 14:00
"""
AT = "2026-03-28T06:00"


@pytest.fixture
def fjordby(db_url: str, golive, tmp_path: Path):  # noqa: ANN001, ANN201
    from openpyxl import Workbook

    def put(name: str, data: bytes) -> Path:
        (tmp_path / name).write_bytes(data)
        return tmp_path / name

    book = Workbook()
    sheet = book.active
    sheet.append(["Ansattnr", "Enhet", "Dato", "Vakt"])
    for row in ROSTER:
        sheet.append(list(row))
    book.save(tmp_path / "roster.xlsx")
    steps = [
        ("apply", put("fjordby.yaml", ROLLOUT.encode())),
        ("people", "import", put("people.csv", PEOPLE.replace("\n", "\r\n").encode("cp1252")), "--org", "fjordby"),
        ("training", "import", put("training.csv", b"\xef\xbb\xbf" + TRAINING.encode()), "--map", "Ansatt=employee_id,Fullført dato=completed"),
        ("staffing", "import", put("staffing.csv", STAFFING.encode("cp1252")), "--org", "fjordby"),
        ("roster", "import", tmp_path / "roster.xlsx", "--org", "fjordby"),
        ("roster", "import", put("roster-own.csv", ROSTER_OWN.encode("cp1252"))),
    ]
    for args in steps:
        result = golive(*args)
        assert result.exit_code == 0, (args, result.stderr)
    return golive


def test_training_status_matches_hand_counts(fjordby) -> None:  # noqa: ANN001
    data = fjordby("training", "status", "fjordby-2026", "--at", AT, "--json").json()
    rows = {(r["unit"], r["role"]): (r["trained"], r["total"]) for r in data["rows"]}
    assert rows == {
        ("legevakt", "lege"): (3, 4),  # L1, L2 (retake: earliest), L3 (at the very instant); L4 lacks HP-LEGE
        ("legevakt", "sykepleier"): (4, 6),
        ("legevakt", "helsefagarbeider"): (1, 2),  # the `default` requirement
        ("hjemmetjeneste", "sykepleier"): (3, 3),
        ("hjemmetjeneste", "helsefagarbeider"): (1, 1),
    }
    before = fjordby("training", "status", "fjordby-2026", "--at", "2026-03-28T05:59", "--role", "lege", "--json").json()
    assert [(r["trained"], r["total"]) for r in before["rows"]] == [(2, 4)]


def test_staffing_gaps_match_hand_counts(fjordby) -> None:  # noqa: ANN001
    data = fjordby("staffing", "gaps", "fjordby-2026", "--json").json()
    assert data["window"] == {"start": "2026-03-27T18:00+01:00", "end": "2026-03-30T06:00+02:00"}
    assert data["shifts_checked"] == 10  # 9 rows in the window + 1 missing 24/7 shift
    assert [(g["unit"], g["date"], g["shift"], g["planned"]) for g in data["gaps"]] == [
        ("hjemmetjeneste", "2026-03-28", "dag", 22), ("legevakt", "2026-03-28", "kveld", 11),
        ("legevakt", "2026-03-29", "kveld", None), ("legevakt", "2026-03-29", "natt", 5),
    ]


def test_roster_gaps_match_hand_counts(fjordby) -> None:  # noqa: ANN001
    data = fjordby("roster", "gaps", "fjordby-2026", "--at", AT, "--json").json()
    assert data["shifts_checked"] == 9
    assert [(g["unit"], g["date"], g["shift"], g["staff"], g["superusers"]) for g in data["ratio_gaps"]] == [
        ("hjemmetjeneste", "2026-03-28", "kveld", 8, 0),
        ("legevakt", "2026-03-28", "natt", 16, 0),  # S3 on duty without HP-SUPER
        ("legevakt", "2026-03-29", "natt", 5, 0),  # L4 completes HP-SUPER only at 12:00
        ("hjemmetjeneste", "2026-03-28", "dag", 22, 1),
        ("legevakt", "2026-03-28", "dag", 13, 1),
        ("legevakt", "2026-03-27", "kveld", 12, 1),
        ("legevakt", "2026-03-28", "kveld", 11, 1),
    ]
    assert [(u["employee_id"], u["shifts"]) for u in data["untrained_superusers"]] == [("L4", 1), ("S3", 2)]
    assert [(d["employee_id"], d["first"]["unit"], d["second"]["unit"]) for d in data["double_bookings"]] == [("S1", "legevakt", "hjemmetjeneste")]
    # equal rests (S2, S3: 480) come in employee order on both backends; S2's 600 is the DST trap (wall clock says 11 h)
    assert [(v["employee_id"], v["rest_minutes"]) for v in data["rest_violations"]] == [("S1", 450), ("S2", 480), ("S3", 480), ("S2", 600)]
    assert [(s["employee_id"], s["shifts"], s["minutes"]) for s in data["spread"]] == [
        ("S1", 4, 1650), ("S2", 3, 1200), ("J1", 2, 960), ("S3", 2, 900), ("L4", 1, 480),  # S3's 28 natt lasts 7 h
    ]
    later = fjordby("roster", "gaps", "fjordby-2026", "--at", "2026-03-28T12:00", "--json").json()
    assert [u["employee_id"] for u in later["untrained_superusers"]] == ["S3"]
    assert ("legevakt", "2026-03-29", "natt") not in {(g["unit"], g["date"], g["shift"]) for g in later["ratio_gaps"]}


def test_gate_check_matches_hand_counts(fjordby) -> None:  # noqa: ANN001
    result = fjordby("gate", "check", "fjordby-2026", "T-1d", "--at", AT, "--json")
    assert result.exit_code == 3
    data = result.json()
    assert (data["verdict"], data["at"], data["due_at"]) == ("NO-GO", "2026-03-28T06:00+01:00", "2026-03-28T06:00+01:00")
    got = {c["criterion"]: (c["value"], c["passed"]) for c in data["criteria"]}
    assert got == {"training_min": (0.5, False), "staffing_min": (1.0, False), "staff_per_superuser_max": (None, False), "open_p1_max": (0, True)}
    training = next(c for c in data["criteria"] if c["criterion"] == "training_min")
    assert training["offenders"] == ["legevakt / lege: 3 of 4 trained (75 %), need 100 %"]  # helsefagarbeider 50 % meets 50 %
    ratio = next(c for c in data["criteria"] if c["criterion"] == "staff_per_superuser_max")
    assert "legevakt natt 2026-03-28: 16 on shift, 0 superusers (1 untrained on duty)" in ratio["offenders"]


def test_training_min_map_without_default_checks_other_roles_at_90_percent(fjordby) -> None:  # noqa: ANN001
    # lege 3 of 4 meets 50 %; every other role falls back to 90 %: legevakt sykepleier 4/6 and helsefagarbeider 1/2 fail
    result = fjordby("gate", "check", "fjordby-2026", "map-without-default", "--at", AT, "--json")
    assert result.exit_code == 3
    training = result.json()["criteria"][0]
    assert training["passed"] is False
    assert training["offenders"] == [
        "legevakt / helsefagarbeider: 1 of 2 trained (50 %), need 90 %",
        "legevakt / sykepleier: 4 of 6 trained (67 %), need 90 %",
    ]
    assert training["description"] == "training ≥ 90 % (lege 50 %)"


def test_gate_without_criteria_says_why_it_is_no_go(fjordby) -> None:  # noqa: ANN001
    result = fjordby("gate", "check", "fjordby-2026", "empty", "--json")
    assert result.exit_code == 3
    assert result.json()["reasons"] == ["the gate has no criteria, so nothing measured can pass"]
    text = fjordby("gate", "check", "fjordby-2026", "empty")
    assert text.exit_code == 3 and "no criteria" in text.stdout


def test_a_gate_may_set_its_own_readiness_window(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    from tests.rollout.samples import ISSUE_EXAMPLE

    text = ISSUE_EXAMPLE.replace("        wave: Bølge 1\n", "        wave: Bølge 1\n        readiness_window_days: 2\n")
    assert golive("apply", rollout_file(text)).exit_code == 0
    gate_window = golive("staffing", "gaps", "trondheim-2022", "--gate", "T-7d", "--json").json()["window"]
    plan_window = golive("staffing", "gaps", "trondheim-2022", "--json").json()["window"]
    assert gate_window == {"start": "2022-05-05T08:00+02:00", "end": "2022-05-09T06:00+02:00"}
    assert plan_window == {"start": "2022-05-05T08:00+02:00", "end": "2022-05-14T06:00+02:00"}
    shown = golive("plan", "show", "trondheim-2022", "--json").json()["gates"][0]
    assert shown["readiness_window_days"] == 2
