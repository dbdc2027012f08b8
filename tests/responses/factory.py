"""A round with sections, comments and ideas, built over the API as leads and participants would."""

from datetime import timedelta

from app.db import utcnow
from tests.documents.factory import Docs
from tests.helpers import api_token, make_user


class World:
    """One document, one published section in an open public round, and people to take part."""

    def __init__(self, client, *, body="Erster Absatz über Begegnung.\n\nZweiter Absatz über Wohnen.",
                 slug="rahmenkonzeption"):
        self.client = client
        self.docs = Docs(client)
        self.lead = self.docs.lead
        self.lead_headers = self.docs.headers
        self.slug = slug
        self.docs.document(slug=slug, title="Rahmenkonzeption" if slug == "rahmenkonzeption" else f"Dokument {slug}")
        chapter = self.docs.chapter(slug=slug)
        self.section_id = self.docs.section(chapter["id"], body=body)["id"]
        self.docs.publish(self.section_id, "Erste Fassung.")
        now = utcnow()
        r = client.post("/api/v1/rounds", headers=self.lead_headers, json={
            "document": slug, "title": "Fachrunde Frühjahr", "description": "",
            "opens_at": (now - timedelta(days=1)).isoformat(), "closes_at": (now + timedelta(days=30)).isoformat(),
            "audience": "public", "section_ids": [self.section_id]})
        assert r.status_code == 201, r.text
        self.round_id = r.json()["id"]
        self.expert = make_user("expert", name="Erika Expertin", organisation="Caritas Stuttgart")
        self.resident = make_user("resident", name="Nachbar Nils")
        self.moderator = make_user("moderator", name="Mona Moderation")
        self.headers = {}

    def auth(self, user) -> dict:
        if user.id not in self.headers:
            self.headers[user.id] = api_token(self.client, user)
        return self.headers[user.id]

    def paragraphs(self) -> list[str]:
        section = self.client.get(f"/api/v1/sections/{self.section_id}").json()
        return [p["anchor"] for p in section["current_version"]["paragraphs"]]

    def comment(self, user=None, body="Bitte mehr Begegnungsorte.", alignment="note", paragraph=None) -> dict:
        r = self.client.post(f"/api/v1/sections/{self.section_id}/comments", headers=self.auth(user or self.expert),
                             json={"body": body, "alignment": alignment, "paragraph": paragraph})
        assert r.status_code == 201, r.text
        return r.json()

    def idea(self, user=None, title="Ein Treffpunkt für alle", quarter_id=105) -> dict:
        r = self.client.post("/api/v1/ideas", headers=self.auth(user or self.resident), json={
            "title": title, "body": "Ein Raum ohne Konsumzwang.", "category": "begegnung", "quarter_id": quarter_id})
        assert r.status_code == 201, r.text
        return r.json()

    def respond(self, kind, target_id, status="accepted", text="Wird aufgenommen.", version_id=None, user=None):
        return self.client.put(f"/api/v1/{kind}s/{target_id}/response", headers=self.auth(user or self.lead),
                               json={"status": status, "text": text, "version_id": version_id})
