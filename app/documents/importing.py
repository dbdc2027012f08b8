"""A draft from a file: Markdown, DOCX (python-docx) or ODT (odfpy) → chapters and sections with Markdown bodies.

Nothing here touches the database: `read()` turns the uploaded bytes into an `Outline` (or raises `Invalid` with
a German message); the lead sees it as a preview, and `service.import_outline` stores it in one transaction.

Headings give the structure: the highest heading level in the file makes chapters, the next one sections, deeper
headings stay in the section's text. A file with one level of headings gives one section per heading in a single
chapter. Paragraphs and lists are kept (lists as Markdown lists); text before the first heading becomes a section
"Einleitung". Office files are ZIP archives: their size, number of entries and compression ratio are checked before
anything is unpacked, and their XML is read with defusedxml first (no DTDs, no entities), so a zip bomb, a billion
laughs or a broken file gets a clear error and nothing is stored.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_xml
from markdown_it import MarkdownIt

from app.errors import Invalid
from app.web.i18n import gettext as _

MAX_FILE_BYTES = 5_000_000  # what the upload may weigh (the request size limit may be lower)
MAX_UNPACKED_BYTES = 50_000_000  # all entries of an office file together, unpacked
MAX_ENTRIES = 2_000
MAX_RATIO = 200  # unpacked / packed per entry; a zip bomb compresses far better
MAX_CHAPTERS = 200
MAX_SECTIONS = 1_000
TITLE_MAX = 200
BODY_MAX = 100_000
INTRODUCTION = "Einleitung"
KINDS = {".md": "markdown", ".markdown": "markdown", ".txt": "markdown", ".docx": "docx", ".odt": "odt"}


@dataclass
class ImportedSection:
    title: str
    body: str = ""


@dataclass
class ImportedChapter:
    title: str
    sections: list[ImportedSection] = field(default_factory=list)


@dataclass
class Outline:
    title: str  # the file's own title (DOCX "Title" style, ODT title, Markdown `% title`), or the file name
    chapters: list[ImportedChapter]
    notes: list[str] = field(default_factory=list)  # what was left out (tables, images), for the preview

    @property
    def section_count(self) -> int:
        return sum(len(c.sections) for c in self.chapters)


@dataclass
class _Block:
    """One block of the file: a heading (level ≥ 1) or body text in Markdown (level 0)."""

    level: int
    text: str


def read(filename: str, data: bytes) -> Outline:
    """The outline of an uploaded file, or Invalid with a message the lead can act on."""
    suffix = PurePath(filename or "").suffix.lower()
    kind = KINDS.get(suffix)
    if kind is None:
        raise Invalid(_("Bitte eine Datei im Format Markdown (.md), Word (.docx) oder OpenDocument (.odt) wählen."),
                      errors=[("file", _("Dateiformat nicht unterstützt."))])
    if not data:
        raise Invalid(_("Die Datei ist leer."), errors=[("file", _("Die Datei ist leer."))])
    if len(data) > MAX_FILE_BYTES:
        raise Invalid(_("Die Datei ist zu groß (höchstens 5 MB)."), errors=[("file", _("Datei zu groß."))])
    stem = PurePath(filename).stem.replace("_", " ").strip() or _("Importierter Entwurf")
    notes: list[str] = []
    if kind == "markdown":
        title, blocks = _markdown(data)
    else:
        _check_archive(data)
        title, blocks = (_docx if kind == "docx" else _odt)(data, notes)
    return _outline(title or stem, blocks, notes)


# --- Markdown ------------------------------------------------------------------------------------------

def _markdown(data: bytes) -> tuple[str, list[_Block]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(_("Die Markdown-Datei ist nicht in UTF-8 gespeichert."),
                      errors=[("file", _("Zeichenkodierung nicht lesbar."))]) from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = ""
    if lines and lines[0].startswith("% "):  # the demo source's (pandoc's) title line
        title = lines[0][2:].strip()
        lines = lines[1:]
        while lines and lines[0].startswith("% "):
            lines = lines[1:]
    tokens = MarkdownIt("commonmark").parse("\n".join(lines))
    headings = [(t.map[0], t.map[1], int(t.tag[1]), tokens[i + 1].content)
                for i, t in enumerate(tokens) if t.type == "heading_open" and t.level == 0 and t.map]
    blocks: list[_Block] = []
    cursor = 0
    for start, end, level, content in headings:
        body = "\n".join(lines[cursor:start]).strip()
        if body:
            blocks.append(_Block(0, body))
        blocks.append(_Block(level, content))
        cursor = end
    rest = "\n".join(lines[cursor:]).strip()
    if rest:
        blocks.append(_Block(0, rest))
    return title, blocks


# --- office files ------------------------------------------------------------------------------------

def _check_archive(data: bytes) -> None:
    broken = Invalid(_("Die Datei ist beschädigt oder kein gültiges Office-Dokument."),
                     errors=[("file", _("Datei nicht lesbar."))])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise broken from None
    unpacked = sum(e.file_size for e in entries)
    too_big = Invalid(_("Die Datei entpackt sich zu einer unzulässigen Größe und wird nicht gelesen."),
                      errors=[("file", _("Datei zu groß."))])
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        raise too_big
    for entry in entries:
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1) and entry.file_size > 1_000_000:
            raise too_big


def _screened(archive: zipfile.ZipFile, name: str) -> bytes:
    """The entry's bytes, after defusedxml has read them (refusing DTDs and entities) and found them well-formed."""
    broken = Invalid(_("Die Datei ist beschädigt oder kein gültiges Office-Dokument."),
                     errors=[("file", _("Datei nicht lesbar."))])
    try:
        raw = archive.read(name)
        safe_xml(raw, forbid_dtd=True)
    except KeyError:
        raise broken from None
    except DefusedXmlException:
        raise Invalid(_("Die Datei enthält unzulässige XML-Anweisungen (DTD oder Entitäten) und wird nicht "
                        "gelesen."), errors=[("file", _("Datei nicht lesbar."))]) from None
    except Exception:  # broken XML, a damaged entry: the same clear answer
        raise broken from None
    return raw


