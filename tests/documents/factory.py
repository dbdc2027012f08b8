"""Build documents over the API, as a lead would."""

from tests.helpers import api_token, make_user


class Docs:
    """A lead's API session with short helpers for the document's resources."""

    def __init__(self, client, lead=None):
        self.client = client
        self.lead = lead or make_user("lead", name="Petra Projektleitung", organisation="Sozialamt")
        self.headers = api_token(client, self.lead)

    def post(self, path, json, expect=201):
        r = self.client.post(f"/api/v1{path}", json=json, headers=self.headers)
        assert r.status_code == expect, r.text
        return r.json()

    def document(self, slug="rahmenkonzeption", title="Rahmenkonzeption soziale Quartiersentwicklung"):
        return self.post("/documents", {"title": title, "slug": slug, "description": "Entwurf zur Diskussion"})

    def chapter(self, slug="rahmenkonzeption", title="Ziele und Grundsätze"):
        return self.post(f"/documents/{slug}/chapters", {"title": title})

    def section(self, chapter_id, title="Anlass und Auftrag", body="Erster Absatz.\n\nZweiter Absatz."):
        return self.post(f"/chapters/{chapter_id}/sections", {"title": title, "body": body})

    def save(self, section_id, body, title=None):
        draft = self.client.get(f"/api/v1/sections/{section_id}/draft", headers=self.headers).json()
        r = self.client.put(f"/api/v1/sections/{section_id}/draft", headers=self.headers,
                            json={"title": title or draft["title"], "body": body, "revision": draft["revision"]})
        assert r.status_code == 200, r.text
        return r.json()

    def publish(self, section_id, summary="Überarbeitet nach der Fachrunde.", addresses=(), expect=201):
        return self.post(f"/sections/{section_id}/versions",
                         {"change_summary": summary, "addresses": list(addresses)}, expect=expect)

    def revise(self, section_id, body, summary="Überarbeitet nach der Fachrunde.", title=None):
        self.save(section_id, body, title=title)
        return self.publish(section_id, summary)

    def setup(self, body="Erster Absatz.\n\nZweiter Absatz."):
        """A document with one chapter and one published section; returns the section id."""
        self.document()
        chapter = self.chapter()
        section = self.section(chapter["id"], body=body)
        self.publish(section["id"], "Erste Fassung.")
        return section["id"]
