"""The demo's Monday reports: golden bytes, valid against the JSON Schemas, and the same bytes from the CLI on a re-run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reports.golden import check_golden, demo_reports

STEM = "cutover-trondheim-2022-20220509-0700"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_reports(tmp_path_factory.mktemp("reports") / "demo")


def _validate(data: dict, schema_file: str) -> None:
    import jsonschema

    from reports.schemagen import SCHEMA_DIR

    schema = json.loads((SCHEMA_DIR / schema_file).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_the_demo_reports_match_their_golden_files(demo: Path) -> None:
    files = sorted(p.name for p in demo.glob("*-20220509-0700.*"))
    assert f"{STEM}.json" in files and "region-20220509-0700.json" in files
    for name in files:
        check_golden(name, (demo / name).read_text(encoding="utf-8"))


def test_the_demo_reports_validate_against_the_schemas(demo: Path) -> None:
    cutover = json.loads((demo / f"{STEM}.json").read_text(encoding="utf-8"))
    _validate(cutover, "cutover-report.schema.json")
    _validate(json.loads((demo / "region-20220509-0700.json").read_text(encoding="utf-8")), "region-report.schema.json")
    assert cutover["headline"]["rag"] in ("red", "amber", "green")
    assert cutover["support"]["backlog"][0]["priority"] == "P1" and "open" in cutover["support"]["backlog"][0]
    assert {"unit", "role", "trained", "total"} <= set(cutover["readiness"]["training"][0])
    assert cutover["runbook"]["projected_go_live"].endswith("+02:00")


def test_the_sample_reports_validate_too() -> None:
    from tests.reports.sample import sample_cutover, sample_region

    _validate(sample_cutover().as_json(), "cutover-report.schema.json")
    _validate(sample_region().as_json(), "region-report.schema.json")


def test_the_committed_schemas_are_the_ones_the_model_derives() -> None:
    from reports.jsonformat import dumps
    from reports.schemagen import FILES, SCHEMA_DIR, schema

    for file, name in FILES.items():
        assert (SCHEMA_DIR / file).read_text(encoding="utf-8") == dumps(schema(name)), f"run: python -m reports.schemagen ({file})"


def test_the_cli_gives_the_same_bytes_at_the_same_time(demo: Path, golive) -> None:  # noqa: ANN001
    db = demo / "golive.sqlite"
    for _ in range(2):  # the demo stored this snapshot already: each run replaces it and finds the same baseline
        out = golive("--db", db, "report", "cutover", "trondheim-2022", "--at", "2022-05-09 07:00", "--format", "json")
        assert out.exit_code == 0, out.stderr
        assert out.stdout == (demo / f"{STEM}.json").read_text(encoding="utf-8")
    region = golive("--db", db, "report", "region", "--at", "2022-05-09T07:00", "--format", "json")
    assert region.stdout == (demo / "region-20220509-0700.json").read_text(encoding="utf-8")
    plans = [row["plan"] for row in region.json()["plans"]]
    assert plans == ["trondheim-2022", "stolav-2022", "levanger-2023", "verdal-2023"]
