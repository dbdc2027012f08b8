"""How a comment and an idea read on the page: separators with their spaces, none left dangling."""

from tests.discussion import factories
from tests.helpers import api_token, login, make_user
from tests.text import page_text


def _dangling(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("·") or line.endswith("·")]


def test_edited_comment_on_a_paragraph_reads_with_spaces(client):
    section_id = factories.section()
    factories.round_([section_id])
    headers = api_token(client, make_user("expert", name="Erika Expertin"))
    anchor = factories.anchors(section_id)[1]
    r = client.post(f"/api/v1/sections/{section_id}/comments", headers=headers,
                    json={"body": "Erste Fassung meines Hinweises.", "paragraph": anchor})
    assert r.status_code == 201, r.text
    assert client.patch(f"/api/v1/comments/{r.json()['id']}", headers=headers,
                        json={"body": "Zweite Fassung meines Hinweises."}).status_code == 200
    text = page_text(client.get(f"/abschnitte/{section_id}").text)
    assert "· bearbeitet · zu Absatz 2" in text, [line for line in text.splitlines() if "bearbeitet" in line]
    assert "bearbeitet·" not in text and not _dangling(text)


def test_idea_page_ends_without_a_stray_separator(client):
    section_id = factories.section()
    factories.round_([section_id], audience="public")
    author = make_user("resident", name="Anna")
    r = client.post("/api/v1/ideas", headers=api_token(client, author), json={
        "title": "Bänke am Marktplatz", "body": "Schattige Sitzplätze.", "category": "begegnung", "quarter_id": 105})
    assert r.status_code == 201, r.text
    idea = f"/ideen/{r.json()['id']}"
    anonymous = page_text(client.get(idea).text)
    assert "Stellungnahme und Verlauf" in anonymous and not _dangling(anonymous), _dangling(anonymous)
    login(client, author)  # the author cannot flag their own idea: no "Melden", no separator
    own = page_text(client.get(idea).text)
    assert "Melden" not in own and not _dangling(own), _dangling(own)
    client.cookies.clear()
    login(client, make_user("resident"))
    other = page_text(client.get(idea).text)
    assert "Stellungnahme und Verlauf · Melden (Idee" in other and not _dangling(other)
