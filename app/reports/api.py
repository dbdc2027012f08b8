"""JSON and CSV of the participation report."""

import csv
import io

from fastapi import Query
from fastapi.responses import Response

from app.deps import SessionDep, api_router
from app.reports import service

router = api_router(tags=["reports"])


@router.get("/reports/participation", response_model=dict)
def participation(session: SessionDep, round: int | None = Query(None, ge=1)):
    """Counts by role, organisation type, district, category and day; response progress; top sections."""
    return service.participation(session, round_id=round).as_dict()


@router.get("/reports/participation.csv", response_class=Response)
def participation_csv(session: SessionDep, round: int | None = Query(None, ge=1)):
    report = service.participation(session, round_id=round)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(service.csv_rows(report))
    name = f"beteiligungsbericht-runde-{round}.csv" if round else "beteiligungsbericht.csv"
    return Response(buffer.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
