"""The contract between the scheduler and the jobs it runs: `run(ctx: JobContext) -> JobOutcome`.

Standard library only, so a package above the spine (support, reports) can
write a job without the scheduler importing it, and the scheduler can run a
job without importing the package: the kind names its function by path.

- The job works in `ctx.session`, one transaction the scheduler commits when
  the job returns (and rolls back when it raises, or the process dies).
- One failing item never stops the rest: wrap each in `with ctx.item("label"):`
  (a savepoint), and the failure lands in the run's history instead.
- `ctx.notify(...)` writes the outbox in the same transaction, keyed by
  (job, run, recipient, subject), so a run retried after a crash writes the
  same rows again, never a second copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

OK, PARTIAL, FAILED = "ok", "partial", "failed"


@dataclass
class ItemFailure:
    """One item a job could not process (a ticket, a task, a report format) and why."""

    item: str
    error: str

    def as_json(self) -> dict[str, Any]:
        return {"item": self.item, "error": self.error}


@dataclass
class JobOutcome:
    """What a run did: items processed, items that failed, notifications queued, one line for people."""

    items: int = 0
    failures: list[ItemFailure] = field(default_factory=list)
    notified: int = 0
    summary: str = ""

    @property
    def outcome(self) -> str:
        if not self.failures:
            return OK
        return PARTIAL if self.items > len(self.failures) else FAILED


# (event, recipients, subject, body, key) -> notifications written
Notifier = Callable[..., int]


@dataclass
class JobContext:
    """Everything a job gets: its session, the scheduled instant (`now`), its parsed parameters, who it is."""

    session: Any
    now: datetime
    params: dict[str, Any]
    job: str
    run_id: int
    actor: str
    notifier: Notifier
    outcome: JobOutcome = field(default_factory=JobOutcome)
    base_dir: str = "."  # where relative paths point: the SQLite file's folder, else the scheduler's working directory

    def path(self, text: str) -> Path:
        """A folder or file parameter as a path: `~` expanded, relative ones under `base_dir`."""
        path = Path(text).expanduser()
        return path if path.is_absolute() else Path(self.base_dir) / path

    def notify(self, *, event: str, recipients: list[str], subject: str, body: str, key: str | None = None,
               per_run: bool = True) -> int:
        """Queue one message per recipient, keyed (job, run, recipient, subject[, key]); returns how many are new.

        `per_run=False` drops the run from the key: a message about one thing (a task's start) is then sent
        once however many runs see it, and `key` must say what the thing is.
        """
        cause = f"job:{self.job}" + (f"|run:{self.run_id}" if per_run else "") + (f"|{key}" if key else "")
        written = self.notifier(event=event, recipients=recipients, subject=subject, body=body, key=cause)
        self.outcome.notified += written
        return written

    @contextmanager
    def item(self, label: str) -> Iterator[None]:
        """Process one item in a savepoint: a failure is recorded and rolled back, and the job goes on."""
        savepoint = self.session.begin_nested()
        notified = self.outcome.notified
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - one item's failure is data for the history, not the end of the run
            savepoint.rollback()
            self.outcome.notified = notified  # its messages went with the savepoint
            self.outcome.failures.append(ItemFailure(label, error_text(exc)))
        else:
            savepoint.commit()
        finally:
            self.outcome.items += 1


def error_text(exc: BaseException) -> str:
    """One line for the history: the exception's first line, named by its type when it says nothing."""
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:500]
