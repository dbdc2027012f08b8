"""The document API over HTTP: structure, drafts (409 when stale), immutable versions, diffs, editions."""

import pytest

from tests.documents.factory import Docs
from tests.helpers import api_token, make_user


@pytest.fixture
def docs(client):
    return Docs(client)


def test_create_document_chapters_and_sections_numbered(client, docs):
    docs.document()
    c1 = docs.chapter(title="Ziele und Grundsätze")
    c2 = docs.chapter(title="Das Quartier als Lebensraum")
    docs.section(c1["id"], title="Anlass und Auftrag")
    s2 = docs.section(c2["id"], title="Was wir unter einem Quartier verstehen")
    s3 = docs.section(c2["id"], title="Gesundheitsförderung im Quartier")
    assert s3["label"] == "2.2" and s2["label"] == "2.1"
    assert s3["draft"]["revision"] == 1 and s3["current_version"] is None
    assert client.get("/api/v1/documents/rahmenkonzeption").json()["chapters"] == []  # nothing published yet
    body = client.get("/api/v1/documents/rahmenkonzeption", headers=docs.headers).json()  # the editors' outline
    assert [c["number"] for c in body["chapters"]] == [1, 2]
    assert [(s["label"], s["title"]) for s in body["chapters"][1]["sections"]] == [
        ("2.1", "Was wir unter einem Quartier verstehen"), ("2.2", "Gesundheitsförderung im Quartier")]
    listing = client.get("/api/v1/documents").json()
    assert listing["total"] == 1 and listing["items"][0]["slug"] == "rahmenkonzeption"


def test_rename_and_reorder(client, docs):
    docs.document()
    c1 = docs.chapter(title="Eins")
    c2 = docs.chapter(title="Zwei")
    a = docs.section(c1["id"], title="A")
    b = docs.section(c1["id"], title="B")
    r = client.patch(f"/api/v1/chapters/{c2['id']}", json={"position": 1, "title": "Zwei (neu)"}, headers=docs.headers)
    assert r.status_code == 200 and r.json()["number"] == 1 and r.json()["title"] == "Zwei (neu)"
    r = client.patch(f"/api/v1/sections/{b['id']}", json={"position": 1}, headers=docs.headers)
    assert r.json()["label"] == "2.1"
    assert client.get(f"/api/v1/sections/{a['id']}", headers=docs.headers).json()["label"] == "2.2"
    r = client.patch(f"/api/v1/sections/{a['id']}", json={"title": "A umbenannt"}, headers=docs.headers)
    assert r.json()["title"] == "A umbenannt"
    assert client.get(f"/api/v1/sections/{a['id']}/draft", headers=docs.headers).json()["title"] == "A umbenannt"


def test_stale_draft_revision_is_refused_with_409(client, docs):
    section_id = docs.setup()
    draft = client.get(f"/api/v1/sections/{section_id}/draft", headers=docs.headers).json()
    first = client.put(f"/api/v1/sections/{section_id}/draft", headers=docs.headers,
                       json={"title": draft["title"], "body": "Text von Lead A", "revision": draft["revision"]})
    assert first.status_code == 200 and first.json()["revision"] == draft["revision"] + 1
    second = client.put(f"/api/v1/sections/{section_id}/draft", headers=docs.headers,
                        json={"title": draft["title"], "body": "Text von Lead B", "revision": draft["revision"]})
    assert second.status_code == 409
    assert second.headers["content-type"].startswith("application/problem+json")
    assert client.get(f"/api/v1/sections/{section_id}/draft", headers=docs.headers).json()["body"] == "Text von Lead A"


