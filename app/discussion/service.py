"""Comments on section versions and ideas: post, reply, edit within the window, withdraw, list."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from app import ratelimit
from app.accounts.models import Role, User
from app.db import checks_before_writing, held, hold, utcnow
from app.discussion import notify, policy, sources
from app.discussion.models import Comment, CommentEdit, Vote
from app.discussion.schemas import CommentEditIn, CommentIn
from app.documents.models import Paragraph, SectionVersion
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.events.models import Event
from app.ideas import offline
from app.ideas import policy as ideas_policy
from app.ideas import service as ideas_service
from app.ideas.models import Idea
from app.rounds import service as rounds_service
from app.rounds.models import RoundState
from app.settings import get_settings
from app.web.i18n import BERLIN
from app.web.i18n import gettext as _
from app.web.markdown import render as render_markdown

EDIT_WINDOW = timedelta(minutes=15)
SHOWN_DEPTH = 3  # deeper replies are shown flat at this depth
SORTS = ("new", "top", "paragraph", "old")


def _rate_limit(session: Session, user: User) -> None:
    ratelimit.hit(session, [f"post:user:{user.id}"], limit=get_settings().post_rate_per_minute, window_seconds=60)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _plain(markdown_text: str) -> str:
    """Paragraph text as readers see it: Markdown emphasis and link syntax removed, spaces squashed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)
    return _squash(re.sub(r"[*_`#>]", "", text))


def current_paragraph(session: Session, version: SectionVersion, anchor: str) -> Paragraph:
    """The paragraph of the current version a contribution refers to, or Invalid beside the paragraph field."""
    paragraph = sources.paragraph(session, version.id, anchor)
    if paragraph is None:
        raise Invalid(_("Diesen Absatz gibt es in der aktuellen Fassung nicht."),
                      errors=[("paragraph", _("Diesen Absatz gibt es in der aktuellen Fassung nicht."))])
    return paragraph


def check_place(session: Session, version: SectionVersion, anchor: str | None, quote: str | None) -> None:
    """A comment's paragraph exists in the version, and its quote occurs there (or in the whole text)."""
    if anchor is not None:
        paragraph = current_paragraph(session, version, anchor)
        if quote:
            check_quote(quote, paragraph.text)
    elif quote:
        check_quote(quote, version.body)


def check_quote(quote: str, text: str) -> None:
    """A quote must occur in the paragraph (spacing and Markdown emphasis do not matter)."""
    if _squash(quote) in _squash(text) or _plain(quote) in _plain(text):
        return
    raise Invalid(_("Das Zitat kommt in diesem Absatz nicht vor."), errors=[
        ("quote", _("Das Zitat kommt in diesem Absatz nicht vor. Bitte markieren oder kopieren Sie eine "
                    "Stelle aus dem Absatz, auf den Sie sich beziehen."))])


def get_comment(session: Session, comment_id: int) -> Comment:
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(_("Diesen Beitrag gibt es nicht."))
    return comment


def visible_comment(session: Session, comment_id: int, viewer: User | None) -> Comment:
    """The comment, 404 when it belongs to an idea this viewer may not see (as for the idea itself)."""
    comment = get_comment(session, comment_id)
    if comment.idea_id is not None:
        idea = session.get(Idea, comment.idea_id)
        if idea is None or not ideas_policy.can_see_idea(viewer, idea):
            raise NotFound(_("Diesen Beitrag gibt es nicht."))
    return comment


def locked_comment(session: Session, comment_id: int) -> Comment:
    """The comment, its row locked until the transaction ends (FOR UPDATE on PostgreSQL; SQLite writers are
    serialised by BEGIN IMMEDIATE): a change decided from what was read is not lost to a concurrent one."""
    comment = session.exec(select(Comment).where(Comment.id == comment_id).with_for_update()
                           .execution_options(populate_existing=True)).first()
    if comment is None:
        raise NotFound(_("Diesen Beitrag gibt es nicht."))
    return comment


