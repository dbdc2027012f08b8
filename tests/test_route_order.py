"""The app tries its hot routes first (app.main.hot_first) and finds the same route for every path as in the
order the routers declare."""

import random

import pytest
from fastapi.routing import APIRoute

from app.main import HOT_FIRST, hot_first


def _group(route) -> str:
    """The first HOT_FIRST prefix the route's path begins with, or its first segment."""
    path = route.path.lstrip("/")
    return next((p for p in HOT_FIRST if path == p or path.startswith(p + "/")), path.split("/")[0])


def _index(routes, method: str, path: str) -> int:
    return next(i for i, r in enumerate(routes) if r.path == path and method in getattr(r, "methods", ()))


def test_the_hot_routes_come_first_and_keep_their_declared_order_within_a_prefix(asgi_app):
    routes = list(asgi_app.router.routes)
    groups = [_group(r) for r in routes]
    hot = [g for g in groups if g in HOT_FIRST]
    assert groups[:len(hot)] == hot and hot == sorted(hot, key=HOT_FIRST.index)
    assert _index(routes, "PUT", "/api/v1/votes") <= 1  # it was the 66th
    assert _index(routes, "POST", "/api/v1/sections/{section_id}/comments") <= 16  # the 58th
    assert _index(routes, "GET", "/abschnitte/{section_id}") <= 20  # the 140th
    shuffled = random.Random(12).sample(routes, len(routes))
    ordered = hot_first(shuffled)
    assert sorted(map(id, ordered)) == sorted(map(id, routes))
    for group in set(groups):  # among routes of the same prefix (or first segment), the given order stays
        assert [r for r in ordered if _group(r) == group] == [r for r in shuffled if _group(r) == group]


@pytest.mark.parametrize("path", ["/{slug}/seite", "/api/{version}/votes", "/api/v1/{things}/{thing_id}"])
def test_a_route_with_a_parameter_where_a_hot_prefix_has_a_literal_cannot_be_ordered(path):
    """/api/v1/{things}/… would match /api/v1/votes/…: moving the votes ahead of it could change the route found."""
    with pytest.raises(RuntimeError, match="literal leading segments"):
        hot_first([APIRoute(path, lambda: None)])


def test_paths_of_every_group_reach_their_pages(client):
    """Literal paths before parameters within a group, static files, the API and pages after the hot groups."""
    new_idea = client.get("/ideen/neu")  # /ideen/neu is declared before /ideen/{idea_id}
    assert new_idea.status_code == 200 and "Eine Idee für Ihr Quartier einreichen" in new_idea.text
    assert client.get("/static/css/site.css").status_code == 200
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/votes").status_code == 422  # the route found, its parameters missing
    assert client.get("/api/v1/sections/999999").status_code == 404
    assert client.get("/impressum").status_code == 200
    assert client.get("/ideen/999999").status_code == 404
