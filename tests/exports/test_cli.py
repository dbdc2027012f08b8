"""`python -m app export FILE` and `python -m app import FILE`."""

import json

from sqlalchemy import text
from typer.testing import CliRunner

from app import db
from app.cli import cli
from tests.conftest import _truncate
from tests.helpers import make_user
from tests.responses.factory import World


def _count(table: str) -> int:
    with db.new_session() as s:
        return s.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()


def test_export_then_import_into_an_empty_platform(client, tmp_path):
    world = World(client)
    make_user("admin")  # an import must bring someone who can run the platform
    c = world.comment(body="Über die Kommandozeile")
    world.respond("comment", c["id"], status="noted", text="Gelesen.")
    target = tmp_path / "plattform.json"
    result = CliRunner().invoke(cli, ["export", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["tables"]["response"]["rows"]
    refused = CliRunner().invoke(cli, ["import", str(target)])
    assert refused.exit_code == 2 and "leere Plattform" in refused.output
    _truncate()
    result = CliRunner().invoke(cli, ["import", str(target)])
    assert result.exit_code == 0, result.output
    assert _count("response") == 1 and _count("comment") == 1
    assert client.get(f"/api/v1/comments/{c['id']}/response").json()["text"] == "Gelesen."


def test_import_of_a_broken_file_writes_nothing(client, tmp_path):
    broken = tmp_path / "kaputt.json"
    broken.write_text('{"format": "quartierswerkstatt-export", "version": 1, "tables": {"user_account": '
                      '{"columns": ["id"], "rows": [[1]]}}}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(broken)])
    assert result.exit_code == 2 and "fehlerhaft" in result.output
    assert _count("user_account") == 0
    missing = CliRunner().invoke(cli, ["import", str(tmp_path / "gibtsnicht.json")])
    assert missing.exit_code == 2 and "nicht gelesen" in missing.output
