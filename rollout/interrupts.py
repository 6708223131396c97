"""Ctrl-C and writes: a command is interrupted before its commit (nothing written) or runs to its end.

The entry point (`rollout.cli.main`) turns the policy on for one command.
A write session calls `hold()` just before it commits: from then on a
SIGINT is remembered instead of raised, so the commit, the connection close
and the command's own success message all happen, and the exit code is 0.
A Ctrl-C before that point rolls the transaction back. Library callers
that never turn the policy on keep Python's usual KeyboardInterrupt.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

_active = False
_held = False
_received = False
_previous: Any = None


def _remember(_signum: int, _frame: FrameType | None) -> None:
    global _received
    _received = True


def _on_main_thread() -> bool:
    # Python only lets the main thread set signal handlers.
    return threading.current_thread() is threading.main_thread()


def begin() -> None:
    """Turn the policy on for one command (called by the CLI entry point)."""
    global _active, _held, _received
    _active, _held, _received = True, False, False


def hold() -> None:
    """From now until `end()`, a Ctrl-C no longer interrupts: the command finishes what it committed."""
    global _held, _previous
    if not _active or _held or not _on_main_thread():
        return
    _previous = signal.signal(signal.SIGINT, _remember)
    _held = True


def release_unless_received() -> None:
    """Let Ctrl-C interrupt again after a commit that is not the command's last word (a new file's schema).

    A Ctrl-C that arrived while held stays held: the command goes on to its end.
    """
    global _held
    if _held and not _received and _on_main_thread():
        signal.signal(signal.SIGINT, _previous if _previous is not None else signal.default_int_handler)
        _held = False


def end(*, exiting: bool) -> bool:
    """Turn the policy off; True when a Ctrl-C arrived while held.

    `exiting`: the process ends now, so a late Ctrl-C is ignored rather than
    turned into a traceback during interpreter shutdown.
    """
    global _active, _held
    received = _received
    if _on_main_thread():
        if exiting:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        elif _held:
            signal.signal(signal.SIGINT, _previous if _previous is not None else signal.default_int_handler)
    _active, _held = False, False
    return received


def committed() -> bool:
    """Whether a write of this command has started to commit (from then on it runs to its end)."""
    return _held


def ignore() -> None:
    """A second Ctrl-C while reporting the first must not produce a traceback."""
    if _on_main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
