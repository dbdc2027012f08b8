"""Benchmark: the Abwägungstabelle of a round with 10,000 contributions as CSV and XLSX (run by `make bench`).

Prints a Markdown table with time and peak Python memory (tracemalloc) per format; the export streams in
batches, so the peak should stay far below the size of the file. No timing asserts (the machine is shared).
"""

import time
import tracemalloc

from sqlalchemy import insert
from sqlmodel import select

from app import db
from app.discussion.models import Comment
from app.documents.models import Paragraph, SectionVersion
from app.exports import abwaegung
from app.responses.models import Response
from tests.helpers import login, make_user
from tests.responses.factory import World

N_COMMENTS = 10_000
N_AUTHORS = 40
BODY = ("Der Absatz beschreibt die Lage im Quartier gut, aber die Angebote für Ältere fehlen. Bitte ergänzen: "
        "Begegnungsorte müssen barrierefrei und ohne Konsumzwang sein; wer trägt die Kosten nach der Projektphase?")


def _fill(world: World) -> None:
    authors = [make_user("expert" if i % 2 else "resident", organisation=f"Träger {i}" if i % 2 else None).id
               for i in range(N_AUTHORS)]
    with db.new_session(writer=True) as s:
        version = s.exec(select(SectionVersion).where(SectionVersion.section_id == world.section_id)).one()
        anchors = [p.anchor for p in s.exec(select(Paragraph).where(Paragraph.version_id == version.id))]
        now = db.utcnow()
        rows = [{"section_version_id": version.id, "section_id": world.section_id, "round_id": world.round_id,
                 "paragraph_anchor": anchors[i % len(anchors)], "quote": "Lage im Quartier" if i % 3 == 0 else None,
                 "author_id": authors[i % N_AUTHORS], "alignment": ("support", "objection", "note")[i % 3],
                 "body": f"{BODY} ({i})", "html": f"<p>{BODY} ({i})</p>", "created_at": now, "depth": 0,
                 "erased": False, "up_count": i % 7, "down_count": i % 3} for i in range(N_COMMENTS)]
        for start in range(0, N_COMMENTS, 2000):
            s.execute(insert(Comment), rows[start:start + 2000])
        ids = list(s.exec(select(Comment.id).order_by(Comment.id)).all())
        answers = [{"comment_id": cid, "status": ("accepted", "partly", "rejected", "noted")[k % 4],
                    "text": "Die Projektleitung nimmt den Hinweis auf und prüft die Umsetzung im Quartier.",
                    "version_id": version.id if k % 4 == 0 else None, "revision": 1, "is_current": True,
                    "author_id": world.lead.id, "created_at": now} for k, cid in enumerate(ids[::2])]
        for start in range(0, len(answers), 2000):
            s.execute(insert(Response), answers[start:start + 2000])
        s.commit()


def _export(kind: str, round_id: int) -> int:
    with db.new_session() as session:
        table = abwaegung.table(session, round_id=round_id, viewer=None)
        chunks = abwaegung.csv_chunks(table.rows) if kind == "CSV" else abwaegung.xlsx_chunks(table.rows, title="B")
        return sum(len(c) for c in chunks)


def _measure(kind: str, round_id: int) -> tuple[float, float, int]:
    """Time without tracing (tracemalloc slows Python down), then the peak in a second, traced run."""
    t0 = time.perf_counter()
    size = _export(kind, round_id)
    elapsed = time.perf_counter() - t0
    tracemalloc.start()
    _export(kind, round_id)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 1e6, size


def test_export_of_ten_thousand_contributions(client):
    world = World(client)
    _fill(world)
    lines = ["", f"### Abwägungstabelle, {N_COMMENTS:,} Beiträge ({db.get_engine().dialect.name})", "",
             "| format | time (s) | peak Python memory (MB) | file size (MB) |", "|---|---:|---:|---:|"]
    for kind in ("CSV", "XLSX"):
        elapsed, peak, size = _measure(kind, world.round_id)
        lines.append(f"| {kind} | {elapsed:.2f} | {peak:.1f} | {size / 1e6:.1f} |")
    t0 = time.perf_counter()
    r = client.get(f"/api/v1/rounds/{world.round_id}/responses.csv")
    assert r.status_code == 200 and r.content.count(b"\r\n") == N_COMMENTS + 1
    lines.append(f"| CSV over HTTP (TestClient) | {time.perf_counter() - t0:.2f} | – | {len(r.content) / 1e6:.1f} |")
    login(client, world.lead)
    for label, query in (("workbench, first page", ""), ("workbench, unanswered, page 20", "?state=open&page=20")):
        client.get(f"/runden/{world.round_id}/abwaegung{query}")
        t0 = time.perf_counter()
        page = client.get(f"/runden/{world.round_id}/abwaegung{query}")
        assert page.status_code == 200
        lines.append(f"| {label} (HTML) | {time.perf_counter() - t0:.2f} | – | {len(page.content) / 1e6:.2f} |")
    t0 = time.perf_counter()
    assert client.get(f"/api/v1/reports/participation?round={world.round_id}").status_code == 200
    lines.append(f"| participation report (JSON) | {time.perf_counter() - t0:.2f} | – | – |")
    print("\n".join(lines))
