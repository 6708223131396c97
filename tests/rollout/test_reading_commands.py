"""`org`, `unit` and `plan` reading commands: tables for people, JSON for scripts."""

from __future__ import annotations

from tests.conftest import EXAMPLE, assert_error
from tests.rollout.samples import ISSUE_EXAMPLE


def test_org_and_unit_lists(db_url, golive) -> None:  # noqa: ANN001
    assert golive("apply", EXAMPLE).exit_code == 0
    orgs = {o["key"]: o for o in golive("org", "list", "--json").json()}
    assert set(orgs) == {"trondheim", "helseplattformen", "hemit", "nhn", "stolav", "verdal", "levanger"}
    assert orgs["trondheim"]["units"] == 15
    assert orgs["trondheim"]["staff"] == 9035
    assert orgs["trondheim"]["org_number"] == "942110464"
    assert isinstance(orgs["trondheim"]["id"], int)
    units = golive("unit", "list", "--org", "verdal", "--json").json()
    assert [u["unit"] for u in units] == ["verdal/helsehus", "verdal/helsestasjon", "verdal/hjemmetjenester"]
    all_units = golive("unit", "list", "--json").json()
    assert len(all_units) == 31
    table = golive("unit", "list", "--org", "trondheim")
    assert table.exit_code == 0 and "trondheim/legevakt" in table.stdout and "Trondheim legevakt" in table.stdout


def test_org_show(db_url, golive) -> None:  # noqa: ANN001
    golive("apply", EXAMPLE)
    data = golive("org", "show", "trondheim", "--json").json()
    assert data["name"] == "Trondheim kommune" and data["kind"] == "municipality"
    assert len(data["units"]) == 15
    assert data["plans"] == [{"id": data["plans"][0]["id"], "key": "trondheim-2022", "go_live": "2022-05-07T06:00+02:00"}]
    text = golive("org", "show", "trondheim")
    assert "Øya helsehus" in text.stdout and "9 035 staff" in text.stdout


def test_unknown_keys_suggest(db_url, golive) -> None:  # noqa: ANN001
    golive("apply", EXAMPLE)
    assert_error(golive("org", "show", "trondhjem"), "no organisation 'trondhjem'", "did you mean 'trondheim'?")
    assert_error(golive("plan", "show", "trondheim-2023"), "no plan 'trondheim-2023'", "did you mean 'trondheim-2022'?")
    assert_error(golive("unit", "list", "--org", "stolavs"), "did you mean 'stolav'?")


def test_plan_list_is_in_go_live_order_with_offsets(db_url, golive) -> None:  # noqa: ANN001
    golive("apply", EXAMPLE)
    plans = golive("plan", "list", "--json").json()
    assert [p["key"] for p in plans] == ["trondheim-2022", "stolav-2022", "levanger-2023", "verdal-2023"]
    stolav = plans[1]
    assert stolav["go_live"] == "2022-11-12T03:00+01:00"  # winter time
    assert stolav["hypercare_until"] == "2022-12-10"  # default: 28 days after go-live
    assert plans[0]["cutover_start"] == "2022-05-05T08:00+02:00"


def test_plan_show_at_the_t7_gate(db_url, golive) -> None:  # noqa: ANN001
    golive("apply", EXAMPLE)
    data = golive("plan", "show", "trondheim-2022", "--at", "2022-04-30T06:00", "--json").json()
    assert data["as_of"] == "2022-04-30T06:00+02:00"
    assert data["stage"] == "preparation"
    assert data["current_phase"] == "Opplæring"
    assert data["countdown"] == {"to": "go_live", "minutes": 7 * 24 * 60, "live": False}
    assert [w["name"] for w in data["waves"]] == ["Bølge 1 – døgnenheter", "Bølge 2 – dagenheter"]
    assert data["waves"][1]["units"] == ["fengselshelse", "helsestasjon", "skolehelse"]  # weekday units: prison health opens on Monday too
    gates = {g["key"]: g for g in data["gates"]}
    assert gates["T-7d"]["due"] == "2022-04-30T06:00+02:00"
    assert gates["go-no-go"]["due"] == "2022-05-07T04:00+02:00"
    assert gates["bolge-2-T-1d"]["due"] == "2022-05-08T08:00+02:00" and gates["bolge-2-T-1d"]["wave"] == "Bølge 2 – dagenheter"
    assert gates["T-7d"]["criteria"]["training_min"] == {"default": 0.9, "lege": 1.0}
    # At the T-7d instant, that gate is due now, so the next one is T-1d.
    assert data["next_gate"]["key"] == "T-1d"


def test_plan_show_during_cutover_and_hypercare(db_url, golive, monkeypatch) -> None:  # noqa: ANN001
    golive("apply", EXAMPLE)
    during = golive("plan", "show", "trondheim-2022", "--at", "2022-05-06T14:00", "--json").json()
    assert during["stage"] == "cutover" and during["current_phase"] == "Omlegging"
    assert during["countdown"]["minutes"] == 16 * 60
    # --at with an explicit offset, and GOLIVE_NOW as the default clock
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-09T07:00:00+02:00")
    after = golive("plan", "show", "trondheim-2022", "--json").json()
    assert after["stage"] == "hypercare" and after["current_phase"] == "Hypercare og stabilisering"
    assert after["countdown"] == {"to": "go_live", "minutes": -(2 * 24 * 60 + 60), "live": True}
    # hypercare_until is inclusive to 24:00 local time
    last = golive("plan", "show", "trondheim-2022", "--at", "2022-06-03T23:59", "--json").json()
    assert last["stage"] == "hypercare"
    done = golive("plan", "show", "trondheim-2022", "--at", "2022-06-04T00:00+02:00", "--json").json()
    assert done["stage"] == "line operations"


def test_plan_show_table_for_people(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    golive("apply", rollout_file(ISSUE_EXAMPLE))
    result = golive("plan", "show", "trondheim-2022", "--at", "2022-05-01T12:00")
    assert result.exit_code == 0
    assert "go-live in 5 d 18 h" in result.stdout
    assert "2022-04-30 06:00 " in result.stdout and "+02:00" not in result.stdout  # T-7d due, in the plan's zone
    assert "training ≥ 90 %" in result.stdout


def test_bad_at_is_one_error_line(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    golive("apply", rollout_file(ISSUE_EXAMPLE))
    assert_error(golive("plan", "show", "trondheim-2022", "--at", "2026-03-29T02:30"), "does not exist", code=2)
    assert_error(golive("plan", "show", "trondheim-2022", "--at", "tomorrow"), "--at 'tomorrow'", code=2)
