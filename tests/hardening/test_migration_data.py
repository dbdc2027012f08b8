"""A database of the first migrations, filled through plain SQL, upgraded to head keeps every row.

The rows are written with the columns the database has at revision 0002 (reflected, not assumed), so the
test keeps working while 0001 is regenerated from the models before the first release.
"""

from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, Float, Integer, MetaData, String, Text, create_engine, insert, select, text

from app import migrate
from tests.conftest import IS_POSTGRES
from tests.test_migrations import empty_database_url  # noqa: F401  (fixture: a schema/file of its own)

NOW = datetime(2023, 3, 1, 9, 30)
# What the previous release stored: the values that matter, by table (other NOT NULL columns get a filler).
ROWS = {
    "user_account": [
        {"id": 1, "email": "lena@example.org", "display_name": "Lena Leitung", "role": "lead"},
        {"id": 2, "email": "erika@example.org", "display_name": "Erika Expertin", "role": "expert",
         "organisation": "Caritas Stuttgart"},
        {"id": 3, "email": "rudi@example.org", "display_name": "Rudi Bewohner", "role": "resident"},
    ],
    "document": [{"id": 1, "slug": "rahmenkonzeption", "title": "Rahmenkonzeption", "description": "Entwurf"}],
    "chapter": [{"id": 1, "document_id": 1, "position": 1, "title": "Grundlagen"}],
    "section": [{"id": 1, "chapter_id": 1, "position": 1, "title": "Ziele", "current_number": 1}],
    "draft": [{"id": 1, "section_id": 1, "title": "Ziele", "body": "Absatz eins.", "revision": 3}],
    "section_version": [{"id": 1, "section_id": 1, "number": 1, "title": "Ziele", "body": "Absatz eins.",
                         "html": "<p>Absatz eins.</p>", "change_summary": "Erste Fassung", "published_by_id": 1}],
    "paragraph": [{"id": 1, "version_id": 1, "position": 1, "anchor": "ab3k", "text": "Absatz eins.",
                   "html": "<p>Absatz eins.</p>"}],
    "round": [{"id": 1, "document_id": 1, "title": "Runde 1", "opens_at": NOW, "closes_at": NOW,
               "audience": "public", "state": "closed"}],
    "round_section": [{"id": 1, "round_id": 1, "section_id": 1}],
    "comment": [
        {"id": 1, "section_version_id": 1, "section_id": 1, "paragraph_anchor": "ab3k", "round_id": 1,
         "author_id": 2, "alignment": "objection", "body": "Zu unkonkret: wer finanziert das?",
         "html": "<p>Zu unkonkret: wer finanziert das?</p>", "up_count": 1},
        {"id": 2, "section_version_id": 1, "section_id": 1, "parent_id": 1, "root_id": 1, "depth": 1,
         "round_id": 1, "author_id": 3, "alignment": "support", "body": "Sehe ich auch so.",
         "html": "<p>Sehe ich auch so.</p>"},
    ],
    "idea": [{"id": 1, "author_id": 3, "quarter_id": None, "title": "Bänke am Marienplatz",
              "body": "Mehr Sitzplätze im Schatten für Ältere.", "html": "<p>Mehr Sitzplätze im Schatten.</p>",
              "category": "begegnung", "status": "received", "support_count": 1}],
    "vote": [{"id": 1, "user_id": 3, "comment_id": 1, "value": 1},
             {"id": 2, "user_id": 2, "idea_id": 1, "value": 1}],
    "outbox_message": [{"id": 1, "to_email": "erika@example.org", "subject": "Antwort auf Ihren Beitrag",
                        "body": "Rudi hat geantwortet."}],
}


def _filler(column):
    if isinstance(column.type, Boolean):
        return False
    if isinstance(column.type, DateTime):
        return NOW
    if isinstance(column.type, Integer | Float):
        return 0
    if isinstance(column.type, String | Text):
        return "x"
    return None


def _fill(conn, tables) -> dict[str, int]:
    quarter = conn.execute(text("SELECT min(id) FROM quarter")).scalar()
    written = {}
    for name, rows in ROWS.items():
        if name not in tables:
            continue
        table = tables[name]
        complete = []
        for row in rows:
            row = {k: (quarter if k == "quarter_id" and v is None else v) for k, v in row.items()
                   if k in table.c}
            for column in table.c:
                if column.name not in row and not column.nullable and column.server_default is None:
                    row[column.name] = _filler(column)
            complete.append(row)
        for row in complete:
            conn.execute(insert(table).values(**row))
        written[name] = len(complete)
    if IS_POSTGRES:
        for name in written:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))
    return written


def test_upgrading_a_filled_database_keeps_all_data(empty_database_url):  # noqa: F811
    url = empty_database_url
    migrate.upgrade(url, "0002")
    engine = create_engine(url)
    try:
        old = MetaData()
        old.reflect(engine)
        with engine.begin() as conn:
            written = _fill(conn, old.tables)
        assert {"user_account", "comment", "vote", "idea", "section_version"} <= set(written)

        migrate.upgrade(url, "head")

        new = MetaData()
        new.reflect(engine)
        with engine.connect() as conn:
            for name, rows in ROWS.items():
                if name not in written:
                    continue
                table = new.tables[name]
                stored = {r.id: r._mapping for r in conn.execute(select(table))}
                assert len(stored) == len(rows), name
                for row in rows:
                    for key, value in row.items():
                        if key in table.c and value is not None and not isinstance(value, datetime):
                            assert stored[row["id"]][key] == value, (name, key)
            assert conn.execute(text("SELECT count(*) FROM cache_key")).scalar() == 0  # the page cache's keys
            assert conn.execute(text("SELECT count(*) FROM quarter")).scalar() == 152
            # Ideas stored before the search migration are found by it.
            if IS_POSTGRES:
                found = conn.execute(text("SELECT count(*) FROM idea WHERE to_tsvector('german', title || ' ' || "
                                          "body) @@ plainto_tsquery('german', 'Schatten')")).scalar()
            else:
                found = conn.execute(text("SELECT count(*) FROM idea_fts WHERE idea_fts MATCH 'Schatten'")).scalar()
            assert found == 1
        # Sequences continue after the old rows: the app can add new ones.
        with engine.begin() as conn:
            conn.execute(insert(new.tables["document"]).values(
                slug="zweites", title="Zweites Dokument", description="", created_at=datetime.now(UTC)))
            assert conn.execute(text("SELECT max(id) FROM document")).scalar() == 2
    finally:
        engine.dispose()
