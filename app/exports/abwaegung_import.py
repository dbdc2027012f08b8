"""Import of Stellungnahmen from the Abwägungstabelle's XLSX: the lead downloads the table, fills the columns
"Stellungnahme" and "Status" offline (with the offices), and uploads the same file.

The file is checked as a whole first; every row gets a line in the report (changed, unchanged, empty, or what is
wrong); on any error nothing is written. Hostile files are refused before openpyxl parses them: the upload's
size, the number and uncompressed size of the ZIP's members and their compression ratio (zip bombs) are bounded,
XML is parsed by openpyxl through defusedxml (entity expansion), and only the first rows and columns are read.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Literal

from openpyxl import load_workbook
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session, select

from app.accounts.models import User
from app.discussion.models import Comment
from app.errors import DomainError, Forbidden, Invalid
from app.exports.abwaegung import IDEA_PREFIX
from app.ideas.models import Idea
from app.responses import policy
from app.responses import service as responses
from app.responses.models import STATUS_LABELS
from app.responses.schemas import MAX_TEXT, ResponseIn
from app.rounds import service as rounds
from app.web.i18n import gettext as _

MAX_BYTES = 5_000_000            # the upload (the request body limit QW_MAX_BODY_BYTES may be lower)
MAX_UNCOMPRESSED = 60_000_000    # all members of the XLSX (ZIP) together, unpacked
MAX_MEMBERS = 200
MAX_RATIO = 150                  # unpacked / packed size of one member
MAX_ROWS = 20_000
MAX_COLUMNS = 60
NUMBER = re.compile(r"^#?\s*(\d{1,12})$")
IDEA_NUMBER = re.compile(rf"^{IDEA_PREFIX.strip()}\s*#?\s*(\d{{1,12}})$", re.IGNORECASE)


@dataclass
class RowResult:
    row: int          # the spreadsheet's row number (the header is row 1)
    nr: str
    outcome: str      # changed | unchanged | empty | error
    message: str = ""


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    written: bool = False

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.outcome == "error"]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    def as_dict(self) -> dict:
        return {"written": self.written, "changed": self.count("changed"), "unchanged": self.count("unchanged"),
                "empty": self.count("empty"), "errors": len(self.errors),
                "rows": [{"row": r.row, "nr": r.nr, "outcome": r.outcome, "message": r.message} for r in self.rows]}


def _refuse(message: str):
    raise Invalid(message, errors=[("file", message)])


def _checked_zip(data: bytes) -> None:
    if not data:
        _refuse(_("Bitte eine Datei auswählen."))
    if len(data) > MAX_BYTES:
        _refuse(_("Die Datei ist zu groß (höchstens {mb} MB).").format(mb=MAX_BYTES // 1_000_000))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse(_("Die Datei ist keine Excel-Datei (XLSX)."))
    if len(members) > MAX_MEMBERS:
        _refuse(_("Die Datei enthält zu viele Teile für eine Abwägungstabelle."))
    total = 0
    for m in members:
        total += m.file_size
        if m.file_size > MAX_UNCOMPRESSED or total > MAX_UNCOMPRESSED or \
                (m.compress_size and m.file_size / m.compress_size > MAX_RATIO and m.file_size > 1_000_000):
            _refuse(_("Die Datei ist entpackt zu groß; sie wird nicht gelesen."))


def _cells(data: bytes) -> tuple[list, list[tuple[int, tuple]]]:
    """The header and the data rows (row number, values) of the table's sheet."""
    _checked_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors) for broken files
        _refuse(_("Die Datei ist keine lesbare Excel-Datei (XLSX)."))
    try:
        sheet = workbook["Abwägungstabelle"] if "Abwägungstabelle" in workbook.sheetnames else workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        header = list(next(rows, None) or [])
        body = []
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                _refuse(_("Die Tabelle hat mehr als {n} Zeilen.").format(n=MAX_ROWS))
            body.append((number, values))
        return header, body
    except DomainError:
        raise
    except Exception:
        _refuse(_("Die Datei ist keine lesbare Excel-Datei (XLSX)."))
    finally:
        workbook.close()


def _column(header: list, name: str) -> int:
    names = [str(h).strip() if h is not None else "" for h in header]
    if name not in names:
        _refuse(_("Die Spalte „{name}“ fehlt. Bitte die heruntergeladene Abwägungstabelle verwenden.").format(
            name=name))
    return names.index(name)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _target(nr: str) -> tuple[str, int] | None:
    if m := NUMBER.match(nr):
        return "comment", int(m.group(1))
    if m := IDEA_NUMBER.match(nr):
        return "idea", int(m.group(1))
    return None


def _statuses() -> dict[str, str]:
    """Status cell → value: the German labels (as exported), their translation, and the API values."""
    known = {}
    for value, label in STATUS_LABELS.items():
        known[label.casefold()] = value
        known[_(label).casefold()] = value
        known[value] = value
    return known


def _round_targets(session: Session, round_id: int) -> set[tuple[str, int]]:
    """The contributions of the round's table that can be answered (visible, not withdrawn)."""
    comments = session.exec(select(Comment.id).join(User, User.id == Comment.author_id).where(
        *responses.comment_conditions(round_id=round_id, include_hidden=False))).all()
    ideas = session.exec(select(Idea.id).where(
        *responses.idea_conditions(round_id=round_id, include_hidden=False))).all()
    return {("comment", i) for i in comments} | {("idea", i) for i in ideas}


