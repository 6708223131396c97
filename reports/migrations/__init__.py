"""The reports package's own Alembic branch ("reports") in the one golive database.

`HEAD` lets start-up check the schema without loading Alembic; a test keeps it
equal to the newest revision in `versions/`.
"""

HEAD = "r0001"
