"""Moderation: users flag contributions; moderators work a queue ranked by distinct flaggers, hide with a
reason, restore, dismiss flags and block accounts for a while. Every moderator action is audited."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, literal, or_, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import audit, ratelimit
from app.accounts.models import User
from app.audit import AuditEntry
from app.db import UTCDateTime, utcnow
from app.discussion.models import Comment
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.ideas.models import Idea
from app.moderation import notify, policy
from app.moderation.models import Flag
from app.moderation.schemas import BlockIn, FlagIn
from app.responses import service as responses
from app.web import i18n
from app.web.i18n import gettext as _

FLAG_RATE_PER_HOUR = 60
EXCERPT = 280


def _forbidden() -> Forbidden:
    return Forbidden(_("Das ist Aufgabe der Moderation."))


def _load(session: Session, kind: str, target_id: int, *, lock: bool = False) -> Comment | Idea:
    """The flagged item; `lock`: its row locked until the transaction ends (hide and restore decide from it)."""
    model = Comment if kind == "comment" else Idea if kind == "idea" else None
    if model is not None and lock:
        item = session.exec(select(model).where(model.id == target_id).with_for_update()
                            .execution_options(populate_existing=True)).first()
    else:
        item = session.get(model, target_id) if model else None
    if item is None:
        raise NotFound(_("Diesen Beitrag gibt es nicht."))
    return item


# --- flags ---------------------------------------------------------------------------------------

def flag(session: Session, *, user: User | None, data: FlagIn, now: datetime | None = None) -> Flag:
    """One flag per person and contribution; hidden contributions cannot be flagged (they are unknown)."""
    if not policy.can_flag(user):
        raise Forbidden(_("Bitte melden Sie sich an."))
    item = _load(session, data.target, data.target_id)
    if item.hidden_at is not None and not policy.can_moderate(user):
        raise NotFound(_("Diesen Beitrag gibt es nicht."))
    if getattr(item, "author_id", None) == user.id:
        raise Invalid(_("Eigene Beiträge können Sie nicht melden."))
    ratelimit.hit(session, [f"flag:user:{user.id}"], limit=FLAG_RATE_PER_HOUR, window_seconds=3600)
    entry = Flag(user_id=user.id, comment_id=data.target_id if data.target == "comment" else None,
                 idea_id=data.target_id if data.target == "idea" else None, reason=data.reason,
                 created_at=now or utcnow())
    session.add(entry)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(_("Sie haben diesen Beitrag bereits gemeldet.")) from None
    return entry


@dataclass
class QueueEntry:
    target: str
    target_id: int
    flaggers: int
    first_flagged_at: datetime
    last_flagged_at: datetime
    reasons: list[Flag]
    excerpt: str | None
    author_id: int | None
    author: str | None
    hidden: bool
    url: str

    def as_dict(self) -> dict:
        return {**self.__dict__, "reasons": [{"reason": f.reason, "created_at": f.created_at} for f in self.reasons]}


def _open_groups():
    open_ = Flag.resolved_at.is_(None)
    comments = (select(literal("comment").label("target"), Flag.comment_id.label("target_id"),
                       func.count(func.distinct(Flag.user_id)).label("flaggers"),
                       func.min(Flag.created_at).label("first"), func.max(Flag.created_at).label("last"))
                .where(open_, Flag.comment_id.is_not(None)).group_by(Flag.comment_id))
    ideas = (select(literal("idea").label("target"), Flag.idea_id.label("target_id"),
                    func.count(func.distinct(Flag.user_id)).label("flaggers"),
                    func.min(Flag.created_at).label("first"), func.max(Flag.created_at).label("last"))
             .where(open_, Flag.idea_id.is_not(None)).group_by(Flag.idea_id))
    return union_all(comments, ideas).subquery()


def _url(kind: str, item) -> str:
    if kind == "idea":
        return f"/ideen/{item.id}"
    if item.section_id:
        return f"/abschnitte/{item.section_id}#beitrag-{item.id}"
    return f"/ideen/{item.idea_id}#beitrag-{item.id}"


def queue(session: Session, *, actor: User | None, page: int = 1, per_page: int = 50) -> tuple[list[QueueEntry], int]:
    """Contributions with open flags, most distinct flaggers first, then the longest waiting."""
    if not policy.can_moderate(actor):
        raise _forbidden()
    groups = _open_groups()
    total = session.exec(select(func.count()).select_from(groups)).one()
    rows = session.exec(select(groups.c.target, groups.c.target_id, groups.c.flaggers, groups.c.first,
                               groups.c.last)
                        .order_by(groups.c.flaggers.desc(), groups.c.first, groups.c.target, groups.c.target_id)
                        .offset((page - 1) * per_page).limit(per_page)).all()
    as_utc = UTCDateTime().process_result_value  # values through the union may come back naive
    comment_ids = [r[1] for r in rows if r[0] == "comment"]
    idea_ids = [r[1] for r in rows if r[0] == "idea"]
    items = {("comment", c.id): c for c in session.exec(select(Comment).where(col(Comment.id).in_(comment_ids)))} \
        if comment_ids else {}
    if idea_ids:
        items.update({("idea", i.id): i for i in session.exec(select(Idea).where(col(Idea.id).in_(idea_ids)))})
    reasons: dict[tuple[str, int], list[Flag]] = {}
    conds = []
    if comment_ids:
        conds.append(col(Flag.comment_id).in_(comment_ids))
    if idea_ids:
        conds.append(col(Flag.idea_id).in_(idea_ids))
    if conds:
        for f in session.exec(select(Flag).where(Flag.resolved_at.is_(None), or_(*conds))
                              .order_by(col(Flag.created_at).desc())).all():
            key = ("comment", f.comment_id) if f.comment_id else ("idea", f.idea_id)
            reasons.setdefault(key, []).append(f)
    people = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(
        {i.author_id for i in items.values()})))} if items else {}
    entries = []
    for kind, target_id, flaggers, first, last in rows:
        item = items.get((kind, target_id))
        if item is None:
            continue
        text = item.body if kind == "comment" else f"{item.title}: {item.body}"
        if kind == "comment" and item.erased:
            text = None
        entries.append(QueueEntry(
            target=kind, target_id=target_id, flaggers=flaggers, first_flagged_at=as_utc(first, None),
            last_flagged_at=as_utc(last, None), reasons=reasons.get((kind, target_id), [])[:10],
            excerpt=(text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")) if text else None,
            author_id=item.author_id, author=responses.author_label(people.get(item.author_id), item),
            hidden=item.hidden_at is not None, url=_url(kind, item)))
    return entries, total


# --- hide, restore, dismiss ----------------------------------------------------------------------

def _resolve_flags(session: Session, kind: str, target_id: int, resolution: str, now: datetime) -> int:
    column = Flag.comment_id if kind == "comment" else Flag.idea_id
    result = session.exec(update(Flag).where(column == target_id, Flag.resolved_at.is_(None))
                          .values(resolved_at=now, resolution=resolution))
    return result.rowcount or 0


def _count_idea_comment(session: Session, item, delta: int) -> None:
    """Keep Idea.comment_count to what the public sees (hidden comments do not count)."""
    if isinstance(item, Comment) and item.idea_id and item.withdrawn_at is None and not item.erased:
        session.exec(update(Idea).where(Idea.id == item.idea_id).values(comment_count=Idea.comment_count + delta))


def hide(session: Session, *, actor: User | None, kind: str, target_id: int, reason: str,
         now: datetime | None = None) -> Comment | Idea:
    """Hide with a reason: the author sees it with the reason, the public a placeholder (reversible)."""
    if not policy.can_moderate(actor):
        raise _forbidden()
    now = now or utcnow()
    item = _load(session, kind, target_id, lock=True)
    if item.hidden_at is not None:
        raise Conflict(_("Dieser Beitrag ist bereits ausgeblendet."))
    item.hidden_at, item.hidden_reason = now, reason
    session.add(item)
    _count_idea_comment(session, item, -1)
    flags = _resolve_flags(session, kind, target_id, "hidden", now)
    audit.record(session, actor_id=actor.id, action=f"{kind}.hide", target_type=kind, target_id=target_id,
                 summary=f"{reason} ({flags} Meldungen)")
    notify.hidden(session, kind=kind, item=item, reason=reason)
    session.commit()
    return item


def restore(session: Session, *, actor: User | None, kind: str, target_id: int, reason: str = "",
            now: datetime | None = None) -> Comment | Idea:
    if not policy.can_moderate(actor):
        raise _forbidden()
    item = _load(session, kind, target_id, lock=True)
    if item.hidden_at is None:
        raise Conflict(_("Dieser Beitrag ist nicht ausgeblendet."))
    previous = item.hidden_reason or ""
    item.hidden_at, item.hidden_reason = None, None
    session.add(item)
    _count_idea_comment(session, item, +1)
    audit.record(session, actor_id=actor.id, action=f"{kind}.restore", target_type=kind, target_id=target_id,
                 summary=(reason or _("wiederhergestellt")) + f" (ausgeblendet war: {previous})"[:1000])
    notify.restored(session, kind=kind, item=item, reason=reason)
    session.commit()
    return item


def dismiss(session: Session, *, actor: User | None, kind: str, target_id: int, reason: str = "",
            now: datetime | None = None) -> int:
    """The flags were unfounded: they leave the queue, the contribution stays visible."""
    if not policy.can_moderate(actor):
        raise _forbidden()
    _load(session, kind, target_id)
    count = _resolve_flags(session, kind, target_id, "dismissed", now or utcnow())
    if not count:
        raise Conflict(_("Zu diesem Beitrag gibt es keine offenen Meldungen."))
    audit.record(session, actor_id=actor.id, action="flag.dismiss", target_type=kind, target_id=target_id,
                 summary=reason or f"{count} Meldungen zurückgewiesen")
    session.commit()
    return count


# --- blocking accounts ---------------------------------------------------------------------------

def block(session: Session, *, actor: User | None, user_id: int, data: BlockIn, now: datetime | None = None) -> User:
    """Block a participant for some days: they can read but not post, vote or submit ideas."""
    target = session.get(User, user_id)
    if target is None or target.deleted_at is not None:
        raise NotFound(_("Dieses Konto gibt es nicht."))
    if not policy.can_block(actor, target):
        raise _forbidden() if not policy.can_moderate(actor) else Forbidden(
            _("Nur Konten von Teilnehmenden können gesperrt werden."))
    until = (now or utcnow()) + timedelta(days=data.days)
    target.blocked_until = until
    session.add(target)
    audit.record(session, actor_id=actor.id, action="user.block", target_type="user", target_id=target.id,
                 summary=f"bis {until.astimezone(i18n.BERLIN):%d.%m.%Y}: {data.reason}")
    notify.blocked(session, person=target, until=until, reason=data.reason)
    session.commit()
    return target


def unblock(session: Session, *, actor: User | None, user_id: int, reason: str = "") -> User:
    if not policy.can_moderate(actor):
        raise _forbidden()
    target = session.get(User, user_id)
    if target is None:
        raise NotFound(_("Dieses Konto gibt es nicht."))
    target.blocked_until = None
    session.add(target)
    audit.record(session, actor_id=actor.id, action="user.unblock", target_type="user", target_id=target.id,
                 summary=reason or "Sperre aufgehoben")
    session.commit()
    return target


def moderation_out(kind: str, item) -> dict:
    return {"target": kind, "target_id": item.id, "hidden": item.hidden_at is not None, "hidden_at": item.hidden_at,
            "hidden_reason": item.hidden_reason}


# --- audit log page ------------------------------------------------------------------------------

@dataclass
class AuditPage:
    entries: list
    actors: dict[int, str]
    total: int
    page: int
    per_page: int
    actions: list[str]
    action: str | None
    action_labels: dict[str, str] = field(default_factory=lambda: audit.ACTION_LABELS)
    target_labels: dict[str, str] = field(default_factory=lambda: audit.TARGET_LABELS)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def audit_page(session: Session, *, page: int, per_page: int = 50, action: str | None = None) -> AuditPage:
    rows, total = audit.list_entries(session, page=page, per_page=per_page, action=action or None)
    ids = {r.actor_id for r in rows if r.actor_id}
    actors = dict(session.exec(select(User.id, User.display_name).where(col(User.id).in_(ids))).all()) if ids else {}
    actions = list(session.exec(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all())
    return AuditPage(entries=list(rows), actors=actors, total=total, page=page, per_page=per_page, actions=actions,
                     action=action or None)


# --- Meine Daten ---------------------------------------------------------------------------------

def export_flags(session: Session, user: User) -> tuple[str, object]:
    flags = session.exec(select(Flag).where(Flag.user_id == user.id).order_by(Flag.id)).all()
    return "flags", [{"target": "comment" if f.comment_id else "idea", "target_id": f.comment_id or f.idea_id,
                      "reason": f.reason, "created_at": f.created_at.isoformat()} for f in flags]


def erase_flags(session: Session, user: User, erase_texts: bool) -> None:
    """Account deletion: the flags stay (they count in the queue); on request their written reasons go."""
    if erase_texts:
        session.exec(update(Flag).where(Flag.user_id == user.id).values(reason=""))


@dataclass
class Hidden:
    target: str
    target_id: int
    hidden_at: datetime
    reason: str
    excerpt: str
    url: str


def recently_hidden(session: Session, *, actor: User | None, limit: int = 30) -> list[Hidden]:
    """The latest hidden contributions, to restore one when a decision was wrong."""
    if not policy.can_moderate(actor):
        raise _forbidden()
    found = []
    for kind, model in (("comment", Comment), ("idea", Idea)):
        for item in session.exec(select(model).where(model.hidden_at.is_not(None))
                                 .order_by(col(model.hidden_at).desc()).limit(limit)).all():
            text = item.body if kind == "comment" else f"{item.title}: {item.body}"
            found.append(Hidden(kind, item.id, item.hidden_at, item.hidden_reason or "",
                                text[:EXCERPT] + ("…" if len(text) > EXCERPT else ""), _url(kind, item)))
    return sorted(found, key=lambda h: h.hidden_at, reverse=True)[:limit]


@dataclass
class FlagTarget:
    kind: str
    id: int
    title: str
    url: str


def flag_target(session: Session, *, user: User | None, kind: str, target_id: int) -> FlagTarget:
    """What the flag form names (404 for unknown or hidden contributions)."""
    if kind not in ("comment", "idea"):
        raise NotFound(_("Diesen Beitrag gibt es nicht."))
    item = _load(session, kind, target_id)
    if item.hidden_at is not None and not policy.can_moderate(user):
        raise NotFound(_("Diesen Beitrag gibt es nicht."))
    title = _("Beitrag #{id}").format(id=item.id) if kind == "comment" else _("Idee „{t}“").format(t=item.title)
    return FlagTarget(kind, item.id, title, _url(kind, item))
