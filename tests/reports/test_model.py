"""The report model's JSON: contract keys, instants with offsets, durations in minutes, lists not tuples."""

from __future__ import annotations

import json

from reports.jsonformat import render_json
from tests.reports.sample import XSS, sample_cutover, sample_region


def test_contract_keys_are_there():
    data = sample_cutover().as_json()
    assert data["headline"]["rag"] == "red"
    assert {"unit", "role", "trained", "total"} <= set(data["readiness"]["training"][0])
    assert data["support"]["backlog"][0] == {"priority": "P1", "open": 3}
    assert data["runbook"]["projected_go_live"] == "2022-05-07T06:35+02:00"


def test_times_and_durations():
    data = sample_cutover().as_json()
    assert data["as_of"] == "2022-05-09T07:00+02:00"
    assert data["headline"]["until_go_live"] == -(49 * 60)
    assert data["runbook"]["go_live_delay"] == 35
    assert data["runbook"]["late"][0]["late"] == 30 * 60
    assert data["support"]["days"][0]["date"] == "2022-05-07"


def test_json_is_deterministic_and_keeps_text():
    a, b = render_json(sample_cutover()), render_json(sample_cutover())
    assert a == b and a.endswith("}\n")
    assert XSS in a  # JSON carries the text as is: escaping is the HTML/Markdown renderer's job
    assert json.loads(render_json(sample_region()))["plans"][1]["sla_response"] is None
