"""Backup and move: export, import into an empty platform, round trips between SQLite and PostgreSQL."""

import json
import os
import socket
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from app import db, migrate
from app.demo.seed import seed
from app.exports import backup
from app.models import metadata
from tests.conftest import IS_POSTGRES, _truncate
from tests.helpers import api_token, make_user
from tests.responses.factory import World

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _fill(client) -> None:
    """The demo data plus a round with comments, an idea, responses, a flag and a hidden comment."""
    with db.new_session(writer=True) as s:
        seed(s)
    world = World(client, slug="fachrunde")
    c1 = world.comment(body="Mehr Räume für Begegnung")
    c2 = world.comment(user=world.resident, body="Unsachlich")
    idea = world.idea()
    world.respond("comment", c1["id"], status="partly", text="Teilweise.")
    world.respond("comment", c1["id"], status="accepted", text="Doch ganz.")
    world.respond("idea", idea["id"], status="noted", text="Danke.")
    client.post("/api/v1/flags", json={"target": "comment", "target_id": c2["id"], "reason": "Beleidigung"},
                headers=world.auth(world.expert))
    client.post(f"/api/v1/moderation/comment/{c2['id']}/hide", json={"reason": "Beleidigung"},
                headers=world.auth(world.moderator))


def _export(session: Session) -> dict:
    return backup.export_document(session, metadata=metadata)


def _pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def _targets():
    """Fresh empty databases of the other kinds: a second SQLite file, and a PostgreSQL schema if reachable."""
    folder = Path(tempfile.mkdtemp(prefix="qw-roundtrip-"))
    yield "sqlite", f"sqlite:///{folder / 'target.db'}", None
    if _pg_reachable():
        base = os.environ.get("QW_TEST_PG_ROUNDTRIP_URL") or PG_DEFAULT
        schema = f"qw_roundtrip_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        except Exception:  # no such database or no rights: the SQLite round trip still runs
            admin.dispose()
            return
        sep = "&" if "?" in base else "?"
        yield "postgresql", f"{base}{sep}options=-csearch_path%3D{schema}", (admin, schema)


def test_round_trip_through_json_into_fresh_databases(client):
    _fill(client)
    with db.new_session() as s:
        source = _export(s)
    assert source["format"] == backup.FORMAT and source["tables"]["response"]["rows"]
    names = list(source["tables"])
    assert names == [t.name for t in metadata.sorted_tables if t.name not in backup.SKIP]
    tried = []
    for kind, url, cleanup in _targets():
        try:
            migrate.upgrade(url)
            engine = create_engine(url)
            with Session(engine) as target:
                counts = backup.import_platform(target, actor=None, document=json.dumps(source), metadata=metadata,
                                                cli=True)
                assert counts["comment"] == len(source["tables"]["comment"]["rows"])
            with Session(engine) as target:
                again = _export(target)
                if kind == "postgresql":  # the sequences continue after the imported ids
                    next_id = target.execute(text("SELECT nextval(pg_get_serial_sequence('comment', 'id'))")).scalar()
                    assert next_id == max(r[0] for r in source["tables"]["comment"]["rows"]) + 1
            engine.dispose()
            audit = again["tables"]["audit_entry"]
            # the import adds one audit entry of its own; everything else is identical
            assert audit["rows"][:-1] == source["tables"]["audit_entry"]["rows"]
            assert again["tables"]["audit_entry"]["rows"][-1][audit["columns"].index("action")] == "platform.import"
            for name in names:
                if name != "audit_entry":
                    assert again["tables"][name] == source["tables"][name], name
            tried.append(kind)
        finally:
            if cleanup:
                admin, schema = cleanup
                with admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    assert "sqlite" in tried
    print(f"round trip from {'postgresql' if IS_POSTGRES else 'sqlite'} into {tried}")