def test_publish_creates_next_version_with_paragraphs_and_addresses(client, docs):
    section_id = docs.setup()
    docs.save(section_id, "Erster Absatz.\n\nZweiter Absatz, ergänzt.\n\nDritter Absatz.")
    v2 = docs.publish(section_id, "Ergänzt nach Hinweisen der Träger.", addresses=[17, 4, 17])
    assert v2["number"] == 2 and v2["addresses"] == [4, 17]
    assert v2["published_by"]["role"] == "lead" and v2["published_by"]["organisation"] == "Sozialamt"
    section = client.get(f"/api/v1/sections/{section_id}").json()
    current = section["current_version"]
    assert current["number"] == 2 and current["title"] == "Anlass und Auftrag"
    assert [p["html"].strip() for p in current["paragraphs"]] == [
        "<p>Erster Absatz.</p>", "<p>Zweiter Absatz, ergänzt.</p>", "<p>Dritter Absatz.</p>"]
    v1 = client.get(f"/api/v1/sections/{section_id}/versions/1").json()
    assert current["paragraphs"][0]["anchor"] == v1["paragraphs"][0]["anchor"]
    assert current["paragraphs"][1]["anchor"] == v1["paragraphs"][1]["anchor"]
    assert current["paragraphs"][2]["anchor"] not in {p["anchor"] for p in v1["paragraphs"]}
    versions = client.get(f"/api/v1/sections/{section_id}/versions").json()["items"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["change_summary"] == "Ergänzt nach Hinweisen der Träger."


def test_publishing_an_unchanged_draft_is_refused(client, docs):
    section_id = docs.setup()
    r = client.post(f"/api/v1/sections/{section_id}/versions", headers=docs.headers,
                    json={"change_summary": "Nichts geändert", "addresses": []})
    assert r.status_code == 409
    assert [v["number"] for v in client.get(f"/api/v1/sections/{section_id}/versions").json()["items"]] == [1]


def test_published_versions_are_immutable(client, docs):
    section_id = docs.setup(body="Ursprünglicher Text.")
    for method in ("put", "patch", "delete"):
        r = getattr(client, method)(f"/api/v1/sections/{section_id}/versions/1", headers=docs.headers,
                                    **({} if method == "delete" else {"json": {"body": "Fälschung"}}))
        assert r.status_code == 405, (method, r.status_code)
        r = client.request(method.upper(), f"/api/v1/sections/{section_id}/versions", headers=docs.headers,
                           **({} if method == "delete" else {"json": {"body": "Fälschung"}}))
        assert r.status_code == 405, (method, r.status_code)
    docs.save(section_id, "Ein ganz anderer Text im Entwurf.")
    v1 = client.get(f"/api/v1/sections/{section_id}/versions/1").json()
    assert v1["body"] == "Ursprünglicher Text."
    assert client.get(f"/api/v1/sections/{section_id}").json()["current_version"]["body"] == "Ursprünglicher Text."


def test_diff_json_is_word_level(client, docs):
    section_id = docs.setup(body="Die Stadt fördert Nachbarschaften im Quartier.")
    docs.revise(section_id, "Die Stadt fördert lebendige Nachbarschaften in jedem Quartier.")
    r = client.get(f"/api/v1/sections/{section_id}/diff?from=1&to=2")
    assert r.status_code == 200
    body = r.json()
    assert body["from"] == 1 and body["to"] == 2
    assert {"op": "insert", "text": " lebendige"} in body["ops"]
    assert {"op": "equal", "text": " Nachbarschaften"} in body["ops"]
    deleted = "".join(o["text"] for o in body["ops"] if o["op"] == "delete")
    inserted = "".join(o["text"] for o in body["ops"] if o["op"] == "insert")
    assert "im" in deleted and "in jedem" in inserted
    assert "".join(o["text"] for o in body["ops"] if o["op"] != "insert") == \
        "Die Stadt fördert Nachbarschaften im Quartier."
    assert "<ins>" in body["html"] and "eingefügt:" in body["html"] and "gelöscht:" in body["html"]
    assert client.get(f"/api/v1/sections/{section_id}/diff?from=1&to=9").status_code == 404
    assert client.get(f"/api/v1/sections/{section_id}/diff?from=x&to=2").status_code == 422


def test_only_leads_write(client, docs):
    section_id = docs.setup()
    chapter_id = client.get(f"/api/v1/sections/{section_id}").json()["chapter_id"]
    writes = [
        ("post", "/api/v1/documents", {"title": "X", "slug": "x", "description": ""}),
        ("post", "/api/v1/documents/rahmenkonzeption/chapters", {"title": "X"}),
        ("post", f"/api/v1/chapters/{chapter_id}/sections", {"title": "X", "body": "Y"}),
        ("put", f"/api/v1/sections/{section_id}/draft", {"title": "X", "body": "Y", "revision": 2}),
        ("post", f"/api/v1/sections/{section_id}/versions", {"change_summary": "Geändert", "addresses": []}),
        ("post", "/api/v1/editions", {"document": "rahmenkonzeption", "title": "Entwurf 1"}),
        ("patch", f"/api/v1/chapters/{chapter_id}", {"title": "X"}),
    ]
    for method, path, payload in writes:
        assert client.request(method.upper(), path, json=payload).status_code == 401, path
    for role in ("expert", "resident", "moderator"):
        headers = api_token(client, make_user(role))
        for method, path, payload in writes:
            assert client.request(method.upper(), path, json=payload, headers=headers).status_code == 403, (role, path)
        assert client.get(f"/api/v1/sections/{section_id}/draft", headers=headers).status_code == 403
    assert client.get(f"/api/v1/sections/{section_id}/draft").status_code == 401
    assert client.get("/api/v1/documents/rahmenkonzeption").json()["chapters"][0]["title"] == "Ziele und Grundsätze"
    assert [v["number"] for v in client.get(f"/api/v1/sections/{section_id}/versions").json()["items"]] == [1]


def test_bad_input_is_422_and_stores_nothing(client, docs):
    docs.document()
    chapter = docs.chapter()
    bad = [
        ("/api/v1/documents", {"title": "X", "slug": "Nicht Gültig!", "description": ""}),
        ("/api/v1/documents", {"title": "X", "slug": "neu", "description": ""}),
        ("/api/v1/documents/rahmenkonzeption/chapters", {"title": "   "}),
        (f"/api/v1/chapters/{chapter['id']}/sections", {"title": "", "body": "x"}),
        (f"/api/v1/chapters/{chapter['id']}/sections", {"title": "T", "body": "x" * 100_001}),
        ("/api/v1/editions", {"document": "rahmenkonzeption"}),
    ]
    for path, payload in bad:
        r = client.post(path, json=payload, headers=docs.headers)
        assert r.status_code == 422, (path, r.text)
        assert r.json()["errors"]
    doc = client.get("/api/v1/documents/rahmenkonzeption", headers=docs.headers).json()
    assert len(doc["chapters"]) == 1 and doc["chapters"][0]["sections"] == []
    section = docs.section(chapter["id"])
    r = client.post(f"/api/v1/sections/{section['id']}/versions", headers=docs.headers,
                    json={"change_summary": "", "addresses": ["x"]})
    assert r.status_code == 422
    assert client.get(f"/api/v1/sections/{section['id']}", headers=docs.headers).json()["current_version"] is None
    assert client.post("/api/v1/documents", json={"title": "Doppelt", "slug": "rahmenkonzeption"},
                       headers=docs.headers).status_code == 409


def test_editions_freeze_current_versions_and_compare(client, docs):
    docs.document()
    chapter = docs.chapter()
    a = docs.section(chapter["id"], title="A", body="Alpha bleibt.")["id"]
    b = docs.section(chapter["id"], title="B", body="Beta vorher.")["id"]
    docs.publish(a, "Erste Fassung.")
    docs.publish(b, "Erste Fassung.")
    e1 = docs.post("/editions", {"document": "rahmenkonzeption", "title": "Entwurf 1 – Januar 2023"})
    assert e1["number"] == 1
    assert [(s["label"], s["version_number"]) for s in e1["sections"]] == [("1.1", 1), ("1.2", 1)]
    docs.revise(b, "Beta nachher.")
    e2 = docs.post("/editions", {"document": "rahmenkonzeption", "title": "Entwurf 2 – März 2023"})
    assert [(s["label"], s["version_number"]) for s in e2["sections"]] == [("1.1", 1), ("1.2", 2)]
    again = client.get(f"/api/v1/editions/{e1['id']}").json()
    assert [(s["section_id"], s["version_number"]) for s in again["sections"]] == [(a, 1), (b, 1)]
    listed = client.get("/api/v1/editions?document=rahmenkonzeption").json()["items"]
    assert [e["title"] for e in listed] == ["Entwurf 2 – März 2023", "Entwurf 1 – Januar 2023"]
    compared = client.get(f"/api/v1/editions/compare?from={e1['id']}&to={e2['id']}").json()
    assert compared["from"] == e1["id"] and compared["to"] == e2["id"]
    assert [(c["label"], c["status"], c["from_version"], c["to_version"]) for c in compared["sections"]] == [
        ("1.1", "unchanged", 1, 1), ("1.2", "changed", 1, 2)]
    assert {"op": "delete", "text": " vorher"} in compared["sections"][1]["diff"]["ops"]
    page = client.get(f"/gesamtfassungen/vergleich?von={e1['id']}&bis={e2['id']}")
    assert page.status_code == 200
    assert "geändert" in page.text and "unverändert" in page.text
    assert "vorher" in page.text and "nachher" in page.text
    assert client.get("/api/v1/editions/999").status_code == 404
    assert client.post("/api/v1/editions", json={"document": "gibtsnicht", "title": "X"},
                       headers=docs.headers).status_code == 404


def test_every_write_is_audited(client, docs):
    section_id = docs.setup()
    chapter_id = client.get(f"/api/v1/sections/{section_id}").json()["chapter_id"]
    client.patch(f"/api/v1/chapters/{chapter_id}", json={"title": "Neu benannt", "position": 1}, headers=docs.headers)
    client.patch(f"/api/v1/sections/{section_id}", json={"title": "Auch neu", "position": 1}, headers=docs.headers)
    docs.revise(section_id, "Geänderter Text.")
    docs.post("/editions", {"document": "rahmenkonzeption", "title": "Entwurf 1"})
    admin = make_user("admin")
    log = client.get("/api/v1/audit?per_page=200", headers=api_token(client, admin)).json()["items"]
    actions = [e["action"] for e in log]
    for action in ("document.create", "chapter.create", "section.create", "chapter.rename", "chapter.move",
                   "section.rename", "section.move", "draft.save", "version.publish", "edition.publish"):
        assert action in actions, action
    assert all(e["actor_id"] == docs.lead.id for e in log if e["action"].startswith(("version", "draft")))
    assert any("Fassung 2" in e["summary"] for e in log if e["action"] == "version.publish")


def test_out_of_range_ids_and_control_characters_are_refused_not_500(client, docs):
    for url in ("/api/v1/sections/99999999999999999999", "/api/v1/sections/0/versions/1",
                "/api/v1/editions/99999999999999999999", "/api/v1/sections/1/diff?from=1&to=99999999999999999999"):
        assert client.get(url).status_code == 422, url
    assert client.get("/abschnitte/99999999999999999999").status_code == 404
    r = client.put("/api/v1/sections/1/draft", json={"title": "x", "body": "y", "revision": 2**40},
                   headers=docs.headers)
    assert r.status_code == 422
    r = client.post("/api/v1/documents", json={"title": "Titel\x00", "slug": "ab", "description": "\x00"},
                    headers=docs.headers)
    assert r.status_code == 422
    assert client.get("/api/v1/documents").json()["total"] == 0


def test_a_refused_method_is_answered_with_every_method_of_the_path(client, docs):
    # GET and POST /api/v1/users are two routes: Allow names both, not only the first route's method.
    r = client.request("OPTIONS", "/api/v1/users", headers=docs.headers)
    assert r.status_code == 405
    assert r.headers["content-type"].startswith("application/problem+json")
    assert set(r.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    section_id = docs.setup()
    r = client.delete(f"/api/v1/sections/{section_id}/versions", headers=docs.headers)
    assert r.status_code == 405
    assert set(r.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
