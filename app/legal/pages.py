"""The site pages the city edits (Impressum, Datenschutz, Barrierefreiheit, Nutzungsbedingungen, Leichte
Sprache), their version history and editing, and barrier reports (BITV 2.0 § 7)."""

from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import Response

from app.accounts.models import Role, User
from app.deps import SessionDep, page_router, require_roles
from app.errors import DomainError
from app.legal import service
from app.legal.schemas import BarrierIn, BarrierStatusIn, PageEdit
from app.quartiere.reference import ATTRIBUTION
from app.validation import parse
from app.web.i18n import gettext as _
from app.web.templating import redirect, render

router = page_router()
Admin = Annotated[User, Depends(require_roles(Role.admin))]
Staff = Annotated[User, Depends(require_roles(Role.admin, Role.moderator))]


def _ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _page(request: Request, session, slug: str, *, barrier: dict | None = None, status_code: int = 200) -> Response:
    info = service.page_info(slug)
    context = {"info": info, "version": service.current(session, slug), "slug": slug,
               "attribution": ATTRIBUTION if slug == "datenschutz" else None,
               "barrier": barrier or {"values": {}, "errors": {}, "message": None}}
    return render(request, "legal/page.html", context, status_code=status_code)


@router.get("/impressum", name="imprint")
def imprint(request: Request, session: SessionDep):
    return _page(request, session, "impressum")


@router.get("/datenschutz", name="privacy")
def privacy(request: Request, session: SessionDep):
    return _page(request, session, "datenschutz")


@router.get("/barrierefreiheit", name="accessibility")
def accessibility(request: Request, session: SessionDep):
    return _page(request, session, "barrierefreiheit")


@router.get("/nutzungsbedingungen", name="terms")
def terms(request: Request, session: SessionDep):
    return _page(request, session, "nutzungsbedingungen")


@router.get("/leichte-sprache", name="easy_language")
def easy_language(request: Request, session: SessionDep):
    return _page(request, session, "leichte-sprache")


@router.get("/seiten/{slug}/fassungen", name="site_page_history")
def history(request: Request, slug: str, session: SessionDep):
    info = service.page_info(slug)
    return render(request, "legal/history.html", {"info": info, "versions": service.versions(session, slug)})


@router.get("/seiten/{slug}/fassungen/{number}", name="site_page_version")
def version(request: Request, slug: str, number: int, session: SessionDep):
    info = service.page_info(slug)
    return render(request, "legal/version.html", {"info": info, "change": service.change(session, slug, number)})


@router.get("/verwaltung/seiten/{slug}", name="site_page_edit")
def edit_form(request: Request, slug: str, admin: Admin, session: SessionDep):
    info = service.page_info(slug)
    now = service.current(session, slug)
    return render(request, "legal/edit.html", {
        "info": info, "current": now, "consent_page": slug in service.CONSENT_PAGES, "errors": {},
        "values": {"body": now.body, "note": "", "base_version": now.number, "renews_consent": True}})


@router.post("/verwaltung/seiten/{slug}", name="site_page_save")
def save_page(request: Request, slug: str, admin: Admin, session: SessionDep, body: str = Form(""),
         note: str = Form(""), base_version: str = Form(""), renews_consent: str = Form("")):
    info = service.page_info(slug)
    values = {"body": body, "note": note, "base_version": base_version, "renews_consent": bool(renews_consent)}
    try:
        data = parse(PageEdit, {"body": body, "note": note, "base_version": base_version or 0,
                                "renews_consent": bool(renews_consent)})
        row = service.save(session, actor=admin, slug=slug, data=data)
    except DomainError as exc:
        return render(request, "legal/edit.html", {
            "info": info, "current": service.current(session, slug), "consent_page": slug in service.CONSENT_PAGES,
            "errors": dict(exc.errors), "message": exc.message, "values": values}, status_code=exc.status)
    return redirect(f"/seiten/{slug}/fassungen/{row.number}",
                    flash=_("Fassung {n} von „{title}“ ist veröffentlicht.").format(n=row.number, title=_(info.title)))


@router.post("/barrierefreiheit/melden", name="barrier_report")
def report_barrier(request: Request, session: SessionDep, page: str = Form(""), description: str = Form(""),
                   contact: str = Form("")):
    values = {"page": page, "description": description, "contact": contact}
    try:
        data = parse(BarrierIn, {"page": page, "description": description, "contact": contact or None})
        service.report_barrier(session, data=data, ip=_ip(request))
    except DomainError as exc:
        response = _page(request, session, "barrierefreiheit", status_code=exc.status,
                         barrier={"values": values, "errors": dict(exc.errors), "message": exc.message})
        if exc.status == 429:
            response.headers["Retry-After"] = str(getattr(exc, "retry_after", 60))
        return response
    return redirect("/barrierefreiheit#barriere-melden",
                    flash=_("Danke! Ihre Meldung ist angekommen. Wir kümmern uns darum."))


@router.get("/verwaltung/barrieren", name="barrier_queue")
def barrier_queue(request: Request, staff: Staff, session: SessionDep, status: str = ""):
    queue = service.barrier_queue(session, status=status or None)
    return render(request, "legal/barriers.html", {"queue": queue, "status": status,
                                                   "labels": service.BARRIER_STATUS_LABELS})


@router.post("/verwaltung/barrieren/{report_id}/status", name="barrier_status")
def barrier_status(report_id: int, staff: Staff, session: SessionDep, status: str = Form("")):
    data = parse(BarrierStatusIn, {"status": status})
    report = service.set_barrier_status(session, actor=staff, report_id=report_id, data=data)
    return redirect(f"/verwaltung/barrieren#barriere-{report.id}",
                    flash=_("Meldung #{id}: {status}.").format(id=report.id,
                                                              status=_(service.BARRIER_STATUS_LABELS[report.status])))
