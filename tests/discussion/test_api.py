"""Comments over the API: audience and time rules at the boundaries, quotes, edit window, withdrawal, ideas."""

from datetime import timedelta

import pytest

from app.db import utcnow
from tests.discussion import factories as f
from tests.helpers import api_token, make_user


@pytest.fixture
def clock(monkeypatch):
    """Set the services' clock: clock(datetime) makes 'now' that instant."""
    from app.discussion import service as discussion_service
    from app.discussion import votes as discussion_votes

    def set_now(when):
        monkeypatch.setattr(discussion_service, "utcnow", lambda: when)
        monkeypatch.setattr(discussion_votes, "utcnow", lambda: when)

    return set_now


def _post(client, sid, headers, **body):
    return client.post(f"/api/v1/sections/{sid}/comments", json={"body": "Ein Hinweis.", **body}, headers=headers)


@pytest.mark.parametrize("audience,role,status", [
    ("experts", "expert", 201), ("experts", "resident", 403), ("experts", "lead", 403),
    ("residents", "resident", 201), ("public", "resident", 201), ("public", "expert", 201),
    ("public", "moderator", 403), ("experts", "admin", 403),
])
def test_audience(client, audience, role, status):
    sid = f.section()
    f.round_([sid], audience=audience)
    response = _post(client, sid, api_token(client, make_user(role)))
    assert response.status_code == status, response.text
    if status == 403:
        assert "nur für" in response.json()["detail"]


def test_anonymous_gets_401_and_no_round_gets_409(client):
    sid = f.section()
    assert _post(client, sid, {}).status_code == 401
    response = _post(client, sid, api_token(client, make_user("expert")))
    assert response.status_code == 409
    assert response.json()["detail"] == "Zu diesem Abschnitt ist gerade keine Beteiligungsrunde offen."


def test_only_sections_in_scope(client):
    sid = f.section()
    other = f.section(title="Anderer Abschnitt")
    f.round_([sid])
    headers = api_token(client, make_user("expert"))
    assert _post(client, sid, headers).status_code == 201
    assert _post(client, other, headers).status_code == 409


def test_time_boundaries(client, clock):
    sid = f.section()
    opens = utcnow() + timedelta(days=1)
    closes = opens + timedelta(days=7)
    f.round_([sid], opens_at=opens, closes_at=closes)
    headers = api_token(client, make_user("expert"))
    clock(opens - timedelta(seconds=1))
    assert _post(client, sid, headers).status_code == 409
    clock(opens)
    assert _post(client, sid, headers).status_code == 201
    clock(closes - timedelta(seconds=1))
    assert _post(client, sid, headers).status_code == 201
    clock(closes)
    assert _post(client, sid, headers).status_code == 409
    clock(closes + timedelta(seconds=1))
    assert _post(client, sid, headers).status_code == 409


def test_closed_early_and_opened_early(client):
    lead = f.lead()
    sid = f.section(lead)
    r = f.round_([sid], actor=lead)
    lead_headers = api_token(client, lead)
    headers = api_token(client, make_user("expert"))
    assert client.post(f"/api/v1/rounds/{r.id}/close", headers=lead_headers).status_code == 200
    assert _post(client, sid, headers).status_code == 409
    later = f.round_([sid], actor=lead, opens_at=utcnow() + timedelta(days=3), closes_at=utcnow() + timedelta(days=9))
    assert _post(client, sid, headers).status_code == 409
    assert client.post(f"/api/v1/rounds/{later.id}/open", headers=lead_headers).status_code == 200
    assert _post(client, sid, headers).status_code == 201


def test_blocked_user_never(client):
    from app import db
    from app.accounts.models import User

    sid = f.section()
    f.round_([sid])
    expert = make_user("expert")
    headers = api_token(client, expert)
    with db.new_session(writer=True) as s:
        u = s.get(User, expert.id)
        u.blocked_until = utcnow() + timedelta(days=2)
        s.add(u)
        s.commit()
    response = _post(client, sid, headers)
    assert response.status_code == 403 and "gesperrt" in response.json()["detail"]


