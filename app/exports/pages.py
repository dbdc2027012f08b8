"""Pages of exports: the printable Abwägungstabelle of a round and its downloads for logged-in browsers."""

from fastapi import File, Request, UploadFile
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.deps import OptionalUser, SessionDep, page_router
from app.errors import DomainError
from app.exports import abwaegung, abwaegung_import
from app.responses import policy
from app.web.templating import render

router = page_router()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


def _page(request: Request, session, round_id: int, user, status_code: int = 200, **extra):
    table = abwaegung.table(session, round_id=round_id, viewer=user)
    return render(request, "exports/abwaegungstabelle.html",
                  {"table": table, "columns": abwaegung.COLUMNS, "cell": abwaegung.as_text,
                   "column_keys": abwaegung.KEYS, "may_import": policy.can_respond(user), "report": None,
                   "import_errors": [], "import_message": "", **extra}, status_code=status_code)


@router.get("/runden/{round_id}/abwaegungstabelle", name="abwaegungstabelle")
def printable(request: Request, round_id: int, session: SessionDep, user: OptionalUser):
    return _page(request, session, round_id, user)


@router.post("/runden/{round_id}/abwaegungstabelle", name="abwaegungstabelle_import")
async def import_answers(request: Request, round_id: int, session: SessionDep, user: OptionalUser,
                         file: UploadFile = File(...)):
    """The lead uploads the XLSX with the filled columns „Stellungnahme“ and „Status“; the page shows the report."""
    data = await file.read(abwaegung_import.MAX_BYTES + 1)

    def run():
        try:
            report = abwaegung_import.import_answers(session, round_id=round_id, actor=user, data=data)
        except abwaegung_import.ImportRefused as exc:
            return _page(request, session, round_id, user, report=exc.report, import_message=exc.message,
                         import_errors=exc.errors, status_code=exc.status)
        except DomainError as exc:
            if exc.status in (401, 403, 404):
                raise
            return _page(request, session, round_id, user, import_message=exc.message, import_errors=exc.errors,
                         status_code=exc.status)
        return _page(request, session, round_id, user, report=report)

    return await run_in_threadpool(run)


@router.get("/runden/{round_id}/abwaegungstabelle.csv")
def download_csv(round_id: int, session: SessionDep, user: OptionalUser):
    table = abwaegung.table(session, round_id=round_id, viewer=user)  # may it be seen, and its name
    return StreamingResponse(abwaegung.streamed(round_id=round_id, viewer=user,
                                                chunks=lambda t: abwaegung.csv_chunks(t.rows)),
                             media_type="text/csv; charset=utf-8",
                             headers=_attachment(f"{table.filename}.csv"))


@router.get("/runden/{round_id}/abwaegungstabelle.xlsx")
def download_xlsx(round_id: int, session: SessionDep, user: OptionalUser):
    table = abwaegung.table(session, round_id=round_id, viewer=user)  # may it be seen, and its name
    return StreamingResponse(abwaegung.streamed(round_id=round_id, viewer=user,
                                                chunks=lambda t: abwaegung.xlsx_chunks(t.rows, title=t.round.title)),
                             media_type=XLSX,
                             headers=_attachment(f"{table.filename}.xlsx"))
