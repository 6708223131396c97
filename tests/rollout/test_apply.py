"""`golive apply`: creates, updates, idempotence, dry runs, pruning and the audit trail, on both backends."""

from __future__ import annotations

from tests.conftest import EXAMPLE
from tests.rollout.samples import DST_PLAN, ISSUE_EXAMPLE


def counts(golive) -> dict[str, int]:  # noqa: ANN001
    result = golive("info", "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()["counts"]


def test_issue_example_applies_and_reapplies_as_nothing_changed(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    path = rollout_file(ISSUE_EXAMPLE)
    first = golive("apply", path)
    assert first.exit_code == 0, first.stderr
    assert "+ organisation trondheim" in first.stdout
    assert "+ unit trondheim/legevakt" in first.stdout
    assert "+ gate trondheim-2022/T-7d" in first.stdout
    before = counts(golive)
    assert before["organisation"] == 1 and before["unit"] == 1 and before["gate"] == 1 and before["wave_unit"] == 1
    again = golive("apply", path)
    assert again.exit_code == 0
    assert "Nothing changed" in again.stderr
    assert again.stdout == ""
    assert counts(golive) == before


def test_dry_run_prints_the_same_changes_and_writes_nothing(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    path = rollout_file(ISSUE_EXAMPLE)
    empty = counts(golive)
    dry = golive("apply", path, "--dry-run", "--json")
    assert dry.exit_code == 0
    assert counts(golive) == empty
    real = golive("apply", path, "--json")
    dry_data, real_data = dry.json(), real.json()
    assert dry_data["dry_run"] is True and real_data["dry_run"] is False
    assert dry_data["changes"] == real_data["changes"]
    assert real_data["created"] == 6  # one organisation, unit, plan, phase, wave and gate
    assert {c["entity"] for c in real_data["changes"]} == {"organisation", "unit", "plan", "phase", "wave", "gate"}


def test_update_prints_old_and_new_and_is_audited(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    golive("apply", rollout_file(ISSUE_EXAMPLE))
    changed = ISSUE_EXAMPLE.replace("staff: 140", "staff: 150").replace("go_live: 2022-05-07T06:00\n", "go_live: 2022-05-07T07:00\n")
    result = golive("apply", rollout_file(changed, name="v2.yaml"), "--as", "Kari Nordmann", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    by_key = {(c["entity"], c["key"]): c for c in data["changes"]}
    assert by_key[("unit", "trondheim/legevakt")]["fields"] == {"staff": [140, 150]}
    plan_fields = by_key[("plan", "trondheim-2022")]["fields"]
    assert plan_fields["go_live"] == ["2022-05-07T04:00:00+00:00", "2022-05-07T05:00:00+00:00"]
    # The gate is anchored on the wave, whose go-live did not move: its due time is unchanged.
    assert ("gate", "trondheim-2022/T-7d") not in by_key
    from sqlmodel import select

    from rollout.database import Database
    from rollout.models import AuditEntry
    from rollout.settings import load_settings

    db = Database(load_settings(db_url))
    with db.session() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == "update")).all()
    db.dispose()
    assert {(e.entity, e.entity_key, e.actor) for e in entries} == {
        ("unit", "trondheim/legevakt", "Kari Nordmann"),
        ("plan", "trondheim-2022", "Kari Nordmann"),
    }
    unit_entry = next(e for e in entries if e.entity == "unit")
    assert unit_entry.changes == {"staff": [140, 150]}


def test_rows_not_in_the_file_are_kept_unless_pruned(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    golive("apply", rollout_file(ISSUE_EXAMPLE))
    fewer = ISSUE_EXAMPLE.replace(
        """    gates:
      - key: T-7d
        at: T-7d
        wave: Bølge 1
        criteria: {training_min: 0.9, staff_per_superuser_max: 10, staffing_min: 1.2, open_p1_max: 0, runbook_due_done: true}
""",
        "",
    )
    path = rollout_file(fewer, name="fewer.yaml")
    kept = golive("apply", path)
    assert kept.exit_code == 0
    assert "Nothing changed" in kept.stderr and "gate trondheim-2022/T-7d" in kept.stderr
    assert counts(golive)["gate"] == 1
    pruned = golive("apply", path, "--prune", "--json")
    assert [(c["action"], c["entity"], c["key"]) for c in pruned.json()["changes"]] == [("delete", "gate", "trondheim-2022/T-7d")]
    assert counts(golive)["gate"] == 0


def test_wave_unit_list_is_replaced_as_one_attribute(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    two_units = ISSUE_EXAMPLE.replace(
        "        staff: 140\n", "        staff: 140\n      - {key: helsehus, name: Helsehus, hours: \"24/7\", staff: 80}\n"
    )
    golive("apply", rollout_file(two_units))
    moved = two_units.replace("units: [legevakt]", "units: [legevakt, helsehus]")
    data = golive("apply", rollout_file(moved, name="moved.yaml"), "--json").json()
    assert data["changes"] == [
        {"action": "update", "entity": "wave", "key": "trondheim-2022/Bølge 1", "fields": {"units": [["legevakt"], ["helsehus", "legevakt"]]}}
    ]
    show = golive("plan", "show", "trondheim-2022", "--json").json()
    assert show["waves"][0]["units"] == ["helsehus", "legevakt"]


def test_a_failing_plan_rolls_back_the_organisations_created_before_it(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    bad = ISSUE_EXAMPLE.replace("units: [legevakt]", "units: [legevakt, akuttmottak]")
    result = golive("apply", rollout_file(bad))
    assert result.exit_code == 1
    assert "akuttmottak" in result.stderr and "rollout.yaml:" in result.stderr
    assert counts(golive) == {k: 0 for k in counts(golive)}


def test_plan_may_reference_an_organisation_applied_from_another_file(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    orgs_only = ISSUE_EXAMPLE.split("plans:")[0]
    plans_only = "plans:" + ISSUE_EXAMPLE.split("plans:")[1]
    assert golive("apply", rollout_file(orgs_only, name="orgs.yaml")).exit_code == 0
    result = golive("apply", rollout_file(plans_only, name="plans.yaml"))
    assert result.exit_code == 0, result.stderr
    assert golive("plan", "list", "--json").json()[0]["organisation"] == "trondheim"


def test_shipped_example_applies_cleanly(db_url, golive) -> None:  # noqa: ANN001
    result = golive("apply", EXAMPLE, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["created"] > 50
    assert "Nothing changed" in golive("apply", EXAMPLE).stderr


def test_gate_due_times_across_dst(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    assert golive("apply", rollout_file(DST_PLAN)).exit_code == 0
    show = golive("plan", "show", "vaar-2026", "--json").json()
    due = {g["key"]: g["due"] for g in show["gates"]}
    assert show["go_live"] == "2026-03-29T06:00+02:00"
    assert due["T-1d"] == "2026-03-28T06:00+01:00"  # calendar day, same wall clock
    assert due["T-24h"] == "2026-03-28T05:00+01:00"  # 24 elapsed hours
    assert due["T-90m"] == "2026-03-29T04:30+02:00"  # 04:00 UTC - 90 min = 02:30 UTC
    assert due["T+2d"] == "2026-03-31T06:00+02:00"
    assert due["fixed"] == "2026-03-27T12:00+01:00"
    # The autumn wave goes live at the second 02:30 (+01:00 = 01:30 UTC).
    autumn = next(w for w in show["waves"] if w["name"] == "Høst")
    assert autumn["go_live"] == "2026-10-25T02:30+01:00"
    assert due["host-T-1d"] == "2026-10-24T02:30+02:00"
    assert due["host-T-3h"] == "2026-10-25T00:30+02:00"  # 01:30 UTC - 3 h = 22:30 UTC
    assert {g["key"]: g["wave"] for g in show["gates"]}["host-T-1d"] == "Høst"


def test_pruning_an_organisation_lists_and_audits_what_goes_with_it(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    two = ISSUE_EXAMPLE.replace(
        "plans:", "  - key: hemit\n    name: Hemit\n    kind: partner\n    units:\n      - {key: drift, name: Drift}\nplans:"
    )
    assert golive("apply", rollout_file(two, name="two.yaml")).exit_code == 0
    pruned = golive("apply", rollout_file(ISSUE_EXAMPLE), "--prune", "--json").json()
    assert [(c["action"], c["entity"], c["key"]) for c in pruned["changes"]] == [
        ("delete", "unit", "hemit/drift"),
        ("delete", "organisation", "hemit"),
    ]
    assert counts(golive)["unit"] == 1
    # and a plan deleted with its organisation is named too
    other_plan = ISSUE_EXAMPLE.replace("key: trondheim-2022", "key: trondheim-2023")
    golive("apply", rollout_file(other_plan, name="p.yaml"))
    only_partner = "organisations:\n  - {key: hemit, name: Hemit, kind: partner}\n"
    result = golive("apply", rollout_file(only_partner, name="partner.yaml"), "--prune", "--json").json()
    deleted = {(c["entity"], c["key"]) for c in result["changes"] if c["action"] == "delete"}
    assert {("plan", "trondheim-2022"), ("plan", "trondheim-2023"), ("unit", "trondheim/legevakt"), ("organisation", "trondheim")} <= deleted


CONTACTS = """\
contacts:
  trondheim: [beredskap@trondheim.example, Beredskap@Trondheim.example]
  kommune: vakt@kommune.example
"""


def test_contacts_are_applied_idempotently_and_shown_with_the_organisation(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    path = rollout_file(CONTACTS + ISSUE_EXAMPLE)
    data = golive("apply", path, "--json").json()
    created = sorted(c["key"] for c in data["changes"] if c["entity"] == "contact")
    assert created == ["kommune/vakt@kommune.example", "trondheim/beredskap@trondheim.example"]  # duplicates folded
    assert "Nothing changed" in golive("apply", path).stderr
    assert golive("org", "show", "trondheim", "--json").json()["contacts"] == ["beredskap@trondheim.example"]
    fewer = rollout_file("contacts:\n  trondheim: [beredskap@trondheim.example]\n", name="fewer.yaml")
    kept = golive("apply", fewer)
    assert "Nothing changed" in kept.stderr and "contact kommune/vakt@kommune.example" in kept.stderr
    pruned = golive("apply", fewer, "--prune", "--json").json()
    assert [(c["action"], c["key"]) for c in pruned["changes"]] == [("delete", "kommune/vakt@kommune.example")]
    assert counts(golive)["contact"] == 1 and counts(golive)["organisation"] == 1


def test_bad_contact_address_is_one_error_line(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    from tests.conftest import assert_error

    text = "contacts:\n  hemit: [vakt-at-hemit]\n" + ISSUE_EXAMPLE
    assert_error(golive("apply", rollout_file(text)), "rollout.yaml:2:", "'vakt-at-hemit' is not an e-mail address")
    assert all(v == 0 for v in counts(golive).values())
