"""Broken playbooks: one `Error: file:line: …`, exit 1, nothing written; and the shipped playbooks are valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from rollout.paths import playbooks_dir
from rollout.runbooks.playbook import read_playbook
from tests.conftest import assert_error
from tests.rollout.runbooks.helpers import counts, setup_plan

HEAD = """\
name: broken
streams: [Teknisk]
tasks:
  - key: freeze
    title: Freeze
    stream: Teknisk
    owner: hemit
    at: T-36h
    duration: 2h
"""

BROKEN = {
    "unknown predecessor": (
        HEAD + "  - key: convert\n    title: Convert\n    after: [freze]\n    duration: 10h\n",
        12,
        ["unknown predecessor 'freze'", "did you mean 'freeze'"],
    ),
    "cycle": (
        HEAD
        + "  - key: a\n    title: A\n    after: [c]\n    duration: 1h\n"
        + "  - key: b\n    title: B\n    after: [a]\n    duration: 1h\n"
        + "  - key: c\n    title: C\n    after: [b, freeze]\n    duration: 1h\n",
        10,
        ["cycle", "a → b → c → a"],
    ),
    "duplicate key": (
        HEAD + "  - key: freeze\n    title: Again\n    at: T-1h\n    duration: 1h\n",
        10,
        ["task 'freeze' is declared twice (first on line 4)"],
    ),
    "bad offset": (
        HEAD + "  - key: x\n    title: X\n    at: 36h before\n    duration: 1h\n",
        12,
        ["offset '36h before'"],
    ),
    "bad duration": (
        HEAD + "  - key: x\n    title: X\n    at: T-1h\n    duration: two hours\n",
        13,
        ["duration 'twohours'"],
    ),
    "negative duration": (
        HEAD + "  - key: x\n    title: X\n    at: T-1h\n    duration: -30m\n",
        13,
        ["negative"],
    ),
    "milestone with a duration": (
        HEAD + "  - key: go-live\n    title: Live\n    milestone: go-live\n    at: T+0\n    duration: 1h\n",
        14,
        ["milestone and cannot have a duration"],
    ),
    "two go-live milestones": (
        HEAD
        + "  - key: live-1\n    title: Live\n    milestone: go-live\n    at: T+0\n"
        + "  - key: live-2\n    title: Live again\n    milestone: go-live\n    at: T+1h\n",
        14,
        ["second go-live milestone (the first is on line 10)"],
    ),
    "unknown stream": (
        HEAD + "  - key: x\n    title: X\n    stream: Teknikk\n    at: T-1h\n",
        12,
        ["stream 'Teknikk'", "did you mean 'Teknisk'"],
    ),
    "unknown key": (
        HEAD + "  - key: x\n    title: X\n    at: T-1h\n    duraton: 1h\n",
        13,
        ["unknown key 'duraton'", "did you mean 'duration'"],
    ),
    "neither at nor after": (
        HEAD + "  - key: x\n    title: X\n    duration: 1h\n",
        10,
        ["needs 'at'"],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_playbook_is_refused_with_file_and_line(case, db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    text, line, fragments = BROKEN[case]
    path = rollout_file(text, name="broken.yaml")
    before = counts(golive)
    result = golive("runbook", "load", "dst-2026", "--playbook", path)
    where = f"{path}:{line}:" if line else f"{path}:"
    assert_error(result, where, *fragments)
    assert counts(golive) == before


def test_self_dependency_is_refused(rollout_file):
    from rollout.errors import InputError

    path = rollout_file(HEAD + "  - key: x\n    title: X\n    after: [x]\n", name="self.yaml")
    with pytest.raises(InputError) as exc:
        read_playbook(path)
    assert exc.value.line == 12 and "names itself" in str(exc.value)


def test_unknown_owner_warns_or_refuses_with_strict(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    text = HEAD.replace("owner: hemit", "owner: hemmit")
    path = rollout_file(text, name="owner.yaml")
    before = counts(golive)
    strict = golive("runbook", "load", "dst-2026", "--playbook", path, "--strict")
    assert_error(strict, f"{path}:7:", "unknown owner 'hemmit'", "strict loading refuses it")
    assert counts(golive) == before
    lenient = golive("runbook", "load", "dst-2026", "--playbook", path, "--json")
    assert lenient.exit_code == 0
    assert f"Warning: {path}:7: task 'freeze': unknown owner 'hemmit' (did you mean 'hemit'?)" in lenient.stderr
    assert lenient.json()["warnings"] and lenient.json()["tasks"] == 1


def test_roles_and_organisation_keys_are_known_owners(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    text = HEAD + "  - key: x\n    title: X\n    owner: kommune\n    at: T-1h\n  - key: y\n    title: Y\n    owner: testkommune\n    at: T-1h\n"
    result = golive("runbook", "load", "dst-2026", "--playbook", rollout_file(text, name="ok.yaml"), "--strict")
    assert result.exit_code == 0, result.stderr
    assert "Warning" not in result.stderr


def test_unknown_playbook_name(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    assert_error(golive("runbook", "load", "dst-2026", "--playbook", "municipality-cutovr"), "did you mean 'municipality-cutover'")
    assert_error(golive("runbook", "load", "dst-2026", "--playbook", "missing.yaml"), "missing.yaml: no such file")


@pytest.mark.parametrize("name", ["municipality-cutover", "hospital-cutover", "gp-office-onboarding"])
def test_shipped_playbooks_are_valid_with_25_tasks(name):
    book = read_playbook(playbooks_dir() / f"{name}.yaml")
    assert len(book.tasks) >= 25
    assert book.go_live_key is not None
    assert sum(t.gate for t in book.tasks) >= 1
    assert {t.stream for t in book.tasks} <= set(book.streams)


def test_shipped_playbooks_owners_resolve_against_the_example_rollout(db_url, golive):
    from tests.conftest import EXAMPLE

    assert golive("apply", EXAMPLE).exit_code == 0
    for name, plan in [("municipality-cutover", "trondheim-2022"), ("hospital-cutover", "stolav-2022"), ("gp-office-onboarding", "verdal-2023")]:
        result = golive("runbook", "load", plan, "--playbook", name, "--strict", "--json")
        assert result.exit_code == 0, (name, result.stderr)
        assert result.json()["warnings"] == []


def test_playbooks_readme_documents_the_format():
    text = (Path(playbooks_dir()) / "README.md").read_text(encoding="utf-8")
    for word in ("at:", "after:", "duration:", "milestone:", "gate:", "owner:", "T-1d", "go-live"):
        assert word in text