def test_paragraph_and_quote(client):
    sid = f.section()
    f.round_([sid])
    headers = api_token(client, make_user("expert"))
    anchors = f.anchors(sid)
    ok = _post(client, sid, headers, paragraph=anchors[1], quote="verlässliche   Finanzierung", alignment="objection")
    assert ok.status_code == 201, ok.text
    body = ok.json()
    assert body["paragraph"] == anchors[1] and body["alignment"] == "objection" and body["version"] == 1
    wrong = _post(client, sid, headers, paragraph=anchors[0], quote="verlässliche Finanzierung")
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "quote"
    assert "kommt in diesem Absatz nicht vor" in wrong.json()["errors"][0]["message"]
    unknown = _post(client, sid, headers, paragraph="nix")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "paragraph"
    whole = _post(client, sid, headers, quote="Begegnungsorte sollen barrierefrei")
    assert whole.status_code == 201 and whole.json()["paragraph"] is None
    listed = client.get(f"/api/v1/sections/{sid}/comments").json()
    assert listed["total"] == 2  # the refused ones stored nothing


def test_body_rules_and_markdown_is_sanitised(client):
    sid = f.section()
    f.round_([sid])
    headers = api_token(client, make_user("expert"))
    assert _post(client, sid, headers, body="   ").status_code == 422
    too_long = _post(client, sid, headers, body="x" * 5001)
    assert too_long.status_code == 422 and "5000" in too_long.json()["errors"][0]["message"]
    assert _post(client, sid, headers, alignment="maybe").status_code == 422
    ok = _post(client, sid, headers, body="**Wichtig** <script>alert(1)</script> [x](javascript:alert(1))")
    html = ok.json()["html"]
    assert "<strong>Wichtig</strong>" in html and "<script>" not in html and "href=\"javascript" not in html


def test_replies_and_threads(client):
    sid = f.section()
    f.round_([sid])
    a, b = make_user("expert"), make_user("expert")
    ha, hb = api_token(client, a), api_token(client, b)
    root = _post(client, sid, ha).json()
    reply = _post(client, sid, hb, parent_id=root["id"], body="Antwort")
    assert reply.status_code == 201 and reply.json()["parent_id"] == root["id"]
    lead_reply = _post(client, sid, api_token(client, make_user("lead")), parent_id=root["id"], body="Danke!")
    assert lead_reply.status_code == 201
    other = f.section(title="Fremd")
    assert _post(client, other, hb, parent_id=root["id"]).status_code in (409, 422)


def test_edit_window_and_history(client, clock):
    sid = f.section()
    f.round_([sid])
    author = make_user("expert")
    headers = api_token(client, author)
    start = utcnow()
    clock(start)
    cid = _post(client, sid, headers, body="Erste Fassung").json()["id"]
    other = api_token(client, make_user("expert"))
    assert client.patch(f"/api/v1/comments/{cid}", json={"body": "fremd"}, headers=other).status_code == 403
    clock(start + timedelta(minutes=14, seconds=59))
    edited = client.patch(f"/api/v1/comments/{cid}", json={"body": "Zweite Fassung"}, headers=headers)
    assert edited.status_code == 200 and edited.json()["edited"] is True and edited.json()["body"] == "Zweite Fassung"
    clock(start + timedelta(minutes=15, seconds=1))
    late = client.patch(f"/api/v1/comments/{cid}", json={"body": "Dritte"}, headers=headers)
    assert late.status_code == 409 and "15 Minuten" in late.json()["detail"]
    from sqlmodel import select

    from app import db
    from app.discussion.models import CommentEdit

    with db.new_session() as s:
        assert [e.body for e in s.exec(select(CommentEdit).where(CommentEdit.comment_id == cid)).all()] == [
            "Erste Fassung"]


def test_withdrawal_keeps_a_placeholder(client):
    sid = f.section()
    f.round_([sid])
    author, other = make_user("expert"), make_user("expert")
    ha, hb = api_token(client, author), api_token(client, other)
    cid = _post(client, sid, ha, body="Wird zurückgezogen").json()["id"]
    _post(client, sid, hb, parent_id=cid, body="Antwort bleibt")
    assert client.delete(f"/api/v1/comments/{cid}", headers=hb).status_code == 403
    gone = client.delete(f"/api/v1/comments/{cid}", headers=ha)
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn" and gone.json()["body"] is None
    assert client.delete(f"/api/v1/comments/{cid}", headers=ha).status_code == 409
    items = client.get(f"/api/v1/sections/{sid}/comments?sort=old").json()["items"]
    assert [i["status"] for i in items] == ["withdrawn", "visible"]
    assert items[1]["body"] == "Antwort bleibt"
    assert _post(client, sid, hb, parent_id=cid).status_code == 409
    page = client.get(f"/abschnitte/{sid}").text
    assert "Wird zurückgezogen" not in page and "Dieser Beitrag wurde zurückgezogen." in page