def test_api_import_into_an_empty_platform(client):
    _fill(client)
    admin = make_user("admin", email="betrieb@example.org")
    exported = client.get("/api/v1/export", headers=api_token(client, admin))
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/json")
    document = exported.json()
    _truncate()
    fresh_admin = make_user("admin", email="neu@example.org")
    headers = api_token(client, fresh_admin)
    r = client.post("/api/v1/import", content=json.dumps(document), headers={**headers,
                                                                           "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["imported"]["response"] == len(document["tables"]["response"]["rows"])
    # the bootstrap admin is replaced by the imported accounts, who can log in again
    assert client.post("/api/v1/tokens", json={"email": "neu@example.org", "password": "richtig-langes-passwort"}
                       ).status_code == 401
    assert client.post("/api/v1/tokens", json={"email": "betrieb@example.org",
                                               "password": "richtig-langes-passwort"}).status_code == 201


def _user_count() -> int:
    with db.new_session() as s:
        return s.execute(text("SELECT COUNT(*) FROM user_account")).scalar()


def _document_with(**changes) -> dict:
    with db.new_session() as s:
        document = _export(s)
    document.update(changes)
    return document


@pytest.mark.parametrize("mangle,field", [
    (lambda d: "{kein json", "body"),
    (lambda d: json.dumps([1, 2]), "body"),
    (lambda d: json.dumps({**d, "format": "etwas anderes"}), "format"),
    (lambda d: json.dumps({**d, "tables": {**d["tables"], "erfunden": {"columns": [], "rows": []}}}),
     "tables.erfunden"),
    (lambda d: json.dumps({**d, "tables": {**d["tables"], "user_account": {
        **d["tables"]["user_account"], "rows": [["x"] * len(d["tables"]["user_account"]["columns"])]}}}),
     "tables.user_account.rows[0]"),
    (lambda d: json.dumps({**d, "tables": {**d["tables"], "comment": {
        **d["tables"]["comment"], "rows": [[1]]}}}), "tables.comment.rows[0]"),
])
def test_import_rejects_malformed_files_without_writing(client, mangle, field):
    _fill(client)
    document = _document_with()
    _truncate()
    admin = make_user("admin")
    before = _user_count()
    r = client.post("/api/v1/import", content=mangle(document),
                    headers={**api_token(client, admin), "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert any(e["field"].startswith(field) for e in r.json()["errors"]), r.json()
    assert _user_count() == before


def test_import_with_broken_references_writes_nothing(client):
    _fill(client)
    document = _document_with()
    columns = document["tables"]["comment"]["columns"]
    row = list(document["tables"]["comment"]["rows"][0])
    row[columns.index("author_id")] = 987654  # no such user
    document["tables"]["comment"]["rows"][0] = row
    _truncate()
    admin = make_user("admin")
    r = client.post("/api/v1/import", content=json.dumps(document),
                    headers={**api_token(client, admin), "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert _user_count() == 1
    assert client.post("/api/v1/tokens", json={"email": admin.email, "password": "richtig-langes-passwort"}
                       ).status_code == 201


def test_import_only_into_an_empty_platform_and_only_for_admins(client):
    _fill(client)
    document = json.dumps(_document_with())
    lead = make_user("lead")
    r = client.post("/api/v1/import", content=document, headers={**api_token(client, lead),
                                                                  "Content-Type": "application/json"})
    assert r.status_code == 403
    admin = make_user("admin")
    r = client.post("/api/v1/import", content=document, headers={**api_token(client, admin),
                                                                  "Content-Type": "application/json"})
    assert r.status_code == 409 and "leere Plattform" in r.json()["detail"]
    assert client.get("/api/v1/export", headers=api_token(client, lead)).status_code == 403
    assert client.get("/api/v1/export").status_code == 401


def _post_import(client, admin, document):
    return client.post("/api/v1/import", content=document if isinstance(document, str) else json.dumps(document),
                       headers={**api_token(client, admin), "Content-Type": "application/json"})


def test_import_without_an_admin_or_reference_data_is_refused(client):
    admin = make_user("admin", email="betrieb@example.org")
    empty = {"format": "quartierswerkstatt-export", "version": 1, "tables": {}}
    r = _post_import(client, admin, empty)
    assert r.status_code == 422, r.text
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"tables.user_account", "tables.district", "tables.quarter"} <= fields
    # nothing written: the importing admin is still there and can log in
    assert _user_count() == 1
    assert client.post("/api/v1/tokens", json={"email": "betrieb@example.org", "password": "richtig-langes-passwort"}
                       ).status_code == 201
    # a full export whose accounts hold no admin is refused the same way
    _fill(client)
    document = _document_with()
    users = document["tables"]["user_account"]
    role = users["columns"].index("role")
    users["rows"] = [[*row[:role], "resident", *row[role + 1:]] for row in users["rows"]]
    _truncate()
    admin = make_user("admin")
    r = _post_import(client, admin, document)
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["tables.user_account"]
    assert _user_count() == 1


@pytest.mark.parametrize("value,column", [
    ("0001-01-01T00:00:00+14:00", "created_at"),  # before year 1 in UTC
    ("9999-12-31T23:59:59-14:00", "created_at"),  # after year 9999 in UTC
    ("Zeichen \ud800 allein", "display_name"),  # a lone surrogate (cannot be stored as UTF-8)
    ("Nu\x00ll", "display_name"),
])
def test_import_with_out_of_range_dates_or_bad_text_is_refused(client, value, column):
    make_user("admin", email="altes-admin@example.org")
    with db.new_session() as s:
        document = _export(s)
    users = document["tables"]["user_account"]
    users["rows"][0][users["columns"].index(column)] = value
    _truncate()
    admin = make_user("admin")
    r = _post_import(client, admin, json.dumps(document))  # json.dumps writes the surrogate as \ud800
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [f"tables.user_account.rows[0].{column}"]
    assert _user_count() == 1
