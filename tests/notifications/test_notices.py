"""Every promised notice over HTTP: sent once, to the right person, honouring the person's settings in /konto,
nothing sent for what was withdrawn or hidden before delivery, the daily digest, the moderators' flag batch,
round notices by the deliver-mail worker, nothing lost when SMTP fails."""

from datetime import timedelta

from sqlmodel import select

from app import db
from app.db import utcnow
from app.notifications import service as mail
from app.notifications.models import OutboxMessage
from app.rounds.models import RoundFollow
from app.web.i18n import BERLIN
from tests.discussion import factories as f
from tests.helpers import api_token, login, make_user, outbox, post_form
from tests.ideas.conftest import make_round

IDEA = {"title": "Ein Treffpunkt für alle", "body": "Ein Raum ohne Konsumzwang für die Nachbarschaft.",
        "category": "begegnung", "quarter_id": 105}
ALL_ON = {name: "1" for name in ("notify_responses", "notify_idea_status", "notify_replies", "notify_versions",
                                 "notify_rounds", "notify_moderation", "notify_block", "notify_flags")}


def _comment(client, sid, headers, **body):
    response = client.post(f"/api/v1/sections/{sid}/comments", json={"body": "Text", **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _settings(client, user, **changes):
    """Set the person's notice settings through /konto (everything on unless named "")."""
    login(client, user)
    data = {k: v for k, v in {**ALL_ON, **changes}.items() if v}
    assert post_form(client, "/konto/benachrichtigungen", data).status_code == 303
    client.cookies.clear()


def _delivered() -> list[OutboxMessage]:
    sent = []
    mail.deliver_pending(send=sent.append)
    return sent


def _kinds(email: str, kind: str) -> list[OutboxMessage]:
    return [m for m in outbox(email) if m.kind == kind]


def _idea(client, headers) -> int:
    response = client.post("/api/v1/ideas", json=IDEA, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


# --- (a) official response, (b) idea status --------------------------------------------------------

def test_official_response_mail_once_with_status_text_and_link_honouring_opt_out(client):
    lead = f.lead()
    sid = f.section(lead)
    f.round_([sid], actor=lead)
    author, quiet = make_user("expert"), make_user("expert")
    cid = _comment(client, sid, api_token(client, author))
    quiet_cid = _comment(client, sid, api_token(client, quiet))
    _settings(client, quiet, notify_responses="")
    hl = api_token(client, lead)
    body = {"status": "partly", "text": "Wir nehmen den Gedanken in Abschnitt 2 auf."}
    for target in (cid, quiet_cid):
        assert client.put(f"/api/v1/comments/{target}/response", json=body, headers=hl).status_code == 200
    assert client.put(f"/api/v1/comments/{cid}/response", json=body, headers=hl).status_code == 200  # unchanged
    messages = _kinds(author.email, "response")
    assert len(messages) == 1
    assert "teilweise berücksichtigt" in messages[0].body and "Abschnitt 2 auf" in messages[0].body
    assert f"http://testserver/abschnitte/{sid}#beitrag-{cid}" in messages[0].body
    assert _kinds(quiet.email, "response") == [] and _kinds(lead.email, "response") == []
    # answered again before delivery: only the answer that stands is sent
    client.put(f"/api/v1/comments/{cid}/response", json={"status": "rejected", "text": "Doch nicht."}, headers=hl)
    sent = [m for m in _delivered() if m.to_email == author.email]
    assert len(sent) == 1 and "nicht berücksichtigt" in sent[0].body and "Doch nicht." in sent[0].body
    assert _delivered() == []


def test_idea_response_and_status_change_reach_the_author_not_for_hidden_ideas(client):
    make_round()
    resident, lead = make_user("resident"), make_user("lead")
    hr, hl = api_token(client, resident), api_token(client, lead)
    idea = _idea(client, hr)
    r = client.put(f"/api/v1/ideas/{idea}/status", headers=hl,
                   json={"status": "reviewing", "reason": "Wir prüfen das mit dem Bezirksamt."})
    assert r.status_code == 200, r.text
    client.put(f"/api/v1/ideas/{idea}/response", headers=hl, json={"status": "noted", "text": "Danke!"})
    status = _kinds(resident.email, "idea_status")
    assert len(status) == 1 and "in Prüfung" in status[0].body and "Bezirksamt" in status[0].body
    assert f"http://testserver/ideen/{idea}" in status[0].body
    assert len(_kinds(resident.email, "response")) == 1
    assert {m.kind for m in _delivered()} == {"idea_status", "response"}
    # a final status is the idea's Stellungnahme (one status for an idea): one mail, of kind "response";
    # hidden before delivery: not sent
    client.put(f"/api/v1/ideas/{idea}/status", headers=hl,
               json={"status": "declined", "reason": "Liegt außerhalb des Auftrags."})
    hm = api_token(client, make_user("moderator"))
    hide = client.post(f"/api/v1/moderation/idea/{idea}/hide", json={"reason": "Werbung"}, headers=hm)
    assert hide.status_code == 200
    assert [m.kind for m in _delivered() if m.to_email == resident.email] == ["hidden"]
    cancelled = [m for m in outbox(resident.email) if m.cancelled_at]
    assert [m.kind for m in cancelled] == ["response"]
    assert len(cancelled) == 1 and cancelled[0].body == "" and cancelled[0].sent_at is None
    # opt-out
    other = make_user("resident")
    _settings(client, other, notify_idea_status="")
    second = _idea(client, api_token(client, other))
    client.put(f"/api/v1/ideas/{second}/status", headers=hl, json={"status": "reviewing", "reason": "Wir prüfen das."})
    assert _kinds(other.email, "idea_status") == []


# --- (c) replies: never the text of one withdrawn or hidden before delivery -------------------------

def test_reply_withdrawn_or_hidden_before_delivery_is_never_sent(client):
    sid = f.section()
    f.round_([sid])
    author, replier = make_user("expert"), make_user("expert", name="Rita Replier")
    ha, hr = api_token(client, author), api_token(client, replier)
    cid = _comment(client, sid, ha)
    withdrawn = _comment(client, sid, hr, parent_id=cid, body="Das nehme ich zurück")
    hidden = _comment(client, sid, hr, parent_id=cid, body="Beleidigender Unsinn")
    kept = _comment(client, sid, hr, parent_id=cid, body="Ein guter Hinweis")
    assert len(_kinds(author.email, "reply")) == 3
    assert client.delete(f"/api/v1/comments/{withdrawn}", headers=hr).status_code == 200
    hm = api_token(client, make_user("moderator"))
    assert client.post(f"/api/v1/moderation/comment/{hidden}/hide", json={"reason": "Beleidigung"},
                       headers=hm).status_code == 200
    sent = [m for m in _delivered() if m.to_email == author.email]
    assert len(sent) == 1 and "Ein guter Hinweis" in sent[0].body and f"#beitrag-{kept}" in sent[0].body
    stored = " ".join(m.body for m in outbox(author.email))
    assert "Das nehme ich zurück" not in stored and "Beleidigender Unsinn" not in stored


# --- (e) followed rounds ----------------------------------------------------------------------------

def test_followed_round_opens_and_closes_soon_each_mail_once_by_the_worker(client):
    from typer.testing import CliRunner

    from app.cli import cli

    sid = f.section()
    now = utcnow()
    round_ = f.round_([sid], audience="public", opens_at=now + timedelta(hours=2), closes_at=now + timedelta(days=3),
                      title="Runde Frühjahr")
    fan, quiet, gone = make_user("resident"), make_user("resident"), make_user("resident")
    _settings(client, quiet, notify_rounds="")
    for person in (fan, quiet, gone):
        login(client, person)
        assert "Runde folgen" in client.get(f"/runden/{round_.id}").text
        r = post_form(client, f"/runden/{round_.id}/folgen", {"follow": "1"})
        assert r.status_code == 303
        client.cookies.clear()
    login(client, gone)
    assert "Nicht mehr folgen" in client.get(f"/runden/{round_.id}").text
    post_form(client, f"/runden/{round_.id}/folgen", {"follow": "0"})
    client.cookies.clear()

    mail.run_periodic(now)  # planned: nothing yet
    assert [m for m in outbox() if m.kind == "round"] == []
    for _ in range(2):
        mail.run_periodic(now + timedelta(hours=3))
    opened = [m for m in outbox() if m.kind == "round"]
    assert [m.to_email for m in opened] == [fan.email] and "ist jetzt offen" in opened[0].body
    assert f"http://testserver/runden/{round_.id}" in opened[0].body
    mail.run_periodic(now + timedelta(days=1))  # more than a day before the end: no reminder yet
    assert len([m for m in outbox() if m.kind == "round"]) == 1
    # the deliver-mail worker itself sends the reminder, once
    with db.new_session(writer=True) as s:
        from app.rounds.models import Round

        stored = s.get(Round, round_.id)
        stored.opens_at, stored.closes_at = now - timedelta(days=2), now + timedelta(hours=20)
        s.add(stored)
        s.commit()
    for _ in range(2):
        assert CliRunner().invoke(cli, ["deliver-mail"]).exit_code == 0
    reminders = [m for m in outbox() if m.kind == "round" and "schließt am" in m.body]
    assert [m.to_email for m in reminders] == [fan.email] and reminders[0].sent_at is not None


def test_following_needs_a_login_and_an_existing_round(client):
    sid = f.section()
    round_ = f.round_([sid], audience="public")
    assert post_form(client, f"/runden/{round_.id}/folgen", {"follow": "1"}).status_code in (303, 401)
    login(client, make_user("resident"))
    assert post_form(client, "/runden/99999/folgen", {"follow": "1"}).status_code == 404
    with db.new_session() as s:
        assert s.exec(select(RoundFollow)).all() == []


# --- (f) flags for moderators ----------------------------------------------------------------------

def test_moderators_get_one_mail_per_flagged_item_at_most_every_15_minutes(client):
    sid = f.section()
    f.round_([sid], audience="public")
    m1, m2, quiet = make_user("moderator"), make_user("moderator"), make_user("moderator")
    _settings(client, quiet, notify_flags="")
    author = make_user("expert")
    ha = api_token(client, author)
    x, y, z, w = (_comment(client, sid, ha, body=f"Beitrag {n}") for n in "xyzw")
    flaggers = [api_token(client, make_user("resident")) for _ in range(3)]

    def flag(headers, target, reason="Unsachlich"):
        r = client.post("/api/v1/flags", json={"target": "comment", "target_id": target, "reason": reason},
                        headers=headers)
        assert r.status_code == 201, r.text

    flag(flaggers[0], x, "Beleidigend")
    flag(flaggers[1], x, "Persönlicher Angriff")
    flag(flaggers[0], y)
    flag(flaggers[0], w)
    hm = api_token(client, m1)
    client.post(f"/api/v1/moderation/comment/{w}/hide", json={"reason": "Beleidigung"}, headers=hm)  # resolved
    now = utcnow()
    mail.run_periodic(now)
    for moderator in (m1, m2):
        got = _kinds(moderator.email, "flag")
        assert sorted(m.subject for m in got) == [f"Gemeldet: Beitrag #{x}", f"Gemeldet: Beitrag #{y}"]
        assert any("2 Meldende" in m.body and "Beleidigend" in m.body for m in got)
    assert _kinds(quiet.email, "flag") == [] and _kinds(author.email, "flag") == []
    flag(flaggers[2], x)  # the same item again: no second mail
    flag(flaggers[1], z)
    mail.run_periodic(now + timedelta(minutes=5))  # within 15 minutes: nothing
    assert len(_kinds(m1.email, "flag")) == 2
    mail.run_periodic(now + timedelta(minutes=16))
    assert sorted(m.subject for m in _kinds(m1.email, "flag"))[-1] == f"Gemeldet: Beitrag #{z}"
    assert len(_kinds(m1.email, "flag")) == 3
    mail.run_periodic(now + timedelta(minutes=40))
    assert len(_kinds(m1.email, "flag")) == 3
    # flags dismissed before delivery: the mail about them is not sent
    client.post(f"/api/v1/moderation/comment/{z}/dismiss", json={"reason": "unbegründet"}, headers=hm)
    sent = _delivered()
    assert f"Gemeldet: Beitrag #{z}" not in {m.subject for m in sent}
    assert {m.subject for m in sent if m.to_email == m2.email} == {f"Gemeldet: Beitrag #{x}",
                                                                  f"Gemeldet: Beitrag #{y}"}


# --- (g) hidden and restored, (h) blocked ----------------------------------------------------------

def test_author_is_told_about_hiding_and_restoring_with_the_reason(client):
    sid = f.section()
    f.round_([sid], audience="public")
    author, quiet = make_user("expert"), make_user("expert")
    _settings(client, quiet, notify_moderation="")
    cid = _comment(client, sid, api_token(client, author))
    quiet_cid = _comment(client, sid, api_token(client, quiet))
    hm = api_token(client, make_user("moderator"))
    for target in (cid, quiet_cid):
        assert client.post(f"/api/v1/moderation/comment/{target}/hide", headers=hm,
                           json={"reason": "Verstößt gegen die Netiquette"}).status_code == 200
        assert client.post(f"/api/v1/moderation/comment/{target}/restore", json={"reason": "War doch in Ordnung"},
                           headers=hm).status_code == 200
    hidden, restored = _kinds(author.email, "hidden"), _kinds(author.email, "restored")
    assert len(hidden) == 1 and "Grund: Verstößt gegen die Netiquette" in hidden[0].body
    assert "widersprechen" in hidden[0].body and "moderation@quartierswerkstatt.example" in hidden[0].body
    assert len(restored) == 1 and "War doch in Ordnung" in restored[0].body
    assert _kinds(quiet.email, "hidden") == [] and _kinds(quiet.email, "restored") == []


def test_blocked_person_learns_until_when_why_and_how_to_object(client):
    person, quiet = make_user("resident"), make_user("resident")
    _settings(client, quiet, notify_block="")
    hm = api_token(client, make_user("moderator"))
    for target in (person, quiet):
        r = client.post(f"/api/v1/moderation/users/{target.id}/block", headers=hm,
                        json={"days": 7, "reason": "Wiederholte Beleidigungen"})
        assert r.status_code == 200, r.text
    messages = _kinds(person.email, "block")
    until = (utcnow() + timedelta(days=7)).astimezone(BERLIN)
    assert len(messages) == 1 and f"{until:%d.%m.%Y}" in messages[0].body
    assert "Wiederholte Beleidigungen" in messages[0].body and "widersprechen" in messages[0].body
    assert _kinds(quiet.email, "block") == []


# --- digest, settings, SMTP failure -----------------------------------------------------------------

def test_daily_digest_collects_notices_and_leaves_out_withdrawn_ones(client):
    sid = f.section()
    f.round_([sid])
    author, replier = make_user("expert"), make_user("expert", name="Rita Replier")
    _settings(client, author, notify_digest="1")
    ha, hr = api_token(client, author), api_token(client, replier)
    cid = _comment(client, sid, ha)
    _comment(client, sid, hr, parent_id=cid, body="Erste Antwort")
    gone = _comment(client, sid, hr, parent_id=cid, body="Zurückgezogene Antwort")
    _comment(client, sid, hr, parent_id=cid, body="Dritte Antwort")
    client.delete(f"/api/v1/comments/{gone}", headers=hr)
    assert [m for m in _delivered() if m.to_email == author.email] == []  # held
    now = utcnow()
    mail.run_periodic(now)
    assert _kinds(author.email, "digest") == []  # not a day yet
    mail.run_periodic(now + timedelta(hours=25))
    mail.run_periodic(now + timedelta(hours=26))
    digests = _kinds(author.email, "digest")
    assert len(digests) == 1
    assert "Erste Antwort" in digests[0].body and "Dritte Antwort" in digests[0].body
    assert "Zurückgezogene Antwort" not in digests[0].body
    sent = [m for m in _delivered() if m.to_email == author.email]
    assert [m.kind for m in sent] == ["digest"] and _delivered() == []
    # digest switched off: what is held goes out at once
    _comment(client, sid, hr, parent_id=cid, body="Vierte Antwort")
    _settings(client, author)
    assert ["Vierte Antwort" in m.body for m in _delivered() if m.to_email == author.email] == [True]


def test_settings_page_offers_each_kind_and_flags_only_to_moderators(client):
    resident, moderator = make_user("resident"), make_user("moderator")
    login(client, resident)
    page = client.get("/konto").text
    for name in ("notify_responses", "notify_idea_status", "notify_rounds", "notify_moderation", "notify_block",
                 "notify_digest"):
        assert f'name="{name}"' in page
    assert 'name="notify_flags"' not in page
    post_form(client, "/konto/benachrichtigungen", {"notify_rounds": "1", "notify_flags": "1", "notify_digest": "1"})
    data = client.get("/konto/daten.json").json()["account"]
    assert data["notify_rounds"] and data["notify_digest"] and not data["notify_responses"]
    assert data["notify_flags"] is True  # not offered to residents: unchanged
    client.cookies.clear()
    login(client, moderator)
    assert 'name="notify_flags"' in client.get("/konto").text
    post_form(client, "/konto/benachrichtigungen", {"notify_rounds": "1"})
    assert client.get("/konto/daten.json").json()["account"]["notify_flags"] is False


def test_followed_rounds_are_in_my_data_and_go_with_the_account(client):
    sid = f.section()
    round_ = f.round_([sid], audience="public")
    person = make_user("resident")
    login(client, person)
    post_form(client, f"/runden/{round_.id}/folgen", {"follow": "1"})
    assert client.get("/konto/daten.json").json()["followed_rounds"][0]["round_id"] == round_.id
    r = post_form(client, "/konto/loeschen", {"password": "richtig-langes-passwort", "confirm": "ja"})
    assert r.status_code == 303
    with db.new_session() as s:
        assert s.exec(select(RoundFollow)).all() == []


def test_a_notice_is_not_lost_when_smtp_fails(client):
    sid = f.section()
    f.round_([sid])
    author, lead = make_user("expert"), make_user("lead")
    cid = _comment(client, sid, api_token(client, author))
    client.put(f"/api/v1/comments/{cid}/response", json={"status": "noted", "text": "Danke."},
               headers=api_token(client, lead))

    def broken(message):
        raise ConnectionRefusedError("SMTP nicht erreichbar")

    assert mail.deliver_pending(send=broken) == (0, 1)
    with db.new_session(writer=True) as s:
        for m in s.exec(select(OutboxMessage)).all():
            m.next_attempt_at = utcnow() - timedelta(seconds=1)
            s.add(m)
        s.commit()
    sent = _delivered()
    assert [m.kind for m in sent] == ["response"] and "Danke." in sent[0].body
