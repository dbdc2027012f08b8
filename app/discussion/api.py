"""JSON API of the discussion: comments on sections and ideas, edits, withdrawals, votes."""

from typing import Literal

from fastapi import Query
from pydantic import BaseModel

from app.db import quick
from app.deps import CurrentUser, OptionalUser, SessionDep, api_router
from app.discussion import amendments, service, votes
from app.discussion.models import Alignment, VoteTarget
from app.discussion.schemas import (
    AdoptIn,
    AmendmentIn,
    AmendmentOut,
    CommentEditIn,
    CommentIn,
    CommentOut,
    VoteCounts,
    VoteIn,
)
from app.documents.schemas import DraftOut
from app.schemas import Page

router = api_router(tags=["discussion"])
Sort = Literal["new", "top", "paragraph", "old"]


def _one(session, comment, user) -> dict:
    return service.comments_out(session, [comment], user)[0]  # validated once, as the route's response_model


def _page(session, rows, total, user, page, per_page) -> Page[CommentOut]:
    return Page(items=[CommentOut(**c) for c in service.comments_out(session, rows, user)], page=page,
                per_page=per_page, total=total)


@router.get("/sections/{section_id}/comments", response_model=Page[CommentOut])
def section_comments(section_id: int, session: SessionDep, user: OptionalUser,
                     version: int | None = Query(None, ge=1), paragraph: str | None = Query(None, max_length=16),
                     sort: Sort = "new", alignment: Alignment | None = None,
                     round: int | None = Query(None, ge=1), organisation: str | None = Query(None, max_length=160),
                     page: int = Query(1, ge=1, le=100_000), per_page: int = Query(50, ge=1, le=200)):
    rows, total = service.list_comments(session, section_id=section_id, version=version, paragraph=paragraph,
                                        sort=sort, alignment=alignment.value if alignment else None, round_id=round,
                                        organisation=organisation, page=page, per_page=per_page)
    return _page(session, rows, total, user, page, per_page)


@router.post("/sections/{section_id}/comments", status_code=201, response_model=CommentOut)
@quick
def post_section_comment(section_id: int, data: CommentIn, user: CurrentUser, session: SessionDep):
    return _one(session, service.post_comment(session, user=user, section_id=section_id, data=data), user)


@router.get("/ideas/{idea_id}/comments", response_model=Page[CommentOut])
def idea_comments(idea_id: int, session: SessionDep, user: OptionalUser, sort: Sort = "old",
                  page: int = Query(1, ge=1, le=100_000), per_page: int = Query(50, ge=1, le=200)):
    rows, total = service.list_comments(session, idea_id=idea_id, sort=sort, page=page, per_page=per_page,
                                        viewer=user)
    return _page(session, rows, total, user, page, per_page)


@router.post("/ideas/{idea_id}/comments", status_code=201, response_model=CommentOut)
def post_idea_comment(idea_id: int, data: CommentIn, user: CurrentUser, session: SessionDep):
    return _one(session, service.post_idea_comment(session, user=user, idea_id=idea_id, data=data), user)


@router.get("/comments/{comment_id}", response_model=CommentOut)
def get_comment(comment_id: int, session: SessionDep, user: OptionalUser):
    return _one(session, service.visible_comment(session, comment_id, user), user)


@router.patch("/comments/{comment_id}", response_model=CommentOut)
def edit_comment(comment_id: int, data: CommentEditIn, user: CurrentUser, session: SessionDep):
    return _one(session, service.edit_comment(session, user=user, comment_id=comment_id, data=data), user)


@router.get("/sections/{section_id}/amendments", response_model=Page[AmendmentOut])
def section_amendments(section_id: int, session: SessionDep, user: OptionalUser,
                       page: int = Query(1, ge=1, le=100_000), per_page: int = Query(50, ge=1, le=200)):
    """The section's Änderungsvorschläge over all its versions, oldest first (with `paragraph_change` markers)."""
    rows, total = amendments.list_amendments(session, section_id=section_id, page=page, per_page=per_page)
    return Page(items=[AmendmentOut(**a) for a in amendments.amendments_out(session, rows, user)], page=page,
                per_page=per_page, total=total)


@router.post("/sections/{section_id}/amendments", status_code=201, response_model=AmendmentOut)
def post_amendment(section_id: int, data: AmendmentIn, user: CurrentUser, session: SessionDep):
    """Propose new wording for a paragraph of the current version (or a new paragraph after it), with a reason;
    allowed to whoever may comment in an open round of the section."""
    comment = amendments.post_amendment(session, user=user, section_id=section_id, data=data)
    return amendments.amendments_out(session, [comment], user)[0]


class AdoptOut(BaseModel):
    amendment: AmendmentOut
    draft: DraftOut


@router.post("/amendments/{amendment_id}/adopt", response_model=AdoptOut)
def adopt_amendment(amendment_id: int, user: CurrentUser, session: SessionDep, data: AdoptIn | None = None):
    """Project lead: take the proposal into the section's draft. 409 when the draft's paragraph changed since
    the proposal (nothing is overwritten: merge by hand and send `body` with `revision`), when the draft was
    saved since `revision`, or when it is already adopted."""
    comment, draft = amendments.adopt(session, user=user, amendment_id=amendment_id, data=data or AdoptIn())
    return {"amendment": amendments.amendments_out(session, [comment], user)[0],
            "draft": DraftOut(title=draft.title, body=draft.body, revision=draft.revision,
                              updated_at=draft.updated_at)}


# DELETE /comments/{comment_id} (withdraw, or hide as a moderator) is in app/moderation/api.py.


@router.put("/votes", response_model=VoteCounts)
@quick
def put_vote(data: VoteIn, user: CurrentUser, session: SessionDep):
    return votes.put_vote(session, user=user, target=data.target, target_id=data.target_id, value=data.value)


@router.delete("/votes", response_model=VoteCounts)
@quick
def delete_vote(user: CurrentUser, session: SessionDep, target: VoteTarget, target_id: int = Query(ge=1)):
    return votes.delete_vote(session, user=user, target=target, target_id=target_id)


@router.get("/votes", response_model=VoteCounts)
def vote_counts(session: SessionDep, user: OptionalUser, target: VoteTarget, target_id: int = Query(ge=1)):
    return votes.counts_checked(session, target=target, target_id=target_id, user=user)
