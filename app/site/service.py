"""Site-wide facts: database health."""

from sqlalchemy import text

from app.db import new_session


def database_ok() -> bool:
    try:
        with new_session() as session:
            session.exec(text("SELECT 1"))
        return True
    except Exception:  # any failure to reach the database means "unavailable"
        return False
