"""Atomic writes: a temp file in the same folder, flushed and synced, then renamed over the target.

A failure at any point (rendering, a full disk, a read-only folder) leaves the
previous file untouched and no temp file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from rollout.errors import GoliveError


def write_atomic(path: Path, text: str | Callable[[], str]) -> Path:
    """Write `text` (or what the callable renders, called before anything is touched) to `path` atomically."""
    content = text() if callable(text) else text
    data = content.encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise GoliveError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise GoliveError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    return path
