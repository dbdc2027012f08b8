"""The page cache ends exactly the pages a write changes (app/cache.py), over HTTP.

Each kind of write: the pages that show it change on the next request (X-Cache: miss, new content), while an
unrelated section's page is still served from the cache (X-Cache: hit). Plus the staleness bound for anonymous
readers, hidden text never served stale, rounds opening by time, and one render for concurrent readers.
"""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from app.db import utcnow
from app.main import create_app
from app.settings import get_settings
from tests.conftest import IS_POSTGRES
from tests.discussion import factories
from tests.helpers import api_token, login, make_user, post_form


@pytest.fixture
def world(client):
    """Two sections A and B in an open public round, an expert's comment on A, a lead and a moderator."""
    lead = factories.lead()
    a, b = factories.section(lead, title="Abschnitt Alpha"), factories.section(lead, title="Abschnitt Beta")
    round_ = factories.round_([a, b], audience="public", actor=lead)
    expert, other = make_user("expert", name="Erika Expertin"), make_user("expert", name="Otto Oberer")
    tokens = {"expert": api_token(client, expert), "other": api_token(client, other),
              "lead": api_token(client, lead), "moderator": api_token(client, make_user("moderator"))}
    comment = client.post(f"/api/v1/sections/{a}/comments", headers=tokens["expert"],
                          json={"body": "Erster Gedanke zu Alpha", "alignment": "note"}).json()
    return {"a": a, "b": b, "round": round_.id, "lead": lead, "comment": comment["id"], "tokens": tokens}


def warm(reader: TestClient, *paths: str) -> None:
    for path in paths:
        assert reader.get(path).status_code == 200
        assert reader.get(path).headers["x-cache"] == "hit", path


def changed(reader: TestClient, path: str, *, shows: str | None = None, hides: str | None = None) -> None:
    page = reader.get(path)
    assert page.headers["x-cache"] == "miss", path
    if shows:
        assert shows in page.text
    if hides:
        assert hides not in page.text


def cached(reader: TestClient, *paths: str) -> None:
    for path in paths:
        assert reader.get(path).headers["x-cache"] == "hit", path


def test_a_comment_and_a_reply_end_their_section_and_the_lists_not_other_sections(client, asgi_app, world):
    a, b = f"/abschnitte/{world['a']}", f"/abschnitte/{world['b']}"
    with TestClient(asgi_app) as reader:
        warm(reader, a, b, "/berichte")
        posted = client.post(f"/api/v1/sections/{world['a']}/comments", headers=world["tokens"]["other"],
                             json={"body": "Neuer Beitrag zu Alpha", "alignment": "support"})
        assert posted.status_code == 201
        changed(reader, a, shows="Neuer Beitrag zu Alpha")
        changed(reader, "/berichte")
        cached(reader, b)
        reply = client.post(f"/api/v1/sections/{world['a']}/comments", headers=world["tokens"]["expert"],
                            json={"body": "Antwort im Faden", "parent_id": posted.json()["id"]})
        assert reply.status_code == 201
        changed(reader, a, shows="Antwort im Faden")
        cached(reader, b)


def test_an_edit_and_a_withdrawal_end_their_section_only(client, asgi_app, world):
    a, b = f"/abschnitte/{world['a']}", f"/abschnitte/{world['b']}"
    cid = world["comment"]
    with TestClient(asgi_app) as reader:
        warm(reader, a, b, f"/api/v1/comments/{cid}")
        edited = client.patch(f"/api/v1/comments/{cid}", headers=world["tokens"]["expert"],
                              json={"body": "Zweiter Gedanke zu Alpha", "alignment": "note"})
        assert edited.status_code == 200, edited.text
        changed(reader, a, shows="Zweiter Gedanke zu Alpha")
        changed(reader, f"/api/v1/comments/{cid}", shows="Zweiter Gedanke")
        cached(reader, b)
        assert client.delete(f"/api/v1/comments/{cid}", headers=world["tokens"]["expert"]).status_code == 200
        changed(reader, a, hides="Zweiter Gedanke zu Alpha")
        cached(reader, b)


def test_a_vote_ends_its_section_but_no_list(client, asgi_app, world):
    a, b = f"/abschnitte/{world['a']}", f"/abschnitte/{world['b']}"
    with TestClient(asgi_app) as reader:
        warm(reader, a, b, "/berichte", "/ideen")
        before = reader.get(f"/api/v1/sections/{world['a']}/comments").json()["items"][0]
        voted = client.put("/api/v1/votes", headers=world["tokens"]["other"],
                           json={"target": "comment", "target_id": world["comment"], "value": 1})
        assert voted.status_code == 200, voted.text
        changed(reader, a)
        after = reader.get(f"/api/v1/sections/{world['a']}/comments").json()["items"][0]
        assert (before["up"], after["up"]) == (0, 1)
        cached(reader, b, "/berichte", "/ideen")
        version = factories.version_id(world["a"])
        assert client.put("/api/v1/votes", headers=world["tokens"]["other"],
                          json={"target": "section_version", "target_id": version, "value": -1}).status_code == 200
        changed(reader, a)
        cached(reader, b, "/berichte")


