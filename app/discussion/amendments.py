"""Änderungsvorschläge (issue 16): proposed wording for one paragraph, and the lead's adoption into the draft.

The model: an Änderungsvorschlag is a Comment with `amendment` set ("replace": new wording for its paragraph;
"after": a new paragraph after it), `proposed_text`, and `base_text` (the paragraph's text it was made
against). So it is a root comment on the current version's paragraph and gets everything comments have: votes
(`target: amendment` is stored as the comment's vote), replies, flags and hiding, official responses, the
Abwägungstabelle, the "Absatz seit Fassung N geändert / entfallen" markers, "Meine Daten" and erasure.

Adoption replaces the paragraph in the draft (or inserts the new one after it) only when the draft still holds
that paragraph exactly as proposed against, once; otherwise 409 and nothing changes: the lead merges by hand
and sends the whole draft (`body` with the `revision` it was based on), saved under the draft's revision check
(invariant 4). The next published version of the section takes up every adopted amendment (documents'
ADDRESS_SOURCES): it is answered "berücksichtigt" with that version like other taken-up comments.
"""

import difflib
from datetime import datetime

from sqlalchemy import exists, func
from sqlmodel import Session, col, select

from app import audit
from app.accounts.models import User
from app.db import checks_before_writing, hold, utcnow
from app.discussion import policy, service, sources
from app.discussion.models import AmendmentKind, Comment
from app.discussion.schemas import AdoptIn, AmendmentIn
from app.documents import diff as differ
from app.documents import policy as documents_policy
from app.documents import service as documents
from app.documents.models import Draft, SectionVersion, VersionAddress
from app.documents.schemas import DraftIn
from app.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from app.rounds import service as rounds_service
from app.web import markdown
from app.web.i18n import gettext as _

KIND_LABELS = {"replace": "neuer Wortlaut des Absatzes", "after": "neuer Absatz nach diesem Absatz"}


def diff_html(kind: str | None, base: str | None, proposed: str | None) -> str:
    """The proposal as a word diff against its paragraph (a new paragraph: all of it inserted)."""
    if not kind or proposed is None:
        return ""
    return differ.inline_html(differ.word_diff("" if kind == AmendmentKind.after else (base or ""), proposed))


# --- proposing ------------------------------------------------------------------------------------

def post_amendment(session: Session, *, user: User | None, section_id: int, data: AmendmentIn,
                   now: datetime | None = None) -> Comment:
    """Propose wording for a paragraph of the current version while a round admits this person (as comments)."""
    now = now or utcnow()
    if user is None:
        raise Unauthorized(_("Bitte melden Sie sich an, um sich zu beteiligen."))
    with checks_before_writing(session):
        section, version, rounds = sources.section_for_posting(session, section_id)
    round_, refusal = policy.pick_round(user, rounds_service.open_only(rounds, now), section, now)
    if refusal:
        raise refusal
    if version is None:
        raise Conflict(_("Dieser Abschnitt hat noch keine veröffentlichte Fassung."))
    hold(session, version)
    paragraph = service.current_paragraph(session, version, data.paragraph)
    if data.position == AmendmentKind.replace and service._squash(data.text) == service._squash(paragraph.text):
        raise Invalid(_("Der vorgeschlagene Wortlaut ist derselbe wie im Absatz."),
                      errors=[("text", _("Der vorgeschlagene Wortlaut ist derselbe wie im Absatz. Bitte ändern "
                                         "Sie ihn."))])
    service._rate_limit(session, user)
    comment = Comment(section_version_id=version.id, section_id=section_id, paragraph_anchor=paragraph.anchor,
                      round_id=round_.id, author_id=user.id, alignment=data.alignment.value, body=data.reason,
                      html=markdown.render(data.reason), created_at=now, amendment=data.position.value,
                      proposed_text=data.text, base_text=paragraph.text)
    session.add(comment)
    session.commit()
    return comment


def get_amendment(session: Session, amendment_id: int) -> Comment:
    comment = session.get(Comment, amendment_id)
    if comment is None or comment.amendment is None:
        raise NotFound(_("Diesen Änderungsvorschlag gibt es nicht."))
    return comment


