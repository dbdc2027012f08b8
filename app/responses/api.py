"""JSON API of Stellungnahmen: PUT (lead) and GET (everyone) the response of a comment or an idea."""

from typing import Literal

from app.deps import CurrentUser, OptionalUser, SessionDep, api_router
from app.responses import service
from app.responses.schemas import ResponseIn, ResponseOut

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