def test_moderator_delete_hides_and_nothing_shows_publicly(client):
    sid = f.section()
    f.round_([sid])
    cid = _post(client, sid, api_token(client, make_user("expert")), body="Beleidigend").json()["id"]
    moderator = api_token(client, make_user("moderator"))
    no_reason = client.delete(f"/api/v1/comments/{cid}", headers=moderator)
    assert no_reason.status_code == 422 and client.get(f"/api/v1/comments/{cid}").json()["status"] == "visible"
    hidden = client.delete(f"/api/v1/comments/{cid}?reason=Beleidigung", headers=moderator)
    assert hidden.status_code == 200
    public = client.get(f"/api/v1/comments/{cid}").json()
    assert public["status"] == "hidden" and public["body"] is None and public["html"] is None
    page = client.get(f"/abschnitte/{sid}").text
    assert "Beleidigend" not in page and "von der Moderation ausgeblendet" in page
    log = client.get("/api/v1/audit?action=comment.hide", headers=api_token(client, make_user("admin"))).json()
    assert log["total"] == 1 and "Beleidigung" in log["items"][0]["summary"]


def test_listing_filters_sort_and_versions(client):
    sid = f.section()
    f.round_([sid])
    a, b = make_user("expert", organisation="Caritas"), make_user("expert", organisation="AWO")
    ha, hb = api_token(client, a), api_token(client, b)
    anchors = f.anchors(sid)
    c1 = _post(client, sid, ha, paragraph=anchors[0], alignment="support").json()["id"]
    c2 = _post(client, sid, hb, paragraph=anchors[1], alignment="objection").json()["id"]
    client.put("/api/v1/votes", json={"target": "comment", "target_id": c1, "value": 1}, headers=hb)
    url = f"/api/v1/sections/{sid}/comments"
    assert [i["id"] for i in client.get(url + "?sort=new").json()["items"]] == [c2, c1]
    assert [i["id"] for i in client.get(url + "?sort=top").json()["items"]] == [c1, c2]
    assert [i["id"] for i in client.get(url + f"?paragraph={anchors[1]}").json()["items"]] == [c2]
    assert [i["id"] for i in client.get(url + "?organisation=Caritas").json()["items"]] == [c1]
    assert [i["id"] for i in client.get(url + "?alignment=objection").json()["items"]] == [c2]
    assert client.get(url + "?version=1").json()["total"] == 2
    assert client.get(url + "?version=9").status_code == 404
    assert client.get(url + "?per_page=500").status_code == 422
    assert client.get("/api/v1/sections/9999/comments").status_code == 404


def test_rate_limit(client, monkeypatch):
    from app.settings import get_settings

    monkeypatch.setattr(get_settings(), "post_rate_per_minute", 3)
    sid = f.section()
    f.round_([sid])
    headers = api_token(client, make_user("expert"))
    assert [_post(client, sid, headers).status_code for _ in range(4)] == [201, 201, 201, 429]


