"""Pages of exports: the printable Abwägungstabelle of a round and its downloads for logged-in browsers."""

from fastapi import Request
from fastapi.responses import StreamingResponse

from app.deps import OptionalUser, SessionDep, page_router
from app.exports import abwaegung
from app.web.templating import render

router = page_router()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


@router.get("/runden/{round_id}/abwaegungstabelle", name="abwaegungstabelle")
def printable(request: Request, round_id: int, session: SessionDep, user: OptionalUser):
    table = abwaegung.table(session, round_id=round_id, viewer=user)
    return render(request, "exports/abwaegungstabelle.html",
                  {"table": table, "columns": abwaegung.COLUMNS, "cell": abwaegung.as_text,
                   "column_keys": abwaegung.KEYS})


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
