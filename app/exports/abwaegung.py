"""The Abwägungstabelle of a round: every contribution with its response, as rows for CSV, XLSX and HTML.

Rows are produced in batches (keyset pagination per section, then the ideas), so memory stays bounded
however many contributions a round has. Everyone gets the public table; the lead and the moderation
also get hidden contributions, marked as such.
"""

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.db import streaming_session
from app.discussion.models import Comment
from app.documents import service as documents
from app.documents.models import Document, Paragraph, SectionVersion
from app.ideas.models import Idea
from app.quartiere.models import Quarter
from app.responses import policy
from app.responses import service as responses
from app.rounds import service as rounds
from app.rounds.models import Round
from app.web.i18n import BERLIN
from app.web.i18n import gettext as _

COLUMNS = ("Nr.", "Abschnitt", "Fassung", "Absatz", "Zitat", "Beitrag", "Verfasser*in", "Datum",
           "Zustimmungen/Einwände", "Stellungnahme", "Status", "umgesetzt in Fassung")
WIDTHS = (6, 28, 8, 8, 30, 60, 28, 12, 14, 60, 22, 12)
BATCH = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    round: Round
    full: bool  # hidden contributions included (lead, moderation)
    rows: Iterator[list]

    @property
    def filename(self) -> str:
        return f"abwaegungstabelle-runde-{self.round.id}"


def _date(value) -> str:
    return value.astimezone(BERLIN).strftime("%d.%m.%Y")


def _contribution_text(item, body: str) -> str:
    if getattr(item, "erased", False):
        return _("Text auf Wunsch der Person entfernt")
    if item.hidden_at is not None:
        return f"[{_('Ausgeblendet')}: {item.hidden_reason or ''}] {body}"
    return body


# --- Änderungsvorschläge (issue 16, helper h7): an amendment is a comment row; its proposed wording follows the
# reason in the "Beitrag" cell. (A "Haltung" column would read "Änderungsvorschlag" when comment.amendment is set.)

AMENDMENT_LABELS = {"replace": "Änderungsvorschlag (neuer Wortlaut des Absatzes)",
                    "after": "Änderungsvorschlag (neuer Absatz nach diesem Absatz)"}


def _with_amendment(comment) -> str:
    if not getattr(comment, "amendment", None) or comment.proposed_text is None:
        return comment.body
    return f"{comment.body}\n\n{AMENDMENT_LABELS.get(comment.amendment, 'Änderungsvorschlag')}: {comment.proposed_text}"


class _Lookups:
    """Version numbers, paragraph positions and response versions, loaded once per version."""

    def __init__(self, session: Session):
        self.session = session
        self.versions: dict[int, SectionVersion] = {}
        self.positions: dict[tuple[int, str], int] = {}

    def load_versions(self, ids: set[int]) -> None:
        missing = {i for i in ids if i and i not in self.versions}
        if not missing:
            return
        for v in self.session.exec(select(SectionVersion).where(col(SectionVersion.id).in_(missing))).all():
            self.versions[v.id] = v
        for vid, anchor, position in self.session.exec(
                select(Paragraph.version_id, Paragraph.anchor, Paragraph.position)
                .where(col(Paragraph.version_id).in_(missing))).all():
            self.positions[(vid, anchor)] = position

    def number(self, version_id: int | None) -> int | str:
        v = self.versions.get(version_id) if version_id else None
        return v.number if v else ""