def test_idea_comments_keep_the_counter(client):
    from sqlmodel import select

    from app import db
    from app.ideas.models import Idea
    from app.quartiere.models import Quarter

    resident = make_user("resident")
    with db.new_session(writer=True) as s:
        quarter = s.exec(select(Quarter)).first()
        idea = Idea(author_id=resident.id, quarter_id=quarter.id, title="Bank am Platz", body="x", html="<p>x</p>",
                    category="begegnung")
        s.add(idea)
        s.commit()
        idea_id = idea.id
    headers = api_token(client, make_user("resident"))
    assert client.post(f"/api/v1/ideas/{idea_id}/comments", json={"body": "Gute Idee"}).status_code == 401
    posted = client.post(f"/api/v1/ideas/{idea_id}/comments", json={"body": "Gute Idee"}, headers=headers)
    assert posted.status_code == 201 and posted.json()["idea_id"] == idea_id
    client.post(f"/api/v1/ideas/{idea_id}/comments", json={"body": "Ja!", "parent_id": posted.json()["id"]},
                headers=api_token(client, resident))
    assert client.get(f"/api/v1/ideas/{idea_id}/comments").json()["total"] == 2
    with db.new_session() as s:
        assert s.get(Idea, idea_id).comment_count == 2
    client.delete(f"/api/v1/comments/{posted.json()['id']}", headers=headers)
    with db.new_session() as s:
        assert s.get(Idea, idea_id).comment_count == 1
    support = client.put("/api/v1/votes", json={"target": "idea", "target_id": idea_id, "value": 1}, headers=headers)
    assert support.json() == {"target": "idea", "target_id": idea_id, "up": 1, "down": 0, "mine": 1}
    assert client.put("/api/v1/votes", json={"target": "idea", "target_id": idea_id, "value": -1},
                      headers=headers).status_code == 422
    with db.new_session() as s:
        assert s.get(Idea, idea_id).support_count == 1
    client.delete(f"/api/v1/votes?target=idea&target_id={idea_id}", headers=headers)
    with db.new_session() as s:
        assert s.get(Idea, idea_id).support_count == 0


def test_my_data_and_erasure(client):
    from tests.helpers import login, post_form

    sid = f.section()
    f.round_([sid])
    author, other = make_user("expert"), make_user("expert")
    ha = api_token(client, author)
    cid = _post(client, sid, ha, body="Mein Text").json()["id"]
    _post(client, sid, api_token(client, other), parent_id=cid, body="Antwort")
    mine = client.get("/api/v1/me/export", headers=ha).json()["discussion"]
    assert mine["comments"][0]["body"] == "Mein Text"
    login(client, author)
    assert post_form(client, "/konto/loeschen", {"password": "richtig-langes-passwort", "confirm": "ja",
                                                 "erase": "1"}).status_code == 303
    item = client.get(f"/api/v1/comments/{cid}").json()
    assert item["status"] == "erased" and item["body"] is None and item["author"] is None
    page = client.get(f"/abschnitte/{sid}").text
    assert "Mein Text" not in page and "auf Wunsch der Person gelöscht" in page and "Antwort" in page


def test_votes_change_and_withdraw(client):
    sid = f.section()
    f.round_([sid])
    author, voter = make_user("expert"), make_user("expert")
    ha, hv = api_token(client, author), api_token(client, voter)
    cid = _post(client, sid, ha).json()["id"]
    put = lambda v, h=hv: client.put("/api/v1/votes", json={"target": "comment", "target_id": cid, "value": v},  # noqa: E731
                                     headers=h)
    assert put(1).json() == {"target": "comment", "target_id": cid, "up": 1, "down": 0, "mine": 1}
    assert put(1).json()["up"] == 1  # idempotent
    assert put(-1).json() == {"target": "comment", "target_id": cid, "up": 0, "down": 1, "mine": -1}
    gone = client.delete(f"/api/v1/votes?target=comment&target_id={cid}", headers=hv)
    assert gone.json() == {"target": "comment", "target_id": cid, "up": 0, "down": 0, "mine": None}
    assert put(1, ha).status_code == 403  # not on one's own comment
    assert put(1, {}).status_code == 401
    assert client.put("/api/v1/votes", json={"target": "comment", "target_id": cid, "value": 2},
                      headers=hv).status_code == 422
    assert client.put("/api/v1/votes", json={"target": "comment", "target_id": 999, "value": 1},
                      headers=hv).status_code == 404
    resident = api_token(client, make_user("resident"))
    assert put(1, resident).status_code == 403  # experts-only round
    version = {"target": "section_version", "target_id": f.version_id(sid), "value": 1}
    assert client.put("/api/v1/votes", json=version, headers=hv).json()["up"] == 1
    f.publish(sid, f.PARAGRAPHS + ["Ein neuer Absatz."])
    assert client.put("/api/v1/votes", json=version, headers=hv).status_code == 409  # old version


