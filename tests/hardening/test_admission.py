"""A worker with few threads and a small connection pool under more simultaneous requests than either: every
request is answered, none waits for a connection that only a request waiting for a thread would give back."""

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.benchmarks.load import Server
from tests.conftest import TEST_DB_URL
from tests.helpers import PASSWORD, make_user

# Two threads and at most two pooled connections (pool 1 + overflow 1); no page cache, so every page reads.
ENV = {"QW_DATABASE_URL": TEST_DB_URL, "QW_ENVIRONMENT": "test",
       "QW_PAGE_CACHE": "false", "QW_BASE_URL": "http://testserver", "QW_MAIL_BACKEND": "log",
       "QW_WORKER_THREADS": "2", "QW_DB_POOL_SIZE": "1"}


def test_more_requests_than_threads_and_connections_are_all_answered(database):
    user = make_user("expert")
    with Server("app.main:app", workers=1, env=ENV) as server:
        token = httpx.post(f"{server.url}/api/v1/tokens", json={"email": user.email, "password": PASSWORD},
                           timeout=20).json()["token"]

        def fetch(n: int) -> int:
            # pages, the API with a token lookup, and the JSON API's reads: each holds a session while it works
            path, headers = [("/quartiere", {}), ("/api/v1/me", {"Authorization": f"Bearer {token}"}),
                             ("/api/v1/districts", {})][n % 3]
            return httpx.get(server.url + path, headers=headers, timeout=20).status_code

        with ThreadPoolExecutor(24) as pool:
            statuses = list(pool.map(fetch, range(96)))
    assert statuses == [200] * 96
