"""Benchmark: the section page with 50 shown comments, in a database holding 100 or 100,000 comments on 200
sections, for an anonymous reader and a logged-in expert (run by `make bench`; prints a Markdown table).

The page's cost must not grow with the total number of comments: every discussion query is an indexed range
on one section or version, limited to one page of threads. No timing asserts (the machine is shared); the
query count is asserted to be bounded and equal for both sizes.
"""

import statistics
import time
from datetime import timedelta

from sqlalchemy import event, insert
from sqlalchemy.engine import Engine

from app import db
from app.discussion.models import Comment, Vote
from app.documents.models import Chapter, Document, Paragraph, Section, SectionVersion
from app.rounds.models import Round, RoundSection
from app.web.markdown import render
from tests.helpers import login, make_user

SECTIONS = 200
PARAGRAPHS = 4
RUNS = 15
BATCH = 5000
HOT = 1  # the section the benchmark reads: 2 versions, 20 threads (+20 replies) on v2, 5 (+5) on v1
UNCACHED = {"Authorization": "Bearer benchmark-uncached"}  # skips the anonymous page cache, still anonymous
BODIES = ["Der Absatz beschreibt die Lage im **Quartier** gut, aber Angebote für Ältere fehlen.",
          "Wir unterstützen das. Wichtig ist eine feste Ansprechperson vor Ort.",
          "Bitte ergänzen: Begegnungsorte müssen *barrierefrei* sein."]


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args):
        self.count += 1


def _measure(client, url: str, headers: dict | None) -> tuple[float, float, int, int]:
    counter = QueryCounter()
    assert client.get(url, headers=headers).status_code == 200
    event.listen(Engine, "before_cursor_execute", counter)
    try:
        response = client.get(url, headers=headers)
        queries = counter.count
    finally:
        event.remove(Engine, "before_cursor_execute", counter)
    assert response.status_code == 200
    timings = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        client.get(url, headers=headers)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.9) - 1], queries, response.text.count(
        'class="comment-card"')


def test_section_page_cost_does_not_grow_with_total_comments(client):
    from tests.conftest import _truncate

    results = []
    for total in (100, 100_000):
        _truncate()
        author = make_user("expert", name="Autorin")
        reader = make_user("expert", name="Leserin")
        t0 = time.perf_counter()
        _fill(total, author.id, reader.id)
        fill_s = time.perf_counter() - t0
        client.cookies.clear()
        anonymous = _measure(client, f"/abschnitte/{HOT}", UNCACHED)
        cached = _measure(client, f"/abschnitte/{HOT}", None)
        login(client, reader)
        expert = _measure(client, f"/abschnitte/{HOT}", None)
        client.cookies.clear()
        results.append((total, fill_s, anonymous, cached, expert))

    print("\n\n### Section page with 50 shown comments (200 sections)\n")
    print("| comments in DB | viewer | median ms | p90 ms | SQL queries | comments shown |")
    print("|---:|---|---:|---:|---:|---:|")
    for total, _fill_s, anonymous, cached, expert in results:
        for label, (median, p90, queries, shown) in (("anonymous", anonymous), ("anonymous, page cache", cached),
                                                     ("expert (logged in)", expert)):
            print(f"| {total:,} | {label} | {median:.1f} | {p90:.1f} | {queries} | {shown} |")
    print(f"\n(database filled in {results[0][1]:.1f} s and {results[1][1]:.1f} s; {db.get_engine().dialect.name})")

    small, large = results
    for i in (2, 4):  # uncached anonymous and logged-in expert
        assert small[i][3] == large[i][3] == 50, "the same 50 comments are shown"
        assert small[i][2] == large[i][2], "the number of queries does not depend on the database size"
        assert large[i][2] <= 30, "bounded number of queries"
