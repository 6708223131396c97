"""What an import did (or would do as a dry run), and how it reports progress while it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Called as progress(rows_done, rows_total) every PROGRESS_STEP rows and once at the end; renders nothing itself.
Progress = Callable[[int, int], None]
PROGRESS_STEP = 4096


@dataclass
class ImportResult:
    """What an import did (or would do as a dry run)."""

    file: str
    kind: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    deleted: int = 0  # when syncing: rows in the file's scope that the file no longer names
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "deleted": self.deleted,
            "dry_run": self.dry_run,
            "changed": self.changed,
        }
