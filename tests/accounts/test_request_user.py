"""The person behind a request: read from one row per request (app/deps.py load_user) and taken up by the
request's session as it is, without SQL. What they see and write is theirs, and nothing writes their row back.
(That a request's change to its own person is stored: test_pages.py, notification settings.)"""

import re

from tests.benchmarks.uncached import statements
from tests.discussion import factories as f
from tests.helpers import api_token, login, make_user


def _user_updates(sent: list[str]) -> list[str]:
    return [s for s in sent if re.match(r'\s*UPDATE\s+"?user"?\s', s, re.IGNORECASE)]


def test_a_logged_in_comment_is_the_readers_own_and_leaves_their_account_row_alone(client):
    sid = f.section()
    f.round_([sid])
    expert = make_user("expert", name="Ida Ilić", organisation="Mobile Jugendarbeit Ost")
    headers = api_token(client, expert)
    with statements() as sent:
        posted = client.post(f"/api/v1/sections/{sid}/comments", json={"body": "Mehr Bänke am Platz."},
                             headers=headers)
    assert posted.status_code == 201, posted.text
    assert posted.json()["author"]["display_name"] == "Ida Ilić"
    assert not _user_updates(sent), sent

    login(client, expert)
    with statements() as sent:
        page = client.get(f"/abschnitte/{sid}")
    assert page.status_code == 200
    assert "Mehr Bänke am Platz." in page.text
    assert "Ida Ilić" in page.text and "(Mobile Jugendarbeit Ost)" in page.text
    assert not _user_updates(sent), sent

