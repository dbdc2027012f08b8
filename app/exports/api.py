"""JSON/file API of exports: the Abwägungstabelle of a round (CSV, XLSX) and the platform backup and move."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.accounts.models import Role, User
from app.db import streaming_session
from app.deps import OptionalUser, SessionDep, api_router, require_roles
from app.exports import abwaegung, abwaegung_import, backup
from app.exports.abwaegung_import import ImportReportOut
from app.models import metadata

router = api_router(tags=["exports"])
Admin = Annotated[User, Depends(require_roles(Role.admin))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


@router.get("/rounds/{round_id}/responses.csv", response_class=StreamingResponse,
            summary="Abwägungstabelle as CSV (UTF-8 with BOM, `;`)")
def responses_csv(round_id: int, session: SessionDep, user: OptionalUser):
    table = abwaegung.table(session, round_id=round_id, viewer=user)  # may it be seen, and its name
    return StreamingResponse(abwaegung.streamed(round_id=round_id, viewer=user,
                                                chunks=lambda t: abwaegung.csv_chunks(t.rows)),
                             media_type="text/csv; charset=utf-8",
                             headers=_attachment(f"{table.filename}.csv"))


@router.get("/rounds/{round_id}/responses.xlsx", response_class=StreamingResponse,
            summary="Abwägungstabelle as XLSX")
def responses_xlsx(round_id: int, session: SessionDep, user: OptionalUser):
    table = abwaegung.table(session, round_id=round_id, viewer=user)  # may it be seen, and its name
    return StreamingResponse(abwaegung.streamed(round_id=round_id, viewer=user,
                                                chunks=lambda t: abwaegung.xlsx_chunks(t.rows, title=t.round.title)),
                             media_type=XLSX,
                             headers=_attachment(f"{table.filename}.xlsx"))


@router.post("/rounds/{round_id}/responses.xlsx", response_model=ImportReportOut,
             summary="Import Stellungnahmen from the Abwägungstabelle's XLSX (lead)",
             openapi_extra={"requestBody": {"required": True, "description": "the XLSX file's bytes", "content": {
                 "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
             responses={422: {"description": "The file or some rows are wrong: nothing was written; `errors` "
                                             "names each row („Zeile 5 (Nr. 12)“) and what is wrong."}})
async def import_responses(round_id: int, request: Request, user: OptionalUser, session: SessionDep,
                           dry_run: bool = False):
    """The lead fills the columns „Stellungnahme“ and „Status“ of the downloaded XLSX offline and uploads it
    (the file as the request body). The whole file is checked first; on any error nothing is written.
    `dry_run=true` only checks and reports."""
    body = await request.body()
    report = await run_in_threadpool(lambda: abwaegung_import.import_answers(
        session, round_id=round_id, actor=user, data=body, dry_run=dry_run))
    return report.as_dict()


def _export_stream():
    with streaming_session() as session:  # the request's session ends before the response streams
        yield from backup.export_chunks(session, metadata=metadata)


@router.get("/export", response_class=StreamingResponse, summary="The whole platform as JSON (admin)")
async def export_platform(admin: Admin):
    return StreamingResponse(_export_stream(), media_type="application/json",
                             headers=_attachment("quartierswerkstatt-export.json"))


@router.post("/import", summary="Load a platform export into an empty platform (admin)")
async def import_platform(request: Request, admin: Admin, session: SessionDep) -> dict:
    body = await request.body()
    counts = await run_in_threadpool(lambda: backup.import_platform(session, actor=admin, document=body,
                                                                    metadata=metadata))
    return {"imported": counts, "rows": sum(counts.values())}
