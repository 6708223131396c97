"""`runbook start|done|skip|block`: the four status changes, made from one definition."""

from __future__ import annotations

from collections.abc import Callable

import typer

from rollout.cli.context import AS_OPTION, AT_OPTION, JSON_OPTION, app_context, emit_json, say
from rollout.cli.runbook.common import FORCE_OPTION, NOTE_OPTION, PLAN_ARG, RUN_OPTION, TASK_ARG, runbook_app

# action -> (what it does, an example); the order is the order in --help
STATUS_COMMANDS: dict[str, tuple[str, str]] = {
    "start": (
        "Start a task (its predecessors must be done or skipped, unless --force with --note).",
        "golive runbook start trondheim-2022 convert-patients --at 2022-05-06T14:10",
    ),
    "done": (
        "Mark a task done; a gate task needs a recorded go decision first (golive gate decide).",
        'golive runbook done trondheim-2022 freeze-old-journal --note "Lesetilgang bekreftet"',
    ),
    "skip": (
        "Skip a task that is not needed; its successors may then start.",
        'golive runbook skip trondheim-2022 huddle-sunday --note "Ingen åpne saker"',
    ),
    "block": (
        "Mark a task blocked (say why with --note; a new note on a blocked task is kept); `start` resumes it.",
        'golive runbook block trondheim-2022 printers-labels --note "Driver mangler for etikettskrivere"',
    ),
}


def change(
    ctx: typer.Context, *, action: str, plan: str, task: str, note: str | None, at: str | None, force: bool, run: str,
    actor: str | None, as_json: bool,
) -> None:
    from rollout.cli.context import parse_at
    from rollout.cli.output import local
    from rollout.errors import GoliveError
    from rollout.plans import get_plan
    from rollout.runbooks.status import NeedsForce, change_status
    from rollout.settings import acting_person

    if force and not (note and note.strip()):
        raise GoliveError("--force needs --note saying why (it is audited)")
    with app_context(ctx).db.session(write=True) as session:
        p = get_plan(session, plan)
        try:
            result = change_status(
                session, plan=p, task=task, action=action, at=parse_at(at, p.timezone), actor=acting_person(actor), note=note,
                force=force, run=run,
            )
        except NeedsForce as e:
            raise GoliveError(f"{e}; use --force --note '…' to override") from e
    if as_json:
        emit_json(result.as_json())
        return
    if not result.changed:
        say(f"Nothing changed: {task} is already {result.new_status}")
    elif result.note_only:
        say(f"{task}: note recorded at {local(result.at, p.timezone)}; still {result.new_status}")
    else:
        forced = f" (forced past {', '.join(result.unmet)})" if result.unmet else ""
        say(f"{task}: {result.old_status} → {result.new_status} at {local(result.at, p.timezone)}{forced}")


def status_command(action: str, summary: str, example: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context, plan: str = PLAN_ARG, task: str = TASK_ARG, note: str | None = NOTE_OPTION, at: str | None = AT_OPTION,
        force: bool = FORCE_OPTION, run: str = RUN_OPTION, actor: str | None = AS_OPTION, as_json: bool = JSON_OPTION,
    ) -> None:
        change(ctx, action=action, plan=plan, task=task, note=note, at=at, force=force, run=run, actor=actor, as_json=as_json)

    command.__name__ = command.__qualname__ = action
    command.__doc__ = f"{summary}\n\nExample: {example}"
    return command


for _action, (_summary, _example) in STATUS_COMMANDS.items():
    runbook_app.command(_action)(status_command(_action, _summary, _example))
