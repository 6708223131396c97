"""The JSON format of reports: sorted keys, deterministic, UTF-8 as is, two-space indent, one trailing newline."""

from __future__ import annotations

import json
from typing import Any


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False) + "\n"


def render_json(report: Any) -> str:
    """A CutoverReport or RegionReport (anything with `as_json()`) as the report's JSON text."""
    return dumps(report.as_json())
