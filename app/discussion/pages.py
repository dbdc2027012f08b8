"""Discussion on the section page (margin counts, threads, forms) and the plain-form actions behind it.

Every form works as a plain POST (then redirects back to the section page); with htmx the same routes
answer with the affected block of discussion/_section_discussion.html.
"""

from fastapi import Form, Request
from sqlmodel import Session

from app.accounts.models import User
from app.db import quick, utcnow
from app.deps import CurrentUser, OptionalUser, SessionDep, page_router
from app.discussion import amendments, notify, service, views, votes
from app.discussion.models import VoteTarget
from app.discussion.schemas import AdoptIn, AmendmentIn, CommentEditIn, CommentIn
from app.documents import service as documents_service
from app.documents.models import Section, SectionVersion
from app.errors import DomainError, Invalid
from app.ideas import offline
from app.ideas import service as ideas_service
from app.validation import parse
from app.web import htmx, templating
from app.web.i18n import gettext as _
from app.web.templating import redirect, render, safe_next

router = page_router()
TEMPLATE = "discussion/_section_discussion.html"


def section_extension(request: Request, session: Session, section: Section, version: SectionVersion,
                      user: User | None, is_current: bool) -> dict:
    """Context for the documents' section page: {"discussion": …} used by our two included templates."""
    params = views.Params.parse(request.query_params)
    return {"discussion": views.build(session, section=section, version=version, user=user, is_current=is_current,
                                      params=params)}



def idea_extension(request: Request, session: Session, idea, user: User | None) -> dict:
    """Context for the ideas' detail page: support and comments (discussion/_idea_discussion.html)."""
    try:
        page = max(1, min(int(request.query_params.get("seite") or 1), 10_000))
    except ValueError:
        page = 1
    return {"idea_discussion": views.build_idea(session, idea=idea, user=user, page=page)}

IDEA_TEMPLATE = "discussion/_idea_discussion.html"


@router.post("/ideen/{idea_id}/beitraege", name="idea_comment_post")
def post_idea_comment(request: Request, idea_id: int, session: SessionDep, user: OptionalUser,
                      body: str = Form(""), alignment: str = Form("note"), parent_id: str = Form("")):
    values = {"body": body, "alignment": alignment, "parent_id": parent_id}
    try:
        if user is None:
            raise Invalid(_("Bitte melden Sie sich an, um sich zu beteiligen."))
        data = parse(CommentIn, {**values, "parent_id": parent_id or None})
        comment = service.post_idea_comment(session, user=user, idea_id=idea_id, data=data)
    except DomainError as exc:
        idea = service.idea_for_discussion(session, idea_id=idea_id, user=user)
        discussion = views.build_idea(session, idea=idea, user=user)
        discussion.values, discussion.errors, discussion.message, discussion.failed = (
            values, dict(exc.errors), exc.message, True)
        return render(request, "discussion/idea_write.html", {"idea_discussion": discussion, "idea": idea},
                      block="idea_discussion", status_code=200 if htmx.wants_fragment(request) else exc.status)
    if htmx.wants_fragment(request):
        idea = service.idea_for_discussion(session, idea_id=idea_id, user=user)
        discussion = views.build_idea(session, idea=idea, user=user)
        discussion.message = _("Ihr Kommentar ist veröffentlicht.")
        discussion.show_focus_on(comment.id)
        return render(request, IDEA_TEMPLATE, {"idea_discussion": discussion}, block="idea_discussion")
    return redirect(f"/ideen/{idea_id}#beitrag-{comment.id}", flash=_("Ihr Kommentar ist veröffentlicht."))


def _discussion(request: Request, session: Session, section_id: int, user: User | None, **extra) -> dict:
    section, version = service.section_and_current_version(session, section_id=section_id)
    discussion = views.build(session, section=section, version=version, user=user, is_current=True,
                             params=views.Params.parse(request.query_params))
    for key, value in extra.items():
        setattr(discussion, key, value)
    return {"discussion": discussion, "section": section, "version": version}


@router.get("/abschnitte/{section_id}/beitrag-schreiben", name="comment_write")
def write(request: Request, section_id: int, session: SessionDep, user: OptionalUser, paragraph: str = "",
          parent_id: str = ""):
    """The comment form on a page of its own (also where a failed plain post shows its errors)."""
    context = _discussion(request, session, section_id, user,
                          values={"paragraph": paragraph, "parent_id": parent_id, "alignment": "note"})
    return render(request, "discussion/write.html", context)


