"""Support and comments on an idea's page: plain forms and htmx fragments."""

from sqlmodel import select

from app import db
from app.ideas.models import Idea
from app.quartiere.models import Quarter
from tests.helpers import login, make_user, post_form

HX = {"HX-Request": "true"}


def _idea(author) -> int:
    with db.new_session(writer=True) as s:
        quarter = s.exec(select(Quarter)).first()
        idea = Idea(author_id=author.id, quarter_id=quarter.id, title="Bank am Marktplatz", body="Bitte eine Bank.",
                    html="<p>Bitte eine Bank.</p>", category="begegnung")
        s.add(idea)
        s.commit()
        return idea.id


def test_anonymous_reads_and_is_asked_to_log_in(client):
    idea_id = _idea(make_user("resident"))
    html = client.get(f"/ideen/{idea_id}").text
    assert "Unterstützung und Kommentare" in html and "Noch keine Kommentare." in html
    assert 'id="comment-form"' not in html and "Bitte melden Sie sich an" in html


def test_resident_comments_replies_and_supports(client):
    author = make_user("resident", name="Anna")
    idea_id = _idea(author)
    login(client, make_user("resident", name="Kemal"))
    html = client.get(f"/ideen/{idea_id}").text
    assert 'id="comment-form"' in html and "Worauf bezieht sich" not in html  # ideas have no paragraphs
    bad = post_form(client, f"/ideen/{idea_id}/beitraege", {"body": " ", "alignment": "note"})
    assert bad.status_code == 422 and "Bitte ausfüllen." in bad.text
    ok = post_form(client, f"/ideen/{idea_id}/beitraege", {"body": "Gute Idee, mit Schatten!", "alignment": "support"})
    assert ok.status_code == 303 and ok.headers["location"].startswith(f"/ideen/{idea_id}#beitrag-")
    cid = int(ok.headers["location"].rsplit("-", 1)[1])
    fragment = post_form(client, f"/ideen/{idea_id}/beitraege", {"body": "Und ein Trinkbrunnen.",
                                                                 "parent_id": str(cid)}, headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Und ein Trinkbrunnen." in fragment.text and "level-1" in fragment.text
    support = post_form(client, "/stimmen", {"target": "idea", "target_id": str(idea_id), "value": "1"}, headers=HX)
    assert "Unterstützen" in support.text and '<span class="count">1</span>' in support.text
    with db.new_session() as s:
        idea = s.get(Idea, idea_id)
        assert (idea.comment_count, idea.support_count) == (2, 1)
    html = client.get(f"/ideen/{idea_id}").text
    assert "Gute Idee, mit Schatten!" in html and 'aria-pressed="true"' in html
