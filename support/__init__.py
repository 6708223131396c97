"""golive's support centre: the ticket queue, SLAs, routing and known issues (built on `rollout`)."""
