"""JSON API of Stellungnahmen: PUT (lead) and GET (everyone) the response of a comment or an idea."""

from dataclasses import asdict
from typing import Literal

from fastapi import Query

from app.deps import CurrentUser, OptionalUser, SessionDep, api_router
from app.responses import mine, service
from app.responses.schemas import MyContributionOut, ResponseIn, ResponseOut
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
                         summary=f"Set the Stellungnahme of a {_kind} (lead)")
    router.add_api_route(_path, _get(_kind), methods=["GET"], response_model=ResponseOut,
                         summary=f"The current Stellungnahme of a {_kind} with its history")


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