def list_amendments(session: Session, *, section_id: int, page: int = 1,
                    per_page: int = 50) -> tuple[list[Comment], int]:
    """A section's amendments over all its versions, oldest first."""
    sources.get_section(session, section_id)
    where = (Comment.section_id == section_id, col(Comment.amendment).is_not(None))
    total = session.exec(select(func.count()).select_from(Comment).where(*where)).one()
    rows = session.exec(select(Comment).where(*where).order_by(Comment.created_at, Comment.id)
                        .offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def taken_up_in(session: Session, comment_ids: list[int]) -> dict[int, int]:
    """{amendment id: number of the first version that took it up} (one query)."""
    if not comment_ids:
        return {}
    rows = session.exec(select(VersionAddress.comment_id, func.min(SectionVersion.number))
                        .join(SectionVersion, SectionVersion.id == VersionAddress.version_id)
                        .where(col(VersionAddress.comment_id).in_(comment_ids))
                        .group_by(VersionAddress.comment_id)).all()
    return dict(rows)


def amendments_out(session: Session, comments: list[Comment], viewer: User | None) -> list[dict]:
    taken = taken_up_in(session, [c.id for c in comments])
    return [out | {"adopted_in_version": taken.get(out["id"])}
            for out in service.comments_out(session, comments, viewer)]


# --- adopting -------------------------------------------------------------------------------------

def _spans(body: str) -> tuple[list[str], list[tuple[int, int, str]]]:
    """The draft's lines and its top-level blocks as (first line, line after, source) - as markdown.blocks
    splits a text into paragraphs when a version is published."""
    lines = (body or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    spans = []
    for token in markdown._parser().parse("\n".join(lines)):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        source = "\n".join(lines[start:end]).strip()
        if source:
            spans.append((start, end, source))
    return lines, spans


def adopted_body(body: str, amendment: Comment) -> str | None:
    """The draft with the amendment applied, or None when the draft does not hold its paragraph exactly once
    as it was when proposed (then a person must merge)."""
    lines, spans = _spans(body)
    base = (amendment.base_text or "").strip()
    found = [(start, end) for start, end, source in spans if source == base]
    if len(found) != 1:
        return None
    start, end = found[0]
    proposed = amendment.proposed_text.strip().replace("\r\n", "\n").split("\n")
    if amendment.amendment == AmendmentKind.after:
        return "\n".join([*lines[:end], "", *proposed, *lines[end:]])
    return "\n".join([*lines[:start], *proposed, *lines[end:]])


def draft_paragraph(body: str, amendment: Comment) -> str | None:
    """The draft's paragraph most like the one the amendment was made against (for merging by hand)."""
    _lines, spans = _spans(body)
    if not spans:
        return None
    base = amendment.base_text or ""
    best = max(spans, key=lambda s: difflib.SequenceMatcher(None, base, s[2]).ratio())
    return best[2]


def check_may_adopt(user: User | None) -> None:
    if user is None:
        raise Unauthorized(_("Bitte melden Sie sich an."))
    if not documents_policy.can_edit_document(user):
        raise Forbidden(_("Änderungsvorschläge übernimmt die Projektleitung."))


def adopt(session: Session, *, user: User | None, amendment_id: int, data: AdoptIn,
          now: datetime | None = None) -> tuple[Comment, Draft]:
    """Take the amendment into its section's draft. Without `body`: the paragraph is replaced (or the new one
    inserted) if the draft holds it unchanged, else 409. With `body` (merged by hand) and `revision`: that
    draft is saved if nobody saved since `revision`, else 409 (StaleDraft). Twice: 409."""
    now = now or utcnow()
    check_may_adopt(user)
    comment = service.locked_comment(session, amendment_id)
    if comment.amendment is None:
        raise NotFound(_("Diesen Änderungsvorschlag gibt es nicht."))
    if comment.adopted_at is not None:
        raise Conflict(_("Dieser Änderungsvorschlag ist bereits in den Entwurf übernommen."))
    if service.status(comment) != "visible":
        raise Conflict(_("Ein zurückgezogener oder ausgeblendeter Änderungsvorschlag kann nicht übernommen werden."))
    draft = documents.get_draft(session, section_id=comment.section_id)
    if data.body is not None:
        body, revision = data.body, data.revision
    else:
        if data.revision is not None and data.revision != draft.revision:
            raise Conflict(_("Der Entwurf wurde inzwischen geändert (Stand {rev}). Bitte prüfen Sie ihn erneut.")
                           .format(rev=draft.revision))
        body, revision = adopted_body(draft.body, comment), draft.revision
        if body is None:
            raise Conflict(
                _("Der Absatz wurde im Entwurf seit dem Vorschlag geändert (Entwurf Stand {rev}). Bitte führen Sie "
                  "Vorschlag und Entwurf von Hand zusammen und senden Sie den ganzen Entwurf mit „body“ und "
                  "„revision“.").format(rev=draft.revision),
                errors=[("paragraph", draft_paragraph(draft.body, comment) or "")])
    comment.adopted_at = now
    session.add(comment)
    audit.record(session, actor_id=user.id, action="amendment.adopt", target_type="comment", target_id=comment.id,
                 summary=f"Entwurf Stand {revision + 1}" + (" (von Hand zusammengeführt)" if data.body else ""))
    saved = documents.save_draft(session, actor=user, section_id=comment.section_id,
                                 data=DraftIn(title=draft.title, body=body, revision=revision))
    return comment, saved


def pending_adopted(session: Session, section_id: int) -> list[int]:
    """Amendments of the section taken into the draft and not yet taken up by a version: the next version of the
    section takes them up (a documents ADDRESS_SOURCES entry, see app/wiring.py)."""
    return list(session.exec(
        select(Comment.id).where(Comment.section_id == section_id, col(Comment.adopted_at).is_not(None),
                                 col(Comment.hidden_at).is_(None), col(Comment.withdrawn_at).is_(None),
                                 ~exists().where(VersionAddress.comment_id == Comment.id))).all())