def section_and_current_version(session: Session, *, section_id: int):
    """The section and its current version (404 before the first version)."""
    section, version = sources.section_and_current(session, section_id)
    if version is None:
        raise NotFound(_("Dieser Abschnitt ist noch nicht veröffentlicht."))
    return section, version


def editable_comment(session: Session, *, user: User, comment_id: int, now: datetime | None = None) -> Comment:
    """The comment, if this person may still edit it."""
    comment = get_comment(session, comment_id)
    if comment.author_id != user.id:
        raise Forbidden(_("Nur die Verfasserin oder der Verfasser kann einen Beitrag bearbeiten."))
    if not policy.may_edit(user, comment, now or utcnow(), int(EDIT_WINDOW.total_seconds())):
        raise Conflict(_("Beiträge können nur in den ersten 15 Minuten bearbeitet werden."))
    return comment


# --- posting ------------------------------------------------------------------------------------

def post_comment(session: Session, *, user: User | None, section_id: int, data: CommentIn,
                 now: datetime | None = None) -> Comment:
    """Comment on the current version of a section (or reply in a thread) while a round admits this person.
    With `data.source`: a contribution recorded on behalf of participants (record_comment)."""
    now = now or utcnow()
    if data.source is not None:
        return record_comment(session, user=user, section_id=section_id, data=data, now=now)
    html = render_markdown(data.body)
    with checks_before_writing(session):
        section, version, rounds = sources.section_for_posting(session, section_id)
    parent = None
    if data.parent_id:
        parent = session.get(Comment, data.parent_id)
        if parent is None or parent.section_id != section_id:
            raise Invalid(_("Auf diesen Beitrag kann hier nicht geantwortet werden."),
                          errors=[("parent_id", _("Diesen Beitrag gibt es in diesem Abschnitt nicht."))])
    round_, refusal = policy.pick_round(user, rounds_service.open_only(rounds, now), section, now,
                                        reply=parent is not None)
    if refusal:
        raise refusal
    if parent is not None:
        if parent.withdrawn_at or parent.hidden_at or parent.erased:
            raise Conflict(_("Auf einen zurückgezogenen oder ausgeblendeten Beitrag kann nicht geantwortet werden."))
        version_id, anchor = parent.section_version_id, parent.paragraph_anchor
    else:
        if version is None:
            raise Conflict(_("Dieser Abschnitt hat noch keine veröffentlichte Fassung."))
        version_id, anchor = version.id, data.paragraph
        hold(session, version)  # the response names its number
        check_place(session, version, anchor, data.quote)
    _rate_limit(session, user)
    comment = Comment(section_version_id=version_id, section_id=section_id, paragraph_anchor=anchor,
                      quote=data.quote if parent is None else None, parent_id=parent.id if parent else None,
                      root_id=(parent.root_id or parent.id) if parent else None,
                      depth=parent.depth + 1 if parent else 0, round_id=round_.id, author_id=user.id,
                      alignment=data.alignment.value, body=data.body, html=html, created_at=now)
    session.add(comment)
    session.flush()
    if parent is not None:
        notify.reply_posted(session, parent=parent, reply=comment, replier=user)
    session.commit()
    return comment


def _recording_round(rounds: list, now: datetime):
    """The round a recorded contribution belongs to: an open one, else the one that closed last (a letter may
    arrive, and a workshop's notes be typed up, after the round closed); never one that has not opened."""
    open_ = rounds_service.open_only(rounds, now)
    if open_:
        return open_[0]
    closed = [r for r in rounds if rounds_service.effective_state(r, now) != RoundState.planned]
    return max(closed, key=lambda r: r.closes_at) if closed else None