def test_vote_rate_limit(client, monkeypatch):
    from app.discussion import votes

    monkeypatch.setattr(votes, "VOTE_RATE_PER_MINUTE", 3)
    sid = f.section()
    f.round_([sid])
    cid = _post(client, sid, api_token(client, make_user("expert"))).json()["id"]
    headers = api_token(client, make_user("expert"))
    codes = [client.put("/api/v1/votes", json={"target": "comment", "target_id": cid, "value": v},
                        headers=headers).status_code for v in (1, -1, 1, -1)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/votes", params={"target": "comment", "target_id": cid}).json()["up"] == 1


def test_control_characters_are_refused_on_every_database(client):
    sid = f.section()
    f.round_([sid])
    headers = api_token(client, make_user("expert"))
    bad = _post(client, sid, headers, body="a\x00b")
    assert bad.status_code == 422 and "Steuerzeichen" in bad.json()["errors"][0]["message"]
    assert _post(client, sid, headers, body="Zeile 1\nZeile 2\tmit Tab").status_code == 201


def test_a_comment_and_a_vote_take_a_fixed_handful_of_statements(client):
    """The end-of-round rush: each write checks, rate-limits and stores in a few statements, whatever the
    number of rounds covering the section, and answers without reading again."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    sid = f.section()
    for _ in range(3):  # more rounds do not mean more queries
        f.round_([sid])
    author, voter = make_user("expert"), make_user("expert")
    ha, hv = api_token(client, author), api_token(client, voter)
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        verb = statement.split()[0].upper()
        if verb not in ("BEGIN", "COMMIT", "ROLLBACK"):  # transaction control is not a query
            statements.append(verb)

    def counted(call):
        statements.clear()
        event.listen(Engine, "before_cursor_execute", listener)
        try:
            return call()
        finally:
            event.remove(Engine, "before_cursor_execute", listener)

    posted = counted(lambda: _post(client, sid, ha, alignment="support"))
    assert posted.status_code == 201 and posted.json()["version"] == 1 and posted.json()["mine"] is None
    # user; section + version + rounds; rate limit (checked and recorded); comment; the page keys it ends
    assert statements.count("SELECT") <= 2 and len(statements) <= 6, statements
    cid = posted.json()["id"]
    voted = counted(lambda: client.put("/api/v1/votes", json={"target": "comment", "target_id": cid, "value": 1},
                                       headers=hv))
    assert voted.json() == {"target": "comment", "target_id": cid, "up": 1, "down": 0, "mine": 1}
    # user; comment + section + rounds; rate limit; vote; counters (RETURNING); the page keys it ends
    assert statements.count("SELECT") <= 2 and len(statements) <= 7, statements
    again = counted(lambda: client.put("/api/v1/votes", json={"target": "comment", "target_id": cid, "value": 1},
                                       headers=hv))
    assert again.json()["up"] == 1 and again.json()["mine"] == 1  # unchanged: answered from what was loaded
    # comment + section + rounds (no second read of a column the check left out); rate limit; vote (already
    # there); the vote locked; the page keys
    assert statements.count("SELECT") <= 2 and len(statements) <= 5, statements


def test_sort_by_paragraph_follows_the_paragraphs_order_in_the_api_and_on_the_page(client):
    from tests.responses.factory import World

    world = World(client, body="\n\n".join(f"Absatz Nummer {n} über das Quartier." for n in range(1, 9)))
    anchors = world.paragraphs()  # in reading order; the anchors themselves are random
    for n in (5, 2, 8, 1, 7, 3, 6, 4):
        world.comment(body=f"Beitrag zu Absatz {n}.", paragraph=anchors[n - 1])
    world.comment(body="Beitrag zum ganzen Abschnitt.")
    items = client.get(f"/api/v1/sections/{world.section_id}/comments?sort=paragraph").json()["items"]
    assert [i["paragraph"] for i in items] == [*anchors, None]
    page = client.get(f"/abschnitte/{world.section_id}?sort=paragraph").text
    shown = [page.index(f"Beitrag zu Absatz {n}.") for n in range(1, 9)]
    assert shown == sorted(shown)


def test_a_write_takes_at_most_one_trip_through_the_thread_pool_and_answers_as_its_response_model(client,
                                                                                               monkeypatch):
    """A write's only trip through the thread pool is its endpoint's: the token's user is read on the event loop
    (app/deps.py), and a synchronous API route turns its result into JSON in the thread it ran in (app/db.py
    SessionRoute), where FastAPI would validate it in a further trip. Each trip is a wait for a thread and then for
    the event loop, which in a rush of writes were a write's slowest steps. A comment and a vote (routes declared
    `quick`) take none: they run on the event loop, on SQLite and on PostgreSQL. The answer is the response
    model's."""
    import fastapi.routing

    from app import db, deps
    from app.discussion.schemas import CommentOut

    trips = []

    def counting(original):
        async def counted(func, *args, **kwargs):
            trips.append(func)
            return await original(func, *args, **kwargs)
        return counted

    monkeypatch.setattr(fastapi.routing, "run_in_threadpool", counting(fastapi.routing.run_in_threadpool))
    monkeypatch.setattr(deps, "run_in_threadpool", counting(deps.run_in_threadpool))
    monkeypatch.setattr(db, "run_in_threadpool", counting(db.run_in_threadpool))  # a quick route's thread
    sid = f.section()
    f.round_([sid])
    author, voter = api_token(client, make_user("expert")), api_token(client, make_user("expert"))
    trips.clear()
    created = _post(client, sid, author, body="Ein **Hinweis**.")
    assert trips == [], "a quick route runs on the event loop, on either database (app/db.py `quick`)"
    assert created.status_code == 201 and created.headers["content-type"] == "application/json"
    comment = created.json()
    assert comment["html"].strip() == "<p>Ein <strong>Hinweis</strong>.</p>" and comment["section_id"] == sid
    assert set(comment) == set(CommentOut.model_fields)  # the model's fields, nothing more
    trips.clear()
    vote = client.put("/api/v1/votes", json={"target": "comment", "target_id": comment["id"], "value": 1},
                      headers=voter)
    assert trips == []
    assert vote.status_code == 200
    assert vote.json() == {"target": "comment", "target_id": comment["id"], "up": 1, "down": 0, "mine": 1}
    refused = client.put("/api/v1/votes", json={"target": "comment", "target_id": comment["id"], "value": 1},
                         headers=author)  # one's own comment: refused as before, nothing stored
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Über den eigenen Beitrag können Sie nicht abstimmen."
    assert client.get(f"/api/v1/votes?target=comment&target_id={comment['id']}").json()["up"] == 1


