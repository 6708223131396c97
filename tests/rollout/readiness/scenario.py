"""A small municipality going live over the spring DST weekend (28-29 March 2026), with hand-counted figures.

Window: cutover start Fri 27 Mar 08:00 → 2 days after go-live (Sat 28 Mar 06:00) = Mon 30 Mar 06:00.
Legevakt is 24/7, so its 9 shifts from 27 dag to 29 natt overlap the window.
"""

from __future__ import annotations

from pathlib import Path

ROLLOUT = """\
organisations:
  - key: testby
    name: Testby kommune
    kind: municipality
    units:
      - {key: legevakt, name: Testby legevakt, service: legevakt, hours: "24/7", staff: 20}
      - {key: helsestasjon, name: Helsestasjonen, service: helsestasjon, hours: weekdays, staff: 5}
  - key: annenby
    name: Annenby kommune
    kind: municipality
    units:
      - {key: legevakt, name: Annenby legevakt, service: legevakt, hours: "24/7", staff: 10}
plans:
  - key: testby-2026
    organisation: testby
    name: Testby på ny plattform
    cutover_start: 2026-03-27T08:00
    go_live: 2026-03-28T06:00
    readiness_window_days: 2
    training:
      requirements: {lege: [HP-GRUNN, HP-LEGE], sykepleier: [HP-GRUNN], helsefagarbeider: []}
      superuser_course: HP-SUPER
    gates:
      - key: T-1d
        at: T-1d
        criteria: {training_min: {default: 0.9, lege: 1.0}, staff_per_superuser_max: 10, staffing_min: 1.2, open_p1_max: 0}
      - key: training-only
        criteria: {training_min: {default: 0.5, lege: 0.3}}
"""

# 3 leger, 10 sykepleiere, 2 helsefagarbeidere (`helsefagarbeider: []`: none required) at legevakt; 1 sykepleier at helsestasjon.
PEOPLE = """\
Ansattnr;Navn;E-post;Enhet;Rolle;Superbruker
L1;Lege En;l1@testby.no;legevakt;lege;nei
L2;Lege To;l2@testby.no;legevakt;Lege;nei
L3;Lege Ørjan Tre;l3@testby.no;testby/legevakt;lege;nei
S01;Sykepleier 01;s01@testby.no;legevakt;sykepleier;ja
S02;Sykepleier 02;s02@testby.no;legevakt;sykepleier;ja
S03;Sykepleier 03;s03@testby.no;legevakt;sykepleier;ja
S04;Sykepleier 04;s04@testby.no;legevakt;sykepleier;ja
S05;Sykepleier 05;s05@testby.no;legevakt;sykepleier;nei
S06;Sykepleier 06;s06@testby.no;legevakt;sykepleier;nei
S07;Sykepleier 07;s07@testby.no;legevakt;sykepleier;nei
S08;Sykepleier 08;s08@testby.no;legevakt;sykepleier;nei
S09;Sykepleier 09;s09@testby.no;legevakt;sykepleier;nei
S10;=HYPERLINK("x");s10@testby.no;legevakt;sykepleier;nei
H1;Helsefag En;h1@testby.no;legevakt;helsefagarbeider;0
H2;Helsefag To;h2@testby.no;legevakt;helsefagarbeider;0
HS1;Helsesykepleier;hs1@testby.no;helsestasjon;sykepleier;false
"""
PEOPLE_MAP = "Ansattnr=employee_id,Navn=name"

# As of 2026-03-27 06:00: L1 trained, L2 lacks HP-LEGE, L3 completes HP-LEGE only at 10:00 (after).
# S01-S09 and HS1 have HP-GRUNN, S10 has nothing. S01 retook HP-GRUNN (earliest counts).
# HP-SUPER: S01, S02, S04; S03 is rostered without it.
TRAINING = """\
employee_id,course,completed
L1,HP-GRUNN,01.03.2026
L1,HP-LEGE,2026-03-20
L2,HP-GRUNN,2026-03-02
L3,HP-GRUNN,2026-03-02
L3,HP-LEGE,27.03.2026 10:00
S01,HP-GRUNN,2026-03-25 12:00
S01,HP-GRUNN,2026-03-01
S02,HP-GRUNN,2026-03-01
S03,HP-GRUNN,2026-03-01
S04,HP-GRUNN,2026-03-01
S05,HP-GRUNN,2026-03-01
S06,HP-GRUNN,2026-03-01
S07,HP-GRUNN,2026-03-01
S08,HP-GRUNN,2026-03-01
S09,HP-GRUNN,2026-03-01
HS1,HP-GRUNN,2026-03-01
S01,HP-SUPER,2026-03-10
S02,HP-SUPER,2026-03-10
S04,HP-SUPER,2026-03-10
"""

# Legevakt rows: 27 kveld is missing (24/7 → a gap); 28 kveld is 13/12 = 108 % (< 120 % → a gap);
# 29 has no rows (3 missing shifts). Helsestasjon (weekdays) has one row.
STAFFING = """\
unit;date;shift;planned;baseline
testby/legevakt;27.03.2026;dag;18;15
testby/legevakt;27.03.2026;natt;10;8
testby/legevakt;28.03.2026;dag;18;15
testby/legevakt;28.03.2026;kveld;13;12
testby/legevakt;28.03.2026;natt;16;12
testby/helsestasjon;27.03.2026;dag;5;4
"""

ROSTER = """\
employee_id,unit,date,shift
S01,legevakt,2026-03-27,dag
S02,legevakt,2026-03-27,dag
S03,legevakt,2026-03-27,natt
S02,legevakt,2026-03-27,natt
S01,legevakt,2026-03-28,dag
S02,legevakt,2026-03-28,kveld
S04,legevakt,2026-03-28,kveld
S04,legevakt,2026-03-29,dag
"""

ROSTER_OWN_HOURS = """\
employee_id;unit;start;end
S02;testby/helsestasjon;27.03.2026 09:00;27.03.2026 12:00
"""

T1D = "2026-03-27T06:00"


def write(tmp: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp / name
    path.write_bytes(text.encode(encoding))
    return path


def load(golive, tmp: Path) -> None:  # noqa: ANN001
    """Apply the rollout file and import every file; each step must succeed."""
    steps = [
        ("apply", write(tmp, "testby.yaml", ROLLOUT)),
        ("people", "import", write(tmp, "people.csv", PEOPLE, "cp1252"), "--map", PEOPLE_MAP, "--org", "testby"),
        ("training", "import", write(tmp, "training.csv", TRAINING)),
        ("staffing", "import", write(tmp, "staffing.csv", STAFFING)),
        ("roster", "import", write(tmp, "roster.csv", ROSTER), "--org", "testby"),
        ("roster", "import", write(tmp, "roster-own.csv", ROSTER_OWN_HOURS)),
    ]
    for args in steps:
        result = golive(*args)
        assert result.exit_code == 0, (args, result.stderr)
