"""Demo mail: in development the app delivers the outbox itself, so a confirmation link appears in the log
within seconds; links follow the address the app was started with unless QW_BASE_URL is set. Started as
`make run` starts it (`python -m app serve --host … --port …`), against the test database."""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import httpx

from app.settings import ROOT
from tests.benchmarks.load import free_port
from tests.helpers import CONSENT


def _start(env_changes: dict[str, str | None]):
    port = free_port()
    env = {**os.environ, "QW_ENVIRONMENT": "development", "QW_DEV_MAIL_INTERVAL_SECONDS": "0.5"}
    env.pop("QW_BASE_URL", None)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in _stop
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, _output(log)
            time.sleep(0.2)
    return proc, log, port


def _output(log) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")


def _stop(proc, log) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)
    log.close()


def _register(port: int, email: str) -> None:
    r = httpx.post(f"http://127.0.0.1:{port}/api/v1/register", timeout=30,
                   json={"email": email, "display_name": "Neue Nachbarin", "password": "ein-langes-passwort-1",
                             **CONSENT})
    assert r.status_code == 202, r.text


def _wait_for(log, pattern: str, seconds: float = 10) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = re.search(pattern, _output(log))
        if found:
            return found.group(0)
        time.sleep(0.2)
    return None


def test_development_delivers_and_links_follow_the_started_address(database):
    proc, log, port = _start({})
    try:
        _register(port, "neu@example.org")
        link = _wait_for(log, rf"http://127\.0\.0\.1:{port}/konto/bestaetigen/\S+")
        assert link, _output(log)[-2000:]
        confirmed = httpx.get(link, follow_redirects=False, timeout=30)
        assert confirmed.status_code in (200, 303), confirmed.text[:300]
    finally:
        _stop(proc, log)


def test_base_url_wins_and_production_leaves_delivery_to_the_worker(database):
    proc, log, port = _start({"QW_BASE_URL": "https://beteiligung.example"})
    try:
        _register(port, "zwei@example.org")
        assert _wait_for(log, r"https://beteiligung\.example/konto/bestaetigen/\S+"), _output(log)[-2000:]
    finally:
        _stop(proc, log)
    proc, log, port = _start({"QW_ENVIRONMENT": "production"})
    try:
        _register(port, "drei@example.org")
        assert _wait_for(log, r"/konto/bestaetigen/", seconds=3) is None  # the outbox worker's job
    finally:
        _stop(proc, log)