def test_a_vote_and_a_comment_run_only_statements_compiled_before(client):
    """Each write's statements come from SQLAlchemy's statement cache once the first of its kind compiled them:
    compiling one costs more than running it (the vote's INSERT … ON CONFLICT DO NOTHING was compiled on every
    vote, a quarter of its CPU, until its classes took part in the cache)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    sid = f.section()
    f.round_([sid])
    version = f.version_id(sid)
    author = api_token(client, make_user("expert"))
    comment_ids = [_post(client, sid, author, body=f"Hinweis {n}").json()["id"] for n in range(2)]
    compiled = []

    def seen(_conn, _cursor, statement, _params, context, _many):
        if context.compiled is not None:  # not a driver-level statement (BEGIN IMMEDIATE)
            compiled.append((context.cache_hit, statement.split("(")[0]))

    def writes(voter) -> None:
        for target, target_id in (("comment", comment_ids[0]), ("comment", comment_ids[1]),
                                  ("section_version", version)):
            for value in (1, -1):  # a new vote, then a changed one
                answer = client.put("/api/v1/votes", json={"target": target, "target_id": target_id,
                                                           "value": value}, headers=voter)
                assert answer.status_code == 200, answer.text
            assert client.delete(f"/api/v1/votes?target={target}&target_id={target_id}",
                                 headers=voter).status_code == 200
        assert _post(client, sid, voter, body="Noch ein Hinweis.").status_code == 201

    writes(api_token(client, make_user("expert")))  # the first of each kind compiles
    event.listen(Engine, "after_cursor_execute", seen)
    try:
        writes(api_token(client, make_user("expert")))
    finally:
        event.remove(Engine, "after_cursor_execute", seen)
    hit = type(compiled[0][0]).CACHE_HIT
    assert len(compiled) >= 20
    assert [s for status, s in compiled if status is not hit] == []