def _docx(data: bytes, notes: list[str]) -> tuple[str, list[_Block]]:
    import docx  # python-docx
    from docx.oxml.ns import qn

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                _screened(archive, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for a file that is not a Word document
        raise Invalid(_("Die Datei ist beschädigt oder kein gültiges Word-Dokument."),
                      errors=[("file", _("Datei nicht lesbar."))]) from None
    title, blocks, paragraphs = "", [], []
    if document.tables:
        notes.append(_("Tabellen wurden nicht übernommen ({count}).").format(count=len(document.tables)))

    def flush() -> None:
        if paragraphs:
            blocks.append(_Block(0, "\n\n".join(paragraphs)))
            paragraphs.clear()

    list_items: list[str] = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        text = _docx_text(paragraph)
        numbered = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None
        if style.startswith("List") or numbered:
            if text:
                marker = "1." if "Number" in style else "-"
                list_items.append(f"{marker} {text}")
            continue
        if list_items:
            paragraphs.append("\n".join(list_items))
            list_items = []
        if not text:
            continue
        if style == "Title" and not title:
            title = paragraph.text.strip()
        elif (level := _heading_level(style)) is not None:
            flush()
            blocks.append(_Block(level, paragraph.text.strip()))
        else:
            paragraphs.append(text)
    if list_items:
        paragraphs.append("\n".join(list_items))
    flush()
    return title, blocks


def _heading_level(style: str) -> int | None:
    match = re.fullmatch(r"(?:Heading|Überschrift)\s*(\d)", style)
    return int(match.group(1)) if match else None


def _escape(text: str) -> str:
    # Text from an office file is text, not Markdown: characters Markdown would read as markup are escaped.
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _docx_text(paragraph) -> str:
    parts = []
    for run in paragraph.runs:
        text = _escape(run.text)
        if not text.strip():
            parts.append(text)
        elif run.bold:
            parts.append(f"**{text.strip()}** " if text.endswith(" ") else f"**{text.strip()}**")
        elif run.italic:
            parts.append(f"*{text.strip()}* " if text.endswith(" ") else f"*{text.strip()}*")
        else:
            parts.append(text)
    return " ".join("".join(parts).split())


def _odt(data: bytes, notes: list[str]) -> tuple[str, list[_Block]]:
    from odf import teletype
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in ("content.xml", "styles.xml", "meta.xml"):
            if name in archive.namelist() or name == "content.xml":
                _screened(archive, name)
    try:
        document = load(io.BytesIO(data))
    except Exception:  # odfpy raises several kinds for a file that is not an OpenDocument text
        raise Invalid(_("Die Datei ist beschädigt oder kein gültiges OpenDocument."),
                      errors=[("file", _("Datei nicht lesbar."))]) from None
    blocks: list[_Block] = []
    paragraphs: list[str] = []
    tables = 0

    def flush() -> None:
        if paragraphs:
            blocks.append(_Block(0, "\n\n".join(paragraphs)))
            paragraphs.clear()

    def items(element, depth: int) -> list[str]:
        lines = []
        for item in element.childNodes:
            if item.qname != (TEXTNS, "list-item"):
                continue
            for child in item.childNodes:
                if child.qname == (TEXTNS, "list"):
                    lines.extend(items(child, depth + 1))
                elif child.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                    text = " ".join(_escape(teletype.extractText(child)).split())
                    if text:
                        lines.append("  " * depth + f"- {text}")
        return lines

    for element in document.text.childNodes:
        qname = getattr(element, "qname", None)
        if qname == (TEXTNS, "h"):
            text = " ".join(teletype.extractText(element).split())
            if text:
                flush()
                level = element.getAttrNS(TEXTNS, "outline-level") or "1"
                blocks.append(_Block(int(level) if str(level).isdigit() else 1, text))
        elif qname == (TEXTNS, "p"):
            text = " ".join(_escape(teletype.extractText(element)).split())
            if text:
                paragraphs.append(text)
        elif qname == (TEXTNS, "list"):
            lines = items(element, 0)
            if lines:
                paragraphs.append("\n".join(lines))
        elif qname == (TABLENS, "table"):
            tables += 1
    flush()
    if tables:
        notes.append(_("Tabellen wurden nicht übernommen ({count}).").format(count=tables))
    title = ""
    for meta in document.meta.childNodes:
        if getattr(meta, "qname", (None, None))[1] == "title":
            title = " ".join(teletype.extractText(meta).split())
    return title, blocks


# --- blocks → chapters and sections ------------------------------------------------------------------

def _outline(title: str, blocks: list[_Block], notes: list[str]) -> Outline:
    levels = sorted({b.level for b in blocks if b.level > 0})
    if not levels:
        raise Invalid(_("In der Datei wurden keine Überschriften gefunden. Gliedern Sie den Entwurf mit "
                        "Überschriften (Kapitel und Abschnitte), dann kann er übernommen werden."),
                      errors=[("file", _("Keine Überschriften gefunden."))])
    chapter_level = levels[0] if len(levels) > 1 else None
    section_level = levels[1] if len(levels) > 1 else levels[0]
    chapters: list[ImportedChapter] = []

    def chapter() -> ImportedChapter:
        if not chapters:
            chapters.append(ImportedChapter(title=_clip(title)))
        return chapters[-1]

    for block in blocks:
        if block.level == 0 or block.level > section_level:
            text = block.text if block.level == 0 else "#" * min(block.level, 6) + " " + block.text
            current = chapter()
            if not current.sections:
                current.sections.append(ImportedSection(title=INTRODUCTION))
            section = current.sections[-1]
            section.body = f"{section.body}\n\n{_body(text)}".strip()
        elif block.level == section_level:
            chapter().sections.append(ImportedSection(title=_clip(block.text)))
        elif block.level == chapter_level:
            chapters.append(ImportedChapter(title=_clip(block.text)))
    for c in chapters:
        if not c.sections:
            c.sections.append(ImportedSection(title=c.title))
    _check_limits(chapters)
    return Outline(title=_clip(title), chapters=chapters, notes=notes)


# Office files carry characters a typed text may not (page breaks, Word's zero-width spaces, direction marks in
# headings): they are turned into spaces or left out rather than refused (app/validation.py has the rules).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_INVISIBLE = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")


def _body(text: str) -> str:
    return _CONTROL.sub(" ", text)


def _clip(text: str) -> str:
    text = " ".join(_INVISIBLE.sub("", _CONTROL.sub(" ", text)).split())
    return text if len(text) <= TITLE_MAX else text[:TITLE_MAX - 1] + "…"


def _check_limits(chapters: list[ImportedChapter]) -> None:
    sections = sum(len(c.sections) for c in chapters)
    if len(chapters) > MAX_CHAPTERS or sections > MAX_SECTIONS:
        raise Invalid(_("Die Datei hat zu viele Kapitel oder Abschnitte (höchstens {chapters} Kapitel und "
                        "{sections} Abschnitte).").format(chapters=MAX_CHAPTERS, sections=MAX_SECTIONS),
                      errors=[("file", _("Zu viele Überschriften."))])
    for c in chapters:
        for s in c.sections:
            if len(s.body) > BODY_MAX:
                raise Invalid(_("Der Abschnitt „{title}“ ist zu lang (höchstens {n} Zeichen).").format(
                    title=s.title, n=f"{BODY_MAX:,}".replace(",", ".")), errors=[("file", _("Abschnitt zu lang."))])