def test_a_repeated_vote_changes_nothing_and_ends_no_page_a_changed_one_does(client, asgi_app, world):
    """A double submit (the same vote twice, as a second click or a retry sends it) stores nothing new, so every
    cached copy stays; changing the vote ends its section's pages again."""
    a = f"/abschnitte/{world['a']}"
    vote = {"target": "comment", "target_id": world["comment"], "value": 1}
    with TestClient(asgi_app) as reader:
        assert client.put("/api/v1/votes", headers=world["tokens"]["other"], json=vote).status_code == 200
        warm(reader, a)
        for _ in range(2):
            again = client.put("/api/v1/votes", headers=world["tokens"]["other"], json=vote)
            assert again.status_code == 200, again.text
            assert (again.json()["up"], again.json()["down"], again.json()["mine"]) == (1, 0, 1)
            cached(reader, a)
        changed_vote = client.put("/api/v1/votes", headers=world["tokens"]["other"], json={**vote, "value": -1})
        assert (changed_vote.json()["up"], changed_vote.json()["down"]) == (0, 1)
        changed(reader, a, shows="Ablehnung: 1")
        idea = client.post("/api/v1/ideas", headers=world["tokens"]["expert"], json={
            "title": "Spielplatz im Hof", "body": "Ein Spielplatz für die Kinder.", "category": "begegnung",
            "quarter_id": 105}).json()
        support = {"target": "idea", "target_id": idea["id"], "value": 1}
        assert client.put("/api/v1/votes", headers=world["tokens"]["other"], json=support).status_code == 200
        warm(reader, f"/ideen/{idea['id']}", "/ideen")
        again = client.put("/api/v1/votes", headers=world["tokens"]["other"], json=support)
        assert (again.status_code, again.json()["up"]) == (200, 1)
        cached(reader, f"/ideen/{idea['id']}", "/ideen")


def test_an_idea_ends_the_lists_and_its_section(client, asgi_app, world):
    a, b = f"/abschnitte/{world['a']}", f"/abschnitte/{world['b']}"
    resident = api_token(client, make_user("resident"))
    with TestClient(asgi_app) as reader:
        warm(reader, a, b, "/ideen", "/quartiere")
        idea = client.post("/api/v1/ideas", headers=resident, json={
            "title": "Bänke am Marktplatz", "body": "Mehr Sitzplätze im Schatten.", "category": "begegnung",
            "quarter_id": 105, "section_id": world["a"]})
        assert idea.status_code == 201, idea.text
        changed(reader, "/ideen", shows="Bänke am Marktplatz")
        changed(reader, "/quartiere")
        changed(reader, a)
        cached(reader, b)
        warm(reader, f"/ideen/{idea.json()['id']}")
        assert client.put("/api/v1/votes", headers=world["tokens"]["other"],
                          json={"target": "idea", "target_id": idea.json()["id"], "value": 1}).status_code == 200
        changed(reader, f"/ideen/{idea.json()['id']}", shows="1 Unterstützung")
        changed(reader, "/ideen")
        cached(reader, b)


def test_a_response_ends_its_contribution_and_section(client, asgi_app, world):
    a, b = f"/abschnitte/{world['a']}", f"/abschnitte/{world['b']}"
    cid = world["comment"]
    with TestClient(asgi_app) as reader, TestClient(asgi_app) as lead:
        warm(reader, a, b, f"/beitraege/{cid}/stellungnahme")
        login(lead, world["lead"])
        answered = post_form(lead, f"/beitraege/{cid}/stellungnahme",
                             {"status": "accepted", "text": "Wir nehmen das in Fassung 2 auf."})
        assert answered.status_code == 303, answered.text
        changed(reader, f"/beitraege/{cid}/stellungnahme", shows="Wir nehmen das in Fassung 2 auf.")
        changed(reader, a)
        cached(reader, b)


def test_hide_and_restore_end_the_copies_of_their_section(client, asgi_app, world):
    a, b = f"/abschnitte/{world['a']}", f"/abschnitte/{world['b']}"
    moderator = world["tokens"]["moderator"]
    with TestClient(asgi_app) as reader:
        warm(reader, a, b)
        assert "Erster Gedanke zu Alpha" in reader.get(a).text
        hidden = client.post(f"/api/v1/moderation/comment/{world['comment']}/hide", headers=moderator,
                             json={"reason": "Persönliche Daten"})
        assert hidden.status_code == 200, hidden.text
        changed(reader, a, hides="Erster Gedanke zu Alpha")
        cached(reader, b)
        assert client.post(f"/api/v1/moderation/comment/{world['comment']}/restore",
                           headers=moderator).status_code == 200
        changed(reader, a, shows="Erster Gedanke zu Alpha")
        cached(reader, b)


def test_publishing_a_version_ends_its_section_and_the_document_not_other_sections(asgi_app, world):
    a, b = f"/abschnitte/{world['a']}", f"/abschnitte/{world['b']}"
    with TestClient(asgi_app) as reader:
        warm(reader, a, b, "/konzeption")
        factories.publish(world["a"], ["Ein ganz neuer Absatz für Alpha."], actor=world["lead"])
        changed(reader, a, shows="Ein ganz neuer Absatz für Alpha.")
        changed(reader, f"/api/v1/sections/{world['a']}")
        cached(reader, b)


