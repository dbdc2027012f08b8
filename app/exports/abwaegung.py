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
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.db import streaming_session
from app.discussion.models import Comment
from app.documents import service as documents
from app.documents.models import Document, Paragraph, SectionVersion
from app.ideas import offline
from app.ideas import service as ideas
from app.ideas.models import Idea
from app.quartiere.models import District, Quarter
from app.responses import casework, policy
from app.responses import service as responses
from app.rounds import service as rounds
from app.rounds.models import Round
from app.web.i18n import BERLIN, N_
from app.web.i18n import gettext as _


@dataclass(frozen=True)
class Column:
    name: str    # the header (German; also what the import finds its columns by)
    key: str     # the row's field
    width: int   # XLSX column width (characters)
    wrap: bool = False


# The committee's columns. "Nr." is the number the site shows (#12 for a comment; "Idee 7" for an idea).
# A column is added here and filled by its key in _comment_row/_idea_row (e.g. "Zuständigkeit" before the answer).
COLUMNS_SPEC = (
    Column("Nr.", "nr", 8),
    Column("Abschnitt", "section", 22, wrap=True),
    Column("Fassung", "version", 8),
    Column("Absatz", "paragraph", 7),
    Column("Zitat", "quote", 24, wrap=True),
    Column("Beitrag", "text", 40, wrap=True),
    Column("Haltung", "stance", 13),
    Column("Antwort auf", "reply_to", 9),
    Column("Verfasser*in", "author", 20, wrap=True),
    Column("Quelle", "source", 20, wrap=True),
    Column("Datum", "date", 11),
    Column("Stadtbezirk/Stadtteil", "place", 18, wrap=True),
    Column("Kategorie", "category", 15, wrap=True),
    Column("Zustimmungen/Einwände", "votes", 12),
    Column("Zuständigkeit", "unit", 16, wrap=True),  # the responsible office (the workbench's unit)
    Column("Stellungnahme", "answer", 40, wrap=True),
    Column("Status", "status", 16, wrap=True),
    Column("umgesetzt in Fassung", "implemented", 10),
)
COLUMNS = tuple(c.name for c in COLUMNS_SPEC)
WIDTHS = tuple(c.width for c in COLUMNS_SPEC)
KEYS = tuple(c.key for c in COLUMNS_SPEC)
WRAPPED = frozenset(i for i, c in enumerate(COLUMNS_SPEC) if c.wrap)
DATE_INDEX = KEYS.index("date")
# Haltung: the stance a comment states when it is written (Comment.alignment); proposed wording (amendments) is
# "Änderungsvorschlag"; ideas have none.
STANCES = {"support": N_("Zustimmung"), "objection": N_("Einwand"), "note": N_("Hinweis"),
           "amendment": N_("Änderungsvorschlag")}
IDEA_PREFIX = "Idee "
BATCH = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def width_percentages() -> list[float]:
    """The columns' shares of the printed page's width (the same proportions as in the XLSX)."""
    total = sum(WIDTHS)
    return [round(100 * w / total, 2) for w in WIDTHS]


def _row(**values) -> list:
    return [values.get(k, "") for k in KEYS]


def comment_number(comment_id: int) -> int:
    return comment_id


def idea_number(idea_id: int) -> str:
    return f"{IDEA_PREFIX}{idea_id}"


@dataclass
class Table:
    round: Round
    full: bool  # hidden contributions included (lead, moderation)
    rows: Iterator[list]

    @property
    def filename(self) -> str:
        return f"abwaegungstabelle-runde-{self.round.id}"


def _day(item) -> date:
    """The day of a contribution (Europe/Berlin); for one recorded from outside the platform, the day it was said
    or written."""
    if getattr(item, "source_date", None):
        return item.source_date
    return item.created_at.astimezone(BERLIN).date()


def _source(item) -> str:
    return offline.source_text(item)


def _text(value) -> str:
    """A value as text (CSV and the printable page): dates as 12.03.2026."""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return value


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


def zustaendigkeit(session: Session, *, comment_ids=(), idea_ids=()) -> dict[tuple[str, int], str]:
    """The "Zuständigkeit" column (issue 16): the responsible unit of each contribution of a batch. Only the unit's
    name; assignees, drafts and internal notes of the workbench never reach the table."""
    return casework.unit_names(session, comment_ids=comment_ids, idea_ids=idea_ids)


