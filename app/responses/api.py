"""JSON API of Stellungnahmen: PUT (lead) and GET (everyone) the response of a comment or an idea."""

from dataclasses import asdict
from typing import Literal

from fastapi import Query

from app.db import writes
from app.deps import CurrentUser, OptionalUser, SessionDep, api_router
from app.responses import casework, mine, service
from app.responses.schemas import (
    AssignIn,
    CaseworkOut,
    GroupMemberOut,
    GroupOut,
    MyContributionOut,
    NoteIn,
    NoteOut,
    ResponseIn,
    ResponseOut,
    UnitIn,
    UnitOut,
    UnitPatch,
    UnitProgressOut,
)
from app.schemas import Page

router = api_router(tags=["responses"])
Kind = Literal["comment", "idea"]


def _put(kind: str):
    def put_response(target_id: int, data: ResponseIn, user: CurrentUser, session: SessionDep) -> ResponseOut:
        service.respond(session, actor=user, kind=kind, target_id=target_id, data=data)
        return ResponseOut(**service.response_out(session, kind=kind, target_id=target_id, viewer=user))

    put_response.__name__ = f"put_{kind}_response"
    return put_response


def _get(kind: str):
    def get_response(target_id: int, session: SessionDep, user: OptionalUser) -> ResponseOut:
        return ResponseOut(**service.response_out(session, kind=kind, target_id=target_id, viewer=user))

    get_response.__name__ = f"get_{kind}_response"
    return get_response


for _kind, _path in (("comment", "/comments/{target_id}/response"), ("idea", "/ideas/{target_id}/response")):
    router.add_api_route(_path, _put(_kind), methods=["PUT"], response_model=ResponseOut,
                         summary=f"Answer a {_kind} in one step: draft, approve and publish (lead; tells the author)")
    router.add_api_route(_path, _get(_kind), methods=["GET"], response_model=ResponseOut,
                         summary=f"The current Stellungnahme of a {_kind} with its history")


# --- the workbench of the three offices (leads; the list of units: administrators) ----------------

def _case(session, user, target: str, target_id: int) -> CaseworkOut:
    return CaseworkOut(**casework.case_out(session, viewer=user, kind=target, target_id=target_id))


@router.get("/units", response_model=list[UnitOut], tags=["workbench"], summary="Responsible units (lead, admin)")
@writes  # the three offices are made on first use
def list_responsible_units(user: CurrentUser, session: SessionDep, include_inactive: bool = False):
    return [UnitOut(id=u.id, name=u.name, active=u.active)
            for u in casework.units_for(session, viewer=user, include_inactive=include_inactive)]


@router.post("/units", status_code=201, response_model=UnitOut, tags=["workbench"], summary="Add a unit (admin)")
def add_responsible_unit(data: UnitIn, user: CurrentUser, session: SessionDep):
    unit = casework.add_unit(session, actor=user, name=data.name)
    return UnitOut(id=unit.id, name=unit.name, active=unit.active)


@router.patch("/units/{unit_id}", response_model=UnitOut, tags=["workbench"],
              summary="Rename or (de)activate a unit (admin)")
def change_responsible_unit(unit_id: int, data: UnitPatch, user: CurrentUser, session: SessionDep):
    unit = casework.change_unit(session, actor=user, unit_id=unit_id, name=data.name, active=data.active)
    return UnitOut(id=unit.id, name=unit.name, active=unit.active)


@router.get("/casework/{target}/{target_id}", response_model=CaseworkOut, tags=["workbench"],
            summary="Unit, assignee, answer draft and internal notes of a contribution (lead)")
def get_casework(target: Kind, target_id: int, user: CurrentUser, session: SessionDep):
    return _case(session, user, target, target_id)


@router.put("/casework/{target}/{target_id}", response_model=CaseworkOut, tags=["workbench"],
            summary="Assign a contribution to a unit and a lead (null clears; lead)")
