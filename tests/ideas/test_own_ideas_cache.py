"""The page cache and the author's edit or withdrawal of an idea; Meine Beiträge is never served from it."""

from fastapi.testclient import TestClient

from tests.discussion import factories
from tests.helpers import api_token, login, make_user

EDIT = {"title": "Ein Treffpunkt für alle Generationen", "body": "Ein Raum ohne Konsumzwang, auch abends offen.",
        "category": "aelterwerden"}


def test_edit_and_withdrawal_end_the_idea_page_and_the_lists_not_other_sections(client, asgi_app):
    lead = factories.lead()
    other_section = factories.section(lead, title="Abschnitt Beta")
    factories.round_([other_section], audience="public", actor=lead)
    author = make_user("resident", name="Nachbarin Ana")
    headers = api_token(client, author)
    idea = client.post("/api/v1/ideas", headers=headers, json={
        "title": "Ein Treffpunkt für alle", "body": "Ein Raum ohne Konsumzwang für alle.", "category": "begegnung",
        "quarter_id": 105}).json()["id"]
    with TestClient(asgi_app) as reader:
        paths = (f"/ideen/{idea}", "/ideen", f"/abschnitte/{other_section}")
        for path in paths:
            reader.get(path)
            assert reader.get(path).headers["x-cache"] == "hit", path
        assert client.patch(f"/api/v1/ideas/{idea}", headers=headers, json=EDIT).status_code == 200
        for path in paths[:2]:
            page = reader.get(path)
            assert page.headers["x-cache"] == "miss" and EDIT["title"] in page.text, path
        assert reader.get(paths[2]).headers["x-cache"] == "hit"
        assert client.delete(f"/api/v1/ideas/{idea}", headers=headers).status_code == 200
        for path in paths[:2]:
            page = reader.get(path)
            assert page.headers["x-cache"] == "miss" and EDIT["title"] not in page.text, path
        login(reader, author)
        reader.get("/meine-beitraege")
        assert reader.get("/meine-beitraege").headers.get("x-cache") in (None, "miss")
