"""JSON API of rounds: list, create, edit and change state."""

from typing import Annotated

from fastapi import Depends, Query

from app.accounts.models import Role, User
from app.deps import SessionDep, api_router, require_roles
from app.rounds import service
from app.rounds.schemas import RoundIn, RoundOut
from app.schemas import Page

router = api_router(tags=["rounds"])
Lead = Annotated[User, Depends(require_roles(Role.lead, Role.admin))]


@router.get("/rounds", response_model=Page[RoundOut])
def list_rounds(session: SessionDep, page: int = Query(1, ge=1, le=100_000),
                per_page: int = Query(50, ge=1, le=200)):
    rows, total = service.list_rounds(session, page=page, per_page=per_page)
    ids = service.section_ids_by_round(session, [r.id for r in rows])
    return Page(items=[RoundOut(**service.to_out(session, r, ids=ids[r.id])) for r in rows],
                page=page, per_page=per_page, total=total)


@router.post("/rounds", status_code=201, response_model=RoundOut)
def create_round(data: RoundIn, lead: Lead, session: SessionDep):
    return RoundOut(**service.to_out(session, service.create_round(session, actor=lead, data=data)))


@router.get("/rounds/{round_id}", response_model=RoundOut)
def get_round(round_id: int, session: SessionDep):
    return RoundOut(**service.to_out(session, service.get_round(session, round_id)))


@router.put("/rounds/{round_id}", response_model=RoundOut)
def update_round(round_id: int, data: RoundIn, lead: Lead, session: SessionDep):
    return RoundOut(**service.to_out(session, service.update_round(session, actor=lead, round_id=round_id,
                                                                   data=data)))


def _state_route(action: str):
    def change(round_id: int, lead: Lead, session: SessionDep) -> RoundOut:
        return RoundOut(**service.to_out(session, service.change_state(session, actor=lead, round_id=round_id,
                                                                       action=action)))
    change.__name__ = f"{action}_round"
    return change


for _action in ("open", "close", "evaluate"):
    router.add_api_route(f"/rounds/{{round_id}}/{_action}", _state_route(_action), methods=["POST"],
                         response_model=RoundOut)
