"""golive: go-live operations for health-record rollouts (the rollout spine)."""

# Kept as a literal (read by hatchling) so `golive --version` needs no importlib.metadata.
__version__ = "0.1.0"
