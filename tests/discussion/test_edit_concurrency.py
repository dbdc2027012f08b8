"""The author edits one comment from many clients at once over real HTTP: every acknowledged edit keeps its
predecessor in the history (nothing acknowledged is lost)."""

from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlmodel import select

from app import db
from app.discussion.models import Comment, CommentEdit
from tests.discussion import factories as f
from tests.helpers import PASSWORD, make_user

EDITS = 20


def test_parallel_edits_keep_every_predecessor(live_server):
    sid = f.section()
    f.round_([sid])
    author = make_user("expert")
    with httpx.Client(base_url=live_server, timeout=60) as c:
        token = c.post("/api/v1/tokens", json={"email": author.email, "password": PASSWORD}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        created = c.post(f"/api/v1/sections/{sid}/comments", json={"body": "Erste Fassung"}, headers=headers)
        assert created.status_code == 201, created.text
    comment_id = created.json()["id"]
    texts = [f"Überarbeitung Nummer {i}" for i in range(EDITS)]

    def edit(body: str) -> int:
        with httpx.Client(base_url=live_server, timeout=60) as c:
            return c.patch(f"/api/v1/comments/{comment_id}", json={"body": body}, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=EDITS) as pool:
        codes = list(pool.map(edit, texts))
    assert codes == [200] * EDITS

    with db.new_session() as s:
        history = [e.body for e in s.exec(select(CommentEdit).where(CommentEdit.comment_id == comment_id)
                                          .order_by(CommentEdit.id)).all()]
        current = s.get(Comment, comment_id).body
    # each edit moved exactly the text it replaced into the history: the original and all but the last edit
    assert len(history) == EDITS
    assert sorted(history + [current]) == sorted(["Erste Fassung", *texts])
    assert history[0] == "Erste Fassung"
    with httpx.Client(base_url=live_server) as c:
        assert c.get(f"/api/v1/comments/{comment_id}").json()["body"] == current
