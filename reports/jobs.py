"""The scheduler's `report` job: write the cutover (or region) report and tell the `report` event's recipients where it is.

Files are written by reports.service:write_reports, each atomically (a temp
file renamed over the target), so a scheduler killed mid-job leaves the
previous report or the new one, never half a file. The snapshot and the
outbox rows commit with the run; a run re-done after a crash writes the same
as-of report again (the same bytes) and queues the same keys, so nothing is
sent twice.
"""

from __future__ import annotations

from typing import Any

EVENT = "report"
OSLO = "Europe/Oslo"


def check_formats(value: str) -> str:
    """`formats=html,json`: each one a format this installation renders (checked at `scheduler add`)."""
    from reports.output import available_formats

    formats = available_formats()
    for fmt in value.split(","):
        if fmt not in formats:
            raise ValueError(f"{fmt!r} is not a report format here; formats: {', '.join(formats)}")
    return value


def check_keep(value: str) -> str:
    """`keep=N`: at least 1 (keep=0 would delete the report the run has just written)."""
    if int(value) < 1:
        raise ValueError("keep must be 1 or more (it keeps the newest N files of each format)")
    return value


def check_folder(value: str) -> str:
    """`folder=DIR`: a folder, or one that can be made, where the nearest existing folder on the way is writable.

    A relative folder is left to the run: the job puts it beside the database, which is not known here.
    """
    import os
    from pathlib import Path

    path = Path(value).expanduser()
    if not path.is_absolute():
        return value
    nearest = path
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    if not nearest.is_dir():
        raise ValueError(f"{nearest} is not a folder")
    if not os.access(nearest, os.W_OK | os.X_OK):
        raise ValueError(f"{nearest} is not writable" + ("" if nearest == path else f" (so {path} cannot be made)"))
    return value


def _write_failure(folder: object, exc: OSError) -> Exception:
    from rollout.errors import GoliveError

    reason = (exc.strerror or type(exc).__name__).lower()
    return GoliveError(f"cannot write reports in {folder}: {reason}")


def default_formats() -> list[str]:
    """HTML when this installation renders it, else JSON."""
    from reports.output import available_formats

    return ["html"] if "html" in available_formats() else ["json"]


def report_job(ctx: Any) -> Any:
    """run(ctx) for the `report` kind (see rollout.scheduler.contract)."""
    from rollout.formats import when
    from rollout.outbox.recipients import recipients_for
    from reports.service import write_reports

    plan = ctx.params.get("plan")
    folder = ctx.path(ctx.params.get("folder") or "reports")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        paths = write_reports(ctx.session, plan=plan, at=ctx.now, formats=ctx.params.get("formats") or default_formats(),
                              folder=folder, lang=None, keep=ctx.params.get("keep"), actor=ctx.actor)
    except OSError as exc:
        raise _write_failure(folder, exc) from None
    outcome = ctx.outcome
    outcome.items = len(paths)
    what = f"the cutover report of {plan}" if plan else "the region report"
    outcome.summary = f"{what}: " + ", ".join(str(p.absolute()) for p in paths)
    to = recipients_for(ctx.session, event=EVENT, plan=plan).to
    if to:
        body = "\n".join([f"{what[0].upper()}{what[1:]} as of {when(ctx.now, OSLO)} is ready:",
                          *(str(p.absolute()) for p in paths)])
        ctx.notify(event=EVENT, recipients=to, subject=f"Report: {plan or 'region'} as of {when(ctx.now, OSLO)}", body=body)
    return outcome
