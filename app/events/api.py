"""JSON API of Werkstätten: list, create and read events; register, list and cancel registrations."""

from typing import Annotated

from fastapi import Depends, Query

from app.accounts.models import Role, User
from app.deps import CurrentUser, OptionalUser, SessionDep, api_router, require_roles
from app.events import policy, service
from app.events.schemas import EventIn, EventOut, RegistrationIn, RegistrationOut
from app.schemas import Page

router = api_router(tags=["events"])
Lead = Annotated[User, Depends(require_roles(Role.lead, Role.admin))]


@router.get("/events", response_model=Page[EventOut], summary="Werkstätten, by start time")
def list_events(session: SessionDep, user: OptionalUser,
                round_id: int | None = Query(None, ge=1, le=2_147_483_647),
                district_id: int | None = Query(None, ge=1, le=2_147_483_647),
                upcoming: bool | None = Query(None, description="true: not yet over; false: over"),
                page: int = Query(1, ge=1, le=100_000), per_page: int = Query(50, ge=1, le=200)):
    rows, total = service.list_events(session, round_id=round_id, district_id=district_id, upcoming=upcoming,
                                      page=page, per_page=per_page)
    all_counts = service.counts(session, [e.id for e in rows])
    return Page(items=[EventOut(**service.to_out(session, e, user=user, count=all_counts[e.id])) for e in rows],
                page=page, per_page=per_page, total=total)


@router.post("/events", status_code=201, response_model=EventOut, summary="Create a Werkstatt (leads)")
def create_event(data: EventIn, lead: Lead, session: SessionDep):
    return EventOut(**service.to_out(session, service.create_event(session, actor=lead, data=data), user=lead))


@router.get("/events/{event_id}", response_model=EventOut)
def get_event(event_id: int, session: SessionDep, user: OptionalUser):
    return EventOut(**service.to_out(session, service.get_event(session, event_id), user=user))


@router.get("/events/{event_id}/registrations", response_model=Page[RegistrationOut],
            summary="Registrations: all of them for leads, one's own for everyone else")
def list_event_registrations(event_id: int, session: SessionDep, user: CurrentUser,
                       status: str | None = Query(None, pattern="^(confirmed|waiting|cancelled)$")):
    if policy.can_manage(user):
        rows = service.registrations(session, actor=user, event_id=event_id, status=status)
    else:
        service.get_event(session, event_id)
        mine = service.my_registration(session, event_id, user)
        rows = [mine] if mine is not None and (status is None or mine.status == status) else []
    positions = service.waiting_positions(session, event_id)
    return Page(items=[RegistrationOut(**service.registration_out(r, positions)) for r in rows],
                page=1, per_page=max(len(rows), 1), total=len(rows))


@router.post("/events/{event_id}/registrations", status_code=201, response_model=RegistrationOut,
             summary="Register for a Werkstatt (confirmed while places are free, else on the waiting list)")
def register_for_event(event_id: int, data: RegistrationIn, user: CurrentUser, session: SessionDep):
    reg = service.register(session, user=user, event_id=event_id, data=data)
    return RegistrationOut(**service.registration_out(reg, service.waiting_positions(session, event_id)))


@router.delete("/events/{event_id}/registrations", response_model=RegistrationOut,
               summary="Cancel one's own registration; the waiting list moves up")
def cancel_my_registration(event_id: int, user: CurrentUser, session: SessionDep):
    reg = service.cancel_own_registration(session, user=user, event_id=event_id)
    return RegistrationOut(**service.registration_out(reg, {}))


@router.delete("/events/{event_id}/registrations/{registration_id}", response_model=RegistrationOut,
               summary="Cancel a registration (the person or a lead); the waiting list moves up")
def cancel_event_registration(event_id: int, registration_id: int, user: CurrentUser, session: SessionDep):
    reg = service.cancel_registration(session, actor=user, event_id=event_id, registration_id=registration_id)
    return RegistrationOut(**service.registration_out(reg, {}))