def record_comment(session: Session, *, user: User | None, section_id: int, data: CommentIn,
                   now: datetime | None = None) -> Comment:
    """A lead or facilitator records a comment from a Werkstatt, letter, e-mail, call or information stand on the
    current version of a section (optionally a paragraph and a quote), in the round covering it."""
    now = now or utcnow()
    refusal = offline.record_refusal(user)
    if refusal:
        raise refusal
    if data.parent_id:
        message = _("Erfasste Beiträge sind keine Antworten; bitte ohne Bezug auf einen Beitrag erfassen.")
        raise Invalid(message, errors=[("parent_id", message)])
    html = render_markdown(data.body)
    with checks_before_writing(session):
        section, version, rounds = sources.section_for_posting(session, section_id)
    if version is None:
        raise Conflict(_("Dieser Abschnitt hat noch keine veröffentlichte Fassung."))
    if data.source.event_id is not None:  # the Werkstatt's round, if it covers this section
        round_ = offline.event_round(session, data.source, offline.begun(rounds, now), now)
    else:
        round_ = _recording_round(rounds, now)
    if round_ is None:
        raise Conflict(_("Zu diesem Abschnitt gibt es keine begonnene Beteiligungsrunde, der der Beitrag "
                         "zugeordnet werden kann."))
    hold(session, version)
    check_place(session, version, data.paragraph, data.quote)
    _rate_limit(session, user)
    comment = Comment(section_version_id=version.id, section_id=section_id, paragraph_anchor=data.paragraph,
                      quote=data.quote, round_id=round_.id, author_id=user.id, alignment=data.alignment.value,
                      body=data.body, html=html, created_at=now, **offline.fields(data.source, user))
    session.add(comment)
    session.commit()
    return comment


def post_idea_comment(session: Session, *, user: User | None, idea_id: int, data: CommentIn,
                      now: datetime | None = None) -> Comment:
    """Comment on a visible idea (any logged-in, unblocked person); keeps Idea.comment_count."""
    now = now or utcnow()
    idea = session.get(Idea, idea_id)
    if idea is None or (idea.hidden_at is not None and not (user and user.role == Role.moderator.value)):
        raise NotFound(_("Diese Idee gibt es nicht."))
    refusal = policy.idea_comment_refusal(user, idea, now)
    if refusal:
        raise refusal
    parent = None
    if data.parent_id:
        parent = session.get(Comment, data.parent_id)
        if parent is None or parent.idea_id != idea_id:
            raise Invalid(_("Auf diesen Beitrag kann hier nicht geantwortet werden."),
                          errors=[("parent_id", _("Diesen Beitrag gibt es zu dieser Idee nicht."))])
        if parent.withdrawn_at or parent.hidden_at or parent.erased:
            raise Conflict(_("Auf einen zurückgezogenen oder ausgeblendeten Beitrag kann nicht geantwortet werden."))
    if data.source is not None:
        message = _("Zu Ideen werden keine Beiträge von außerhalb erfasst; bitte als eigene Idee erfassen.")
        raise Invalid(message, errors=[("source", message)])
    if data.paragraph or data.quote:
        raise Invalid(_("Bei Ideen gibt es keine Absätze."),
                      errors=[("paragraph", _("Bei Ideen gibt es keine Absätze und Zitate."))])
    _rate_limit(session, user)
    comment = Comment(idea_id=idea_id, parent_id=parent.id if parent else None,
                      root_id=(parent.root_id or parent.id) if parent else None,
                      depth=parent.depth + 1 if parent else 0, author_id=user.id, alignment=data.alignment.value,
                      body=data.body, html=render_markdown(data.body), created_at=now)
    session.add(comment)
    session.flush()
    session.exec(update(Idea).where(Idea.id == idea_id).values(comment_count=Idea.comment_count + 1))
    if parent is not None:
        notify.reply_posted(session, parent=parent, reply=comment, replier=user)
    session.commit()
    return comment


