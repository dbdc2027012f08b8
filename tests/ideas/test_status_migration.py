"""Migration h3 makes existing ideas and their Stellungnahmen agree (README, "One status for an idea"), on both
databases, and keeps the full-text search of ideas working (SQLite rebuilds the table)."""

from sqlalchemy import create_engine, text

from app import migrate
from tests.conftest import IS_POSTGRES
from tests.hardening.test_migration_data import RELEASE_1, T0, T1, T2, _insert
from tests.test_migrations import empty_database_url  # noqa: F401  (fixture: a schema/file of its own)

BASE = RELEASE_1["idea"][0] | {"round_id": None, "section_id": None, "support_count": 0, "comment_count": 0}


def idea(i: int, status: str, reason: str = "") -> dict:
    return BASE | {"id": i, "status": status, "status_reason": reason, "title": f"Idee Nummer {i}"}


def test_ideas_and_their_responses_agree_after_the_upgrade(empty_database_url):  # noqa: F811
    migrate.upgrade(empty_database_url, "0006")
    engine = create_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            for row in RELEASE_1["user_account"]:
                _insert(conn, "user_account", row)
            for row in (idea(1, "received"), idea(2, "adopted", "Kommt in Kapitel 2."), idea(3, "declined"),
                        idea(4, "reviewing", "Wird geprüft."), idea(5, "declined", "Abgelehnt.")):
                _insert(conn, "idea", row)
            _insert(conn, "idea_status_change", dict(idea_id=2, status="adopted", reason="Kommt in Kapitel 2.",
                                                     section_id=None, changed_by_id=2, changed_at=T1))
            # no ids: on PostgreSQL the sequences must stay ahead of the rows (the migration adds some)
            for row in (dict(comment_id=None, idea_id=1, status="partly", text="Zum Teil.", version_id=None,
                             revision=1, is_current=True, author_id=2, created_at=T2),
                        dict(comment_id=None, idea_id=5, status="noted", text="Alt.", version_id=None,
                             revision=1, is_current=False, author_id=2, created_at=T0),
                        dict(comment_id=None, idea_id=5, status="noted", text="Zur Kenntnis.",
                             version_id=None, revision=2, is_current=True, author_id=2, created_at=T1)):
                _insert(conn, "response", row)
        migrate.upgrade(empty_database_url)
        with engine.connect() as conn:
            ideas = {r[0]: (r[1], r[2]) for r in conn.execute(text("SELECT id, status, status_reason FROM idea"))}
            current = {r[0]: (r[1], r[2], r[3], r[4]) for r in conn.execute(text(
                "SELECT idea_id, status, text, author_id, revision FROM response WHERE is_current"))}
            history = conn.execute(text("SELECT idea_id, status FROM idea_status_change ORDER BY id")).all()
        assert ideas == {1: ("partly", "Zum Teil."), 2: ("adopted", "Kommt in Kapitel 2."), 3: ("declined", ""),
                         4: ("reviewing", "Wird geprüft."), 5: ("noted", "Zur Kenntnis.")}
        assert current == {1: ("partly", "Zum Teil.", 2, 1), 2: ("accepted", "Kommt in Kapitel 2.", 2, 1),
                           3: ("rejected", "", None, 1), 5: ("noted", "Zur Kenntnis.", 2, 2)}
        assert [tuple(h) for h in history] == [(2, "adopted"), (1, "partly"), (5, "noted")]
        with engine.begin() as conn:  # the new statuses are allowed, the search still finds new ideas
            _insert(conn, "idea", idea(6, "partly") | {"title": "Schattige Bänke", "edited_at": None,
                                                      "withdrawn_at": None})
            if IS_POSTGRES:
                found = conn.execute(text("SELECT count(*) FROM idea WHERE to_tsvector('german', title || ' ' "
                                          "|| body) @@ to_tsquery('german', 'Schattig:*')")).scalar()
            else:
                found = conn.execute(text("SELECT count(*) FROM idea_fts WHERE idea_fts MATCH 'Schattige'")).scalar()
            assert found == 1
        migrate.downgrade(empty_database_url, "0006")  # and back: partly/noted fall back to reviewing
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM idea WHERE id = 5")).scalar() == "reviewing"
    finally:
        engine.dispose()
