"""A started worker leaves what start-up made out of its garbage collections (app/web/heap.py)."""

import gc
import weakref

import pytest
from fastapi.testclient import TestClient

from app.settings import get_settings


class Node:
    me: "Node"


@pytest.fixture
def collector():
    """The test process's collector as it was, restored afterwards."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    get_settings.cache_clear()


def test_a_started_worker_freezes_what_start_up_made_and_collects_young_objects_less_often(asgi_app, monkeypatch,
                                                                                            collector):
    monkeypatch.delenv("QW_GC_YOUNG_THRESHOLD")  # the worker's default
    get_settings.cache_clear()
    frozen_before = gc.get_freeze_count()
    with TestClient(asgi_app, base_url="http://testserver") as client:
        assert gc.get_freeze_count() > frozen_before + 10_000  # modules, routes, templates, mappers
        assert gc.get_threshold()[0] == 10_000
        assert client.get("/healthz").status_code == 200
        cycle = Node()  # garbage made after start-up is collected as before
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle
        gc.collect()
        assert gone() is None


def test_threshold_zero_leaves_the_collector_as_python_sets_it(asgi_app, monkeypatch, collector):
    monkeypatch.setenv("QW_GC_YOUNG_THRESHOLD", "0")
    get_settings.cache_clear()
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    with TestClient(asgi_app, base_url="http://testserver") as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_threshold() == threshold and gc.get_freeze_count() == frozen
