"""A database of a release, filled through plain SQL, upgraded to the newest head keeps every row.

The rows are written in the schema of the release (fixed forever: released revisions are never edited), into
every one of its tables, so the test keeps working whatever later revisions add. After the upgrade every row of
every table of the release is compared column by column, and the models of the head must read them all.
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import MetaData, create_engine, inspect, select, text

from app import migrate
from app.models import metadata as head_metadata
from tests.conftest import IS_POSTGRES
from tests.test_migrations import RELEASES, empty_database_url  # noqa: F401  (fixture: a schema/file of its own)

T0 = datetime(2023, 3, 1, 9, 30)
T1 = datetime(2023, 3, 2, 17, 45, 12, 345000)
T2 = datetime(2023, 4, 30, 23, 59, 59)

# Release 1 (head 0004): a small but complete platform, one or more rows in every table, written in the
# order of the foreign keys. district, quarter and site_state come with the migrations (site_state is updated).
RELEASE_1 = {
    "user_account": [
        dict(id=1, email="admin@example.org", display_name="Ada Admin", password_hash="$argon2id$v=19$x",
             role="admin", organisation=None, organisation_kind=None, is_active=True, blocked_until=None,
             notify_replies=True, notify_versions=False, email_verified_at=T0, created_at=T0, deleted_at=None),
        dict(id=2, email="lena@example.org", display_name="Lena Leitung", password_hash="$argon2id$v=19$y",
             role="lead", organisation="Amt für Stadtplanung", organisation_kind="verwaltung", is_active=True,
             blocked_until=None, notify_replies=True, notify_versions=True, email_verified_at=T0, created_at=T0,
             deleted_at=None),
        dict(id=3, email="erika@example.org", display_name="Erika Expertin", password_hash="$argon2id$v=19$z",
             role="expert", organisation="Caritas Stuttgart", organisation_kind="traeger", is_active=True,
             blocked_until=None, notify_replies=False, notify_versions=True, email_verified_at=T1, created_at=T0,
             deleted_at=None),
        dict(id=4, email="rudi@example.org", display_name="Rudi Bewohner", password_hash="$argon2id$v=19$w",
             role="resident", organisation=None, organisation_kind=None, is_active=True, blocked_until=T2,
             notify_replies=True, notify_versions=False, email_verified_at=T1, created_at=T1, deleted_at=None),
        dict(id=5, email="mo@example.org", display_name="Moritz Moderation", password_hash=None,
             role="moderator", organisation=None, organisation_kind=None, is_active=False, blocked_until=None,
             notify_replies=False, notify_versions=False, email_verified_at=None, created_at=T1, deleted_at=None),
        dict(id=6, email=None, display_name="Gelöschtes Konto", password_hash=None, role="resident",
             organisation=None, organisation_kind=None, is_active=False, blocked_until=None, notify_replies=False,
             notify_versions=False, email_verified_at=None, created_at=T0, deleted_at=T2),
    ],
    "auth_token": [
        dict(id=1, user_id=4, kind="session", token_hash="a" * 64, created_at=T1, expires_at=T2, revoked_at=None),
        dict(id=2, user_id=2, kind="api", token_hash="b" * 64, created_at=T0, expires_at=T2, revoked_at=T1),
    ],
    "audit_entry": [dict(id=1, created_at=T0, actor_id=1, action="user.create", target_type="user", target_id=2,
                         summary="Konto „Lena Leitung“ angelegt")],
    "invitation": [dict(id=1, token_hash="c" * 64, email="erika@example.org", organisation="Caritas Stuttgart",
                        organisation_kind="traeger", invited_by_id=2, created_at=T0, expires_at=T2, used_at=T1,
                        user_id=3)],
    "outbox_message": [dict(id=1, to_email="erika@example.org", subject="Antwort auf Ihren Beitrag",
                            body="Rudi hat geantwortet.\n\nZum Beitrag: http://example.org/", kind="reply",
                            created_at=T1, next_attempt_at=T1, attempts=2, sent_at=None,
                            last_error="SMTP 451 – später erneut")],
    "rate_limit_event": [dict(id=1, key="comment:4", created_at=T1)],
    "document": [dict(id=1, slug="rahmenkonzeption", title="Rahmenkonzeption soziale Quartiersentwicklung",
                      description="Entwurf zur Beteiligung.", created_at=T0)],
    "chapter": [dict(id=1, document_id=1, position=1, title="Grundlagen")],
    "section": [dict(id=1, chapter_id=1, position=1, title="Ziele", current_number=1, created_at=T0)],
    "draft": [dict(id=1, section_id=1, title="Ziele", body="Absatz eins.\n\nAbsatz zwei, überarbeitet.",
                   revision=3, updated_at=T1, updated_by_id=2)],
    "section_version": [dict(id=1, section_id=1, number=1, title="Ziele", body="Absatz eins.\n\nAbsatz zwei.",
                             html="<p>Absatz eins.</p>\n<p>Absatz zwei.</p>", change_summary="Erste Fassung",
                             published_at=T0, published_by_id=2)],
    "paragraph": [
        dict(id=1, version_id=1, position=1, anchor="ab3k", text="Absatz eins.", html="<p>Absatz eins.</p>"),
        dict(id=2, version_id=1, position=2, anchor="q9zt", text="Absatz zwei.", html="<p>Absatz zwei.</p>"),
    ],
    "anchor_mapping": [dict(id=1, version_id=1, old_anchor="ab3k", new_anchor="ab3k", change="unchanged")],
    "edition": [dict(id=1, document_id=1, number=1, title="Fassung März 2023", published_at=T1,
                     published_by_id=2)],
    "edition_section": [dict(id=1, edition_id=1, section_id=1, version_id=1, label="1.1", chapter_title="Grundlagen",
                             position=1)],
    "round": [dict(id=1, document_id=1, title="Runde 1", description="Erste Runde.", opens_at=T0, closes_at=T2,
                   audience="public", state="closed", created_by_id=2, created_at=T0)],
    "round_section": [dict(id=1, round_id=1, section_id=1)],
    "idea": [dict(id=1, author_id=4, quarter_id=101, round_id=1, section_id=1, title="Bänke am Marienplatz",
                  body="Mehr Sitzplätze im Schatten für Ältere.", html="<p>Mehr Sitzplätze im Schatten.</p>",
                  category="begegnung", status="reviewing", status_reason="Wird geprüft.", lat=48.7641,
                  lon=9.1684, created_at=T0, hidden_at=None, hidden_reason=None, support_count=1,
                  comment_count=1)],
    "idea_status_change": [dict(id=1, idea_id=1, status="reviewing", reason="Wird geprüft.", section_id=1,
                                changed_by_id=2, changed_at=T1)],
    "comment": [
        dict(id=1, section_version_id=1, section_id=1, idea_id=None, paragraph_anchor="ab3k", quote="Absatz",
             parent_id=None, root_id=None, depth=0, round_id=1, author_id=3, alignment="objection",
             body="Zu unkonkret: wer finanziert das?", html="<p>Zu unkonkret: wer finanziert das?</p>",
             created_at=T0, edited_at=T1, withdrawn_at=None, hidden_at=None, hidden_reason=None, erased=False,
             up_count=1, down_count=0),
        dict(id=2, section_version_id=1, section_id=1, idea_id=None, paragraph_anchor=None, quote=None,
             parent_id=1, root_id=1, depth=1, round_id=1, author_id=4, alignment="support",
             body="Sehe ich auch so.", html="<p>Sehe ich auch so.</p>", created_at=T1, edited_at=None,
             withdrawn_at=None, hidden_at=T2, hidden_reason="Beleidigung", erased=False, up_count=0,
             down_count=0),
        dict(id=3, section_version_id=None, section_id=None, idea_id=1, paragraph_anchor=None, quote=None,
             parent_id=None, root_id=None, depth=0, round_id=None, author_id=3, alignment="note",
             body="Im Sommer wichtig.", html="<p>Im Sommer wichtig.</p>", created_at=T1, edited_at=None,
             withdrawn_at=None, hidden_at=None, hidden_reason=None, erased=False, up_count=0, down_count=0),
    ],
    "comment_edit": [dict(id=1, comment_id=1, body="Unkonkret.", alignment="note", edited_at=T1)],
    "version_address": [dict(id=1, version_id=1, comment_id=1)],
    "flag": [dict(id=1, user_id=3, comment_id=2, idea_id=None, reason="Beleidigend", created_at=T1,
                  resolved_at=T2, resolution="hidden")],
    "response": [dict(id=1, comment_id=1, idea_id=None, status="partly", text="Die Finanzierung klärt Kapitel 3.",
                      version_id=1, revision=1, is_current=True, author_id=2, created_at=T2)],
    "vote": [
        dict(id=1, user_id=4, section_version_id=None, comment_id=1, idea_id=None, value=1, created_at=T1,
             updated_at=T1),
        dict(id=2, user_id=3, section_version_id=None, comment_id=None, idea_id=1, value=1, created_at=T1,
             updated_at=T2),
        dict(id=3, user_id=4, section_version_id=1, comment_id=None, idea_id=None, value=-1, created_at=T1,
             updated_at=T1),
    ],
}
DATA = {1: RELEASE_1}  # release number -> its rows; every release gets its own data set
SITE_GENERATION = 41
IGNORED = ("alembic_version", "idea_fts")  # Alembic's bookkeeping; the FTS5 index is derived from `idea`
# Tables that hold no one's data, only state the app derives again (the page cache's generation): a later
# revision may replace them. Every other table of a release stays, with every row and column.
DERIVED = {"site_state"}


def _insert(conn, table: str, row: dict) -> None:
    columns = ", ".join(f'"{c}"' for c in row)
    conn.execute(text(f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join(":" + c for c in row)})'), row)


def _snapshot(engine, tables: list[str]) -> dict[str, dict[int, dict]]:
    """Every row of every given table (reflected: no model involved), by id."""
    reflected = MetaData()
    reflected.reflect(engine, only=tables)
    with engine.connect() as conn:
        return {name: {r.id: dict(r._mapping) for r in conn.execute(select(reflected.tables[name]))}
                for name in tables}


def _naive_utc(value):
    return value.astimezone(UTC).replace(tzinfo=None) if isinstance(value, datetime) and value.tzinfo else value


def test_every_release_has_a_data_set():
    assert set(DATA) == {r["number"] for r in RELEASES}


@pytest.mark.parametrize("release", [r["number"] for r in RELEASES])
def test_upgrading_a_filled_release_keeps_every_row(empty_database_url, release):  # noqa: F811
    url, rows = empty_database_url, DATA[release]
    head_of_release = next(r["head"] for r in RELEASES if r["number"] == release)
    migrate.upgrade(url, head_of_release)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for table, table_rows in rows.items():
                for row in table_rows:
                    _insert(conn, table, row)
            conn.execute(text("UPDATE site_state SET generation = :g WHERE id = 1"), {"g": SITE_GENERATION})
            if IS_POSTGRES:  # as after rows added by the app: sequences continue after the highest id
                for table in rows:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                      f"(SELECT max(id) FROM \"{table}\"))"))
        reflected = MetaData()
        reflected.reflect(engine)
        names = sorted(n for n in reflected.tables if not n.startswith(IGNORED))
        empty = [n for n in names if n not in rows and n not in ("district", "quarter", "site_state")]
        assert not empty, f"the data set of release {release} has no rows for {empty}"
        before = _snapshot(engine, names)
        assert before["site_state"][1]["generation"] == SITE_GENERATION
        assert len(before["district"]) == 23 and len(before["quarter"]) == 152

        migrate.upgrade(url, "head")

        present = set(inspect(engine).get_table_names())
        assert not set(names) - present - DERIVED, f"tables dropped: {set(names) - present - DERIVED}"
        names = [n for n in names if n in present]
        after = _snapshot(engine, names)
        for name in names:
            assert set(after[name]) == set(before[name]), f"{name}: rows lost or added by the upgrade"
            for row_id, old in before[name].items():
                new = after[name][row_id]
                assert set(old) <= set(new), f"{name}: columns {set(old) - set(new)} dropped (not additive)"
                changed = {c: (v, new[c]) for c, v in old.items() if new[c] != v}
                assert not changed, f"{name} {row_id}: {changed}"

        # The models of the head read every row, with the values of the release.
        with engine.connect() as conn:
            for name in (n for n in names if n not in DERIVED or n in head_metadata.tables):
                model_rows = {r.id: r._mapping for r in conn.execute(select(head_metadata.tables[name]))}
                for row_id, old in before[name].items():
                    assert {c: _naive_utc(model_rows[row_id][c]) for c in old} == old, (name, row_id)
            # Ideas stored before the upgrade are still found by the full-text search.
            if IS_POSTGRES:
                found = conn.execute(text("SELECT count(*) FROM idea WHERE to_tsvector('german', title || ' ' || "
                                          "body) @@ plainto_tsquery('german', 'Schatten')")).scalar()
            else:
                found = conn.execute(text("SELECT count(*) FROM idea_fts WHERE idea_fts MATCH 'Schatten'")).scalar()
            assert found == 1
        # New rows continue after the old ones.
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO document (slug, title, description, created_at) "
                              "VALUES ('zweites', 'Zweites Dokument', '', :t)"), {"t": T2})
            assert conn.execute(text("SELECT max(id) FROM document")).scalar() == 2
    finally:
        engine.dispose()
