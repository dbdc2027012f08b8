"""Demo discussion: an open round for experts on the commented sections, comments from people.EXPERT_COMMENTS
(matched to sections by title, placed on the paragraph they talk about), replies and votes (idempotent)."""

import re
from datetime import timedelta

from sqlmodel import Session, select

from app.accounts.models import User
from app.db import utcnow
from app.demo import people
from app.discussion import service as discussion
from app.discussion import votes
from app.discussion.models import Comment, VoteTarget
from app.discussion.schemas import CommentIn
from app.documents import service as documents
from app.documents.models import Section
from app.errors import DomainError
from app.rounds import service as rounds
from app.rounds.models import Round
from app.rounds.schemas import RoundIn

ROUND_TITLE = "Fachrunde: Expert*innen kommentieren den Entwurf"
REPLIES = [
    (0, "lead", "Danke für den Hinweis. Wir prüfen eine Staffelung nach Einwohnerzahl und Sozialmonitoring."),
    (0, 4, "Aus Sicht der Jugendhilfe unterstützen wir das: Gerade große Siedlungen brauchen mehr als eine Stelle."),
    (2, 5, "Das sehen wir als Wohnungsunternehmen genauso; die Betriebskosten sind der eigentliche Engpass."),
]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-zäöüß]{5,}", text.lower())}


def _best_paragraph(session: Session, section_id: int, body: str) -> str | None:
    """The paragraph sharing the most words with the comment (None: the whole section)."""
    version = documents.current_version(session, section_id)
    if version is None:
        return None
    wanted = _words(body)
    scored = [(len(wanted & _words(p.text)), p.anchor) for p in documents.paragraphs_of(session, version.id)]
    best = max(scored, default=(0, None))
    return best[1] if best[0] >= 2 else None


def seed_discussion(session: Session) -> None:
    if session.exec(select(Round).where(Round.title == ROUND_TITLE)).first():
        return
    document = documents.default_document(session)
    if document is None:
        return
    titles = {c["section_title"] for c in people.EXPERT_COMMENTS}
    sections = {s.title: s for s in session.exec(select(Section).where(Section.title.in_(titles))).all()}
    if not sections:
        return
    lead = session.exec(select(User).where(User.email == people.LEADS[0]["email"])).one()
    experts = [session.exec(select(User).where(User.email == e["email"])).one() for e in people.EXPERTS]
    now = utcnow()
    rounds.create_round(session, actor=lead, data=RoundIn(
        document=document.slug, title=ROUND_TITLE, audience="experts",
        description="Die eingeladenen Fachleute aus Trägern, Ämtern, Wohnungsunternehmen und Vereinen kommentieren "
                    "die Abschnitte zu Quartiersmanagement, Sozialmonitoring, Prävention und Beteiligung.",
        opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=21),
        section_ids=sorted(s.id for s in sections.values())))
    comments: list[Comment] = []
    for n, item in enumerate(people.EXPERT_COMMENTS):
        section = sections.get(item["section_title"])
        if section is None:
            continue
        data = CommentIn(body=item["body"], alignment=item["alignment"],
                         paragraph=_best_paragraph(session, section.id, item["body"]))
        try:
            comments.append(discussion.post_comment(session, user=experts[n % len(experts)], section_id=section.id,
                                                    data=data, now=now - timedelta(days=4, hours=-n * 5)))
        except DomainError:
            session.rollback()
    for index, who, body in REPLIES:
        if index < len(comments):
            author = lead if who == "lead" else experts[who % len(experts)]
            discussion.post_comment(session, user=author, section_id=comments[index].section_id,
                                    data=CommentIn(body=body, parent_id=comments[index].id,
                                                   alignment="note" if who == "lead" else "support"))
    for n, comment in enumerate(comments):
        for k, voter in enumerate(experts[:6]):
            if voter.id != comment.author_id and (n + k) % 3:
                votes.put_vote(session, user=voter, target=VoteTarget.comment, target_id=comment.id,
                               value=-1 if (n + k) % 5 == 0 else 1)
    for section in sections.values():
        version = documents.current_version(session, section.id)
        for k, voter in enumerate(experts[:4]):
            votes.put_vote(session, user=voter, target=VoteTarget.section_version, target_id=version.id,
                           value=-1 if k == 3 else 1)