def idea_for_discussion(session: Session, *, idea_id: int, user: User | None) -> Idea:
    idea = session.get(Idea, idea_id)
    if idea is None or (idea.hidden_at is not None and not (user and user.role in (Role.moderator.value,
                                                                                    Role.lead.value))):
        raise NotFound(_("Diese Idee gibt es nicht."))
    return idea


# --- editing and withdrawing ------------------------------------------------------------------

def edit_comment(session: Session, *, user: User | None, comment_id: int, data: CommentEditIn,
                 now: datetime | None = None) -> Comment:
    """The author changes the text within 15 minutes; the earlier text is kept (CommentEdit).

    The comment row is locked first (FOR UPDATE on PostgreSQL; SQLite writers are serialised by BEGIN
    IMMEDIATE): concurrent edits then take turns, and each keeps the text it really replaced."""
    now = now or utcnow()
    comment = locked_comment(session, comment_id)
    if user is None or comment.author_id != user.id:
        raise Forbidden(_("Nur die Verfasserin oder der Verfasser kann einen Beitrag bearbeiten."))
    if not policy.may_edit(user, comment, now, int(EDIT_WINDOW.total_seconds())):
        raise Conflict(_("Beiträge können nur in den ersten 15 Minuten bearbeitet werden."))
    _rate_limit(session, user)
    session.add(CommentEdit(comment_id=comment.id, body=comment.body, alignment=comment.alignment, edited_at=now))
    comment.body, comment.html = data.body, render_markdown(data.body)
    if data.alignment is not None:
        comment.alignment = data.alignment.value
    comment.edited_at = now
    session.add(comment)
    session.commit()
    return comment


def withdraw_comment(session: Session, *, user: User | None, comment_id: int,
                     now: datetime | None = None) -> Comment:
    """The author withdraws a comment; a placeholder keeps the thread readable. (Moderators hide instead.)"""
    now = now or utcnow()
    comment = locked_comment(session, comment_id)
    if user is None or not policy.may_withdraw(user, comment):
        if comment.withdrawn_at is not None:
            raise Conflict(_("Dieser Beitrag ist bereits zurückgezogen."))
        raise Forbidden(_("Nur die Verfasserin oder der Verfasser kann einen Beitrag zurückziehen."))
    comment.withdrawn_at = now
    if comment.idea_id and comment.hidden_at is None:  # a hidden comment was no longer counted
        session.exec(update(Idea).where(Idea.id == comment.idea_id).values(comment_count=Idea.comment_count - 1))
    session.add(comment)
    session.commit()
    return comment


# --- reading -----------------------------------------------------------------------------------

def status(comment: Comment) -> str:
    if comment.erased:
        return "erased"
    if comment.hidden_at is not None:
        return "hidden"
    if comment.withdrawn_at is not None:
        return "withdrawn"
    return "visible"


