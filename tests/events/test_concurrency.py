"""No overbooking under concurrency, over real HTTP: 50 parallel registrations for 20 places give exactly 20
confirmed and 30 waiting; parallel cancellations move exactly as many up; double submits register once."""

from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func
from sqlmodel import select

from app import db
from app.accounts import service as accounts
from app.events.models import EventRegistration
from tests.events.factory import Setting
from tests.helpers import make_user, outbox


def _tokens(users) -> list[dict]:
    with db.new_session(writer=True) as s:
        tokens = [accounts._new_token(s, user=u, kind="api", days=1) for u in users]
        s.commit()
    return [{"Authorization": f"Bearer {t}"} for t in tokens]


def _fire(base: str, calls) -> list[httpx.Response]:
    def one(call):
        method, path, headers = call
        with httpx.Client(base_url=base, timeout=60) as c:
            return c.request(method, path, headers=headers, json={} if method == "POST" else None)

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(one, calls))


def _statuses(event_id: int) -> dict[str, int]:
    with db.new_session() as s:
        rows = s.exec(select(EventRegistration.status, func.count()).where(EventRegistration.event_id == event_id)
                      .group_by(EventRegistration.status)).all()
    return dict(rows)


def test_fifty_parallel_registrations_for_twenty_places(client, live_server):
    s = Setting(client)
    event = s.event(capacity=20)
    eid = event["id"]
    users = [make_user("resident") for _ in range(50)]
    headers = _tokens(users)
    answers = _fire(live_server, [("POST", f"/api/v1/events/{eid}/registrations", h) for h in headers])
    assert sorted({a.status_code for a in answers}) == [201], [a.text for a in answers if a.status_code != 201]
    assert _statuses(eid) == {"confirmed": 20, "waiting": 30}
    assert sorted(a.json()["status"] for a in answers).count("confirmed") == 20
    positions = sorted(a.json()["waiting_position"] for a in answers if a.json()["status"] == "waiting")
    assert positions[0] == 1 and positions[-1] <= 30

    # ten confirmed people cancel at once (each twice: a double submit), ten waiting ones move up
    confirmed = [(a.json()["id"], h) for a, h in zip(answers, headers, strict=True)
                 if a.json()["status"] == "confirmed"][:10]
    calls = [("DELETE", f"/api/v1/events/{eid}/registrations/{rid}", h) for rid, h in confirmed] * 2
    codes = sorted(a.status_code for a in _fire(live_server, calls))
    assert codes == [200] * 10 + [409] * 10
    assert _statuses(eid) == {"confirmed": 20, "waiting": 20, "cancelled": 10}
    assert sum(1 for u in users for m in outbox(u.email) if m.subject.startswith("Platz frei")) == 10


def test_a_double_submit_registers_once(client, live_server):
    s = Setting(client)
    event = s.event(capacity=5)
    [headers] = _tokens([make_user("expert")])
    codes = sorted(a.status_code for a in _fire(
        live_server, [("POST", f"/api/v1/events/{event['id']}/registrations", headers)] * 4))
    assert codes == [201, 409, 409, 409]
    assert _statuses(event["id"]) == {"confirmed": 1}
