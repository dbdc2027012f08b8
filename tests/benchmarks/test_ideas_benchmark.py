"""Benchmark: the ideas map and filtered lists with 20,000 ideas over all 152 Stadtteile (run by `make bench`).

Prints a Markdown table of page sizes and timings; no timing asserts (the machine is shared).
"""

import random
import statistics
import time
from datetime import timedelta

from sqlalchemy import insert
from sqlmodel import select

from app import db
from app.ideas.models import Category, Idea
from app.quartiere import geometry
from app.quartiere.models import Quarter
from tests.helpers import make_user
from tests.ideas.conftest import make_round

N_IDEAS = 20_000
RUNS = 7
WORDS = ["Begegnungsstätte", "Spielplätze", "Nachbarschaft", "Treffpunkt", "Bänke", "Radweg", "Pflege",
         "Jugendhaus", "Sportverein", "Mittagstisch", "Gemeinschaftsgarten", "Quartierstreff", "Barrierefreiheit"]


def _fill(round_id: int, author_id: int) -> None:
    rnd = random.Random(2023)
    categories = [c.value for c in Category]
    statuses = ["received"] * 6 + ["reviewing", "adopted", "declined"]
    with db.new_session(writer=True) as s:
        quarters = list(s.exec(select(Quarter.id)).all())
        assert len(quarters) == 152
        now = db.utcnow()
        rows = []
        for i in range(N_IDEAS):
            words = rnd.sample(WORDS, 4)
            body = f"Vorschlag {i}: {' '.join(words)} für alle Generationen im Quartier."
            rows.append({"author_id": author_id, "quarter_id": quarters[i % 152] if i < 152 else rnd.choice(quarters),
                         "round_id": round_id, "title": f"{words[0]} und {words[1]} ({i})", "body": body,
                         "html": f"<p>{body}</p>", "category": rnd.choice(categories), "status": rnd.choice(statuses),
                         "status_reason": "", "created_at": now - timedelta(minutes=i),
                         "support_count": rnd.randint(0, 40), "comment_count": rnd.randint(0, 15)})
        for start in range(0, N_IDEAS, 2000):
            s.execute(insert(Idea), rows[start:start + 2000])
        s.commit()


# The anonymous page cache skips requests with an Authorization header; an unknown token reads as anonymous,
# so this measures the full rendering (queries, map, template) every time.
UNCACHED = {"Authorization": "Bearer benchmark-uncached"}


def _time(client, url: str, headers: dict | None = None) -> tuple[float, float, int]:
    r = client.get(url, headers=headers)
    assert r.status_code == 200, (url, r.status_code)
    timings = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        r = client.get(url, headers=headers)
        timings.append((time.perf_counter() - t0) * 1000)
    return statistics.median(timings), max(timings), len(r.content)


def test_ideas_map_and_lists_with_20000_ideas(client):
    round_id = make_round()
    author = make_user("resident", name="Benchmark")
    t0 = time.perf_counter()
    _fill(round_id, author.id)
    fill_s = time.perf_counter() - t0

    geometry.provider.cache_clear()
    t0 = time.perf_counter()
    geo = geometry.provider()
    geo.districts()
    for n in range(1, 24):
        geo.quarters(n)
    first_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    assert geometry.provider().districts() is geo.districts()
    cached_ms = (time.perf_counter() - t0) * 1000

    assert client.get("/api/v1/ideas?per_page=1").json()["total"] == N_IDEAS
    urls = [
        ("/ideen", "list + map of all Bezirke"),
        ("/ideen?district=bad-cannstatt&category=begegnung&sort=support", "filtered list + Stadtteil map"),
        ("/ideen?q=Begegnungsst%C3%A4tte&status=reviewing", "full-text search + filter"),
        ("/ideen?district=west&quarter=feuersee&page=3", "one Stadtteil, page 3"),
        ("/quartiere", "overview map"),
        ("/quartiere/bad-cannstatt", "Bezirk page (18 Stadtteile)"),
        ("/api/v1/ideas?district=mitte&category=wohnen&per_page=50", "API filtered list"),
    ]
    lines = ["", f"### Ideas benchmark ({db.get_engine().dialect.name}, {N_IDEAS:,} ideas, median of {RUNS})", "",
             "| page | what | rendered: median ms | max ms | page cache: median ms | bytes |",
             "|---|---|---:|---:|---:|---:|"]
    for url, what in urls:
        median, worst, size = _time(client, url, UNCACHED)
        cached, _worst, _size = _time(client, url)
        lines.append(f"| `{url}` | {what} | {median:.1f} | {worst:.1f} | {cached:.1f} | {size:,} |")
    lines += ["", f"Data load: {fill_s:.1f} s. SVG geometry (23 Bezirke + 152 Stadtteile): first computation "
              f"{first_ms:.2f} ms, cached lookup {cached_ms:.3f} ms."]
    print("\n".join(lines))