@router.post("/abschnitte/{section_id}/beitraege", name="comment_post")
def post_comment(request: Request, section_id: int, session: SessionDep, user: OptionalUser,
                 body: str = Form(""), paragraph: str = Form(""), quote: str = Form(""), alignment: str = Form("note"),
                 parent_id: str = Form("")):
    values = {"body": body, "paragraph": paragraph, "quote": quote, "alignment": alignment, "parent_id": parent_id}
    try:
        if user is None:
            raise Invalid(_("Bitte melden Sie sich an, um sich zu beteiligen."))
        data = parse(CommentIn, {**values, "parent_id": parent_id or None})
        comment = service.post_comment(session, user=user, section_id=section_id, data=data)
    except DomainError as exc:
        context = _discussion(request, session, section_id, user, values=values, errors=dict(exc.errors),
                              message=exc.message, failed=True)
        if htmx.wants_fragment(request):  # htmx swaps 2xx only: the form comes back with its messages
            return render(request, TEMPLATE, context, block="discussion")
        return render(request, "discussion/write.html", context, status_code=exc.status)
    if htmx.wants_fragment(request):
        context = _discussion(request, session, section_id, user)
        context["discussion"].message = _("Ihr Beitrag ist veröffentlicht.")
        context["discussion"].show_focus_on(comment.id)
        return render(request, TEMPLATE, context, block="discussion")
    return redirect(f"{notify.section_url(section_id)}#beitrag-{comment.id}",
                    flash=_("Ihr Beitrag ist veröffentlicht."))


@router.get("/beitraege/{comment_id}/bearbeiten", name="comment_edit")
def edit_form(request: Request, comment_id: int, session: SessionDep, user: CurrentUser):
    comment = service.editable_comment(session, user=user, comment_id=comment_id)
    return render(request, "discussion/edit.html", {"comment": comment, "errors": {},
                                                    "values": {"body": comment.body, "alignment": comment.alignment}})


@router.post("/beitraege/{comment_id}/bearbeiten")
def edit(request: Request, comment_id: int, session: SessionDep, user: CurrentUser, body: str = Form(""),
         alignment: str = Form("")):
    values = {"body": body, "alignment": alignment}
    try:
        comment = service.edit_comment(session, user=user, comment_id=comment_id,
                                       data=parse(CommentEditIn, {"body": body, "alignment": alignment or None}))
    except DomainError as exc:
        return render(request, "discussion/edit.html", {
            "comment": service.get_comment(session, comment_id), "errors": dict(exc.errors), "message": exc.message,
            "values": values}, status_code=exc.status)
    return redirect(_back(comment), flash=_("Ihr Beitrag ist geändert."))


@router.post("/beitraege/{comment_id}/zurueckziehen", name="comment_withdraw")
def withdraw(comment_id: int, session: SessionDep, user: CurrentUser):
    comment = service.withdraw_comment(session, user=user, comment_id=comment_id)
    return redirect(_back(comment), flash=_("Der Beitrag ist zurückgezogen."))


def _back(comment) -> str:
    if comment.section_id:
        return f"{notify.section_url(comment.section_id)}#beitrag-{comment.id}"
    return f"/ideen/{comment.idea_id}#beitrag-{comment.id}"


@router.post("/stimmen", name="vote")
@quick
def vote(request: Request, session: SessionDep, user: CurrentUser, target: str = Form(""),
         target_id: int = Form(0), value: int = Form(0), next: str = Form("/")):
    try:
        counts = votes.toggle_vote(session, user=user, target=VoteTarget(target), target_id=target_id, value=value)
    except ValueError:
        raise Invalid(_("Unbekanntes Abstimmungsziel.")) from None
    except DomainError as exc:
        if htmx.wants_fragment(request):
            return render(request, TEMPLATE, {"v": {"target": target, "target_id": target_id, "up": None},
                                              "vote_allowed": False, "vote_error": exc.message}, block="votes")
        return redirect(safe_next(next), flash=exc.message)
    if htmx.wants_fragment(request):
        return render(request, TEMPLATE, {"v": counts, "vote_allowed": True, "next_url": safe_next(next),
                                          "vote_focus": value}, block="votes")
    return redirect(safe_next(next), flash=_("Ihre Stimme ist gezählt.") if counts["mine"] else
                    _("Ihre Stimme ist zurückgenommen."))


