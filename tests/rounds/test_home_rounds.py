"""The start page: every open round the visitor can join, for anonymous visitors the ones a registration would
open, the other open rounds to read, and the coming ones, each with all its sections."""

from datetime import timedelta

import pytest

from app.db import utcnow
from tests.discussion import factories as f
from tests.helpers import login, make_user


@pytest.fixture
def rounds():
    ids = [f.section(title=f"Abschnitt Nummer {n}") for n in range(1, 9)]
    now = utcnow()
    f.round_(ids[:7], audience="experts", title="Fachrunde der Expert*innen")  # 7 sections: all shown, not 6
    f.round_(ids[6:8], audience="residents", title="Bürgerrunde Quartiere")
    f.round_(ids[:1], audience="public", title="Winterrunde", opens_at=now + timedelta(days=10),
             closes_at=now + timedelta(days=20))
    f.round_(ids[:1], audience="public", title="Vergangene Runde", opens_at=now - timedelta(days=20),
             closes_at=now - timedelta(days=10))
    return ids


def _block(html: str, heading: str) -> str:
    """The part of the rounds panel under one h3."""
    start = html.index(heading)
    end = html.find("<h3>", start)
    return html[start:end if end != -1 else html.index("</section>", start)]


def test_anonymous_sees_what_registration_opens_the_rest_to_read_and_the_coming(client, rounds):
    html = client.get("/").text
    assert "Sie können mitmachen" not in html
    after = _block(html, "mit einer Registrierung machen Sie mit")
    assert "Bürgerrunde Quartiere" in after and "Fachrunde" not in after
    assert "Fachrunde der Expert*innen" in _block(html, "zum Mitlesen")
    for sid in rounds[:7]:  # every section of the expert round, not just the first few
        assert f'href="/abschnitte/{sid}"' in html
    assert "Winterrunde" in _block(html, "Demnächst")
    assert "Vergangene Runde" not in html


def test_an_expert_can_join_both(client, rounds):
    login(client, make_user("expert"))
    joinable = _block(client.get("/").text, "Sie können mitmachen")
    assert "Fachrunde der Expert*innen" in joinable and "Bürgerrunde Quartiere" in joinable


def test_a_resident_joins_the_residents_round_and_reads_the_experts_round(client, rounds):
    login(client, make_user("resident"))
    html = client.get("/").text
    assert "Bürgerrunde Quartiere" in _block(html, "Sie können mitmachen")
    assert "Fachrunde der Expert*innen" in _block(html, "Weitere offene Runden")
    assert "Registrierung" not in _block(html, "Beteiligungsrunden</h2>")
