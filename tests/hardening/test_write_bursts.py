"""Every write operation of the API at once, accepted and refused, double submits included (issue 11).

The operations are taken from the app's routes (every POST, PUT, PATCH and DELETE under /api/v1), so a new
one fails this test until it is given a request below. Against a real uvicorn worker with the production
thread settings, each operation is sent twice with the same valid request (a double submit: one may be
refused as a repeat) and once refused (unknown target, wrong role or a state that forbids it), all of them
in one burst: no request may time out or get a 5xx (no "database is locked" 503 either), every operation's
valid request must succeed once, and /healthz must answer within a second throughout."""

import secrets
from datetime import timedelta

import httpx
import pytest

from app.db import utcnow
from app.main import app
from tests.events.factory import event_data
from tests.exports.xlsx import fill
from tests.hardening.routes import all_routes
from tests.hardening.test_lock_waits import ENV as LOCK_ENV
from tests.hardening.test_lock_waits import REQUEST_TIMEOUT, burst, token_of
from tests.helpers import CONSENT, PASSWORD, make_user
from tests.responses.factory import World

ENV = {**LOCK_ENV, "QW_POST_RATE_PER_MINUTE": "1000", "QW_LOGIN_MAX_FAILURES": "1000"}
MISSING = 999_999
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# operations whose valid request is refused on a platform with data (an import needs an empty platform)
REFUSED_ONLY = {("POST", "/api/v1/import")}


def write_operations() -> set[tuple[str, str]]:
    return {(method, path) for path, route in all_routes(app.routes) if path.startswith("/api/v1/")
            for method in route.methods & {"POST", "PUT", "PATCH", "DELETE"}}


@pytest.fixture
def server(database):
    from tests.benchmarks.load import Server

    with Server("app.main:app", workers=1, env=ENV) as server:
        yield server


