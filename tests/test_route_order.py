"""The app tries its hot routes first (app.main.hot_first) and finds the same route for every path as in the
order the routers declare."""

import random

import pytest
from fastapi.routing import APIRoute

from app.main import HOT_FIRST, hot_first


def _first_segment(route) -> str:
    return route.path.split("/")[1]


def test_the_hot_routes_come_first_and_keep_their_declared_order_within_a_first_segment(asgi_app):
    routes = list(asgi_app.router.routes)
    segments = [_first_segment(r) for r in routes]
    hot = [s for s in segments if s in HOT_FIRST]
    assert segments[:len(hot)] == hot and hot == sorted(hot, key=HOT_FIRST.index)
    section_page = next(i for i, r in enumerate(routes) if r.path == "/abschnitte/{section_id}" and "GET" in r.methods)
    assert section_page <= 2  # it was the 140th
    shuffled = random.Random(12).sample(routes, len(routes))
    ordered = hot_first(shuffled)
    assert sorted(map(id, ordered)) == sorted(map(id, routes))
    for segment in set(segments):  # among routes with the same first segment, the given order stays
        assert [r for r in ordered if _first_segment(r) == segment] == \
            [r for r in shuffled if _first_segment(r) == segment]


def test_a_route_whose_first_segment_is_a_parameter_cannot_be_ordered():
    with pytest.raises(RuntimeError, match="literal first segment"):
        hot_first([APIRoute("/{slug}/seite", lambda slug: slug)])


def test_paths_of_every_group_reach_their_pages(client):
    """Literal paths before parameters within a group, static files, the API and pages after the hot groups."""
    new_idea = client.get("/ideen/neu")  # /ideen/neu is declared before /ideen/{idea_id}
    assert new_idea.status_code == 200 and "Eine Idee für Ihr Quartier einreichen" in new_idea.text
    assert client.get("/static/css/site.css").status_code == 200
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/impressum").status_code == 200
    assert client.get("/ideen/999999").status_code == 404