# --- contributions recorded from outside the platform (lead, facilitators) ---------------------------

def _record_page(request: Request, session: Session, section_id: int, user: User | None, values: dict,
                 errors: dict | None = None, message: str = "", status_code: int = 200):
    section, version, paragraphs, events = service.record_form(session, section_id=section_id, user=user)
    options = [(p.anchor, _("Absatz {n}").format(n=p.position) + ": " + (p.text[:70] + ("…" if len(p.text) > 70
                                                                                       else ""))) for p in paragraphs]
    return render(request, "discussion/record.html", {
        "section": section, "version": version, "paragraphs": options, "values": values, "errors": errors or {},
        "events": events,
        "message": message, "sources": [(k, _(v)) for k, v in offline.SOURCE_LABELS.items() if k != offline.ONLINE],
        "alignments": [(k, _(v)) for k, v in views.ALIGNMENT_LABELS.items()]}, status_code=status_code)


@router.get("/abschnitte/{section_id}/beitrag-erfassen", name="comment_record")
def record(request: Request, section_id: int, session: SessionDep, user: CurrentUser, werkstatt: str = ""):
    """The form in which the lead or a facilitator records what was said in a Werkstatt, written in a letter or
    an e-mail, or said on the phone or at an information stand, on behalf of the participants
    (`?werkstatt=<id>`: from that event)."""
    event_id = werkstatt if werkstatt.isdigit() and len(werkstatt) < 10 else ""
    return _record_page(request, session, section_id, user,
                        {"alignment": "note", "source_kind": "werkstatt", "event_id": event_id})


@router.post("/abschnitte/{section_id}/beitrag-erfassen")
def record_post(request: Request, section_id: int, session: SessionDep, user: CurrentUser,
                body: str = Form(""), paragraph: str = Form(""), quote: str = Form(""),
                alignment: str = Form("note"), source_kind: str = Form(""), event_id: str = Form(""),
                source_label: str = Form(""), source_date: str = Form(""), source_author: str = Form("")):
    values = {"body": body, "paragraph": paragraph, "quote": quote, "alignment": alignment,
              "source_kind": source_kind, "event_id": event_id, "source_label": source_label,
              "source_date": source_date, "source_author": source_author}
    try:
        data = parse(CommentIn, {"body": body, "paragraph": paragraph, "quote": quote, "alignment": alignment,
                                 "source": {"kind": source_kind, "event_id": event_id or None, "label": source_label,
                                            "date": source_date or None, "author": source_author}})
        comment = service.record_comment(session, user=user, section_id=section_id, data=data)
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        errors = {field.replace(".", "_"): text for field, text in exc.errors}
        return _record_page(request, session, section_id, user, values, errors, exc.message, exc.status)
    return redirect(f"{notify.section_url(section_id)}#beitrag-{comment.id}",
                    flash=_("Der Beitrag ist erfasst: {source}.").format(source=offline.marker(comment)))


def event_extension(request: Request, session: Session, event) -> str:
    """On a Werkstatt's page: the contributions recorded from it and, once it has begun, for the project lead and
    facilitators the way to record more."""
    found = service.recorded_from_event(session, event.id)
    may_record = (offline.can_record(getattr(request.state, "user", None)) and not event.cancelled
                  and event.starts_at <= utcnow())
    if not found.total and not may_record:
        return ""
    return templating.env.get_template("discussion/_event_contributions.html").render(
        found=found, event=event, may_record=may_record, url=templating.url,
        record_href=templating.url("record_hub") + f"?werkstatt={event.id}")


@router.get("/beitraege-erfassen", name="record_hub")
def record_hub(request: Request, session: SessionDep, user: CurrentUser, werkstatt: str = ""):
    """Where the project lead and facilitators start recording contributions from outside the platform: an idea
    for a Stadtteil, or a comment on a section (`?werkstatt=<id>`: from that Werkstatt)."""
    refusal = offline.record_refusal(user)
    if refusal:
        raise refusal
    event_id = werkstatt if werkstatt.isdigit() and len(werkstatt) < 10 else ""
    return render(request, "discussion/record_hub.html", {
        "sections": ideas_service.section_choices(session), "event_id": event_id,
        "event": service.recording_event(session, event_id)})


# --- Änderungsvorschläge (issue 16) -------------------------------------------------------------

