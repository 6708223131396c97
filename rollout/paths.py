"""Where shipped files live: the repo's `playbooks/` in a checkout, `rollout/_playbooks` in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def playbooks_dir() -> Path:
    installed = _PACKAGE / "_playbooks"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "playbooks"


def example_rollout_file() -> Path:
    return playbooks_dir() / "examples" / "helse-midt.yaml"