def _given(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def comment_filters(*, section_id=None, version_id=None, idea_id=None, paragraph=None, alignment=None, round_id=None,
                    organisation=None) -> list:
    """The conditions of the comment filters, shared by the API, the section page and the leads' workbench.
    Values may be SQL bind parameters (the section page's cached statements); None or "" means no filter."""
    where = []
    if _given(section_id):
        where.append(Comment.section_id == section_id)
    if _given(version_id):
        where.append(Comment.section_version_id == version_id)
    if _given(idea_id):
        where.append(Comment.idea_id == idea_id)
    if _given(paragraph):
        where.append(Comment.paragraph_anchor == paragraph)
    if _given(alignment):
        where.append(Comment.alignment == alignment)
    if _given(round_id):
        where.append(Comment.round_id == round_id)
    if _given(organisation):
        where.append(Comment.author_id.in_(select(User.id).where(User.organisation == organisation)))
    return where


def comment_query(**filters):
    """select(Comment) with comment_filters applied."""
    return select(Comment).where(*comment_filters(**filters))


def _paragraph_position():
    """Where a comment's paragraph stands in its version (comments on the whole section: none)."""
    return (select(Paragraph.position).where(Paragraph.version_id == Comment.section_version_id,
                                             Paragraph.anchor == Comment.paragraph_anchor)
            .correlate(Comment).scalar_subquery())


def ordered(query, sort: str):
    """The one ordering of comment lists (API and pages). "paragraph": in the order of the paragraphs, then
    the comments on the whole section; the anchors themselves are random and say nothing about order."""
    if sort == "top":
        return query.order_by((Comment.up_count - Comment.down_count).desc(), Comment.created_at.desc(),
                              Comment.id.desc())
    if sort == "paragraph":
        return query.order_by(Comment.paragraph_anchor.is_(None), _paragraph_position(), Comment.created_at,
                              Comment.id)
    if sort == "old":
        return query.order_by(Comment.created_at, Comment.id)
    return query.order_by(Comment.created_at.desc(), Comment.id.desc())


def list_comments(session: Session, *, section_id: int | None = None, idea_id: int | None = None,
                  version: int | None = None, paragraph: str | None = None, sort: str = "new",
                  alignment: str | None = None, round_id: int | None = None, organisation: str | None = None,
                  page: int = 1, per_page: int = 50, viewer: User | None = None) -> tuple[list[Comment], int]:
    """Comments of a section (optionally one version and paragraph) or an idea (404 when this viewer may not
    see it), paginated."""
    version_id = None
    if section_id is not None:
        section = sources.get_section(session, section_id)
        if version is not None:
            v = sources.version(session, section.id, version)
            if v is None:
                raise NotFound(_("Diese Fassung gibt es nicht."))
            version_id = v.id
    elif idea_id is not None:
        idea = session.get(Idea, idea_id)
        if idea is None or not ideas_policy.can_see_idea(viewer, idea):
            raise NotFound(_("Diese Idee gibt es nicht."))
    query = comment_query(section_id=section_id, version_id=version_id, idea_id=idea_id, paragraph=paragraph,
                          alignment=alignment, round_id=round_id, organisation=organisation)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(ordered(query, sort).offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def authors(session: Session, comments: list[Comment]) -> dict[int, User]:
    people, missing = held(session, User, {c.author_id for c in comments})
    if missing:
        people.update((u.id, u) for u in session.exec(select(User).where(User.id.in_(missing))).all())
    return people


def my_votes(session: Session, user: User | None, comment_ids: list[int]) -> dict[int, int]:
    """This person's votes on these comments (pass only comments that have votes: the counters say so)."""
    if user is None or not comment_ids:
        return {}
    return dict(session.exec(select(Vote.comment_id, Vote.value).where(Vote.user_id == user.id,
                                                                       Vote.comment_id.in_(comment_ids))).all())


def paragraph_changes(session: Session, comments: list[Comment],
                      versions: dict) -> dict[int, tuple[str, str | None]]:
    """What became of each comment's paragraph by its section's current version: comment id → (unchanged, changed
    or removed; the paragraph's anchor in the current version, None when removed). Comments without a paragraph are
    left out. No query when all comments are on current versions, else the anchor mappings of each such section."""
    result: dict[int, tuple[str, str | None]] = {}
    earlier: dict[int, list[tuple[Comment, int]]] = {}
    for c in comments:
        if c.paragraph_anchor is None or c.section_version_id is None:
            continue
        number = versions[c.section_version_id].number
        if number >= sources.get_section(session, c.section_id).current_number:
            result[c.id] = ("unchanged", c.paragraph_anchor)
        else:
            earlier.setdefault(c.section_id, []).append((c, number))
    for section_id, items in earlier.items():
        pairs = {(n, c.paragraph_anchor) for c, n in items}
        fates = sources.paragraph_fates(session, section_id=section_id, pairs=pairs,
                                        to_number=sources.get_section(session, section_id).current_number)
        result.update((c.id, fates[(n, c.paragraph_anchor)]) for c, n in items)
    return result


def to_out(comment: Comment, *, author: User | None, version_number: int | None, mine: int | None = None,
           viewer: User | None = None, change: tuple[str, str | None] | None = None) -> dict:
    """The public shape: hidden, withdrawn and erased comments keep their place but not their text. `change` is
    what became of the comment's paragraph since (see paragraph_changes)."""
    state = status(comment)
    shown = state == "visible" or (viewer is not None and viewer.role == Role.moderator.value and state == "hidden")
    if comment.source is not None:  # recorded: the author as given, never the recording account
        shown_author = {"id": None, "display_name": comment.given_author or "", "organisation": None, "role": None}
    else:
        shown_author = ({"id": author.id, "display_name": author.display_name,
                         "organisation": author.organisation, "role": author.role} if author is not None else None)
    return {
        "id": comment.id, "section_id": comment.section_id, "version": version_number, "idea_id": comment.idea_id,
        "paragraph": comment.paragraph_anchor, "quote": comment.quote if shown else None,
        "parent_id": comment.parent_id, "round_id": comment.round_id,
        "author": shown_author if state != "erased" else None,
        "source": offline.source_out(comment), "recorded_by": offline.recorded_by_out(comment, author, viewer),
        "alignment": comment.alignment, "status": state, "body": comment.body if shown else None,
        "html": comment.html if shown else None, "created_at": comment.created_at, "edited_at": comment.edited_at,
        "edited": comment.edited_at is not None, "up": comment.up_count, "down": comment.down_count, "mine": mine,
        "paragraph_change": change[0] if change else None, "current_paragraph": change[1] if change else None,
        "amendment": _amendment_out(comment, shown),
    }


def _amendment_out(comment: Comment, shown: bool) -> dict | None:
    if comment.amendment is None:
        return None
    from app.discussion.amendments import diff_html

    return {"position": comment.amendment, "proposed_text": comment.proposed_text if shown else None,
            "base_text": comment.base_text,
            "diff_html": diff_html(comment.amendment, comment.base_text, comment.proposed_text) if shown else "",
            "adopted_at": comment.adopted_at}


def comments_out(session: Session, comments: list[Comment], viewer: User | None, *,
                 changes: dict[int, tuple[str, str | None]] | None = None) -> list[dict]:
    """The public shapes of these comments; `changes` (paragraph_changes) when the caller knows them already."""
    people = authors(session, comments)
    versions = sources.versions_by_id(session, {c.section_version_id for c in comments if c.section_version_id})
    mine = my_votes(session, viewer, [c.id for c in comments if c.up_count or c.down_count])
    if changes is None:
        changes = paragraph_changes(session, comments, versions)
    return [to_out(c, author=people.get(c.author_id),
                   version_number=versions[c.section_version_id].number if c.section_version_id else None,
                   mine=mine.get(c.id), viewer=viewer, change=changes.get(c.id)) for c in comments]


# --- Meine Daten and erasure ------------------------------------------------------------------

def export_person(session: Session, user: User) -> tuple[str, object]:
    # Contributions this person recorded on behalf of others (source set) are not theirs: not exported here.
    comments = session.exec(select(Comment).where(Comment.author_id == user.id, Comment.source.is_(None))
                            .order_by(Comment.id)).all()
    votes = session.exec(select(Vote).where(Vote.user_id == user.id).order_by(Vote.id)).all()
    return "discussion", {
        "comments": [{"id": c.id, "section_id": c.section_id, "section_version_id": c.section_version_id,
                      "idea_id": c.idea_id, "paragraph": c.paragraph_anchor, "quote": c.quote,
                      "parent_id": c.parent_id, "alignment": c.alignment, "body": c.body,
                      "created_at": c.created_at.isoformat(),
                      "edited_at": c.edited_at.isoformat() if c.edited_at else None,
                      "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
                      "status": status(c),
                      **({"amendment": c.amendment, "proposed_text": c.proposed_text} if c.amendment else {})}
                     for c in comments],
        "votes": [{"target": "section_version" if v.section_version_id else "comment" if v.comment_id else "idea",
                   "target_id": v.section_version_id or v.comment_id or v.idea_id, "value": v.value,
                   "created_at": v.created_at.isoformat()} for v in votes],
    }


def erase_person(session: Session, user: User, erase_texts: bool) -> None:
    """Account deletion: the author is anonymised by accounts; on request the texts go, rows and threads stay."""
    if not erase_texts:
        return
    comment_ids = select(Comment.id).where(Comment.author_id == user.id, Comment.source.is_(None))
    counted = dict(session.exec(  # visible comments on ideas are counted; erased ones are not
        select(Comment.idea_id, func.count()).where(Comment.author_id == user.id, Comment.idea_id.is_not(None),
                                                    Comment.hidden_at.is_(None), Comment.withdrawn_at.is_(None),
                                                    Comment.erased.is_(False))
        .group_by(Comment.idea_id)).all())
    for idea_id, n in counted.items():
        session.exec(update(Idea).where(Idea.id == idea_id).values(comment_count=Idea.comment_count - n))
    session.exec(update(Comment).where(Comment.author_id == user.id, Comment.source.is_(None))
                 .values(erased=True, body="", html="", quote=None, proposed_text=None))
    session.exec(update(CommentEdit).where(CommentEdit.comment_id.in_(comment_ids)).values(body=""))


def record_form(session: Session, *, section_id: int, user: User | None) -> tuple:
    """The section, its current version, its paragraphs and the Werkstätten of the begun rounds covering it for
    the recording form (403 for everyone but the project lead and facilitators, 404 for unknown or unpublished
    sections)."""
    refusal = offline.record_refusal(user)
    if refusal:
        raise refusal
    section, version, rounds = sources.section_for_posting(session, section_id)
    if version is None:
        raise NotFound(_("Dieser Abschnitt ist noch nicht veröffentlicht."))
    now = utcnow()
    events = offline.recording_events(session, [r.id for r in offline.begun(rounds, now)], now)
    return section, version, sources.paragraphs(session, version.id), events


# --- what was recorded from a Werkstatt ---------------------------------------------------------------

@dataclass
class FromEvent:
    """The contributions recorded from one Werkstatt that are shown (not hidden, withdrawn or erased)."""

    comments: list[tuple[Comment, str]]  # with their section's label
    ideas: list[Idea]

    @property
    def total(self) -> int:
        return len(self.comments) + len(self.ideas)


def recorded_from_event(session: Session, event_id: int) -> FromEvent:
    comments = session.exec(select(Comment).where(Comment.event_id == event_id, Comment.hidden_at.is_(None),
                                                  Comment.withdrawn_at.is_(None), Comment.erased.is_(False))
                            .order_by(Comment.created_at, Comment.id).limit(500)).all()
    ideas = session.exec(select(Idea).where(Idea.event_id == event_id, Idea.hidden_at.is_(None),
                                            Idea.withdrawn_at.is_(None))
                         .order_by(Idea.created_at, Idea.id).limit(500)).all()
    labels = ideas_service.section_labels(session, {c.section_id for c in comments if c.section_id}) \
        if comments else {}
    return FromEvent(comments=[(c, labels.get(c.section_id, "")) for c in comments], ideas=list(ideas))


def recording_event(session: Session, event_id: str) -> tuple[int, str] | None:
    """(id, "Titel – Ostheim, 12.03.2026") of the Werkstatt a recorder starts from; None for an unknown one."""
    if not event_id:
        return None
    event = session.get(Event, int(event_id))
    if event is None:
        return None
    day = event.starts_at.astimezone(BERLIN).strftime("%d.%m.%Y")
    return event.id, f"{event.title} – {offline.event_place(session, event)}, {day}"
