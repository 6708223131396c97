"""Reports as the CLI, the demo and the scheduler ask for them: build, snapshot, render, write files.

`cutover()` and `region()` build the report as of `at` with what changed since
the baseline, and store it as the snapshot of that as-of time (replacing one
at the same time). `write_reports()` does that and writes one file per format,
atomically, named `cutover-<plan>-<YYYYMMDD-HHMM>.<ext>` or `region-<YYYYMMDD-HHMM>.<ext>`
(the as-of time on the plan's wall clock), then prunes to the `keep` newest.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from reports.jsonformat import render_json
from reports.output import EXTENSIONS, FORMATS, LANGUAGES, render_text
from reports.snapshots import REGION, store

ACTOR = "golive report"
REGION_TZ = "Europe/Oslo"


def to_minute(at: datetime) -> datetime:
    """Reports are as of a whole minute (how they show it), so two runs in one minute are one snapshot."""
    return at.replace(second=0, microsecond=0)


def cutover(session: Session, *, plan: str, at: datetime, actor: str = ACTOR) -> Any:
    """The cutover report of plan `plan` as of `at`, stored as its snapshot; unknown plans say what they may have meant."""
    from rollout.plans import get_plan
    from reports.snapshots import cutover_with_changes

    at = to_minute(at)
    the_plan = get_plan(session, plan)
    report = cutover_with_changes(session, the_plan, at)
    store(session, kind="cutover", subject=the_plan.key, at=at, text=render_json(report), actor=actor)
    return report


def region(session: Session, *, at: datetime, actor: str = ACTOR) -> Any:
    """Every plan side by side as of `at`, stored as the region snapshot."""
    from reports.snapshots import region_with_changes

    at = to_minute(at)
    report = region_with_changes(session, at)
    store(session, kind="region", subject=REGION, at=at, text=render_json(report), actor=actor)
    return report


def check_choices(formats: list[str], lang: str | None) -> None:
    from rollout.errors import UsageError

    for fmt in formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown report format {fmt!r}; formats: {', '.join(FORMATS)}")
    if lang is not None and lang not in LANGUAGES:
        raise UsageError(f"unknown report language {lang!r}; languages: {', '.join(LANGUAGES)}")


def file_stem(report: Any) -> str:
    from rollout.clock import to_local

    stamp = to_local(report.as_of, report.timezone).strftime("%Y%m%d-%H%M")
    return f"cutover-{report.plan}-{stamp}" if report.kind == "cutover" else f"region-{stamp}"


def _prune(folder: Path, prefix: str, ext: str, keep: int) -> None:
    pattern = re.compile(re.escape(prefix) + r"\d{8}-\d{4}\." + re.escape(ext) + "$")
    found = sorted(p for p in folder.iterdir() if pattern.match(p.name))
    for old in found[:-keep] if keep > 0 else found:
        old.unlink(missing_ok=True)


def write_reports(session: Session, *, plan: str | None, at: datetime, formats: list[str], folder: Path, lang: str | None,
                  keep: int | None, actor: str = ACTOR) -> list[Path]:
    """Build (and snapshot) the cutover report of `plan`, or the region report when `plan` is None, and write each format.

    Everything is rendered before the first file is written; each file is written atomically.
    `keep`: after writing, only the `keep` newest files of this report and format stay in `folder`.
    """
    from rollout.errors import GoliveError
    from reports.writer import write_atomic

    check_choices(formats, lang)
    if not folder.is_dir():
        raise GoliveError(f"{folder} is not a folder; create it first")
    report = cutover(session, plan=plan, at=at, actor=actor) if plan is not None else region(session, at=at, actor=actor)
    language = lang or report.lang
    stem = file_stem(report)
    texts = [(fmt, render_text(report, fmt, language)) for fmt in dict.fromkeys(formats)]
    paths = [write_atomic(folder / f"{stem}.{EXTENSIONS[fmt]}", text) for fmt, text in texts]
    if keep is not None:
        prefix = stem[: -len("YYYYMMDD-HHMM")]
        for fmt, _text in texts:
            _prune(folder, prefix, EXTENSIONS[fmt], keep)
    return paths
