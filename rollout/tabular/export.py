"""Writing tables for people: semicolon CSV for Excel with formula escaping, and atomic file writes."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rollout.errors import GoliveError
from rollout.tabular.read import FORMULA_START


class OutputError(GoliveError):
    """A file we were asked to write cannot be written there."""


def safe_cell(value: Any) -> Any:
    """A cell for a CSV a person opens in Excel: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Semicolon-separated CSV with CRLF line ends, as Norwegian Excel reads it; None is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return buffer.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write through a temp file in the same folder and a rename, so a reader never sees half a file.

    Refuses, naming the path, a missing folder, a folder given as the file, or a folder we may not write.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder; give a file name")
    if not folder.is_dir():
        raise OutputError(f"cannot write {target}: no folder {folder}")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp_name, target)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
