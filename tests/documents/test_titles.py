"""Page titles tell pages apart: an older version of a section is not titled like the current one."""

import re

from tests.discussion import factories
from tests.discussion.factories import PARAGRAPHS


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_an_older_version_has_its_own_page_title(client):
    section_id = factories.section()
    factories.publish(section_id, [*PARAGRAPHS, "Ein neuer Absatz."])
    current = _title(client.get(f"/abschnitte/{section_id}").text)
    latest = _title(client.get(f"/abschnitte/{section_id}/fassungen/2").text)
    older = _title(client.get(f"/abschnitte/{section_id}/fassungen/1").text)
    assert older != current and "Fassung 1 (ältere Fassung)" in older
    assert latest == current and "ältere Fassung" not in current
