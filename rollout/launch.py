"""The console script's entry: Ctrl-C while the program is still loading ends cleanly too."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from rollout.cli import main as cli_main
    except KeyboardInterrupt:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.stderr.write("Error: interrupted; nothing was written\n")
        sys.exit(130)
    cli_main()
