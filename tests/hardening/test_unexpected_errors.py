"""Inputs that once crashed the server, and what a crash does to the connection: a clean 500 that keeps the
keep-alive connection usable (against a real uvicorn server)."""

import http.client
import socket
import time
from urllib.parse import urlsplit

import pytest

from tests.helpers import login, make_user, post_form


def _open(conn: http.client.HTTPConnection) -> bool:
    """Whether the server still keeps this connection open (EOF means it hung up)."""
    time.sleep(0.3)
    timeout = conn.sock.gettimeout()
    conn.sock.settimeout(0)  # look, do not wait (with a timeout, recv waits for data or the end first)
    try:
        return conn.sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    finally:
        conn.sock.settimeout(timeout)


def test_an_unexpected_error_answers_500_and_keeps_the_connection(live_server, monkeypatch):
    def boom(*_args, **_kwargs):
        raise RuntimeError("unerwartet")

    monkeypatch.setattr("app.ideas.service.map_counts", boom)
    url = urlsplit(live_server)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request("GET", "/api/v1/ideas/map")
        answer = conn.getresponse()
        body = answer.read().decode()
        assert answer.status == 500 and answer.getheader("content-type") == "application/problem+json"
        assert "unerwarteter Fehler" in body and "RuntimeError" not in body and "Traceback" not in body
        assert answer.getheader("connection") != "close"
        assert _open(conn)
        conn.request("GET", "/healthz")  # the same connection serves the next request
        again = conn.getresponse()
        again.read()
        assert again.status == 200
    finally:
        conn.close()


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                                   "0001-01-01T00:00:00"])
def test_round_dates_at_the_edge_of_the_calendar_are_refused(client, value):
    from tests.discussion import factories

    section_id = factories.section()
    lead = make_user("lead")
    headers = {"Authorization": "Bearer " + client.post("/api/v1/tokens", json={
        "email": lead.email, "password": "richtig-langes-passwort"}).json()["token"]}
    base = {"document": "rahmenkonzeption", "title": "Runde am Rand", "description": "", "audience": "public",
            "opens_at": "2030-01-01T10:00:00+01:00", "closes_at": "2030-02-01T10:00:00+01:00",
            "section_ids": [section_id]}
    for field in ("opens_at", "closes_at"):
        r = client.post("/api/v1/rounds", json={**base, field: value}, headers=headers)
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == [field]
    login(client, lead)
    page = post_form(client, "/runden/neu", {"document": "rahmenkonzeption", "title": "Runde am Rand",
                                              "description": "", "audience": "public",
                                              "opens_at": value[:16], "closes_at": "2030-02-01T10:00",
                                              "section_ids": str(section_id)})
    assert page.status_code == 422, page.text[:500]
    assert client.get("/api/v1/rounds").json()["total"] == 0


@pytest.mark.parametrize("value", ["³", "٣", "²³", "①"])
def test_unicode_digits_are_not_numbers(client, value):
    for path in ("/api/v1/ideas/map", "/api/v1/ideas"):
        r = client.get(path, params={"round": value})
        assert r.status_code in (200, 422), (path, r.status_code, r.text)
    assert client.get("/ideen", params={"round": value}).status_code == 200
