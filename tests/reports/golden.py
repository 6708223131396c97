"""Golden files: the expected bytes of reports, regenerated only on purpose.

Regenerate with `GOLIVE_UPDATE_GOLDEN=1 pytest tests/reports` (or `python -m tests.reports.golden`,
which rebuilds the demo and rewrites every golden file); then review the diff before committing.
`GOLIVE_REGEN_GOLDEN=1` means the same.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
UPDATE = "GOLIVE_UPDATE_GOLDEN"
ALSO = "GOLIVE_REGEN_GOLDEN"


def updating() -> bool:
    return os.environ.get(UPDATE) == "1" or os.environ.get(ALSO) == "1"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if updating():
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.exists(), f"no golden file {path}; create it with {UPDATE}=1"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden file; if the change is intended, rerun with {UPDATE}=1 and review the diff"


def demo_reports(folder: Path) -> Path:
    """Build the demo in `folder` (which writes the Monday reports there) and return the folder."""
    from rollout.demo import build_demo
    from rollout.formats import when

    build_demo(folder, when=when)
    return folder


if __name__ == "__main__":
    import tempfile

    os.environ[UPDATE] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        out = demo_reports(Path(tmp) / "demo")
        for file in sorted(out.glob("*-20220509-0700.*")):
            check_golden(file.name, file.read_text(encoding="utf-8"))
            print(f"wrote {GOLDEN / file.name}")
