"""A large, valid database for the load test, written with Core executemany in batches (not the services).

Sizes follow issue 7: 200 sections with 5 versions each, 100,000 comments, 300,000 votes, 20,000 ideas over
all Stadtteile. Section 1 (the "hot" section the benchmark reads) always has the same 100 comments on its
current version (50 threads, 50 replies), so a database with 100 comments in total shows the very same page.
Everything the app keeps denormalised (vote counters, support counts, current_number) is consistent.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import Engine

from app import cache, db
from app.accounts.passwords import hash_password
from app.db import utcnow
from app.discussion.models import Comment, Vote
from app.documents.models import Chapter, Document, Paragraph, Section, SectionVersion
from app.models import metadata
from app.rounds.models import Round, RoundSection
from app.web.markdown import blocks, render

BATCH = 5000
PASSWORD = "bench-passwort-2026"
HOT_SECTION = 1
HOT_COMMENTS = 100
PARAGRAPHS = 5
CATEGORIES = ["begegnung", "wohnen", "gesundheit", "kinder_jugend_familie", "bildung", "aelterwerden",
              "inklusion", "mobilitaet_raum", "kultur_sport", "sonstiges"]
STATUSES = ["received"] * 6 + ["reviewing"] * 2 + ["adopted", "declined"]
COMMENT_BODIES = [
    "Der Absatz beschreibt die Lage im **Quartier** gut, aber die Angebote für Ältere fehlen.",
    "Wir als Träger im Stadtteil unterstützen das. Wichtig ist eine feste Ansprechperson vor Ort.",
    "Bitte ergänzen: Begegnungsorte müssen *barrierefrei* und ohne Konsumzwang sein.",
    "Die Finanzierung bleibt unklar. Wer trägt die Kosten nach der Projektphase?",
    "Aus Sicht der Wohnungsunternehmen: Gemeinschaftsräume sind da, werden aber kaum genutzt.",
]


def token_for(kind: str, user_id: int) -> str:
    """The deterministic login token of a generated user (the load generator computes it too)."""
    return f"bench-{kind}-{user_id:06d}-token"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Plan:
    comments: int = 100_000
    votes: int = 300_000
    ideas: int = 20_000
    sections: int = 200
    versions: int = 5
    residents: int = 2_000
    experts: int = 4_000
    readers: int = 200          # experts with a browser session (the logged-in section page)
    info: dict = field(default_factory=dict)


@dataclass
class Ids:
    lead: int = 1
    residents: list[int] = field(default_factory=list)
    experts: list[int] = field(default_factory=list)


def _batched(engine: Engine, table: str, rows: list[dict]) -> None:
    tbl = metadata.tables[table]
    keys = set().union(*rows) if rows else set()
    rows = [{k: row.get(k) for k in keys} for row in rows]  # executemany needs the same keys in every row
    with engine.begin() as conn:
        for start in range(0, len(rows), BATCH):
            conn.execute(insert(tbl), rows[start:start + BATCH])


def _body(n: int) -> str:
    return COMMENT_BODIES[n % len(COMMENT_BODIES)]


def generate(url: str, plan: Plan) -> dict:
    """Fill an empty, migrated database; returns what the load generator needs (ids, counts)."""
    engine = create_engine(url)
    now = utcnow()
    rendered = {b: render(b) for b in COMMENT_BODIES}
    pw = hash_password(PASSWORD)
    ids = Ids()

    # --- people and their login tokens ---------------------------------------------------------
    users = [{"id": 1, "email": "bench-lead@example.org", "display_name": "Projektleitung Bench", "password_hash": pw,
              "role": "lead", "organisation": "Sozialamt", "is_active": True, "notify_replies": True,
              "notify_versions": True, "email_verified_at": now, "created_at": now}]
    uid = 2
    for n in range(plan.residents):
        users.append({"id": uid, "email": f"bewohner{n}@example.org", "display_name": f"Bewohner*in {n}",
                      "password_hash": pw, "role": "resident", "is_active": True, "notify_replies": False,
                      "notify_versions": False, "email_verified_at": now, "created_at": now})
        ids.residents.append(uid)
        uid += 1
    for n in range(plan.experts):
        users.append({"id": uid, "email": f"expertin{n}@example.org", "display_name": f"Expert*in {n}",
                      "password_hash": pw, "role": "expert", "organisation": f"Träger {n % 40} e.V.",
                      "organisation_kind": "traeger", "is_active": True, "notify_replies": False,
                      "notify_versions": False, "email_verified_at": now, "created_at": now})
        ids.experts.append(uid)
        uid += 1
    _batched(engine, "user_account", users)
    expires = now + timedelta(days=30)
    tokens = [{"user_id": 1, "kind": "api", "token_hash": _hash(token_for("api", 1)), "created_at": now,
               "expires_at": expires}]
    for u in ids.experts:
        tokens.append({"user_id": u, "kind": "api", "token_hash": _hash(token_for("api", u)), "created_at": now,
                       "expires_at": expires})
    for u in ids.experts[:plan.readers]:
        tokens.append({"user_id": u, "kind": "session", "token_hash": _hash(token_for("session", u)),
                       "created_at": now, "expires_at": expires})
    _batched(engine, "auth_token", tokens)

    # --- the document: chapters, sections, drafts, versions, paragraphs, anchor mappings ---------
    _batched(engine, "document", [{"id": 1, "slug": "rahmenkonzeption", "title": "Rahmenkonzeption soziale "
                                   "Quartiersentwicklung", "description": "Entwurf", "created_at": now}])
    chapters = max(1, plan.sections // 20)
    _batched(engine, "chapter", [{"id": c + 1, "document_id": 1, "position": c + 1, "title": f"Kapitel {c + 1}"}
                                 for c in range(chapters)])
    sections, drafts, versions, paragraphs, mappings = [], [], [], [], []
    version_id = 0
    current_version: dict[int, int] = {}
    for s in range(1, plan.sections + 1):
        title = f"Abschnitt {s}: Quartiere gemeinsam gestalten"
        sections.append({"id": s, "chapter_id": (s - 1) % chapters + 1, "position": (s - 1) // chapters + 1,
                         "title": title, "current_number": plan.versions, "created_at": now - timedelta(days=90)})
        body = ""
        for v in range(1, plan.versions + 1):
            version_id += 1
            body = "\n\n".join(f"Absatz {p} des Abschnitts {s} in Fassung {v if p == 1 else 1}: Soziale "
                               f"Quartiersentwicklung verbindet Ämter, Träger und Bewohner*innen im Stadtteil."
                               for p in range(1, PARAGRAPHS + 1))
            versions.append({"id": version_id, "section_id": s, "number": v, "title": title, "body": body,
                             "html": render(body), "change_summary": f"Überarbeitung {v}",
                             "published_at": now - timedelta(days=60 - 10 * v), "published_by_id": 1})
            for position, block in enumerate(blocks(body), start=1):
                paragraphs.append({"version_id": version_id, "position": position, "anchor": f"p{position}",
                                   "text": block.text, "html": block.html})
            if v > 1:
                for p in range(1, PARAGRAPHS + 1):
                    mappings.append({"version_id": version_id, "old_anchor": f"p{p}", "new_anchor": f"p{p}",
                                     "change": "changed" if p == 1 else "unchanged"})
        current_version[s] = version_id
        drafts.append({"section_id": s, "title": title, "body": body, "revision": 1, "updated_at": now,
                       "updated_by_id": 1})
    _batched(engine, "section", sections)
    _batched(engine, "draft", drafts)
    _batched(engine, "section_version", versions)
    _batched(engine, "paragraph", paragraphs)
    _batched(engine, "anchor_mapping", mappings)

    # --- one open round on every section, open to the public ------------------------------------
    _batched(engine, "round", [{"id": 1, "document_id": 1, "title": "Beteiligung zum Entwurf",
                                "description": "Letzter Abend der Runde", "opens_at": now - timedelta(days=20),
                                "closes_at": now + timedelta(days=30), "audience": "public", "state": "open",
                                "created_by_id": 1, "created_at": now - timedelta(days=21)}])
    _batched(engine, "round_section", [{"round_id": 1, "section_id": s} for s in range(1, plan.sections + 1)])

    # --- comments: the hot section's fixed 100, the rest spread over the other sections' versions ----
    comments: list[dict] = []
    start = now - timedelta(days=19)

    def add(section: int, version: int, parent: dict | None, n: int) -> dict:
        cid = len(comments) + 1
        body = _body(n)
        row = {"id": cid, "section_version_id": version, "section_id": section, "idea_id": None,
               "paragraph_anchor": parent["paragraph_anchor"] if parent else (f"p{n % PARAGRAPHS + 1}"
                                                                              if n % 3 else None),
               "quote": None, "parent_id": parent["id"] if parent else None,
               "root_id": (parent["root_id"] or parent["id"]) if parent else None,
               "depth": parent["depth"] + 1 if parent else 0, "round_id": 1,
               "author_id": ids.residents[n % len(ids.residents)],
               "alignment": ("support", "objection", "note")[n % 3], "body": body, "html": rendered[body],
               "created_at": start + timedelta(seconds=cid * 10), "edited_at": None, "withdrawn_at": None,
               "hidden_at": None, "hidden_reason": None, "erased": False, "up_count": 0, "down_count": 0}
        comments.append(row)
        return row

    hot_roots = [add(HOT_SECTION, current_version[HOT_SECTION], None, n) for n in range(HOT_COMMENTS // 2)]
    for n, root in enumerate(hot_roots):
        add(HOT_SECTION, current_version[HOT_SECTION], root, n + 7)
    others = list(range(2, plan.sections + 1))
    remaining = max(0, plan.comments - len(comments))
    n = 0
    while n < remaining and others:
        s = others[n % len(others)]
        version = current_version[s] - (n // len(others)) % plan.versions
        root = add(s, version, None, n)
        n += 1
        if n < remaining:
            add(s, version, root, n)
            n += 1

    # --- votes: on comments, on current versions, on ideas; one per person and target --------------
    voters = ids.residents + ids.experts
    votes: list[dict] = []
    seen: set[tuple[str, int, int]] = set()

    def vote(kind: str, target: int, user: int, value: int) -> bool:
        if (kind, target, user) in seen:
            return False
        seen.add((kind, target, user))
        votes.append({"user_id": user, "section_version_id": target if kind == "v" else None,
                      "comment_id": target if kind == "c" else None, "idea_id": target if kind == "i" else None,
                      "value": value, "created_at": now, "updated_at": now})
        return True

    comment_votes = int(plan.votes * 0.8)
    version_votes = int(plan.votes * 0.1)
    idea_votes = plan.votes - comment_votes - version_votes
    # The reading experts have voted on the hot section's threads (their own votes are marked on the page).
    for k, reader in enumerate(ids.experts[:plan.readers]):
        for c in comments[k % 10:HOT_COMMENTS:10]:
            if len(votes) < comment_votes and vote("c", c["id"], reader, 1):
                c["up_count"] += 1
    i = 0
    while comments and len(votes) < comment_votes:
        c = comments[i % len(comments)]
        user = voters[(i * 7919) % len(voters)]
        value = -1 if i % 4 == 0 else 1
        if user != c["author_id"] and vote("c", c["id"], user, value):
            c["up_count" if value == 1 else "down_count"] += 1
        i += 1
    i = 0
    target_votes = len(votes) + version_votes
    while len(votes) < target_votes:
        s = i % plan.sections + 1
        vote("v", current_version[s], voters[(i // plan.sections + s * 7) % len(voters)], -1 if i % 5 == 0 else 1)
        i += 1
    _batched(engine, "comment", comments)

    # --- ideas over all Stadtteile, with their supports ----------------------------------------------
    with engine.connect() as conn:
        quarters = [r[0] for r in conn.execute(text("SELECT id FROM quarter ORDER BY id"))]
    idea_rows = []
    idea_bodies = {n: f"Idee {n}: Ein Treffpunkt mit Bänken, Schatten und Spielgeräten für alle Generationen."
                   for n in range(20)}
    idea_html = {k: render(v) for k, v in idea_bodies.items()}
    for n in range(plan.ideas):
        located = n % 3 == 0
        idea_rows.append({
            "id": n + 1, "author_id": ids.residents[n % len(ids.residents)], "quarter_id": quarters[n % len(quarters)],
            "round_id": 1, "section_id": (n % plan.sections) + 1 if n % 4 == 0 else None,
            "title": f"{CATEGORIES[n % 10].capitalize()}: Vorschlag {n} für das Quartier",
            "body": idea_bodies[n % 20], "html": idea_html[n % 20], "category": CATEGORIES[(n // 3) % 10],
            "status": STATUSES[n % len(STATUSES)], "status_reason": "", "lat": 48.70 + (n % 150) / 1000 if located
            else None, "lon": 9.05 + (n % 250) / 1000 if located else None,
            "created_at": start + timedelta(seconds=n * 30), "hidden_at": None, "hidden_reason": None,
            "support_count": 0, "comment_count": 0})
    i = 0
    target_votes = len(votes) + idea_votes
    while idea_rows and len(votes) < target_votes:
        idea = idea_rows[i % len(idea_rows)]
        if vote("i", idea["id"], voters[(i * 31 + i // len(idea_rows)) % len(voters)], 1):
            idea["support_count"] += 1
        i += 1
    _batched(engine, "idea", idea_rows)
    _batched(engine, "vote", votes)

    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in ("user_account", "auth_token", "document", "chapter", "section", "draft", "section_version",
                          "paragraph", "anchor_mapping", "round", "round_section", "comment", "idea", "vote"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
        cache.end_every_page(conn)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    hot_version = current_version[HOT_SECTION]
    return {"users": len(users), "comments": len(comments), "votes": len(votes), "ideas": len(idea_rows),
            "sections": plan.sections, "versions": len(versions), "hot_section": HOT_SECTION,
            "hot_version": hot_version, "writers": ids.experts[plan.readers:], "readers": ids.experts[:plan.readers],
            "comment_ids": len(comments)}


# --- the section page benchmark's database (tests/benchmarks/test_section_page_benchmark.py and the query-count test)

PAGE_SECTIONS = 200
PAGE_PARAGRAPHS = 4
PAGE_HOT = 1  # the section the page benchmark reads
PAGE_BODIES = ["Der Absatz beschreibt die Lage im **Quartier** gut, aber Angebote für Ältere fehlen.",
               "Wir unterstützen das. Wichtig ist eine feste Ansprechperson vor Ort.",
               "Bitte ergänzen: Begegnungsorte müssen *barrierefrei* sein."]


def fill_section_page(total_comments: int, author_id: int, reader_id: int) -> None:
    """Through the app's engine (the test database): 200 sections; section PAGE_HOT shows 50 comments (20 threads
    with a reply each on its current version 2, 5 on version 1); the rest of `total_comments` is spread over the
    other sections. The reader has voted on some of the shown comments."""
    now = db.utcnow()
    html = {b: render(b) for b in PAGE_BODIES}
    with db.new_session(writer=True) as s:
        s.add(Document(id=1, slug="rahmenkonzeption", title="Rahmenkonzeption"))
        s.flush()
        s.execute(insert(Chapter), [{"id": c, "document_id": 1, "position": c, "title": f"Kapitel {c}"}
                                    for c in range(1, 11)])
        sections, versions, paragraphs = [], [], []
        vid = 0
        current = {}
        for sid in range(1, PAGE_SECTIONS + 1):
            numbers = (1, 2) if sid == PAGE_HOT else (1,)
            sections.append({"id": sid, "chapter_id": (sid - 1) % 10 + 1, "position": (sid - 1) // 10 + 1,
                             "title": f"Abschnitt {sid}", "current_number": numbers[-1], "created_at": now})
            for number in numbers:
                vid += 1
                texts = [f"Absatz {p} von Abschnitt {sid}, Fassung {number}: Quartiere gemeinsam gestalten."
                         for p in range(1, PAGE_PARAGRAPHS + 1)]
                body = "\n\n".join(texts)
                versions.append({"id": vid, "section_id": sid, "number": number, "title": f"Abschnitt {sid}",
                                 "body": body, "html": render(body), "change_summary": "", "published_at": now})
                paragraphs += [{"version_id": vid, "position": p, "anchor": f"s{sid}p{p}", "text": t,
                                "html": f"<p>{t}</p>"} for p, t in enumerate(texts, start=1)]
                current[sid] = vid
        s.execute(insert(Section), sections)
        s.execute(insert(SectionVersion), versions)
        s.execute(insert(Paragraph), paragraphs)
        s.add(Round(id=1, document_id=1, title="Runde", opens_at=now - timedelta(days=1),
                    closes_at=now + timedelta(days=9), audience="experts", state="planned"))
        s.flush()
        s.execute(insert(RoundSection), [{"round_id": 1, "section_id": sid} for sid in range(1, PAGE_SECTIONS + 1)])

        rows: list[dict] = []

        def add(section, version, parent=None, anchor=None):
            body = PAGE_BODIES[len(rows) % 3]
            rows.append({"id": len(rows) + 1, "section_version_id": version, "section_id": section,
                         "paragraph_anchor": parent["paragraph_anchor"] if parent else anchor,
                         "parent_id": parent["id"] if parent else None, "root_id": parent["id"] if parent else None,
                         "depth": 1 if parent else 0, "round_id": 1, "author_id": author_id,
                         "alignment": ("support", "objection", "note")[len(rows) % 3], "body": body,
                         "html": html[body], "created_at": now - timedelta(seconds=total_comments - len(rows)),
                         "erased": False, "up_count": 0, "down_count": 0})
            return rows[-1]

        for number_vid, threads in ((current[PAGE_HOT] - 1, 5), (current[PAGE_HOT], 20)):
            for t in range(threads):
                root = add(PAGE_HOT, number_vid, anchor=f"s{PAGE_HOT}p{t % PAGE_PARAGRAPHS + 1}" if t % 2 else None)
                add(PAGE_HOT, number_vid, parent=root)
        other = 2
        while len(rows) < total_comments:
            root = add(other, current[other], anchor=f"s{other}p{len(rows) % PAGE_PARAGRAPHS + 1}")
            if len(rows) < total_comments:
                add(other, current[other], parent=root)
            other = other % PAGE_SECTIONS + 1 if other < PAGE_SECTIONS else 2
        for start in range(0, len(rows), BATCH):
            s.execute(insert(Comment), rows[start:start + BATCH])
        votes = [{"user_id": reader_id, "comment_id": c["id"], "value": 1, "created_at": now, "updated_at": now}
                 for c in rows[:50:3]]
        s.execute(insert(Vote), votes)
        s.commit()
