"""`golive ticket import|export`: identity numbers masked before the write, hostile text kept as data, all or nothing, idempotent."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, assert_error

# Valid identity numbers (a fødselsnummer and a D-number) in the forms people write them, and their bare digits.
FNR_FORMS = {"15108695088": "15108695088", "151086 95088": "15108695088", "15.10.86 95088": "15108695088",
             "15 10 86 950 88": "15108695088", "55108694016": "55108694016"}
HEADER = "external_id;title;description;unit;category;impact;urgency;reporter;created"


@pytest.fixture
def loaded(db_url: str, golive, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-20T12:00+02:00")
    assert golive("apply", EXAMPLE).exit_code == 0
    return golive


def _counts(golive) -> dict[str, int]:  # noqa: ANN001
    return golive("info", "--json").json()["counts"]


def _write(tmp_path: Path, lines: list[str], *, name: str = "saker.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def test_identity_numbers_in_every_written_form_are_masked_and_never_stored(loaded, db_url: str, tmp_path: Path) -> None:  # noqa: ANN001
    lines = [HEADER]
    for n, form in enumerate(FNR_FORMS):
        lines.append(f"HP-{n};Pasient {form} får ikke timebok;Gjelder {form}, ring 912 34 567;trondheim/legevakt;"
                     f"access;medium;medium;Sykepleier på vakt;07.05.2022 09:{n:02d}")
    # Norwegian Excel: a BOM, semicolons, æøå in cp1252 is covered below; here UTF-8 with BOM
    path = tmp_path / "saker.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    result = loaded("ticket", "import", path, "--json")
    assert result.exit_code == 0, result.stderr
    body = result.json()
    assert (body["created"], body["masked_identity_numbers"]) == (5, 10)
    assert "Removed 10 national identity number(s)" in result.stderr
    tickets = loaded("ticket", "list", "--status", "all", "--json").json()
    assert len(tickets) == 5
    for t in tickets:
        assert t["title"].startswith("Pasient [fnr fjernet] får")
        assert t["description"] == "Gjelder [fnr fjernet], ring 912 34 567"  # a phone number stays
    exported = loaded("ticket", "export", "--format", "json").stdout + loaded("ticket", "export").stdout
    for form, digits in FNR_FORMS.items():
        assert form not in exported and digits not in exported
    if db_url.startswith("postgresql"):
        return
    raw = b"".join(Path(db_url + suffix).read_bytes() for suffix in ("", "-wal", "-shm") if Path(db_url + suffix).exists())
    assert b"[fnr fjernet]" in raw or b"fnr fjernet" in raw
    for form, digits in FNR_FORMS.items():
        assert form.encode() not in raw and digits.encode() not in raw, form


def test_norwegian_excel_csv_in_cp1252_imports_with_its_letters(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    path = _write(tmp_path, ["Saksnr;Tittel;Beskrivelse;Enhet;Kategori;Konsekvens;Hastegrad;Melder;Opprettet",
                             "X-1;Skrivar på avdelinga skriv ikkje;Æ ø å;trondheim/legevakt;printing;low;low;Åse Ødegård;7.5.2022 kl. 08:15"],
                  encoding="cp1252")
    assert loaded("ticket", "import", path).exit_code == 0
    [t] = loaded("ticket", "list", "--json").json()
    assert (t["external_id"], t["title"], t["description"], t["reporter"]) == ("X-1", "Skrivar på avdelinga skriv ikkje", "Æ ø å", "Åse Ødegård")
    assert t["created_at"] == "2022-05-07T08:15+02:00"


def test_json_import_starts_the_sla_clocks_when_the_ticket_was_reported(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "saker.json"
    path.write_text(json.dumps([
        {"external_id": 101, "title": "Får ikke logget inn", "unit": "trondheim/legevakt", "category": "access",
         "impact": "high", "urgency": "high", "created": "2022-05-07T08:15:00+02:00", "description": "<b>hjelp</b>"},
        {"external_id": "102", "title": "Hvordan bestille blodprøve", "unit": "trondheim/legevakt", "category": "training",
         "impact": "low", "urgency": "low", "reporter": None},
    ]), encoding="utf-8")
    result = loaded("ticket", "import", path, "--json")
    assert result.exit_code == 0, result.stderr
    first, second = sorted(loaded("ticket", "list", "--json").json(), key=lambda t: t["external_id"])
    # P1 in Trondheim's hypercare (24/7): 15 minutes to respond, 4 hours to resolve, from when it was reported
    assert (first["priority"], first["created_at"], first["response_due"], first["resolution_due"]) == (
        "P1", "2022-05-07T08:15+02:00", "2022-05-07T08:30+02:00", "2022-05-07T12:15+02:00")
    assert first["group"] == "hemit" and first["description"] == "<b>hjelp</b>"  # the example file routes access to Hemit
    assert (second["external_id"], second["priority"], second["created_at"]) == ("102", "P4", "2022-05-20T12:00+02:00")
    history = loaded("ticket", "show", first["id"], "--json").json()["history"]
    assert [(e["field"], e["new"]) for e in history] == [("status", "new"), ("priority", "P1"), ("group", "hemit")]


def test_a_second_import_of_the_same_file_changes_nothing(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    path = _write(tmp_path, [HEADER, "A-1;Skriver;;trondheim/legevakt;printing;low;low;;06.05.2022 10:00",
                             "A-2;Tilgang;;trondheim/legevakt;access;high;low;;06.05.2022 11:00"])
    assert loaded("ticket", "import", path).exit_code == 0
    before = _counts(loaded)
    again = loaded("ticket", "import", path)
    assert again.exit_code == 0 and "Nothing changed" in again.stderr
    assert _counts(loaded) == before
    # a changed row for an imported ticket is left alone, and said so
    changed = _write(tmp_path, [HEADER, "A-1;Skriver på nytt;;trondheim/legevakt;printing;low;low;;06.05.2022 10:00"], name="b.csv")
    body = loaded("ticket", "import", changed, "--json").json()
    assert (body["created"], body["skipped"], body["changed"]) == (0, 1, False)
    assert _counts(loaded) == before


def test_a_dry_run_writes_nothing(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    path = _write(tmp_path, [HEADER, "A-1;Skriver 15108695088;;trondheim/legevakt;printing;low;low;;06.05.2022 10:00"])
    before = _counts(loaded)
    result = loaded("ticket", "import", path, "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    assert (result.json()["created"], result.json()["dry_run"], result.json()["masked_identity_numbers"]) == (1, True, 1)
    assert _counts(loaded) == before


@pytest.mark.parametrize(
    ("lines", "line", "fragment"),
    [
        (["external_id;title;unit;category;impact", "A;t;trondheim/legevakt;access;low"], 1, "missing required column 'urgency'"),
        ([HEADER, "A;t;;trondheim/legevakt;access;low;low;;31.02.2022"], 2, "created"),
        ([HEADER, "A;t;;trondheim/legevakt;access;low;low;;", "B;t;;trondheim/legevakten;access;low;low;;"], 3, "unknown unit"),
        ([HEADER, "A;t;;trondheim/legevakt;printer;low;low;;"], 2, "unknown category 'printer'"),
        ([HEADER, "A;t;;trondheim/legevakt;access;huge;low;;"], 2, "unknown impact 'huge'"),
        ([HEADER, "A;t;;trondheim/legevakt;access;low;urgent;;"], 2, "unknown urgency 'urgent'"),
        ([HEADER, "A;t;;trondheim/legevakt;access;low;low;;", "A;u;;trondheim/legevakt;access;low;low;;"], 3,
         "duplicate external_id 'A' (first on row 2)"),
        ([HEADER, "A;t;;trondheim/legevakt;access;low;low;;;extra"], 2, "extra value 'extra'"),
        ([HEADER, ";t;;trondheim/legevakt;access;low;low;;"], 2, "external_id is empty"),
        ([HEADER, "A;t;;trondheim/legevakt;access;low;low;;01.06.2022"], 2, "in the future"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(loaded, tmp_path: Path, lines: list[str], line: int, fragment: str) -> None:  # noqa: ANN001
    path = _write(tmp_path, lines)
    before = _counts(loaded)
    assert_error(loaded("ticket", "import", path), f"{path}:{line}:", fragment)
    assert _counts(loaded) == before


def test_a_bad_json_object_is_named_by_its_line(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    good = {"external_id": "A", "title": "t", "unit": "trondheim/legevakt", "category": "access", "impact": "low", "urgency": "low"}
    path = tmp_path / "saker.json"
    path.write_text(json.dumps([good, {**good, "external_id": "B", "colour": "red"}], indent=1), encoding="utf-8")
    assert_error(loaded("ticket", "import", path), f"{path}:10:", "unknown field 'colour'")
    path.write_text(json.dumps([{k: v for k, v in good.items() if k != "unit"}]), encoding="utf-8")
    assert_error(loaded("ticket", "import", path), f"{path}:1:", "missing field 'unit'")


def test_an_error_message_never_echoes_an_identity_number(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    path = _write(tmp_path, [HEADER, "A;t;;15108695088;access;low;low;;"])
    result = loaded("ticket", "import", path)
    assert_error(result, "unknown unit")
    assert "15108695088" not in result.stderr


HOSTILE = ["=HYPERLINK(\"http://evil\",\"klikk\")", "+47 912 34 567", "-2+3", "@SUM(A1)", "<script>alert(1)</script>"]


def test_hostile_text_is_kept_as_data_and_neutralised_in_the_csv_export(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "saker.json"
    path.write_text(json.dumps([
        {"external_id": f"H-{n}", "title": f"Hostile {n}", "description": text, "reporter": text, "unit": "trondheim/legevakt",
         "category": "other", "impact": "low", "urgency": "low", "created": "2022-05-08 10:00"} for n, text in enumerate(HOSTILE)
    ]), encoding="utf-8")
    assert loaded("ticket", "import", path).exit_code == 0, "import"
    # an imported cell is stripped, so a leading tab or CR comes from a typed ticket
    assert loaded("ticket", "new", "--title", "Blanke", "--unit", "trondheim/legevakt", "--category", "other", "--impact", "low",
                  "--urgency", "low", "--description", "\tTab først", "--reporter", "\rCR først").exit_code == 0
    stored = {t["external_id"]: t for t in loaded("ticket", "list", "--json").json()}
    assert stored["H-0"]["description"] == HOSTILE[0] and stored["H-4"]["description"] == HOSTILE[4]
    out = tmp_path / "export.csv"
    assert loaded("ticket", "export", "--format", "csv", "-o", out).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == len(HOSTILE) + 1
    for row in rows:
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@", "\t", "\r"), value
    by_id = {r["external_id"]: r for r in rows}
    assert by_id["H-0"]["description"] == "'" + HOSTILE[0] and by_id["H-3"]["reporter"] == "'" + HOSTILE[3]
    assert by_id[""]["description"] == "'\tTab først" and by_id[""]["reporter"] == "'\rCR først"
    assert by_id["H-4"]["description"] == HOSTILE[4]  # HTML is no formula: kept as written
    # JSON export keeps the text exactly
    exported = json.loads(loaded("ticket", "export", "--format", "json").stdout)
    assert {t["external_id"]: t["description"] for t in exported} == {**{f"H-{n}": t for n, t in enumerate(HOSTILE)},
                                                                       None: "\tTab først"}


def test_export_since_and_refusals(loaded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    path = _write(tmp_path, [HEADER, "A-1;Skriver;;trondheim/legevakt;printing;low;low;;06.05.2022 10:00"])
    assert loaded("ticket", "import", path).exit_code == 0
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-21T12:00+02:00")
    assert loaded("ticket", "new", "--title", "Ny", "--unit", "trondheim/legevakt", "--category", "access", "--impact", "low",
                  "--urgency", "low", "--description", "x").exit_code == 0
    since = json.loads(loaded("ticket", "export", "--format", "json", "--since", "21.05.2022").stdout)
    assert [t["title"] for t in since] == ["Ny"]
    assert len(json.loads(loaded("ticket", "export", "--format", "json").stdout)) == 2
    assert_error(loaded("ticket", "export", "--format", "xml"), "unknown format 'xml'")
    assert_error(loaded("ticket", "export", "-o", tmp_path / "nowhere" / "x.csv"), "no folder")


def test_the_window_shortcut_gives_the_clocks_own_due_times(loaded, db_url: str) -> None:  # noqa: ANN001
    """Imports take created + target inside a 24/7 window; it must be exactly what the SLA clock says, edges included."""
    import random
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import select

    from rollout.database import Database
    from rollout.models import Organisation
    from rollout.settings import load_settings
    from support.config import support_config
    from support.due import DueCalculator
    from support.ticket_import import WindowDue

    rng = random.Random(3)
    db = Database(load_settings(db_url))
    with db.session() as session:
        org = session.execute(select(Organisation.id).where(Organisation.key == "trondheim")).scalar_one()
        calc = DueCalculator(session, support_config(session))
        fast = WindowDue(calc)
        [(lo, hi)] = calc.windows(org)
        # around the window's start and end, and well inside it
        starts = [lo - timedelta(hours=5), lo, hi - timedelta(days=10, seconds=1), hi - timedelta(hours=4), hi,
                  datetime(2022, 5, 8, 1, 30, tzinfo=timezone.utc)]
        starts += [lo + timedelta(seconds=rng.randrange(int((hi - lo).total_seconds()))) for _ in range(200)]
        for created in starts:
            for priority in ("P1", "P2", "P3", "P4"):
                assert fast.due(organisation_id=org, created=created, priority=priority) == calc.due(
                    organisation_id=org, created=created, priority=priority), (created, priority)
    db.dispose()
