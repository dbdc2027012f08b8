"""Demo Rahmenkonzeption: the document from rahmenkonzeption.md, version 1 of every section published by a
lead, an edition "Entwurf 1 – Januar 2023", and a realistic version 2 of a few sections (idempotent)."""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from app.accounts.models import User
from app.documents import editions
from app.documents import service as documents
from app.documents.models import Document, Edition
from app.documents.schemas import ChapterIn, DocumentIn, DraftIn, EditionIn, SectionIn
from app.web.i18n import BERLIN
from app.web.markdown import blocks

SOURCE = Path(__file__).resolve().parent / "rahmenkonzeption.md"
SLUG = "rahmenkonzeption"
EDITION_1 = "Entwurf 1 – Januar 2023"
# The first draft is dated as its edition's title says (the revisions below are published when the demo is loaded).
FIRST_DRAFT_AT = datetime(2023, 1, 16, 9, 0, tzinfo=BERLIN)
EDITION_1_AT = datetime(2023, 1, 23, 10, 0, tzinfo=BERLIN)


@dataclass
class SourceChapter:
    title: str
    sections: list[tuple[str, str]] = field(default_factory=list)  # (title, Markdown body)


def parse_source(text: str) -> tuple[str, str, list[SourceChapter]]:
    """`% title`, `% description`, then `# chapter` / `## section` headings with Markdown bodies."""
    lines = text.replace("\r\n", "\n").split("\n")
    title = lines[0].lstrip("% ").strip()
    description = lines[1].lstrip("% ").strip() if len(lines) > 1 and lines[1].startswith("%") else ""
    chapters: list[SourceChapter] = []
    body: list[str] = []

    def close_section() -> None:
        if chapters and chapters[-1].sections:
            name, _old = chapters[-1].sections[-1]
            chapters[-1].sections[-1] = (name, "\n".join(body).strip())
        body.clear()

    for line in lines[2:]:
        if line.startswith("## "):
            close_section()
            chapters[-1].sections.append((line[3:].strip(), ""))
        elif line.startswith("# "):
            close_section()
            chapters.append(SourceChapter(title=line[2:].strip()))
        else:
            body.append(line)
    close_section()
    return title, description, chapters


# Version 2 of a few sections, as the leads revised them after the first expert round: a paragraph
# inserted and a sentence added (a light edit), each with its change summary.
REVISIONS = [
    {
        "section": "Gesundheitsförderung in Lebenswelten",
        "lead": 0,
        "insert": (2, "Mehrere Träger haben darauf hingewiesen, dass Gesundheitsangebote besonders dann angenommen "
                      "werden, wenn sie von vertrauten Personen vor Ort begleitet werden. Die Stadt setzt deshalb "
                      "auf Gesundheitslots*innen aus den Communities, die Angebote bekannt machen und Menschen "
                      "bei den ersten Schritten begleiten."),
        "append": (0, "Dazu gehören ausdrücklich auch Sportvereine und Glaubensgemeinschaften."),
        "summary": "Absatz zu Gesundheitslots*innen ergänzt und Sportvereine sowie Glaubensgemeinschaften als "
                   "Lebenswelten genannt – aufgegriffen aus den Beiträgen der Träger in der ersten Fachrunde.",
    },
    {
        "section": "Räume und Mitsprache für Jugendliche",
        "lead": 1,
        "append": (0, "Jugendliche sollen dabei selbst entscheiden können, wie und wann sie sich einbringen."),
        "insert": (-1, "Für jeden Stadtbezirk wird geprüft, ob es mindestens einen Ort gibt, den Jugendliche "
                       "ohne Konsumzwang und ohne Anmeldung nutzen können; wo er fehlt, wird gemeinsam mit "
                       "dem Bezirksbeirat nach Lösungen gesucht."),
        "summary": "Selbstbestimmung der Jugendlichen betont und einen Prüfauftrag für offene Räume je "
                   "Stadtbezirk aufgenommen (Hinweise des Jugendrats und der Mobilen Jugendarbeit).",
    },
    {
        "section": "Sozialmonitoring und Auswahl der Quartiere",
        "lead": 2,
        "append": (1, "Die Auswahl wird im Sozialausschuss und in den Bezirksbeiräten öffentlich begründet."),
        "summary": "Transparenz der Quartiersauswahl präzisiert: öffentliche Begründung in Ausschuss und "
                   "Bezirksbeiräten, wie in mehreren Beiträgen gefordert.",
    },
    {
        "section": "Anlass und Auftrag",
        "lead": 2,
        "insert": (2, "Die Rahmenkonzeption knüpft an bestehende Beschlüsse des Gemeinderats an, unter anderem "
                      "zum Sozialdatenatlas, zur Gesundheitsberichterstattung und zur Kinder- und "
                      "Jugendhilfeplanung."),
        "summary": "Bezug zu bestehenden Gemeinderatsbeschlüssen ergänzt.",
    },
]


def _revise(body: str, revision: dict) -> str:
    paragraphs = [b.text for b in blocks(body)]
    if "append" in revision:
        index, sentence = revision["append"]
        if index < len(paragraphs) and not paragraphs[index].lstrip().startswith(("-", "*", "|", "#")):
            paragraphs[index] = paragraphs[index].rstrip() + " " + sentence
    if "insert" in revision:
        index, text = revision["insert"]
        paragraphs.insert(index if index >= 0 else len(paragraphs), text)
    return "\n\n".join(paragraphs)


def seed_document(session: Session, leads: list[User]) -> Document | None:
    """Create the demo document once; does nothing when it exists or the source file is missing."""
    if not leads or not SOURCE.exists():
        return None
    existing = session.exec(select(Document).where(Document.slug == SLUG)).first()
    if existing is not None:
        return existing
    title, description, chapters = parse_source(SOURCE.read_text())
    document = documents.create_document(session, actor=leads[0], data=DocumentIn(
        title=title, slug=SLUG, description=description))
    sections: dict[str, int] = {}
    for n, chapter in enumerate(chapters):
        lead = leads[n % len(leads)]
        created = documents.create_chapter(session, actor=lead, slug=SLUG, data=ChapterIn(title=chapter.title))
        for section_title, body in chapter.sections:
            section = documents.create_section(session, actor=lead, chapter_id=created.id,
                                               data=SectionIn(title=section_title, body=body))
            documents.publish_version(session, actor=lead, section_id=section.id,
                                      change_summary="Erste Fassung des Entwurfs der Projektleitung.",
                                      addresses=[], now=FIRST_DRAFT_AT)
            sections[section_title] = section.id
    if not session.exec(select(Edition).where(Edition.document_id == document.id)).first():
        editions.publish_edition(session, actor=leads[0], data=EditionIn(document=SLUG, title=EDITION_1),
                                 now=EDITION_1_AT)
    for revision in REVISIONS:
        section_id = sections.get(revision["section"])
        if section_id is None:
            continue
        lead = leads[revision["lead"] % len(leads)]
        draft = documents.get_draft(session, section_id=section_id)
        new_body = _revise(draft.body, revision)
        if new_body.strip() == draft.body.strip():
            continue
        documents.save_draft(session, actor=lead, section_id=section_id,
                             data=DraftIn(title=draft.title, body=new_body, revision=draft.revision))
        documents.publish_version(session, actor=lead, section_id=section_id, change_summary=revision["summary"],
                                  addresses=[])
    return document

