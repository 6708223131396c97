"""`python -m rollout` runs the golive CLI."""

from rollout.cli import main

main()
