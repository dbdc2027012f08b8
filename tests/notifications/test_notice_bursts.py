"""Double submits and parallel workers on the write paths of notices, over real HTTP: following a round,
saving the settings, and two deliver-mail workers running the notice jobs at once. No duplicate, no 500."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
from sqlmodel import select

from app import db
from app.accounts.models import User
from app.db import utcnow
from app.notifications import service as mail
from app.rounds.models import RoundFollow
from tests.discussion import factories as f
from tests.helpers import PASSWORD, api_token, make_user, outbox

BURST = 8


def _browser(base: str, user) -> dict:
    """A logged-in browser's cookies (session and CSRF)."""
    with httpx.Client(base_url=base, timeout=30) as c:
        c.get("/anmelden")
        r = c.post("/anmelden", data={"email": user.email, "password": PASSWORD, "csrf_token": c.cookies["qw_csrf"]})
        assert r.status_code == 303, r.text
        return dict(c.cookies)


def _fire(base: str, cookies: dict, calls: list[tuple[str, dict]]) -> list[int]:
    def one(call):
        path, data = call
        with httpx.Client(base_url=base, timeout=60, cookies=cookies) as c:
            return c.post(path, data={"csrf_token": cookies["qw_csrf"], **data}).status_code

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        return list(pool.map(one, calls))


def test_parallel_follow_and_unfollow_submits_store_one_row_and_refuse_strangers(live_server):
    sid = f.section()
    round_ = f.round_([sid], audience="public")
    person = make_user("resident")
    cookies = _browser(live_server, person)
    path = f"/runden/{round_.id}/folgen"
    codes = _fire(live_server, cookies, [(path, {"follow": "1"})] * BURST)
    assert codes == [303] * BURST
    with db.new_session() as s:
        assert len(s.exec(select(RoundFollow).where(RoundFollow.user_id == person.id)).all()) == 1
    refused = _fire(live_server, cookies, [("/runden/999999/folgen", {"follow": "1"})] * 2)
    assert refused == [404, 404]
    codes = _fire(live_server, cookies, [(path, {"follow": "0"})] * BURST)
    assert codes == [303] * BURST
    with db.new_session() as s:
        assert s.exec(select(RoundFollow)).all() == []


def test_parallel_settings_submits_store_one_consistent_choice(live_server):
    person = make_user("moderator")
    cookies = _browser(live_server, person)
    choice = {"notify_rounds": "1", "notify_flags": "1", "notify_digest": "1"}
    codes = _fire(live_server, cookies, [("/konto/benachrichtigungen", choice)] * BURST)
    assert codes == [303] * BURST
    with db.new_session() as s:
        stored = s.get(User, person.id)
    assert (stored.notify_rounds, stored.notify_flags, stored.notify_digest) == (True, True, True)
    assert (stored.notify_responses, stored.notify_replies, stored.notify_block) == (False, False, False)
    with httpx.Client(base_url=live_server, timeout=30, cookies=cookies) as c:  # without the CSRF token: refused
        assert c.post("/konto/benachrichtigungen", data=choice).status_code == 403


def test_parallel_workers_send_each_notice_once(client):
    sid = f.section()
    now = utcnow()
    round_ = f.round_([sid], audience="public", opens_at=now - timedelta(minutes=5), closes_at=now + timedelta(hours=3))
    fans = [make_user("resident") for _ in range(3)]
    with db.new_session(writer=True) as s:
        for fan in fans:
            s.add(RoundFollow(round_id=round_.id, user_id=fan.id))
        s.commit()
    moderators = [make_user("moderator") for _ in range(2)]
    author = make_user("expert")
    cid = client.post(f"/api/v1/sections/{sid}/comments", json={"body": "Meldenswert"},
                      headers=api_token(client, author)).json()["id"]
    client.post("/api/v1/flags", json={"target": "comment", "target_id": cid, "reason": "Spam"},
                headers=api_token(client, make_user("resident")))
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _i: mail.run_periodic(now), range(4)))
    rounds = [m for m in outbox() if m.kind == "round"]
    assert sorted(m.to_email for m in rounds) == sorted([fan.email for fan in fans] * 2)  # opened + closes soon
    assert sorted(m.to_email for m in outbox() if m.kind == "flag") == sorted(m.email for m in moderators)
    sent = []
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda _i: mail.deliver_pending(send=sent.append), range(3)))
    assert sorted(m.id for m in sent) == sorted(m.id for m in outbox() if m.kind in ("round", "flag"))
