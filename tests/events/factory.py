"""Werkstätten for tests, built over the API as a lead would."""

from datetime import timedelta

from app.db import utcnow
from tests.discussion import factories
from tests.helpers import api_token, make_user


def event_data(round_id: int, **over) -> dict:
    start = utcnow() + timedelta(days=3)
    return {"round_id": round_id, "title": "Werkstatt Ostheim", "description": "Wie geht es weiter im Quartier?",
            "district": "ost", "venue": "Bürgerhaus Ostheim", "address": "Schwarenbergstraße 120, 70188 Stuttgart",
            "step_free": True, "induction_loop": True, "interpreting": True, "childcare": False,
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(), "capacity": 20,
            "online_url": "https://meet.example/ostheim", **over}


class Setting:
    """A round, a lead with an API token and helpers to add events and participants."""

    def __init__(self, client):
        self.client = client
        self.lead = factories.lead()
        self.lead_headers = api_token(client, self.lead)
        self.section = factories.section(self.lead)
        self.round = factories.round_([self.section], audience="public", actor=self.lead).id

    def event(self, **over) -> dict:
        answer = self.client.post("/api/v1/events", headers=self.lead_headers, json=event_data(self.round, **over))
        assert answer.status_code == 201, answer.text
        return answer.json()

    def person(self, role: str = "resident", name: str | None = None):
        user = make_user(role, name=name)
        return user, api_token(self.client, user)
