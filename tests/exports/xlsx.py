"""Fill the downloaded Abwägungstabelle as a lead would offline (openpyxl), for the import tests."""

import io

from openpyxl import load_workbook


def rows(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def fill(content: bytes, answers: dict, *, extra_rows: list[dict] | None = None) -> bytes:
    """answers: {Nr. value: (Stellungnahme, Status)}; extra_rows: more rows by column name."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    nr, text, status = header.index("Nr."), header.index("Stellungnahme"), header.index("Status")
    for row in sheet.iter_rows(min_row=2):
        key = row[nr].value
        if key in answers:
            row[text].value, row[status].value = answers[key]
    for extra in extra_rows or []:
        sheet.append([extra.get(h) for h in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