def _rows(session: Session, round_: Round, *, include_hidden: bool, batch: int) -> Iterator[list]:
    document = session.get(Document, round_.document_id)
    in_round = set(rounds.section_ids(session, round_.id))
    labels = [(c.id, f"{c.label} {c.title}".strip()) for c in documents.list_sections(session, document.slug)
              if c.id in in_round] if document else []
    lookups = _Lookups(session)
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
            units = zustaendigkeit(session, comment_ids=[c.id for c, _u in pairs])
            lookups.load_versions({c.section_version_id for c, _u in pairs}
                                  | {r.version_id for r in answers.values() if r.version_id})
            for comment, author in pairs:
                answer = answers.get(("comment", comment.id))
                yield _row(
                    nr=comment_number(comment.id), section=label, version=lookups.number(comment.section_version_id),
                    paragraph=lookups.positions.get((comment.section_version_id, comment.paragraph_anchor), "")
                    if comment.paragraph_anchor else "",
                    quote=(comment.quote or "") if comment.hidden_at is None or include_hidden else "",
                    text=_contribution_text(comment, _with_amendment(comment)),
                    stance=_(STANCES["amendment"] if comment.amendment else STANCES.get(comment.alignment, "")),
                    reply_to=comment.parent_id or "", author=responses.author_label(author, comment, marked=False),
                    source=_source(comment), date=_day(comment), votes=f"{comment.up_count} / {comment.down_count}",
                    unit=units.get(("comment", comment.id), ""), answer=answer.text if answer else "",
                    status=responses.status_label(answer.status) if answer else "",
                    implemented=lookups.number(answer.version_id) if answer else "")
            for comment, _u in pairs:  # keep the identity map small between batches
                session.expunge(comment)
    section_labels = dict(labels)
    last = 0
    while True:
        rows = session.exec(
            select(Idea, User, Quarter, District).join(User, User.id == Idea.author_id)
            .join(Quarter, Quarter.id == Idea.quarter_id).join(District, District.id == Quarter.district_id)
            .where(Idea.id > last, *responses.idea_conditions(round_id=round_.id, include_hidden=include_hidden))
            .order_by(Idea.id).limit(batch)).all()
        if not rows:
            break
        last = rows[-1][0].id
        answers = responses.current_map(session, idea_ids=[i.id for i, _u, _q, _d in rows])
        units = zustaendigkeit(session, idea_ids=[i.id for i, _u, _q, _d in rows])
        lookups.load_versions({r.version_id for r in answers.values() if r.version_id})
        for idea, author, quarter, district in rows:
            answer = answers.get(("idea", idea.id))
            yield _row(
                nr=idea_number(idea.id), section=section_labels.get(idea.section_id, "") or _("Idee"),
                text=_contribution_text(idea, f"{idea.title}: {idea.body}"),
                author=responses.author_label(author, idea, marked=False), source=_source(idea), date=_day(idea),
                place=f"{district.name} / {quarter.name}", category=ideas.category_label(idea.category),
                votes=f"{idea.support_count} / 0", unit=units.get(("idea", idea.id), ""),
                answer=answer.text if answer else "",
                status=responses.status_label(answer.status) if answer else "",
                implemented=lookups.number(answer.version_id) if answer else "")
        for idea, _u, _q, _d in rows:
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


def as_text(value):
    """A cell as CSV and the printable page show it (dates as 12.03.2026)."""
    return _text(value)


def csv_chunks(rows: Iterator[list], *, every: int = 500) -> Iterator[bytes]:
    """UTF-8 with BOM and `;` as German Excel expects; yields every few hundred rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for i, row in enumerate(rows, start=1):
        writer.writerow([neutralise(_text(v)) for v in row])
        if i % every == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _xlsx_cell(sheet, value, *, wrap: Alignment | None = None):
    """A plain value where possible (fast); a cell object for dates, wrapped text and text starting with "="."""
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD.MM.YYYY"
        return cell
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    formula = value.startswith("=")
    if not formula and (wrap is None or len(value) < 12):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if formula:
        cell.data_type = "s"  # text, never a formula
    if wrap is not None:
        cell.alignment = wrap
    return cell


def _column_letter(index: int) -> str:
    return get_column_letter(index + 1)


def xlsx_file(rows: Iterator[list], *, title: str) -> str:
    """Write the table with openpyxl's write-only mode (rows go to disk as they come); returns a temp path.

    Ready for a committee paper: real dates, an autofilter on the header, the header frozen and repeated on
    every printed page, long texts wrapped, A4 landscape fitted to the page width."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Abwägungstabelle")
    for i, width in enumerate(WIDTHS):
        sheet.column_dimensions[_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = "1:1"
    sheet.oddFooter.center.text = "&P / &N"
    bold = Font(bold=True)
    head = Alignment(wrap_text=True, vertical="top")
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        cell.alignment = head
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v, wrap=wrap if i in WRAPPED else None) for i, v in enumerate(row)])
        count += 1
    sheet.auto_filter.ref = f"A1:{_column_letter(len(COLUMNS) - 1)}{count + 1}"
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