class Setup:
    """A platform with a target of its own for every operation, built over the API."""

    def __init__(self, api: httpx.Client):
        self.api = api
        w = self.world = World(api)
        self.admin = token_of(api, make_user("admin"))
        self.lead, self.slug, self.section = w.lead_headers, w.slug, w.section_id
        self.expert, self.resident, self.moderator = w.auth(w.expert), w.auth(w.resident), w.auth(w.moderator)
        self.chapter = w.docs.chapter(title="Handlungsfelder")["id"]
        self.moved_section = w.docs.section(self.chapter, title="Wird umbenannt")["id"]
        self.drafted = w.docs.section(self.chapter, title="Wird überarbeitet")["id"]
        self.draft_revision = api.get(f"/api/v1/sections/{self.drafted}/draft", headers=self.lead).json()["revision"]
        self.published = w.docs.section(self.chapter, title="Wird veröffentlicht", body="Neuer Text.")["id"]
        self.c = {name: w.comment(body=f"Kommentar {name}")["id"]
                  for name in ("edit", "withdraw", "hide", "restore", "dismiss", "response", "flag", "vote",
                               "unvote")}
        self.ok(api.post(f"/api/v1/moderation/comment/{self.c['restore']}/hide", headers=self.moderator,
                         json={"reason": "Vorübergehend"}))
        self.ok(api.post("/api/v1/flags", headers=self.resident,
                         json={"target": "comment", "target_id": self.c["dismiss"], "reason": "Unpassend"}))
        self.ok(api.put("/api/v1/votes", headers=self.resident,
                        json={"target": "comment", "target_id": self.c["unvote"], "value": 1}))
        self.idea = w.idea()["id"]
        self.paragraph = w.paragraphs()[0]
        self.amendment = self.ok(api.post(f"/api/v1/sections/{self.section}/amendments", headers=self.expert, json={
            "paragraph": self.paragraph, "text": "Ein neuer Wortlaut.", "reason": "Klarer."}))["id"]
        titles = ("Wird geprüft", "Wird bearbeitet", "Wird zurückgezogen")
        self.idea_status, self.idea_edit, self.idea_withdraw = (w.idea(title=t)["id"] for t in titles)
        self.planned = self.round(days=10)
        self.to_close = self.round(days=-1)
        self.closed = self.round(days=-1)
        self.ok(api.post(f"/api/v1/rounds/{self.closed}/close", headers=self.lead))
        self.updated = self.round(days=20)
        self.role_user = make_user("resident").id
        self.blocked = make_user("resident").id
        self.to_block = make_user("resident").id
        self.ok(api.post(f"/api/v1/moderation/users/{self.blocked}/block", headers=self.moderator,
                         json={"days": 3, "reason": "Beleidigungen"}))
        invited = api.post("/api/v1/invitations", headers=self.admin,
                           json={"email": "eingeladen@example.org", "organisation": "Caritas Stuttgart"})
        self.invitation = self.ok(invited)["token"]
        self.leaving = token_of(api, make_user("resident"))
        self.event = self.ok(api.post("/api/v1/events", headers=self.lead, json=event_data(w.round_id)))["id"]
        self.registration = self.ok(api.post(f"/api/v1/events/{self.event}/registrations", headers=self.expert,
                                             json={"interpreting_language": "Englisch"}))["id"]
        self.attendee = token_of(api, make_user("resident"))
        self.ok(api.post(f"/api/v1/events/{self.event}/registrations", headers=self.attendee, json={}))
        # the workbench (issue 16): a contribution per step, one with a draft to approve, one approved to publish
        self.units = {u["name"]: u["id"] for u in self.ok(api.get("/api/v1/units", headers=self.lead))}
        self.unit_to_change = self.ok(api.post("/api/v1/units", headers=self.admin, json={"name": "Amt X"}))["id"]
        self.case = {name: w.comment(body=f"Beitrag {name}")["id"] for name in ("assign", "note", "draft", "approve",
                                                                               "publish")}
        for name in ("approve", "publish"):
            self.ok(api.put(f"/api/v1/casework/comment/{self.case[name]}/draft", headers=self.lead,
                            json={"status": "noted", "text": "Danke."}))
        self.ok(api.post(f"/api/v1/casework/comment/{self.case['publish']}/approve", headers=self.lead))
        self.export = api.get("/api/v1/export", headers=self.admin).content
        self.answers_round = w.round_id
        table = api.get(f"/api/v1/rounds/{w.round_id}/responses.xlsx", headers=self.lead).content
        self.answers = fill(table, {self.c["edit"]: ("Aus der Sitzung der Ämter.", "zur Kenntnis genommen")})

    @staticmethod
    def ok(answer: httpx.Response) -> dict:
        assert answer.status_code < 300, answer.text
        return answer.json() if answer.content else {}

    def round(self, *, days: int) -> int:
        now = utcnow()
        opens = now + timedelta(days=days)
        answer = self.api.post("/api/v1/rounds", headers=self.lead, json={
            "document": self.slug, "title": f"Runde {secrets.token_hex(2)}", "description": "",
            "opens_at": opens.isoformat(), "closes_at": (opens + timedelta(days=30)).isoformat(),
            "audience": "public", "section_ids": [self.section]})
        return self.ok(answer)["id"]

    def requests(self) -> dict[tuple[str, str], tuple[tuple, tuple]]:
        """(method, path) → (the valid request, the refused one), each as (path, httpx arguments)."""
        s, c = self, self.c
        lead, admin, expert, resident, moderator = s.lead, s.admin, s.expert, s.resident, s.moderator
        reason = {"reason": "Nicht mehr nötig, danke."}
        comment = {"body": "Ein Kommentar im Ansturm.", "alignment": "note"}

        def rnd(days: int) -> dict:
            opens = utcnow() + timedelta(days=days)
            return {"document": s.slug, "title": "Runde im Ansturm", "description": "", "audience": "public",
                    "opens_at": opens.isoformat(), "closes_at": (opens + timedelta(days=30)).isoformat(),
                    "section_ids": [s.section]}

        return {
            ("POST", "/api/v1/tokens"): (
                ("/tokens", {"json": {"email": s.world.resident.email, "password": PASSWORD}}),
                ("/tokens", {"json": {"email": s.world.resident.email, "password": "falsch-falsch"}})),
            ("DELETE", "/api/v1/tokens/current"): (("/tokens/current", {"headers": s.leaving}),
                                                  ("/tokens/current", {})),
            ("POST", "/api/v1/register"): (
                ("/register", {"json": {"email": "neu@example.org", "display_name": "Neu", "password": PASSWORD,
                                         **CONSENT}}),
                ("/register", {"json": {"email": "kein-mail", "display_name": "N", "password": "x"}})),
            ("POST", "/api/v1/users"): (
                ("/users", {"headers": admin, "json": {"email": "angelegt@example.org", "display_name": "Angelegt",
                                                       "role": "resident", "password": PASSWORD}}),
                ("/users", {"headers": resident, "json": {"email": "nein@example.org", "display_name": "Nein",
                                                          "role": "admin", "password": PASSWORD}})),
            ("PUT", "/api/v1/users/{user_id}/role"): (
                (f"/users/{s.role_user}/role", {"headers": admin, "json": {"role": "moderator"}}),
                (f"/users/{MISSING}/role", {"headers": admin, "json": {"role": "moderator"}})),
            ("POST", "/api/v1/invitations"): (
                ("/invitations", {"headers": admin, "json": {"email": "fach@example.org", "organisation": "SWSG"}}),
                ("/invitations", {"headers": resident, "json": {"email": "f@example.org", "organisation": "SWSG"}})),
            ("POST", "/api/v1/invitations/{token}/accept"): (
                (f"/invitations/{s.invitation}/accept", {"json": {"display_name": "Fachfrau",
                                                                  "password": PASSWORD, **CONSENT}}),
                (f"/invitations/{secrets.token_urlsafe(32)}/accept", {"json": {"display_name": "Niemand",
                                                                              "password": PASSWORD}})),
            ("POST", "/api/v1/documents"): (
                ("/documents", {"headers": lead, "json": {"title": "Zweites Dokument", "slug": "zweites"}}),
                ("/documents", {"headers": resident, "json": {"title": "Nein", "slug": "nein"}})),
            ("POST", "/api/v1/documents/{slug}/chapters"): (
                (f"/documents/{s.slug}/chapters", {"headers": lead, "json": {"title": "Neues Kapitel"}}),
                ("/documents/gibt-es-nicht/chapters", {"headers": lead, "json": {"title": "Neues Kapitel"}})),
            ("POST", "/api/v1/documents/{slug}/import"): (
                (f"/documents/{s.slug}/import", {"headers": lead, "files": {
                    "file": ("entwurf.md", b"# Importiert\n\n## Abschnitt\n\nText.\n")}}),
                (f"/documents/{s.slug}/import", {"headers": lead, "files": {"file": ("entwurf.pdf", b"%PDF")}})),
            ("PATCH", "/api/v1/chapters/{chapter_id}"): (
                (f"/chapters/{s.chapter}", {"headers": lead, "json": {"title": "Umbenannt", "position": 1}}),
                (f"/chapters/{MISSING}", {"headers": lead, "json": {"title": "Umbenannt"}})),
            ("POST", "/api/v1/chapters/{chapter_id}/sections"): (
                (f"/chapters/{s.chapter}/sections", {"headers": lead, "json": {"title": "Neu", "body": "Text."}}),
                (f"/chapters/{MISSING}/sections", {"headers": lead, "json": {"title": "Neu", "body": "Text."}})),
            ("PATCH", "/api/v1/sections/{section_id}"): (
                (f"/sections/{s.moved_section}", {"headers": lead, "json": {"title": "Umbenannt", "position": 1}}),
                (f"/sections/{MISSING}", {"headers": lead, "json": {"title": "Umbenannt"}})),
            ("PUT", "/api/v1/sections/{section_id}/draft"): (
                (f"/sections/{s.drafted}/draft", {"headers": lead, "json": {
                    "title": "Überarbeitet", "body": "Neu gefasst.", "revision": s.draft_revision}}),
                (f"/sections/{s.drafted}/draft", {"headers": lead, "json": {
                    "title": "Überarbeitet", "body": "Anders.", "revision": s.draft_revision + 99}})),
            ("POST", "/api/v1/sections/{section_id}/versions"): (
                (f"/sections/{s.published}/versions", {"headers": lead, "json": {"change_summary": "Erste."}}),
                (f"/sections/{MISSING}/versions", {"headers": lead, "json": {"change_summary": "Erste."}})),
            ("POST", "/api/v1/editions"): (
                ("/editions", {"headers": lead, "json": {"document": s.slug, "title": "Fassung Herbst"}}),
                ("/editions", {"headers": lead, "json": {"document": "gibt-es-nicht", "title": "Fassung"}})),
            ("POST", "/api/v1/rounds"): (("/rounds", {"headers": lead, "json": rnd(40)}),
                                         ("/rounds", {"headers": resident, "json": rnd(40)})),
            ("PUT", "/api/v1/rounds/{round_id}"): ((f"/rounds/{s.updated}", {"headers": lead, "json": rnd(25)}),
                                                   (f"/rounds/{MISSING}", {"headers": lead, "json": rnd(25)})),
            ("POST", "/api/v1/rounds/{round_id}/open"): ((f"/rounds/{s.planned}/open", {"headers": lead}),
                                                         (f"/rounds/{s.closed}/open", {"headers": lead})),
            ("POST", "/api/v1/rounds/{round_id}/close"): ((f"/rounds/{s.to_close}/close", {"headers": lead}),
                                                          (f"/rounds/{MISSING}/close", {"headers": lead})),
            ("POST", "/api/v1/rounds/{round_id}/evaluate"): (
                (f"/rounds/{s.closed}/evaluate", {"headers": lead}),
                (f"/rounds/{s.world.round_id}/evaluate", {"headers": lead})),
            ("POST", "/api/v1/sections/{section_id}/comments"): (
                (f"/sections/{s.section}/comments", {"headers": expert, "json": comment}),
                (f"/sections/{MISSING}/comments", {"headers": expert, "json": comment})),
            ("POST", "/api/v1/sections/{section_id}/amendments"): (
                (f"/sections/{s.section}/amendments", {"headers": expert, "json": {
                    "paragraph": s.paragraph, "text": "Anders gefasst.", "reason": "Im Ansturm."}}),
                (f"/sections/{s.section}/amendments", {"headers": expert, "json": {
                    "paragraph": "gibt-es-nicht", "text": "Anders gefasst.", "reason": "Im Ansturm."}})),
            ("POST", "/api/v1/amendments/{amendment_id}/adopt"): (
                (f"/amendments/{s.amendment}/adopt", {"headers": lead}),
                (f"/amendments/{s.amendment}/adopt", {"headers": expert})),
            ("POST", "/api/v1/ideas/{idea_id}/comments"): (
                (f"/ideas/{s.idea}/comments", {"headers": resident, "json": comment}),
                (f"/ideas/{MISSING}/comments", {"headers": resident, "json": comment})),
            ("PATCH", "/api/v1/comments/{comment_id}"): (
                (f"/comments/{c['edit']}", {"headers": expert, "json": {"body": "Geändert."}}),
                (f"/comments/{c['edit']}", {"headers": resident, "json": {"body": "Fremd."}})),
            ("DELETE", "/api/v1/comments/{comment_id}"): ((f"/comments/{c['withdraw']}", {"headers": expert}),
                                                          (f"/comments/{MISSING}", {"headers": expert})),
            ("PUT", "/api/v1/votes"): (
                ("/votes", {"headers": resident, "json": {"target": "comment", "target_id": c["vote"], "value": 1}}),
                ("/votes", {"headers": resident, "json": {"target": "comment", "target_id": MISSING, "value": 1}})),
            ("DELETE", "/api/v1/votes"): (
                ("/votes", {"headers": resident, "params": {"target": "comment", "target_id": c["unvote"]}}),
                ("/votes", {"headers": resident, "params": {"target": "comment", "target_id": MISSING}})),
            ("POST", "/api/v1/ideas"): (
                ("/ideas", {"headers": resident, "json": {"title": "Noch eine Idee", "body": "Ein Garten für alle.",
                                                          "category": "begegnung", "quarter_id": 105}}),
                ("/ideas", {"headers": resident, "json": {"title": "Nirgends", "body": "Ein Ort, den es nicht gibt.",
                                                          "category": "begegnung", "quarter_id": MISSING}})),
            ("PUT", "/api/v1/ideas/{idea_id}/status"): (
                (f"/ideas/{s.idea_status}/status", {"headers": lead, "json": {"status": "reviewing",
                                                                              "reason": "Wir prüfen das gerade."}}),
                (f"/ideas/{MISSING}/status", {"headers": lead, "json": {"status": "reviewing",
                                                                        "reason": "Wir prüfen das gerade."}})),
            ("PATCH", "/api/v1/ideas/{idea_id:id}"): (  # ":id": /ideas/map stays a 405
                (f"/ideas/{s.idea_edit}", {"headers": resident, "json": {
                    "title": "Ein Treffpunkt für alle", "body": "Ein Raum ohne Konsumzwang, auch abends.",
                    "category": "begegnung"}}),
                (f"/ideas/{s.idea_edit}", {"headers": s.expert, "json": {
                    "title": "Fremde Idee", "body": "Das darf nur die Person, die sie eingereicht hat.",
                    "category": "begegnung"}})),
            ("DELETE", "/api/v1/ideas/{idea_id:id}"): (
                (f"/ideas/{s.idea_withdraw}", {"headers": resident}),
                (f"/ideas/{MISSING}", {"headers": resident})),
            ("PUT", "/api/v1/comments/{target_id}/response"): (
                (f"/comments/{c['response']}/response", {"headers": lead, "json": {"status": "noted",
                                                                                   "text": "Danke."}}),
                (f"/comments/{c['response']}/response", {"headers": resident, "json": {"status": "noted",
                                                                                       "text": "Nein."}})),
            ("PUT", "/api/v1/ideas/{target_id}/response"): (
                (f"/ideas/{s.idea}/response", {"headers": lead, "json": {"status": "noted", "text": "Danke."}}),
                (f"/ideas/{MISSING}/response", {"headers": lead, "json": {"status": "noted", "text": "Danke."}})),
            ("POST", "/api/v1/units"): (("/units", {"headers": admin, "json": {"name": "Amt im Ansturm"}}),
                                        ("/units", {"headers": lead, "json": {"name": "Amt der Leitung"}})),
            ("PATCH", "/api/v1/units/{unit_id}"): (
                (f"/units/{s.unit_to_change}", {"headers": admin, "json": {"name": "Amt Y", "active": False}}),
                (f"/units/{MISSING}", {"headers": admin, "json": {"active": False}})),
            ("PUT", "/api/v1/casework/{target}/{target_id}"): (
                (f"/casework/comment/{s.case['assign']}", {"headers": lead, "json": {"unit_id": s.units["Jugendamt"]}}),
                (f"/casework/comment/{s.case['assign']}", {"headers": expert, "json": {"unit_id": None}})),
            ("POST", "/api/v1/casework/{target}/{target_id}/notes"): (
                (f"/casework/comment/{s.case['note']}/notes", {"headers": lead, "json": {"body": "Intern."}}),
                (f"/casework/comment/{s.case['note']}/notes", {"headers": moderator, "json": {"body": "Intern."}})),
            ("PUT", "/api/v1/casework/{target}/{target_id}/draft"): (
                (f"/casework/comment/{s.case['draft']}/draft", {"headers": lead, "json": {"status": "noted",
                                                                                         "text": "Danke."}}),
                (f"/casework/idea/{MISSING}/draft", {"headers": lead, "json": {"status": "noted", "text": "Danke."}})),
            ("POST", "/api/v1/casework/{target}/{target_id}/approve"): (
                (f"/casework/comment/{s.case['approve']}/approve", {"headers": lead}),
                (f"/casework/comment/{s.case['assign']}/approve", {"headers": lead})),
            ("POST", "/api/v1/casework/{target}/{target_id}/publish"): (
                (f"/casework/comment/{s.case['publish']}/publish", {"headers": lead}),
                (f"/casework/comment/{s.case['approve']}/publish", {"headers": resident})),
            ("POST", "/api/v1/flags"): (
                ("/flags", {"headers": resident, "json": {"target": "comment", "target_id": c["flag"],
                                                          "reason": "Beleidigend"}}),
                ("/flags", {"headers": resident, "json": {"target": "comment", "target_id": MISSING,
                                                          "reason": "Beleidigend"}})),
            ("POST", "/api/v1/moderation/{target}/{target_id}/hide"): (
                (f"/moderation/comment/{c['hide']}/hide", {"headers": moderator, "json": reason}),
                (f"/moderation/comment/{MISSING}/hide", {"headers": moderator, "json": reason})),
            ("POST", "/api/v1/moderation/{target}/{target_id}/restore"): (
                (f"/moderation/comment/{c['restore']}/restore", {"headers": moderator, "json": reason}),
                (f"/moderation/comment/{MISSING}/restore", {"headers": moderator, "json": reason})),
            ("POST", "/api/v1/moderation/{target}/{target_id}/dismiss"): (
                (f"/moderation/comment/{c['dismiss']}/dismiss", {"headers": moderator, "json": reason}),
                (f"/moderation/comment/{MISSING}/dismiss", {"headers": moderator, "json": reason})),
            ("POST", "/api/v1/moderation/users/{user_id}/block"): (
                (f"/moderation/users/{s.to_block}/block", {"headers": moderator, "json": {"days": 2,
                                                                                          "reason": "Spam"}}),
                (f"/moderation/users/{MISSING}/block", {"headers": moderator, "json": {"days": 2,
                                                                                       "reason": "Spam"}})),
            ("POST", "/api/v1/moderation/users/{user_id}/unblock"): (
                (f"/moderation/users/{s.blocked}/unblock", {"headers": moderator, "json": reason}),
                (f"/moderation/users/{MISSING}/unblock", {"headers": moderator, "json": reason})),
            ("POST", "/api/v1/events"): (("/events", {"headers": lead, "json": event_data(s.world.round_id)}),
                                         ("/events", {"headers": resident, "json": event_data(s.world.round_id)})),
            ("POST", "/api/v1/events/{event_id}/registrations"): (
                (f"/events/{s.event}/registrations", {"headers": resident, "json": {"people": 2}}),
                (f"/events/{MISSING}/registrations", {"headers": resident, "json": {"people": 2}})),
            ("DELETE", "/api/v1/events/{event_id}/registrations"): (
                (f"/events/{s.event}/registrations", {"headers": s.attendee}),
                (f"/events/{s.event}/registrations", {"headers": moderator})),
            ("DELETE", "/api/v1/events/{event_id}/registrations/{registration_id}"): (
                (f"/events/{s.event}/registrations/{s.registration}", {"headers": expert}),
                (f"/events/{s.event}/registrations/{s.registration}", {"headers": resident})),
            ("POST", "/api/v1/rounds/{round_id}/responses.xlsx"): (
                (f"/rounds/{s.answers_round}/responses.xlsx", {"headers": {**lead, "Content-Type": XLSX},
                                                                "content": s.answers}),
                (f"/rounds/{s.answers_round}/responses.xlsx", {"headers": {**resident, "Content-Type": XLSX},
                                                                "content": s.answers})),
            ("POST", "/api/v1/import"): (
                ("/import", {"headers": {**admin, "Content-Type": "application/json"}, "content": s.export}),
                ("/import", {"headers": {**admin, "Content-Type": "application/json"}, "content": b"{}"})),
        }


def test_every_write_operation_in_one_burst_of_accepted_and_refused_requests(server):
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as api:
        setup = Setup(api)
    requests = setup.requests()
    assert set(requests) == write_operations(), "give every write operation of the API a request here"
    fired, operations = [], []
    for operation, (valid, refused) in sorted(requests.items()):
        for path, kwargs in (valid, valid, refused):  # a double submit and a refused request
            fired.append((operation[0], "/api/v1" + path, kwargs))
            operations.append(operation)
    statuses = burst(server, fired)  # no timeout, no 5xx, /healthz within a second
    by_operation: dict = {}
    for operation, status in zip(operations, statuses, strict=True):
        by_operation.setdefault(operation, []).append(status)
    not_accepted = {op: s for op, s in by_operation.items() if op not in REFUSED_ONLY and min(s[:2]) >= 300}
    assert not_accepted == {}, "each valid request should succeed once"
    accepted_refusals = {op: s for op, s in by_operation.items() if s[2] < 400}
    assert accepted_refusals == {}, "each refused request should be refused"
