"""The discussion on the section page: margin counts, threads, forms as plain posts and as htmx fragments,
earlier versions with paragraph markers, old version pages."""

import re

from tests.discussion import factories as f
from tests.helpers import api_token, login, make_user, post_form

HX = {"HX-Request": "true"}


def _comment(client, sid, headers, **body):
    response = client.post(f"/api/v1/sections/{sid}/comments", json={"body": "Text", **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_anonymous_sees_discussion_but_no_form(client):
    sid = f.section()
    f.round_([sid])
    anchors = f.anchors(sid)
    _comment(client, sid, api_token(client, make_user("expert", name="Erika Expertin")), paragraph=anchors[0],
             body="Sehr *wichtig*")
    html = client.get(f"/abschnitte/{sid}").text
    assert "Erika Expertin" in html and "<em>wichtig</em>" in html
    assert 'id="comment-form"' not in html and "Bitte melden Sie sich an" in html
    assert f'href="?paragraph={anchors[0]}#discussion"' in html and "1 Beitrag" in html


def test_resident_is_told_why_not(client):
    sid = f.section()
    f.round_([sid], audience="experts")
    login(client, make_user("resident"))
    html = client.get(f"/abschnitte/{sid}").text
    assert 'id="comment-form"' not in html and "nur für eingeladene Expert*innen offen" in html
    refused = post_form(client, f"/abschnitte/{sid}/beitraege", {"body": "Hallo", "alignment": "note"})
    assert refused.status_code == 403 and "nur für eingeladene Expert*innen" in refused.text


def test_expert_posts_without_javascript(client):
    sid = f.section()
    f.round_([sid])
    anchors = f.anchors(sid)
    login(client, make_user("expert", name="Erika Expertin"))
    html = client.get(f"/abschnitte/{sid}").text
    assert 'id="comment-form"' in html and "Kommentieren" in html
    bad = post_form(client, f"/abschnitte/{sid}/beitraege", {"body": "Zitat falsch", "paragraph": anchors[0],
                                                              "quote": "gibt es nicht", "alignment": "objection"})
    assert bad.status_code == 422
    assert "kommt in diesem Absatz nicht vor" in bad.text and "Zitat falsch" in bad.text  # input kept
    ok = post_form(client, f"/abschnitte/{sid}/beitraege", {
        "body": "Finanzierung sichern!", "paragraph": anchors[1], "quote": "verlässliche Finanzierung",
        "alignment": "objection"})
    assert ok.status_code == 303 and re.search(rf"/abschnitte/{sid}#beitrag-\d+$", ok.headers["location"])
    html = client.get(f"/abschnitte/{sid}").text
    assert "Finanzierung sichern!" in html and "Einwand" in html
    assert "verlässliche Finanzierung</p></blockquote>" in html
    assert "zu Absatz 2" in html


def test_htmx_post_returns_only_the_discussion_fragment(client):
    sid = f.section()
    f.round_([sid])
    login(client, make_user("expert"))
    response = post_form(client, f"/abschnitte/{sid}/beitraege", {"body": "Per htmx", "alignment": "note"},
                         headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="discussion"') and "<html" not in response.text
    assert "Per htmx" in response.text and "Ihr Beitrag ist veröffentlicht." in response.text
    error = post_form(client, f"/abschnitte/{sid}/beitraege", {"body": "", "alignment": "note"}, headers=HX)
    assert error.status_code == 200 and "Bitte ausfüllen." in error.text and "<html" not in error.text


def test_reply_vote_edit_and_withdraw_by_plain_forms(client):
    sid = f.section()
    f.round_([sid])
    author, other = make_user("expert", name="Anna Autorin"), make_user("expert", name="Otto Other")
    cid = _comment(client, sid, api_token(client, author), body="Erster Beitrag")
    login(client, other)
    html = client.get(f"/abschnitte/{sid}").text
    assert "Antworten" in html and "Bearbeiten" not in html
    reply = post_form(client, f"/abschnitte/{sid}/beitraege", {"body": "Meine Antwort", "parent_id": str(cid),
                                                                "alignment": "support"})
    assert reply.status_code == 303
    vote = post_form(client, "/stimmen", {"target": "comment", "target_id": str(cid), "value": "1",
                                          "next": f"/abschnitte/{sid}"})
    assert vote.status_code == 303
    html = client.get(f"/abschnitte/{sid}").text
    assert re.search(r'aria-pressed="true">\s*<span aria-hidden="true">▲</span> Zustimmung <span class="count">1',
                     html)
    fragment = post_form(client, "/stimmen", {"target": "comment", "target_id": str(cid), "value": "1"},
                         headers=HX)  # pressing again withdraws
    assert fragment.text.lstrip().startswith('<div class="votes" id="votes-comment-')
    assert '<span class="count">0</span>' in fragment.text
    reply_id = int(re.search(r'id="beitrag-(\d+)"[^>]*>\s*<article[^>]*>\s*<p class="comment-head"[^>]*>\s*'
                             r'<span class="alignment-badge align-support"', html).group(1))
    edit_page = client.get(f"/beitraege/{reply_id}/bearbeiten")
    assert edit_page.status_code == 200 and "Meine Antwort" in edit_page.text
    assert post_form(client, f"/beitraege/{reply_id}/bearbeiten", {"body": "Geänderte Antwort",
                                                                   "alignment": "note"}).status_code == 303
    html = client.get(f"/abschnitte/{sid}").text
    assert "Geänderte Antwort" in html and "bearbeitet" in html
    assert client.get(f"/beitraege/{cid}/bearbeiten").status_code == 403  # not the author
    assert post_form(client, f"/beitraege/{reply_id}/zurueckziehen").status_code == 303
    html = client.get(f"/abschnitte/{sid}").text
    assert "Geänderte Antwort" not in html and "Dieser Beitrag wurde zurückgezogen." in html


def test_deep_replies_are_flattened(client):
    sid = f.section()
    f.round_([sid])
    a, b = api_token(client, make_user("expert", name="Anna")), api_token(client, make_user("expert", name="Bert"))
    parent = _comment(client, sid, a, body="Ebene 0")
    for level in range(1, 6):
        parent = _comment(client, sid, b if level % 2 else a, body=f"Ebene {level}", parent_id=parent)
    html = client.get(f"/abschnitte/{sid}").text
    assert "level-3" in html and "level-4" not in html
    assert "Antwort an Bert" in html  # level 5 answers level 4, both shown at level 3


def test_paragraph_filter_sort_and_pagination(client):
    sid = f.section()
    f.round_([sid])
    anchors = f.anchors(sid)
    h = api_token(client, make_user("expert"))
    _comment(client, sid, h, body="Zu Absatz eins", paragraph=anchors[0])
    _comment(client, sid, h, body="Zu Absatz drei", paragraph=anchors[2])
    html = client.get(f"/abschnitte/{sid}?paragraph={anchors[2]}").text
    assert "Zu Absatz drei" in html and "Zu Absatz eins" not in html and "Gezeigt: Beiträge zu Absatz 3" in html
    login(client, make_user("expert"))
    html = client.get(f"/abschnitte/{sid}?paragraph={anchors[2]}").text
    assert f'<option value="{anchors[2]}" selected>' in html  # the margin link opens the form on its paragraph
    client.cookies.clear()
    html = client.get(f"/abschnitte/{sid}?sort=paragraph").text
    assert html.index("Zu Absatz eins") < html.index("Zu Absatz drei")
    html = client.get(f"/abschnitte/{sid}?sort=new").text
    assert html.index("Zu Absatz drei") < html.index("Zu Absatz eins")
    for i in range(26):
        _comment(client, sid, api_token(client, make_user("expert")), body=f"Massenbeitrag {i}")
    html = client.get(f"/abschnitte/{sid}").text
    assert 'aria-label="Seiten der Diskussion"' in html and "Massenbeitrag 25" in html
    assert "Zu Absatz eins" not in html
    assert "Zu Absatz eins" in client.get(f"/abschnitte/{sid}?page=2").text


def _item(html: str, text: str) -> str:
    """The markup of the comment whose body contains `text` (from its <li> to the body)."""
    end = html.index(text)
    return html[html.rindex("<li class=\"comment", 0, end):end]


def test_earlier_versions_with_markers_and_old_version_page(client):
    lead = f.lead()
    sid = f.section(lead)
    f.round_([sid], actor=lead)
    anchors = f.anchors(sid)
    h = api_token(client, make_user("expert"))
    _comment(client, sid, h, body="Zu Absatz eins (bleibt)", paragraph=anchors[0])
    _comment(client, sid, h, body="Zu Absatz zwei (wird geändert)", paragraph=anchors[1])
    _comment(client, sid, h, body="Zu Absatz drei (entfällt)", paragraph=anchors[2])
    f.publish(sid, [f.PARAGRAPHS[0], "Quartiersmanagement braucht verlässliche Finanzierung und feste "
                                     "Ansprechpersonen im Quartier."], actor=lead)
    _comment(client, sid, h, body="Zur neuen Fassung")
    html = client.get(f"/abschnitte/{sid}").text
    current = html.index("Beiträge zur aktuellen Fassung 2")
    earlier = html.index("Diskussion früherer Fassungen")
    assert current < html.index("Zur neuen Fassung") < earlier < html.index("Zu Fassung 1")
    changed = _item(html, "Zu Absatz zwei")
    assert "Absatz seit Fassung 1 geändert" in changed and "zu Absatz 2" in changed
    removed = _item(html, "Zu Absatz drei")
    assert "Absatz entfallen" in removed and "zu einem Absatz der Fassung 1" in removed
    kept = _item(html, "Zu Absatz eins")
    assert "Absatz entfallen" not in kept and "geändert" not in kept and "zu Absatz 1" in kept
    old = client.get(f"/abschnitte/{sid}/fassungen/1").text
    assert "Diskussion zu Fassung 1" in old and "Zu Absatz drei (entfällt)" in old
    assert "Zur neuen Fassung" not in old and 'id="comment-form"' not in old
    assert "Absatz entfallen" not in old  # on its own version a comment needs no marker
    new = client.get(f"/api/v1/sections/{sid}/comments?version=2").json()
    assert [c["body"] for c in new["items"]] == ["Zur neuen Fassung"]


def test_carried_discussion_paragraph_change_in_the_api(client):
    """A comment on an earlier version: the API says what became of its paragraph and where it is now."""
    lead = f.lead()
    sid = f.section(lead)
    f.round_([sid], actor=lead)
    old = f.anchors(sid)
    h = api_token(client, make_user("expert"))
    kept = _comment(client, sid, h, body="Zu Absatz eins (bleibt)", paragraph=old[0])
    changed = _comment(client, sid, h, body="Zu Absatz zwei (wird geändert)", paragraph=old[1])
    removed = _comment(client, sid, h, body="Zu Absatz drei (entfällt)", paragraph=old[2])
    f.publish(sid, [f.PARAGRAPHS[0], "Quartiersmanagement braucht verlässliche Finanzierung und feste "
                                     "Ansprechpersonen im Quartier."], actor=lead)
    new = f.anchors(sid)
    api = {c["id"]: c for c in client.get(f"/api/v1/sections/{sid}/comments?per_page=50").json()["items"]}
    assert (api[kept]["paragraph_change"], api[kept]["current_paragraph"]) == ("unchanged", new[0])
    assert (api[changed]["paragraph_change"], api[changed]["current_paragraph"]) == ("changed", new[1])
    assert (api[removed]["paragraph_change"], api[removed]["current_paragraph"]) == ("removed", None)
    assert client.get(f"/api/v1/comments/{changed}").json()["paragraph_change"] == "changed"
    whole = _comment(client, sid, h, body="Zum ganzen Abschnitt")
    fresh = client.get(f"/api/v1/comments/{whole}").json()
    assert (fresh["paragraph_change"], fresh["current_paragraph"]) == (None, None)
    on_current = client.post(f"/api/v1/sections/{sid}/comments", headers=h,
                             json={"body": "Neu", "paragraph": new[1]}).json()
    assert (on_current["paragraph_change"], on_current["current_paragraph"]) == ("unchanged", new[1])
    schema = client.get("/openapi.json").json()["components"]["schemas"]["CommentOut"]["properties"]
    assert "Absatz seit Fassung" in schema["paragraph_change"]["description"]
    assert "current_paragraph" in schema


def test_carried_discussion_in_the_paragraph_thread_and_margin(client):
    """A comment on an earlier version belongs to the paragraph it is about: it is counted in that paragraph's
    margin and listed in its thread (?paragraph=) with its marker."""
    lead = f.lead()
    sid = f.section(lead)
    f.round_([sid], actor=lead)
    old = f.anchors(sid)
    h = api_token(client, make_user("expert"))
    _comment(client, sid, h, body="Zu Absatz eins (bleibt)", paragraph=old[0])
    changed = _comment(client, sid, h, body="Zu Absatz zwei (wird geändert)", paragraph=old[1])
    _comment(client, sid, h, body="Antwort im geänderten Absatz", parent_id=changed)
    _comment(client, sid, h, body="Zu Absatz drei (entfällt)", paragraph=old[2])
    f.publish(sid, [f.PARAGRAPHS[0], "Quartiersmanagement braucht verlässliche Finanzierung und feste "
                                     "Ansprechpersonen im Quartier."], actor=lead)
    new = f.anchors(sid)
    html = client.get(f"/abschnitte/{sid}").text
    margin = re.search(rf'href="\?paragraph={new[1]}#discussion">\s*(\d+) Beitr', html)
    assert margin and margin.group(1) == "2", "the changed paragraph's margin counts the comment and its reply"
    assert re.search(rf'href="\?paragraph={new[0]}#discussion">\s*1 Beitrag', html)

    thread = client.get(f"/abschnitte/{sid}?paragraph={new[1]}").text
    assert "Noch keine Beiträge." not in thread
    assert "Zur aktuellen Fassung noch keine Beiträge" in thread
    item = _item(thread, "Zu Absatz zwei (wird geändert)")
    assert "Absatz seit Fassung 1 geändert" in item and "zu Absatz 2" in item
    assert "Antwort im geänderten Absatz" in thread
    assert "Zu Absatz eins" not in thread and "Zu Absatz drei" not in thread
    unchanged = client.get(f"/abschnitte/{sid}?paragraph={new[0]}").text
    assert "Zu Absatz eins (bleibt)" in unchanged and "Zu Absatz zwei" not in unchanged
    assert "geändert</p>" not in _item(unchanged, "Zu Absatz eins (bleibt)")
    _comment(client, sid, h, body="Neu zu Absatz eins", paragraph=new[0])
    both = client.get(f"/abschnitte/{sid}?paragraph={new[0]}").text
    assert "Neu zu Absatz eins" in both and "Zu Absatz eins (bleibt)" in both
    assert re.search(rf'href="\?paragraph={new[0]}#discussion">\s*2 Beitr', both)


def test_lead_replies_but_opens_no_thread(client):
    sid = f.section()
    f.round_([sid])
    cid = _comment(client, sid, api_token(client, make_user("expert")), body="Frage an die Projektleitung")
    login(client, make_user("lead"))
    html = client.get(f"/abschnitte/{sid}").text
    assert 'id="comment-form"' not in html and "Sie antworten direkt auf die Beiträge" in html
    assert f'name="parent_id" value="{cid}"' in html
    ok = post_form(client, f"/abschnitte/{sid}/beitraege", {"body": "Wir nehmen das auf.", "parent_id": str(cid)})
    assert ok.status_code == 303
    refused = post_form(client, f"/abschnitte/{sid}/beitraege", {"body": "Eigener Beitrag"})
    assert refused.status_code == 403


def test_moderator_hides_from_the_thread_with_a_reason(client):
    sid = f.section()
    f.round_([sid])
    cid = _comment(client, sid, api_token(client, make_user("expert")), body="Werbung für meinen Laden")
    login(client, make_user("moderator"))
    html = client.get(f"/abschnitte/{sid}").text
    assert f'action="/moderation/beitrag/{cid}/ausblenden"' in html
    assert f'action="/beitraege/{cid}/zurueckziehen"' not in html  # only authors withdraw
    assert post_form(client, f"/beitraege/{cid}/zurueckziehen").status_code == 403
    post_form(client, f"/moderation/beitrag/{cid}/ausblenden", {"reason": ""})
    assert client.get(f"/api/v1/comments/{cid}").json()["status"] == "visible"  # a reason is required
    post_form(client, f"/moderation/beitrag/{cid}/ausblenden", {"reason": "Werbung"})
    client.cookies.clear()
    public = client.get(f"/abschnitte/{sid}").text
    assert "Werbung für meinen Laden" not in public and "von der Moderation ausgeblendet" in public


def test_every_sort_orders_threads_and_earlier_threads(client):
    """The page reads a page of threads per sort and shows them in that order, current and earlier versions."""
    lead = f.lead()
    sid = f.section(lead)
    f.round_([sid], actor=lead)
    first = f.anchors(sid)
    h = api_token(client, make_user("expert"))
    _comment(client, sid, h, body="Alt ganzer Abschnitt")
    _comment(client, sid, h, body="Alt Absatz zwei", paragraph=first[1])
    _comment(client, sid, h, body="Alt Absatz eins", paragraph=first[0])
    f.publish(sid, [f.PARAGRAPHS[0] + " Ergänzt um Begegnungsorte.", *f.PARAGRAPHS[1:]], actor=lead)
    second = f.anchors(sid)
    top = _comment(client, sid, h, body="Neu Absatz zwei", paragraph=second[1])
    _comment(client, sid, h, body="Neu ganzer Abschnitt")
    _comment(client, sid, h, body="Neu Absatz eins", paragraph=second[0])
    voter = api_token(client, make_user("expert"))
    assert client.put("/api/v1/votes", json={"target": "comment", "target_id": top, "value": 1},
                      headers=voter).status_code == 200

    def order(sort: str) -> list[str]:
        html = client.get(f"/abschnitte/{sid}?sort={sort}").text
        return re.findall(r"<p>((?:Neu|Alt) [^<]*)</p>", html)

    assert order("new") == ["Neu Absatz eins", "Neu ganzer Abschnitt", "Neu Absatz zwei",
                            "Alt Absatz eins", "Alt Absatz zwei", "Alt ganzer Abschnitt"]
    assert order("top")[:3] == ["Neu Absatz zwei", "Neu Absatz eins", "Neu ganzer Abschnitt"]
    # By paragraph: the whole section first, then paragraphs 1 and 2 (the current version's positions); earlier
    # versions' threads by their anchors, those without an anchor last.
    old = [text for _anchor, text in sorted([(first[0], "Alt Absatz eins"), (first[1], "Alt Absatz zwei")])]
    assert order("paragraph") == ["Neu ganzer Abschnitt", "Neu Absatz eins", "Neu Absatz zwei", *old,
                                  "Alt ganzer Abschnitt"]
