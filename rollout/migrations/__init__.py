"""Alembic migrations, shipped inside the package.

`HEAD` lets startup check the schema without loading Alembic; a test keeps it
equal to the newest revision in `versions/`.
"""

HEAD = "0008"
