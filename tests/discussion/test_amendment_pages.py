"""Änderungsvorschläge and quoting on the pages (plain forms, no script): propose, see the diff, the lead adopts
(one button, or both texts and the draft to merge by hand), quotes marked in their paragraph and linked."""

import re

from tests.discussion import factories as f
from tests.helpers import login, make_user, post_form

P = f.PARAGRAPHS
NEW = "Quartiersmanagement braucht dauerhafte Mittel und feste Ansprechpersonen vor Ort."


def _setup(client):
    sid = f.section()
    f.round_([sid])
    return sid, f.anchors(sid)


def test_propose_by_form_then_the_lead_adopts_with_one_button(client):
    sid, anchors = _setup(client)
    expert = make_user("expert", name="Erika Expertin")
    login(client, expert)
    page = client.get(f"/abschnitte/{sid}")
    assert f"/abschnitte/{sid}/aenderungsvorschlag?absatz={anchors[1]}" in page.text
    form = client.get(f"/abschnitte/{sid}/aenderungsvorschlag?absatz={anchors[1]}")
    assert form.status_code == 200 and P[1] in form.text  # the form starts with the paragraph's text
    assert client.get(f"/abschnitte/{sid}/aenderungsvorschlag").text.count("?absatz=") == 3  # choose one
    bad = post_form(client, f"/abschnitte/{sid}/aenderungsvorschlaege",
                    {"paragraph": anchors[1], "text": P[1], "reason": "Gleich."})
    assert bad.status_code == 422 and "derselbe" in bad.text
    sent = post_form(client, f"/abschnitte/{sid}/aenderungsvorschlaege",
                     {"paragraph": anchors[1], "position": "replace", "text": NEW, "reason": "Befristung hilft nicht."})
    assert sent.status_code == 303, sent.text
    cid = int(sent.headers["location"].split("#beitrag-")[1])
    page = client.get(f"/abschnitte/{sid}").text
    assert "Änderungsvorschlag</span>" in page and "<ins>" in page and "Befristung hilft nicht." in page
    assert f"/beitraege/{cid}/uebernehmen" not in page  # not for experts
    assert client.get(f"/beitraege/{cid}/uebernehmen").status_code == 403

    client.cookies.clear()
    lead = make_user("lead")
    login(client, lead)
    page = client.get(f"/abschnitte/{sid}").text
    assert f"/beitraege/{cid}/uebernehmen" in page
    adopt = client.get(f"/beitraege/{cid}/uebernehmen")
    assert adopt.status_code == 200 and "In den Entwurf übernehmen" in adopt.text
    revision = re.search(r'name="revision" value="(\d+)"', adopt.text).group(1)
    done = post_form(client, f"/beitraege/{cid}/uebernehmen", {"revision": revision})
    assert done.status_code == 303 and done.headers["location"] == f"/abschnitte/{sid}/entwurf"
    page = client.get(f"/abschnitte/{sid}").text
    assert "In den Entwurf übernommen am" in page
    publish = client.get(f"/abschnitte/{sid}/veroeffentlichen").text
    assert "greift 1 übernommenen Änderungsvorschlag auf" in publish and f"#beitrag-{cid}" in publish
    again = post_form(client, f"/beitraege/{cid}/uebernehmen", {"revision": revision})
    assert again.status_code == 409 and "bereits" in again.text
    # publishing: "Übernommen in Fassung 2"
    from app import db
    from app.documents import service as documents

    with db.new_session(writer=True) as s:
        documents.publish_version(s, actor=lead, section_id=sid, change_summary="Nach Vorschlag")
    page = client.get(f"/abschnitte/{sid}").text
    assert "Übernommen in Fassung 2" in page


def test_adopt_page_shows_both_texts_when_the_draft_changed_and_saves_the_merge(client):
    sid, anchors = _setup(client)
    login(client, make_user("expert"))
    sent = post_form(client, f"/abschnitte/{sid}/aenderungsvorschlaege",
                     {"paragraph": anchors[1], "text": NEW, "reason": "Klarer."})
    cid = int(sent.headers["location"].split("#beitrag-")[1])
    changed = P[1].replace("verlässliche", "langfristige")
    lead = make_user("lead")
    from app import db
    from app.documents import service as documents
    from app.documents.schemas import DraftIn

    with db.new_session(writer=True) as s:
        draft = documents.get_draft(s, section_id=sid)
        documents.save_draft(s, actor=lead, section_id=sid, data=DraftIn(
            title=draft.title, body="\n\n".join([P[0], changed, P[2]]), revision=draft.revision))
    client.cookies.clear()
    login(client, lead)
    page = client.get(f"/beitraege/{cid}/uebernehmen")
    assert page.status_code == 200
    assert "von Hand zusammen" in page.text and changed in page.text and NEW in page.text
    revision = int(re.search(r'name="revision" value="(\d+)"', page.text).group(1))
    # the automatic way is refused, nothing is overwritten
    refused = post_form(client, f"/beitraege/{cid}/uebernehmen", {"revision": str(revision)})
    assert refused.status_code == 409
    merged = "\n\n".join([P[0], NEW.replace("dauerhafte", "langfristige"), P[2]])
    stale = post_form(client, f"/beitraege/{cid}/uebernehmen", {"revision": str(revision - 1), "body": merged})
    assert stale.status_code == 409 and "nicht gespeichert" in stale.text
    ok = post_form(client, f"/beitraege/{cid}/uebernehmen", {"revision": str(revision), "body": merged})
    assert ok.status_code == 303, ok.text
    with db.new_session() as s:
        assert documents.get_draft(s, section_id=sid).body == merged


def test_quotes_are_marked_in_their_paragraph_and_linked(client):
    sid, anchors = _setup(client)
    login(client, make_user("expert"))
    sent = post_form(client, f"/abschnitte/{sid}/beitraege",
                     {"body": "Wer finanziert das?", "paragraph": anchors[1], "quote": "verlässliche  Finanzierung"})
    cid = int(sent.headers["location"].split("#beitrag-")[1])
    page = client.get(f"/abschnitte/{sid}").text
    assert f'<mark id="zitat-{cid}">verlässliche Finanzierung</mark>' in page
    assert f'href="#zitat-{cid}"' in page
    assert 'data-quote-label="Zitieren und kommentieren"' in page and "js/quote.js" in page


def test_marking_quotes_in_paragraph_html():
    from app.discussion.quotes import mark, mark_all

    # a quote that runs across formatting is not marked; entities are matched as the reader sees them

    assert mark("<p>Ein <strong>fetter</strong> Satz.</p>", "Ein fetter", "z") is None
    assert mark("<p>A &amp; B und C</p>", "A & B", "z") == '<p><mark id="z">A &amp; B</mark> und C</p>'
    marked, ids = mark_all({"a": "<p>eins zwei drei</p>"}, [(1, "a", "zwei"), (2, "a", "zwei"), (3, "a", "drei"),
                                                           (4, "b", "x"), (5, "a", "vier")])
    assert marked["a"] == '<p>eins <mark id="zitat-1">zwei</mark> <mark id="zitat-3">drei</mark></p>'
    assert ids == {1: "zitat-1", 2: "zitat-1", 3: "zitat-3"}
