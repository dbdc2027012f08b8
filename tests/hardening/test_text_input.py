"""Text input, on both databases: NUL and other control characters are refused everywhere with one clear
message and nothing is stored; names and titles refuse bidi overrides and invisible spaces (visual spoofing)."""

import typing
from datetime import timedelta

import pytest
from pydantic import BaseModel
from sqlalchemy import text

from app import db, validation
from app.db import utcnow
from tests.helpers import CONSENT, PASSWORD, login, post_form
from tests.responses.factory import World

NUL, BELL, RLO, ZWSP = "\x00", "\x07", "\u202e", "\u200b"


def _count(table: str) -> int:
    with db.get_engine().connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


@pytest.fixture
def world(client):
    return World(client)


def _refused(response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert any(e["field"] == field for e in response.json()["errors"]), response.json()


@pytest.mark.parametrize("bad", [NUL, BELL, "\x1b", "\x1f", "\x0b"])
def test_control_characters_are_refused_in_every_reported_field(client, world, bad):
    lead, moderator = world.lead_headers, world.auth(world.moderator)
    comment = world.comment()
    documents, chapters, rounds, flags = (_count(t) for t in ("document", "chapter", "round", "flag"))
    _refused(client.post("/api/v1/documents", headers=lead, json={
        "title": f"Titel{bad}", "slug": "neues-dokument", "description": ""}), "title")
    _refused(client.post("/api/v1/documents", headers=lead, json={
        "title": "Titel", "slug": "neues-dokument", "description": f"Beschreibung{bad}"}), "description")
    _refused(client.post(f"/api/v1/documents/{world.slug}/chapters", headers=lead, json={"title": f"Kapitel{bad}"}),
             "title")
    now = utcnow()
    round_ = {"document": world.slug, "title": "Fachrunde Sommer", "description": "", "audience": "public",
              "opens_at": (now + timedelta(days=40)).isoformat(), "closes_at": (now + timedelta(days=50)).isoformat(),
              "section_ids": [world.section_id]}
    _refused(client.post("/api/v1/rounds", headers=lead, json={**round_, "title": f"Runde{bad}"}), "title")
    _refused(client.post("/api/v1/rounds", headers=lead, json={**round_, "description": f"Text{bad}"}),
             "description")
    _refused(client.post("/api/v1/flags", headers=moderator | world.auth(world.resident), json={
        "target": "comment", "target_id": comment["id"], "reason": f"Beleidigend{bad}"}), "reason")
    _refused(client.post("/api/v1/register", json={"email": "neu@example.org", "display_name": f"Nu{bad}ll",
                                                   "password": PASSWORD}), "display_name")
    assert (_count("document"), _count("chapter"), _count("round"), _count("flag")) == (documents, chapters,
                                                                                       rounds, flags)


def test_pages_refuse_nul_in_forms_too(client, world):
    login(client, world.lead)
    before = _count("document")
    page = post_form(client, "/konzeption/neu", {"title": "Titel", "slug": "mit-nul", "description": f"a{NUL}b"})
    assert page.status_code == 422 and "Steuerzeichen" in page.text
    assert _count("document") == before


def test_multiline_text_keeps_tabs_and_line_breaks(client, world):
    r = client.post(f"/api/v1/sections/{world.section_id}/comments", headers=world.auth(world.expert),
                    json={"body": "Erste Zeile\r\n\tzweite Zeile"})
    assert r.status_code == 201, r.text
    flagged = client.post("/api/v1/flags", headers=world.auth(world.resident), json={
        "target": "comment", "target_id": r.json()["id"], "reason": "Grund:\n\tbeleidigend"})
    assert flagged.status_code == 201, flagged.text


@pytest.mark.parametrize("spoof", [RLO, "\u2066", ZWSP, "\ufeff", "\u2060"])
def test_names_and_titles_refuse_spoofing_characters(client, world, spoof):
    _refused(client.post("/api/v1/register", json={"email": "spoof@example.org", "display_name": f"Ann{spoof}a",
                                                   "password": PASSWORD}), "display_name")
    _refused(client.post("/api/v1/ideas", headers=world.auth(world.resident), json={
        "title": f"Ein Treffpunkt{spoof}", "body": "Ein Raum ohne Konsumzwang.", "category": "begegnung",
        "quarter_id": 105}), "title")
    _refused(client.post(f"/api/v1/documents/{world.slug}/chapters", headers=world.lead_headers,
                         json={"title": f"Kapitel{spoof}"}), "title")
    assert _count("idea") == 0


def test_bodies_and_names_keep_what_scripts_need(client, world):
    # Persian with a zero-width non-joiner in a name; a body with a right-to-left override stays (bodies are
    # never shown where they could pass for a name)
    ok = client.post("/api/v1/register", json={"email": "fa@example.org", "display_name": "می\u200cخواهم",
                                               "password": PASSWORD, **CONSENT})
    assert ok.status_code == 202, ok.text
    r = client.post(f"/api/v1/sections/{world.section_id}/comments", headers=world.auth(world.expert),
                    json={"body": "Zitat: " + RLO + "txet\u202c"})
    assert r.status_code == 201, r.text


def _input_models(asgi_app) -> set[type[BaseModel]]:
    """Every model an API route reads from a request body, and every model a page form is parsed into."""
    import importlib
    import re
    from pathlib import Path

    from tests.hardening.routes import all_routes

    found = set()
    for _path, route in all_routes(asgi_app.routes):
        for param in route.dependant.body_params:
            kind = param.field_info.annotation
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                found.add(kind)
    root = Path(validation.__file__).parent
    for pages in root.rglob("pages.py"):
        module = importlib.import_module("app." + ".".join(pages.relative_to(root).with_suffix("").parts))
        for name in re.findall(r"\bparse\((\w+),", pages.read_text()):
            found.add(getattr(module, name))
    return found


CHECKED = {validation.check_text, validation._line, validation._name}  # noqa: SLF001


def _checked(annotation, metadata=()) -> bool:
    """Whether every str inside this annotation passes the shared validator."""
    if annotation is str:
        return any(getattr(m, "func", None) in CHECKED for m in metadata)
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        return _checked(inner, (*metadata, *extra))
    return all(_checked(a, metadata) for a in typing.get_args(annotation) if a is not type(None))


def test_every_text_field_of_every_input_uses_the_shared_validator(asgi_app):
    unchecked = []
    models = _input_models(asgi_app)
    assert len(models) >= 15
    for model in models:
        for name, field in model.model_fields.items():
            if name == "password":  # hashed, never stored
                continue
            if not _checked(field.annotation, field.metadata):
                unchecked.append(f"{model.__module__}.{model.__name__}.{name}")
    assert unchecked == []
