"""The demo's last step: the Trondheim cutover report and the region report as of Monday 9 May 2022 07:00.

Sunday's 07:00 reports are stored first (snapshots only, no files), so Monday's
"since last report" compares with the morning before, as it would on a real weekend.

Written into the demo folder (next to golive.sqlite) in every format this
installation renders (`reports.output.available_formats`), and stored as
snapshots; the summary lists the files and the cutover report's headline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import parse_instant
from rollout.seams import DemoSection, DemoStep

PLAN = "trondheim-2022"
TZ = "Europe/Oslo"
AS_OF = "2022-05-09T07:00"  # DESIGN.md: the final reports as of Monday 9 May 2022 07:00
BASELINE = "2022-05-08T07:00"  # Sunday's morning report, stored as a snapshot only, so Monday says what changed
FORMATS = ("html", "md", "json")


def demo_folder(session: Session) -> Path:
    database = session.get_bind().url.database
    return Path(database).parent if database else Path.cwd()


def build_reports_demo(session: Session, *, actor: str) -> dict[str, int]:
    from reports.output import available_formats
    from reports.service import cutover, region, write_reports

    sunday = parse_instant(BASELINE, TZ)
    cutover(session, plan=PLAN, at=sunday, actor=actor)
    region(session, at=sunday, actor=actor)
    at = parse_instant(AS_OF, TZ)
    formats = [f for f in FORMATS if f in available_formats()]
    folder = demo_folder(session)
    written = write_reports(session, plan=PLAN, at=at, formats=formats, folder=folder, lang=None, keep=None, actor=actor)
    written += write_reports(session, plan=None, at=at, formats=formats, folder=folder, lang=None, keep=None, actor=actor)
    return {"files": len(written), "snapshots": 4}


def summarise_reports(session: Session, *, when: Any, built: dict[str, dict[str, int]]) -> DemoSection:
    from reports.models import ReportSnapshot
    from reports.output import EXTENSIONS, available_formats
    from reports.prose import headline_line

    at = parse_instant(AS_OF, TZ)
    text = session.execute(select(ReportSnapshot.report).where(
        ReportSnapshot.kind == "cutover", ReportSnapshot.subject == PLAN, ReportSnapshot.as_of == at)).scalar_one()
    data = json.loads(text)
    folder = demo_folder(session)
    stems = [f"cutover-{PLAN}-20220509-0700", "region-20220509-0700"]  # as reports.service.file_stem names them
    lines = [f"Reports as of {when(at, TZ)}: {headline_line(data)}"]
    formats = [f for f in FORMATS if f in available_formats()]
    lines += [f"  {folder / f'{stem}.{EXTENSIONS[fmt]}'}" for stem in stems for fmt in formats]
    return DemoSection(title=None, lines=lines,
                       next_commands=[f'golive report cutover {PLAN} --at "2022-05-09 07:00" --format md --lang en'])


DEMO_STEP = DemoStep(name="reports", build=build_reports_demo, summarise=summarise_reports)