def test_a_round_opening_and_closing_by_time_changes_its_pages_at_once(asgi_app):
    section = factories.section(title="Abschnitt Gamma")
    now = utcnow()
    factories.round_([section], opens_at=now + timedelta(seconds=3), closes_at=now + timedelta(seconds=6))
    path = f"/abschnitte/{section}"
    with TestClient(asgi_app) as reader:
        warm(reader, path)
        assert "Offen für Beiträge" not in reader.get(path).text
        time.sleep(max(0.0, (now + timedelta(seconds=3.1) - utcnow()).total_seconds()))
        changed(reader, path, shows="Offen für Beiträge")
        cached(reader, path)
        time.sleep(max(0.0, (now + timedelta(seconds=6.1) - utcnow()).total_seconds()))
        changed(reader, path, hides="Offen für Beiträge")


@pytest.fixture
def stale_app(monkeypatch):
    monkeypatch.setattr(get_settings(), "page_cache_stale_seconds", 3.0)
    return create_app()


def test_anonymous_readers_get_a_copy_at_most_the_bound_old_writers_and_hides_at_once(client, stale_app, world):
    a = f"/abschnitte/{world['a']}"
    writer = make_user("expert", name="Willi Schreiber")
    with TestClient(stale_app) as reader, TestClient(stale_app) as own:
        login(own, writer)
        own.get("/")  # the welcome message
        warm(reader, a)
        warm(own, a)
        started = time.monotonic()
        assert post_form(own, f"/abschnitte/{world['a']}/beitraege",
                         {"body": "Mein eigener Beitrag", "alignment": "note"}).status_code == 303
        own.cookies.delete("qw_flash")
        assert "Mein eigener Beitrag" in own.get(a).text  # the writer sees it at once
        stale = reader.get(a)
        if time.monotonic() - started < 2.9:  # within the bound: the previous copy
            assert stale.headers["x-cache"] == "stale" and "Mein eigener Beitrag" not in stale.text
        time.sleep(max(0.0, 3.05 - (time.monotonic() - started)))
        fresh = reader.get(a)  # never older than the bound: rendered now, or renewed in the background
        assert fresh.headers["x-cache"] in ("hit", "miss") and "Mein eigener Beitrag" in fresh.text
        warm(reader, a)
        hidden = client.post(f"/api/v1/moderation/comment/{world['comment']}/hide",
                             headers=world["tokens"]["moderator"], json={"reason": "Persönliche Daten"})
        assert hidden.status_code == 200
        changed(reader, a, hides="Erster Gedanke zu Alpha")  # hidden text: no stale copy, at once


def test_concurrent_readers_of_a_changed_page_share_one_render(client, asgi_app, world):
    a = f"/abschnitte/{world['a']}"

    async def readers() -> list[str]:
        transport = httpx.ASGITransport(app=asgi_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            await c.get(a)
            assert client.post(f"/api/v1/sections/{world['a']}/comments", headers=world["tokens"]["other"],
                               json={"body": "Noch ein Beitrag", "alignment": "note"}).status_code == 201
            answers = await asyncio.gather(*(c.get(a) for _ in range(8)))
        assert all("Noch ein Beitrag" in r.text for r in answers)
        return [r.headers["x-cache"] for r in answers]

    with ThreadPoolExecutor(1) as pool:  # a loop of its own, also when the suite already runs one
        assert sorted(pool.submit(asyncio.run, readers()).result()) == ["hit"] * 7 + ["miss"]


@pytest.mark.skipif(IS_POSTGRES, reason="SQLite's planner and its ANALYZE statistics")
def test_a_cache_hit_looks_up_its_keys_by_index_even_after_an_analyze_of_a_small_table(client, monkeypatch, world):
    """ANALYZE taken while `cache_key` held a few rows, then thousands of keys written: SQLite's planner, trusting
    the old statistics, scanned the whole table on every cache hit (0.6 ms at 10,000 keys). The lookup a hit
    sends must still search the primary key's index."""
    from sqlalchemy import text

    from app import cache
    from app.db import get_engine, new_session

    with new_session(writer=True) as session:
        session.execute(text("ANALYZE"))
        session.execute(text("INSERT INTO cache_key (key, generation, urgent) VALUES " +
                             ", ".join(f"('test:{n}', 1, 0)" for n in range(3000))))
        session.commit()
    sent = []
    lookup = cache.local_rows
    monkeypatch.setattr(cache, "local_rows", lambda sql, params=(): sent.append(sql) or lookup(sql, params))
    path = f"/abschnitte/{world['a']}"
    assert client.get(path).status_code == 200
    assert client.get(path).headers["x-cache"] == "hit"
    lookups = [sql for sql in sent if "FROM cache_key" in sql]
    assert lookups
    with get_engine().connect() as conn:
        for sql in lookups:
            plan = " ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql,
                                                                    tuple(f"k{n}" for n in range(sql.count("?")))))
            assert "USING INDEX" in plan and "SCAN" not in plan, plan