def _rows(session: Session, round_: Round, *, include_hidden: bool, batch: int) -> Iterator[list]:
    document = session.get(Document, round_.document_id)
    in_round = set(rounds.section_ids(session, round_.id))
    labels = [(c.id, f"{c.label} {c.title}".strip()) for c in documents.list_sections(session, document.slug)
              if c.id in in_round] if document else []
    lookups = _Lookups(session)
    number = 0
    for section_id, label in labels:
        last = 0
        while True:
            pairs = session.exec(
                select(Comment, User).join(User, User.id == Comment.author_id)
                .where(Comment.section_id == section_id, Comment.id > last,
                       *responses.comment_conditions(round_id=round_.id, include_hidden=include_hidden))
                .order_by(Comment.id).limit(batch)).all()
            if not pairs:
                break
            last = pairs[-1][0].id
            answers = responses.current_map(session, comment_ids=[c.id for c, _u in pairs])
            lookups.load_versions({c.section_version_id for c, _u in pairs}
                                  | {r.version_id for r in answers.values() if r.version_id})
            for comment, author in pairs:
                number += 1
                answer = answers.get(("comment", comment.id))
                yield [number, label, lookups.number(comment.section_version_id),
                       lookups.positions.get((comment.section_version_id, comment.paragraph_anchor), "")
                       if comment.paragraph_anchor else "",
                       (comment.quote or "") if comment.hidden_at is None or include_hidden else "",
                       _contribution_text(comment, _with_amendment(comment)), responses.author_label(author),
                       _date(comment.created_at), f"{comment.up_count} / {comment.down_count}",
                       answer.text if answer else "", responses.status_label(answer.status) if answer else "",
                       lookups.number(answer.version_id) if answer else ""]
            for comment, _u in pairs:  # keep the identity map small between batches
                session.expunge(comment)
    section_labels = dict(labels)
    last = 0
    while True:
        rows = session.exec(
            select(Idea, User, Quarter).join(User, User.id == Idea.author_id)
            .join(Quarter, Quarter.id == Idea.quarter_id)
            .where(Idea.id > last, *responses.idea_conditions(round_id=round_.id, include_hidden=include_hidden))
            .order_by(Idea.id).limit(batch)).all()
        if not rows:
            break
        last = rows[-1][0].id
        answers = responses.current_map(session, idea_ids=[i.id for i, _u, _q in rows])
        lookups.load_versions({r.version_id for r in answers.values() if r.version_id})
        for idea, author, quarter in rows:
            number += 1
            answer = answers.get(("idea", idea.id))
            place = _("Idee aus {quarter}").format(quarter=quarter.name)
            where = f"{section_labels[idea.section_id]} ({place})" if idea.section_id in section_labels else place
            yield [number, where, "", "", "", _contribution_text(idea, f"{idea.title}: {idea.body}"),
                   responses.author_label(author), _date(idea.created_at), f"{idea.support_count} / 0",
                   answer.text if answer else "", responses.status_label(answer.status) if answer else "",
                   lookups.number(answer.version_id) if answer else ""]
        for idea, _u, _q in rows:
            session.expunge(idea)


def table(session: Session, *, round_id: int, viewer: User | None, batch: int = BATCH) -> Table:
    """The rows of a round's Abwägungstabelle for this viewer (a lazy iterator)."""
    round_ = rounds.get_round(session, round_id)
    full = policy.sees_hidden(viewer)
    return Table(round=round_, full=full, rows=_rows(session, round_, include_hidden=full, batch=batch))


def streamed(*, round_id: int, viewer: User | None, chunks: Callable[[Table], Iterator[bytes]]) -> Iterator[bytes]:
    """The table in a format's chunks, read through a session of its own: a response streams after the
    request's session has ended (app/db.py), and the rows are read while it streams."""
    with streaming_session() as session:
        yield from chunks(table(session, round_id=round_id, viewer=viewer))


# --- formats -------------------------------------------------------------------------------------

def neutralise(value):
    """Spreadsheet formula injection: text that a spreadsheet would run as a formula is prefixed with '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(rows: Iterator[list], *, every: int = 500) -> Iterator[bytes]:
    """UTF-8 with BOM and `;` as German Excel expects; yields every few hundred rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for i, row in enumerate(rows, start=1):
        writer.writerow([neutralise(v) for v in row])
        if i % every == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _xlsx_cell(sheet, value, *, wrap: Alignment | None = None):
    """A plain value where possible (fast); a cell object for wrapped text and for text starting with "="."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    formula = value.startswith("=")
    if not formula and (wrap is None or len(value) < 40):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if formula:
        cell.data_type = "s"  # text, never a formula
    if wrap is not None:
        cell.alignment = wrap
    return cell


def xlsx_file(rows: Iterator[list], *, title: str) -> str:
    """Write the table with openpyxl's write-only mode (rows go to disk as they come); returns a temp path."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Abwägungstabelle")
    for i, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v, wrap=wrap if i in (4, 5, 9) else None) for i, v in enumerate(row)])
    workbook.properties.title = title[:200]
    handle, path = tempfile.mkstemp(prefix="qw-abwaegung-", suffix=".xlsx")
    os.close(handle)
    workbook.save(path)
    return path


def file_chunks(path: str, *, size: int = 64 * 1024) -> Iterator[bytes]:
    """Stream a temporary file and remove it afterwards."""
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(size):
                yield chunk
    finally:
        os.unlink(path)


def xlsx_chunks(rows: Iterator[list], *, title: str) -> Iterator[bytes]:
    yield from file_chunks(xlsx_file(rows, title=title))
