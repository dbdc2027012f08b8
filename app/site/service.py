"""Site-wide facts: database health."""

from sqlalchemy import text

from app.db import health_engine


def database_ok() -> bool:
    """The database answers. A pooled connection the server closed a moment ago (restart, pg_terminate_backend)
    may still look alive when handed out; using it fails and the pool drops it, so the check is tried once more
    on a fresh connection before the database counts as unreachable."""
    for _attempt in range(2):
        try:
            with health_engine().connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:  # any failure to reach the database means "unavailable"
            continue
    return False
