"""Sections that were never published, and chapters that have none yet, are the editors' working material:
the public finds neither their titles nor the sections (404, as on the section's page); editors see both."""

import pytest

from tests.documents.factory import Docs
from tests.helpers import api_token, login, make_user
from tests.ideas.conftest import make_round

SECRET_CHAPTER = "Kapitel in Vorbereitung"
SECRET_SECTION = "Abschnitt noch ohne Fassung"
SECRET_OTHER = "Neuer Abschnitt im Entwurf"


@pytest.fixture
def docs(client):
    docs = Docs(client)
    docs.document()
    public = docs.chapter(title="Ziele und Grundsätze")
    published = docs.section(public["id"], title="Anlass und Auftrag")
    docs.publish(published["id"], "Erste Fassung.")
    docs.section(public["id"], title=SECRET_OTHER)
    hidden = docs.chapter(title=SECRET_CHAPTER)
    docs.unpublished = docs.section(hidden["id"], title=SECRET_SECTION)["id"]
    docs.published = published["id"]
    return docs


def _secret(text: str) -> bool:
    return any(t in text for t in (SECRET_CHAPTER, SECRET_SECTION, SECRET_OTHER))


def test_the_public_finds_no_unpublished_titles(client, docs):
    resident = make_user("resident")
    for headers in ({}, api_token(client, resident)):
        document = client.get("/api/v1/documents/rahmenkonzeption", headers=headers)
        assert document.status_code == 200 and "Anlass und Auftrag" in document.text and not _secret(document.text)
        assert client.get(f"/api/v1/sections/{docs.unpublished}", headers=headers).status_code == 404
        assert client.get(f"/api/v1/sections/{docs.published}", headers=headers).status_code == 200
    for path in ("/konzeption/rahmenkonzeption", "/konzeption"):
        page = client.get(path)
        assert page.status_code == 200 and "Anlass und Auftrag" in page.text and not _secret(page.text)
    assert client.get(f"/abschnitte/{docs.unpublished}").status_code == 404
    history = client.get(f"/abschnitte/{docs.unpublished}/fassungen")
    assert history.status_code == 404 and not _secret(history.text)
    make_round()  # ideas are taken now
    login(client, resident)
    form = client.get("/ideen/neu")
    assert form.status_code == 200 and "Anlass und Auftrag" in form.text and not _secret(form.text)
    idea = client.post("/api/v1/ideas", headers=api_token(client, resident), json={
        "title": "Ein Treffpunkt für alle", "body": "Ein Raum ohne Konsumzwang.", "category": "begegnung",
        "quarter_id": 105, "section_id": docs.unpublished})
    assert idea.status_code == 422 and [e["field"] for e in idea.json()["errors"]] == ["section_id"]


def test_editors_still_see_their_working_material(client, docs):
    document = client.get("/api/v1/documents/rahmenkonzeption", headers=docs.headers)
    assert SECRET_CHAPTER in document.text and SECRET_SECTION in document.text and SECRET_OTHER in document.text
    assert client.get(f"/api/v1/sections/{docs.unpublished}", headers=docs.headers).status_code == 200
    login(client, docs.lead)
    assert SECRET_SECTION in client.get("/konzeption/rahmenkonzeption/gliederung").text
    assert client.get(f"/abschnitte/{docs.unpublished}").status_code == 200
