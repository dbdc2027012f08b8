"""The production setup of compose.yaml, tested without a container engine (none on the development machines):
the file parses and is complete, the Dockerfile installs from the lock files, and every service's command that
runs our image (migration, app workers, outbox worker) runs here, outside a container, against the test database
(PostgreSQL with QW_TEST_DATABASE_URL). The PostgreSQL and Caddy images themselves are not run."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
import yaml
from sqlmodel import select

from app import db
from app.notifications.models import OutboxMessage
from app.settings import ROOT, Settings
from tests.benchmarks.load import free_port

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
GIVEN = {"QW_DB_PASSWORD": "geheim", "QW_DOMAIN": "beteiligung.example", "QW_MAIL_BACKEND": "log",
         "WEB_CONCURRENCY": "2"}
_VAR = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")


def interpolate(value: str, given: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, as `docker compose` would substitute them."""
    def one(m: re.Match) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3)
        if given.get(name):
            return given[name]
        if op == "?":
            raise KeyError(f"{name}: {arg}")
        return arg or ""
    return _VAR.sub(one, value)


def service(name: str) -> dict:
    return COMPOSE["services"][name]


def env_of(name: str, given: dict[str, str] = GIVEN) -> dict[str, str]:
    return {k: interpolate(str(v), given) for k, v in service(name)["environment"].items()}


def command_of(name: str) -> list[str]:
    return [interpolate(part, GIVEN) for part in service(name)["command"]]


def test_compose_names_every_part_of_the_production_setup():
    assert set(COMPOSE["services"]) == {"db", "migrate", "app", "mailer", "proxy"}
    assert service("db")["image"].startswith("postgres:")
    assert service("proxy")["image"].startswith("caddy:")
    assert command_of("migrate") == ["python", "-m", "app", "migrate"]
    assert command_of("app")[:4] == ["python", "-m", "app", "serve"] and "--proxy-headers" in command_of("app")
    assert command_of("mailer") == ["python", "-m", "app", "deliver-mail", "--loop"]
    assert service("app")["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert service("migrate")["depends_on"]["db"]["condition"] == "service_healthy"
    assert "ports" not in service("app")  # reachable only through the proxy (it trusts X-Forwarded-*)
    # every QW_ setting given to the app is one the app reads (README, "Configuration")
    fields = {f"QW_{name.upper()}" for name in Settings.model_fields}
    assert set(env_of("app")) <= fields
    assert env_of("app")["QW_DATABASE_URL"] == "postgresql+psycopg://qw:geheim@db:5432/qw"
    assert env_of("app")["QW_BASE_URL"] == "https://beteiligung.example"
    with pytest.raises(KeyError):  # no silent default for the database password or the domain
        env_of("app", {})


def test_caddyfile_proxies_to_the_app_workers_with_the_apps_body_limits():
    caddy = (ROOT / "Caddyfile").read_text()
    port = command_of("app")[command_of("app").index("--port") + 1]
    assert f"reverse_proxy app:{port}" in caddy and "{$QW_DOMAIN" in caddy
    assert "max_size 1MB" in caddy and "max_size 200MB" in caddy
    assert Settings().max_body_bytes == 1_000_000 and Settings().max_import_bytes == 200_000_000
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in service("proxy")["volumes"]


def test_dockerfile_installs_from_the_lock_files():
    docker = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in docker
    assert "COPY package.json package-lock.json" in docker and "npm ci" in docker and "npm install" not in docker


def runnable(cmd: list[str]) -> list[str]:
    """The container's `python` is this venv's interpreter here."""
    return [sys.executable if cmd[0] == "python" else cmd[0], *cmd[1:]]


def _local_env(name: str) -> dict[str, str]:
    """The service's environment, with the test database for `db` and plain http (no TLS in front here)."""
    env = {**os.environ, **env_of(name), "QW_DATABASE_URL": db.get_settings().database_url,
           "QW_COOKIE_SECURE": "false"}
    return env


def test_every_service_command_runs_outside_a_container(database):
    done = subprocess.run(runnable(command_of("migrate")), cwd=ROOT, env=_local_env("migrate"), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Schema" in done.stdout or "nichts zu tun" in done.stdout

    port = free_port()
    cmd = runnable(command_of("app"))
    cmd[cmd.index("--port") + 1] = str(port)
    cmd[cmd.index("--host") + 1] = "127.0.0.1"  # not every interface of the test machine
    app = subprocess.Popen(cmd, cwd=ROOT, env=_local_env("app"), stdout=subprocess.DEVNULL,
                           stderr=subprocess.STDOUT, start_new_session=True)
    with db.new_session(writer=True) as s:
        s.add(OutboxMessage(to_email="neu@example.org", subject="Test", body="Hallo", kind="general"))
        s.commit()
    mailer = subprocess.Popen(runnable(command_of("mailer")), cwd=ROOT, env=_local_env("mailer"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
                    assert r.status == 200
                break
            except OSError:
                assert app.poll() is None and time.monotonic() < deadline, "app workers did not start"
                time.sleep(0.3)
        while True:
            with db.new_session() as s:
                if s.exec(select(OutboxMessage.sent_at)).first() is not None:
                    break
            assert mailer.poll() is None and time.monotonic() < deadline, "the outbox worker sent nothing"
            time.sleep(0.3)
        assert mailer.poll() is None  # --loop keeps running
    finally:
        for proc in (app, mailer):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
