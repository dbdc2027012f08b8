"""Many parallel clients vote on the same targets over real HTTP: no duplicate, no lost update, no 500."""

from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func
from sqlmodel import select

from app import db
from app.discussion.models import Comment, Vote
from tests.discussion import factories as f
from tests.helpers import make_user

PEOPLE = 12


def _tokens(base: str, users) -> list[dict]:
    with httpx.Client(base_url=base) as c:
        return [{"Authorization": "Bearer " + c.post("/api/v1/tokens", json={
            "email": u.email, "password": "richtig-langes-passwort"}).json()["token"]} for u in users]


def _fire(base: str, calls: list[tuple[str, dict, dict | None]]) -> list[int]:
    """Send (method, headers, json-or-params) calls from many threads at once; return the status codes."""
    def one(call):
        method, headers, payload = call
        with httpx.Client(base_url=base, timeout=60) as c:
            if method == "PUT":
                return c.put("/api/v1/votes", json=payload, headers=headers).status_code
            return c.delete("/api/v1/votes", params=payload, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(one, calls))


def _tally(comment_id: int, version_id: int) -> tuple:
    with db.new_session() as s:
        comment = s.get(Comment, comment_id)
        rows = s.exec(select(Vote.comment_id, Vote.value, func.count()).where(
            (Vote.comment_id == comment_id) | (Vote.section_version_id == version_id))
            .group_by(Vote.comment_id, Vote.value)).all()
        per_user = s.exec(select(Vote.user_id, Vote.comment_id, func.count()).where(
            (Vote.comment_id == comment_id) | (Vote.section_version_id == version_id))
            .group_by(Vote.user_id, Vote.comment_id).having(func.count() > 1)).all()
        return comment.up_count, comment.down_count, {(r[0], r[1]): r[2] for r in rows}, per_user


def test_parallel_votes_are_counted_exactly(live_server):
    base = live_server
    sid = f.section()
    f.round_([sid])
    author = make_user("expert")
    voters = [make_user("expert") for _ in range(PEOPLE)]
    with db.new_session(writer=True) as s:
        from app.discussion import service
        from app.discussion.schemas import CommentIn

        comment_id = service.post_comment(s, user=author, section_id=sid, data=CommentIn(body="Bitte abstimmen")).id
    version_id = f.version_id(sid)
    headers = _tokens(base, voters)
    on_comment = {"target": "comment", "target_id": comment_id}
    on_version = {"target": "section_version", "target_id": version_id}

    # 1. everyone votes up on both targets, each request sent twice at the same moment
    calls = [("PUT", h, {**t, "value": 1}) for h in headers for t in (on_comment, on_version) for _ in range(2)]
    assert set(_fire(base, calls)) == {200}
    up, down, tally, duplicates = _tally(comment_id, version_id)
    assert (up, down) == (PEOPLE, 0) and duplicates == []
    assert tally == {(comment_id, 1): PEOPLE, (None, 1): PEOPLE}

    # 2. at once: the first half switch to -1 (twice), the second half withdraw (twice)
    half = PEOPLE // 2
    calls = ([("PUT", h, {**t, "value": -1}) for h in headers[:half] for t in (on_comment, on_version)] * 2
             + [("DELETE", h, t) for h in headers[half:] for t in (on_comment, on_version)] * 2)
    assert set(_fire(base, calls)) == {200}
    up, down, tally, duplicates = _tally(comment_id, version_id)
    assert (up, down) == (0, half) and duplicates == []
    assert tally == {(comment_id, -1): half, (None, -1): half}

    # 3. one person hammers one target with conflicting requests: the counter matches the rows afterwards
    calls = [("PUT", headers[0], {**on_comment, "value": v}) for v in (1, -1, 1, -1, 1)] + \
            [("DELETE", headers[0], on_comment)] * 3 + [("PUT", headers[0], {**on_comment, "value": 1})] * 4
    assert set(_fire(base, calls)) == {200}
    up, down, tally, duplicates = _tally(comment_id, version_id)
    assert duplicates == []
    assert (up, down) == (tally.get((comment_id, 1), 0), tally.get((comment_id, -1), 0))
    with httpx.Client(base_url=base) as c:
        counts = c.get("/api/v1/votes", params=on_comment).json()
    assert (counts["up"], counts["down"]) == (up, down)