def assign_casework(target: Kind, target_id: int, data: AssignIn, user: CurrentUser, session: SessionDep):
    casework.assign(session, actor=user, items=[(target, target_id)], unit_id=data.unit_id,
                    assignee_id=data.assignee_id)
    return _case(session, user, target, target_id)


@router.post("/casework/{target}/{target_id}/notes", status_code=201, response_model=NoteOut, tags=["workbench"],
             summary="Add an internal note (lead; never public)")
def add_internal_note(target: Kind, target_id: int, data: NoteIn, user: CurrentUser, session: SessionDep):
    note = casework.add_note(session, actor=user, kind=target, target_id=target_id, body=data.body)
    return NoteOut(**casework.note_out(session, note))


@router.put("/casework/{target}/{target_id}/draft", response_model=CaseworkOut, tags=["workbench"],
            summary="Save the answer draft (lead; not public)")
def save_answer_draft(target: Kind, target_id: int, data: ResponseIn, user: CurrentUser, session: SessionDep):
    casework.save_draft(session, actor=user, items=[(target, target_id)], data=data)
    return _case(session, user, target, target_id)


@router.post("/casework/{target}/{target_id}/approve", response_model=CaseworkOut, tags=["workbench"],
             summary="Approve the answer draft (lead; still not public)")
def approve_answer_draft(target: Kind, target_id: int, user: CurrentUser, session: SessionDep):
    casework.approve(session, actor=user, items=[(target, target_id)])
    return _case(session, user, target, target_id)


@router.post("/casework/{target}/{target_id}/publish", response_model=ResponseOut, tags=["workbench"],
             summary="Publish the approved draft as the Stellungnahme (lead; tells the author)")
def publish_answer_draft(target: Kind, target_id: int, user: CurrentUser, session: SessionDep):
    casework.publish(session, actor=user, items=[(target, target_id)])
    return ResponseOut(**service.response_out(session, kind=target, target_id=target_id, viewer=user))


@router.get("/rounds/{round_id}/unit-progress", response_model=list[UnitProgressOut], tags=["workbench"],
            summary="Answered and assigned contributions per unit (lead)")
def unit_progress(round_id: int, user: CurrentUser, session: SessionDep):
    return [UnitProgressOut(**p.__dict__) for p in casework.round_progress(session, viewer=user, round_id=round_id)]


@router.get("/rounds/{round_id}/similar-groups", response_model=list[GroupOut], tags=["workbench"],
            summary="Contributions that say much the same, grouped, with their shared terms (lead)")
def similar_groups(round_id: int, user: CurrentUser, session: SessionDep, open_only: bool = False):
    groups = casework.round_groups(session, viewer=user, round_id=round_id, open_only=open_only)
    return [GroupOut(number=g.number, terms=g.terms, members=[
        GroupMemberOut(target=m.kind, target_id=m.id, excerpt=m.excerpt, answered=m.answered) for m in g.members])
        for g in groups]


@router.get("/me/contributions", response_model=Page[MyContributionOut], tags=["me"],
            summary="The caller's comments, ideas and votes with their Stellungnahmen and statuses")
def my_contributions(user: CurrentUser, session: SessionDep, kind: str = Query("", max_length=16),
                     status: str = Query("", max_length=16), round: str = Query("", max_length=12),
                     page: int = Query(1, ge=1, le=10_000), per_page: int = Query(50, ge=1, le=200)):
    """Only the caller's own rows. `kind`: comment | idea | vote; `status`: open | reviewing | accepted | partly |
    rejected | noted | withdrawn | hidden; `round`: a round's id. Newest first; unknown filter values give 422."""
    result = mine.my_contributions(session, user=user, filters=mine.MyFilter(kind=kind, status=status, round=round),
                                   page=page, per_page=per_page)
    return Page(items=[MyContributionOut(**asdict(it)) for it in result.items], page=page, per_page=per_page,
                total=result.total)
