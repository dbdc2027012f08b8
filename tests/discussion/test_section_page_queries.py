"""Issue 12: the section page rendered from scratch (no page cache) sends at most 10 SQL statements, the same
number for a small and a larger database, for an anonymous reader and for a logged-in expert whose own votes
are marked (BEGIN counted where the driver is sent one)."""

import re

from tests.benchmarks.datagen import PAGE_HOT, fill_section_page
from tests.benchmarks.uncached import statements, uncached_client
from tests.conftest import _truncate
from tests.helpers import login, make_user

LIMIT = 10


def _page(client) -> tuple[int, str]:
    client.get(f"/abschnitte/{PAGE_HOT}")  # warm: templates compiled, statements built
    with statements() as sent:
        response = client.get(f"/abschnitte/{PAGE_HOT}")
    assert response.status_code == 200
    return len(sent), response.text


def test_uncached_section_page_sends_a_fixed_handful_of_statements_whatever_the_database_holds():
    counts = {}
    for total in (100, 3000):
        _truncate()
        author = make_user("expert", name="Autorin")
        reader = make_user("expert", name="Leserin")
        fill_section_page(total, author.id, reader.id)
        with uncached_client() as client:
            anonymous, html = _page(client)
            assert html.count('class="comment-card"') == 50
            assert "Diskussion früherer Fassungen" in html
            login(client, reader)
            expert, html = _page(client)
        assert html.count('class="comment-card"') == 50
        assert re.search(r'vote-up" aria-pressed="true"', html), "her own votes are marked"
        counts[total] = (anonymous, expert)
    assert counts[100] == counts[3000], counts
    for anonymous, expert in counts.values():
        assert anonymous <= LIMIT and expert <= LIMIT, counts
