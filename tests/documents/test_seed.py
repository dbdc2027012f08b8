"""The demo document: every section published, a few with a second version, an edition; idempotent."""

import pytest

from app import db
from app.demo import document as demo
from tests.helpers import make_user
from tests.text import page_text


@pytest.mark.skipif(not demo.SOURCE.exists(), reason="demo source not there")
def test_demo_document_is_seeded_once(client):
    leads = [make_user("lead", organisation="Gesundheitsamt"), make_user("lead", organisation="Jugendamt")]
    with db.new_session(writer=True) as s:
        demo.seed_document(s, leads)
    with db.new_session(writer=True) as s:
        demo.seed_document(s, leads)
    _title, _description, chapters = demo.parse_source(demo.SOURCE.read_text())
    body = client.get("/api/v1/documents/rahmenkonzeption").json()
    assert [c["title"] for c in body["chapters"]] == [c.title for c in chapters]
    sections = [s for c in body["chapters"] for s in c["sections"]]
    assert len(sections) == sum(len(c.sections) for c in chapters)
    assert all(s["current_version_number"] >= 1 for s in sections)
    revised = [s for s in sections if s["current_version_number"] == 2]
    assert 3 <= len(revised) <= 4
    versions = client.get(f"/api/v1/sections/{revised[0]['id']}/versions").json()["items"]
    assert len(versions[0]["change_summary"]) > 20
    editions = client.get("/api/v1/editions?document=rahmenkonzeption").json()["items"]
    assert [e["title"] for e in editions] == ["Entwurf 1 – Januar 2023"]
    page = page_text(client.get(f"/gesamtfassungen/{editions[0]['id']}").text)  # dated as its title says
    assert "Veröffentlicht am 23. Januar 2023" in page and "Fassung 1 vom 16. Januar 2023" in page
    assert client.get("/konzeption").status_code == 200