def import_answers(session: Session, *, round_id: int, actor: User | None, data: bytes,
                   dry_run: bool = False) -> ImportReport:
    """Check the whole file, then write every changed Stellungnahme in one transaction (or nothing).
    Raises Invalid (with one error per wrong row) when anything is wrong; `dry_run` only checks."""
    if not policy.can_respond(actor):
        raise Forbidden(_("Nur die Projektleitung gibt Stellungnahmen ab."))
    rounds.get_round(session, round_id)  # 404 for an unknown round
    header, body = _cells(data)
    if not header:
        _refuse(_("Die Tabelle ist leer."))
    nr_col, text_col, status_col = (_column(header, "Nr."), _column(header, "Stellungnahme"),
                                    _column(header, "Status"))
    targets = _round_targets(session, round_id)
    statuses = _statuses()
    report = ImportReport()
    planned: list[tuple[str, int, ResponseIn]] = []
    seen: dict[tuple[str, int], int] = {}
    parsed = []
    for number, values in body:
        def cell(i, values=values):
            return _text(values[i]) if i < len(values) else ""
        parsed.append((number, cell(nr_col), cell(text_col), cell(status_col)))
    wanted = [_target(nr) for _n, nr, _t, _s in parsed]
    current = responses.current_map(session, comment_ids=[i for k, i in filter(None, wanted) if k == "comment"],
                                    idea_ids=[i for k, i in filter(None, wanted) if k == "idea"])
    for (number, nr, text, status), target in zip(parsed, wanted, strict=True):
        if not nr and not text and not status:
            continue  # a blank line
        if not text and not status:  # nothing to import (also for rows hidden or withdrawn since the download)
            report.rows.append(RowResult(number, nr, "empty"))
            continue
        if target is None:
            report.rows.append(RowResult(number, nr, "error", _("Unbekannte Nummer „{nr}“ in der Spalte „Nr.“.")
                                         .format(nr=nr[:40])))
            continue
        if target in seen:
            report.rows.append(RowResult(number, nr, "error", _("Diese Nummer steht schon in Zeile {row}.")
                                         .format(row=seen[target])))
            continue
        seen[target] = number
        if target not in targets:
            report.rows.append(RowResult(number, nr, "error", _(
                "Dieser Beitrag gehört nicht zu dieser Beteiligungsrunde, ist ausgeblendet oder zurückgezogen.")))
            continue
        if not status:
            report.rows.append(RowResult(number, nr, "error", _("Zur Stellungnahme fehlt der Status.")))
            continue
        value = statuses.get(status.casefold())
        if value is None:
            report.rows.append(RowResult(number, nr, "error", _("Unbekannter Status „{status}“; möglich sind: "
                                                                  "{labels}.").format(
                status=status[:40], labels=", ".join(_(v) for v in STATUS_LABELS.values()))))
            continue
        if not text:
            report.rows.append(RowResult(number, nr, "error", _("Zum Status fehlt die Stellungnahme.")))
            continue
        if len(text) > MAX_TEXT:
            report.rows.append(RowResult(number, nr, "error", _("Die Stellungnahme ist zu lang (höchstens {n} "
                                                                  "Zeichen).").format(n=MAX_TEXT)))
            continue
        previous = current.get(target)
        try:
            answer = ResponseIn(status=value, text=text, version_id=previous.version_id if previous else None)
        except ValidationError as exc:
            report.rows.append(RowResult(number, nr, "error", _("Die Stellungnahme ist ungültig: {reason}").format(
                reason=exc.errors()[0].get("msg", ""))))
            continue
        if previous is not None and (previous.status, previous.text) == (answer.status.value, answer.text):
            report.rows.append(RowResult(number, nr, "unchanged"))
            continue
        report.rows.append(RowResult(number, nr, "changed"))
        planned.append((*target, answer))
    if report.errors:
        raise ImportRefused(report)
    if planned and not dry_run:
        responses.respond_each(session, actor=actor, items=planned, summary="Import der Abwägungstabelle")
        report.written = True
    return report


class ImportRefused(Invalid):
    """The file has wrong rows: nothing was written; the report says which and why."""

    def __init__(self, report: ImportReport):
        errors = report.errors
        super().__init__(
            _("Nichts gespeichert: {n} Zeilen der Tabelle sind fehlerhaft. Bitte korrigieren und erneut "
              "hochladen.").format(n=len(errors)) if len(errors) != 1 else
            _("Nichts gespeichert: eine Zeile der Tabelle ist fehlerhaft. Bitte korrigieren und erneut hochladen."),
            errors=[(_("Zeile {row} (Nr. {nr})").format(row=r.row, nr=r.nr or "–"), r.message) for r in errors])
        self.report = report


class RowResultOut(BaseModel):
    row: int = Field(description="row number in the spreadsheet (the header is row 1)")
    nr: str = Field(description="the contribution's number as in the column „Nr.“")
    outcome: Literal["changed", "unchanged", "empty", "error"]
    message: str


class ImportReportOut(BaseModel):
    written: bool = Field(description="false for a dry run or when nothing changed")
    changed: int
    unchanged: int
    empty: int
    errors: int
    rows: list[RowResultOut]
