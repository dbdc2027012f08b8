"""JSON API of flags and moderation."""

from typing import Literal

from fastapi import Query

from app.deps import CurrentUser, SessionDep, api_router
from app.discussion import policy as discussion_policy
from app.discussion import service as discussion
from app.discussion.schemas import CommentOut
from app.moderation import service
from app.moderation.schemas import (
    BlockIn,
    BlockOut,
    FlagIn,
    FlagOut,
    ModerationOut,
    OptionalReasonIn,
    QueueItem,
    ReasonIn,
)
from app.schemas import Page
from app.validation import parse

router = api_router(tags=["moderation"])
Kind = Literal["comment", "idea"]


@router.post("/flags", status_code=201, response_model=FlagOut)
def create_flag(data: FlagIn, user: CurrentUser, session: SessionDep):
    entry = service.flag(session, user=user, data=data)
    return FlagOut(id=entry.id, target=data.target, target_id=data.target_id, reason=entry.reason,
                   created_at=entry.created_at)


@router.get("/moderation/queue", response_model=Page[QueueItem])
def moderation_queue(user: CurrentUser, session: SessionDep, page: int = Query(1, ge=1, le=100_000),
                     per_page: int = Query(50, ge=1, le=200)):
    entries, total = service.queue(session, actor=user, page=page, per_page=per_page)
    return Page(items=[QueueItem(**e.as_dict()) for e in entries], page=page, per_page=per_page, total=total)


@router.delete("/comments/{comment_id}", response_model=CommentOut, tags=["discussion"])
def withdraw_comment(comment_id: int, user: CurrentUser, session: SessionDep,
                     reason: str = Query("", max_length=2000)):
    """The author withdraws; a moderator hides with a reason (the same as POST /moderation/comment/{id}/hide).
    Here rather than in the discussion's API, which would otherwise import moderation (a package cycle)."""
    if discussion_policy.may_hide(user, discussion.get_comment(session, comment_id)):
        data = parse(ReasonIn, {"reason": reason})
        comment = service.hide(session, actor=user, kind="comment", target_id=comment_id, reason=data.reason)
    else:
        comment = discussion.withdraw_comment(session, user=user, comment_id=comment_id)
    return discussion.comments_out(session, [comment], user)[0]


@router.post("/moderation/{target}/{target_id}/hide", response_model=ModerationOut)
def hide(target: Kind, target_id: int, data: ReasonIn, user: CurrentUser, session: SessionDep):
    item = service.hide(session, actor=user, kind=target, target_id=target_id, reason=data.reason)
    return ModerationOut(**service.moderation_out(target, item))


@router.post("/moderation/{target}/{target_id}/restore", response_model=ModerationOut)
def restore(target: Kind, target_id: int, user: CurrentUser, session: SessionDep, data: OptionalReasonIn | None = None):
    item = service.restore(session, actor=user, kind=target, target_id=target_id, reason=data.reason if data else "")
    return ModerationOut(**service.moderation_out(target, item))


@router.post("/moderation/{target}/{target_id}/dismiss", response_model=dict)
def dismiss(target: Kind, target_id: int, user: CurrentUser, session: SessionDep, data: OptionalReasonIn | None = None):
    count = service.dismiss(session, actor=user, kind=target, target_id=target_id, reason=data.reason if data else "")
    return {"target": target, "target_id": target_id, "dismissed": count}


@router.post("/moderation/users/{user_id}/block", response_model=BlockOut)
def block(user_id: int, data: BlockIn, user: CurrentUser, session: SessionDep):
    target = service.block(session, actor=user, user_id=user_id, data=data)
    return BlockOut(user_id=target.id, blocked_until=target.blocked_until)


@router.post("/moderation/users/{user_id}/unblock", response_model=BlockOut)
def unblock(user_id: int, user: CurrentUser, session: SessionDep, data: OptionalReasonIn | None = None):
    target = service.unblock(session, actor=user, user_id=user_id, reason=data.reason if data else "")
    return BlockOut(user_id=target.id, blocked_until=target.blocked_until)
