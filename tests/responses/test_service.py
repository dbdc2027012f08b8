"""The response service: concurrent answers leave exactly one current response; the publish hook's rules."""

import threading

import pytest
from sqlalchemy import text

from app import db
from app.errors import Conflict
from app.responses import service
from app.responses.models import ResponseStatus
from app.responses.schemas import ResponseIn
from tests.responses.factory import World


@pytest.fixture
def world(client):
    return World(client)


def test_concurrent_answers_leave_exactly_one_current_response(client, world):
    c = world.comment()
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def answer(n: int) -> None:
        barrier.wait(timeout=20)
        with db.new_session(writer=True) as s:
            try:
                service.respond(s, actor=world.lead, kind="comment", target_id=c["id"],
                                data=ResponseIn(status=ResponseStatus.noted, text=f"Antwort {n}"))
                outcomes.append("ok")
            except Conflict:
                outcomes.append("conflict")
            except Exception as exc:  # reported by the assertion below
                outcomes.append(repr(exc))

    threads = [threading.Thread(target=answer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(outcomes) <= {"ok", "conflict"} and outcomes.count("ok") >= 1, outcomes
    with db.new_session() as s:
        rows = s.execute(text("SELECT revision, is_current FROM response WHERE comment_id = :c"),
                         {"c": c["id"]}).all()
    assert sum(1 for r in rows if r[1]) == 1
    assert len(rows) == outcomes.count("ok")
    assert sorted(r[0] for r in rows) == list(range(1, len(rows) + 1))


def test_later_versions_move_the_link_and_keep_partly(client, world):
    c1, c2 = world.comment(body="Eins"), world.comment(body="Zwei")
    world.respond("comment", c2["id"], status="partly", text="Teilweise, siehe Fassung.")
    world.docs.save(world.section_id, "Erster Absatz.\n\nZweiter Absatz, neu.")
    v2 = world.docs.publish(world.section_id, "Neu gefasst.", addresses=[c1["id"], c2["id"]])
    world.docs.save(world.section_id, "Erster Absatz.\n\nZweiter Absatz, noch einmal neu.")
    v3 = world.docs.publish(world.section_id, "Noch einmal.", addresses=[c1["id"]])
    r1 = client.get(f"/api/v1/comments/{c1['id']}/response").json()
    assert r1["status"] == "accepted" and r1["version_id"] == v3["id"] and r1["revision"] == 2
    assert r1["history"][0]["version"]["id"] == v2["id"]
    r2 = client.get(f"/api/v1/comments/{c2['id']}/response").json()
    assert r2["status"] == "partly" and r2["text"] == "Teilweise, siehe Fassung." and r2["version_id"] == v2["id"]
