"""Rendering `golive demo`'s summary: the sections every package's demo step returned, then what to try next."""

from __future__ import annotations

from typing import Any


def print_demo(summary: Any) -> None:  # a rollout.demo.DemoSummary
    from rich.console import Console

    out = Console(highlight=False, soft_wrap=True)
    out.print(f"[bold]golive demo[/bold]: Helseplattformen i Midt-Norge, in {summary.database}")
    next_commands = [f"export GOLIVE_DB={summary.database}"]
    for section in summary.sections:
        out.print()
        if section.title:
            out.print(section.title, markup=False)
        for line in section.lines:
            out.print(line, markup=False)
        next_commands += section.next_commands
    out.print()
    out.print("Next:")
    for command in next_commands:
        out.print(f"  {command}", markup=False)