def _amendment_context(request: Request, session: Session, section_id: int, user: User | None, anchor: str,
                       **extra) -> dict:
    context = _discussion(request, session, section_id, user)
    paragraphs = context["discussion"].paragraphs
    context["paragraph"] = next((p for p in paragraphs if p.anchor == anchor), None)
    context["kind_labels"] = amendments.KIND_LABELS
    context.update(extra)
    return context


@router.get("/abschnitte/{section_id}/aenderungsvorschlag", name="amendment_write")
def amendment_write(request: Request, section_id: int, session: SessionDep, user: OptionalUser, absatz: str = ""):
    """Propose wording for a paragraph: the form starts with the paragraph's text (works without script)."""
    context = _amendment_context(request, session, section_id, user, absatz[:16])
    paragraph = context["paragraph"]
    context["values"] = {"paragraph": absatz, "position": "replace", "text": paragraph.text if paragraph else "",
                         "reason": ""}
    context["errors"] = {}
    return render(request, "discussion/amendment_write.html", context)


@router.post("/abschnitte/{section_id}/aenderungsvorschlaege", name="amendment_post")
def amendment_post(request: Request, section_id: int, session: SessionDep, user: OptionalUser,
                   paragraph: str = Form(""), position: str = Form("replace"), text: str = Form(""),
                   reason: str = Form("")):
    values = {"paragraph": paragraph, "position": position, "text": text, "reason": reason}
    try:
        if user is None:
            raise Invalid(_("Bitte melden Sie sich an, um sich zu beteiligen."))
        comment = amendments.post_amendment(session, user=user, section_id=section_id,
                                            data=parse(AmendmentIn, values))
    except DomainError as exc:
        context = _amendment_context(request, session, section_id, user, paragraph[:16], values=values,
                                     errors=dict(exc.errors), message=exc.message)
        return render(request, "discussion/amendment_write.html", context, status_code=exc.status)
    return redirect(f"{notify.section_url(section_id)}#beitrag-{comment.id}",
                    flash=_("Ihr Änderungsvorschlag ist veröffentlicht."))


def _adopt_context(session: Session, comment_id: int, user: User | None, **extra) -> dict:
    amendments.check_may_adopt(user)
    amendment = amendments.get_amendment(session, comment_id)
    draft = documents_service.get_draft(session, section_id=amendment.section_id)
    merged = amendments.adopted_body(draft.body, amendment)
    return {"amendment": amendment, "draft": draft, "automatic": merged is not None,
            "draft_paragraph": amendments.draft_paragraph(draft.body, amendment) if merged is None else None,
            "diff_html": amendments.diff_html(amendment.amendment, amendment.base_text, amendment.proposed_text),
            "section": documents_service.get_section(session, amendment.section_id),
            "kind_labels": amendments.KIND_LABELS, "errors": {}, **extra}


@router.get("/beitraege/{comment_id}/uebernehmen", name="amendment_adopt")
def amendment_adopt_form(request: Request, comment_id: int, session: SessionDep, user: CurrentUser):
    """The lead takes a proposal into the draft: one button when the draft still holds the paragraph as proposed
    against; else both texts and the whole draft to merge by hand."""
    return render(request, "discussion/amendment_adopt.html", _adopt_context(session, comment_id, user))


@router.post("/beitraege/{comment_id}/uebernehmen")
def amendment_adopt(request: Request, comment_id: int, session: SessionDep, user: CurrentUser,
                    revision: str = Form(""), body: str | None = Form(None)):
    try:
        data = parse(AdoptIn, {"revision": revision or None, "body": body})
        comment, _draft = amendments.adopt(session, user=user, amendment_id=comment_id, data=data)
    except DomainError as exc:
        session.rollback()
        context = _adopt_context(session, comment_id, user, message=exc.message, errors=dict(exc.errors),
                                 body=body)
        return render(request, "discussion/amendment_adopt.html", context, status_code=exc.status)
    return redirect(f"/abschnitte/{comment.section_id}/entwurf",
                    flash=_("Der Änderungsvorschlag #{id} ist in den Entwurf übernommen. Er gilt als berücksichtigt, "
                            "sobald Sie die nächste Fassung veröffentlichen.").format(id=comment.id))


def publish_extension(session: Session, section: Section) -> dict:
    """Context for the leads' publish page: the adopted Änderungsvorschläge this version will take up."""
    ids = amendments.pending_adopted(session, section.id)
    return {"adopted_amendments": ids}
