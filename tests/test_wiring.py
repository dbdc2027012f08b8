"""The wiring (app/wiring.py): registries are filled by wire() and by nothing else, every table that refers to
a person is either exported and erased or an official record, and "Meine Daten" and erasure cover every domain."""

import subprocess
import sys

from sqlmodel import select

from app import db, wiring
from app.models import metadata
from app.moderation.models import Flag
from tests.helpers import PASSWORD, login, post_form
from tests.responses.factory import World

_REGISTRIES = """
from app.accounts import service as accounts
from app.documents import pages as documents_pages, service as documents
from app.ideas import pages as ideas_pages
from app.notifications import service as mail
from app.rounds import pages as rounds_pages
from app.site import pages as site_pages

def sizes():
    return [len(accounts.DATA_EXPORTERS), len(accounts.ERASERS), len(accounts.CONSENT_MISSING),
            len(accounts.CONSENT_RECORDERS), len(documents.VERSION_PUBLISHED),
            len(documents_pages.SECTION_EXTENSIONS), len(documents_pages.PUBLISH_EXTENSIONS),
            len(ideas_pages.IDEA_EXTENSIONS), len(site_pages.HOME_PANELS), len(mail.STILL_SHOWN),
            len(mail.PERIODIC), len(rounds_pages.ROUND_EXTENSIONS), len(ideas_pages.QUARTIER_EXTENSIONS),
            len(documents.ADDRESS_SOURCES)]
"""


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_accounts_service_alone_plus_wire_gives_the_full_set():
    out = _run("""
from app.accounts import service as accounts
print(len(accounts.DATA_EXPORTERS), len(accounts.ERASERS))
from app.wiring import wire
wire()
wire()  # twice changes nothing
print(len(accounts.DATA_EXPORTERS), len(accounts.ERASERS))
""")
    n = len(wiring.PERSONAL_DATA)  # + the responses to one's contributions (exported, never erased)
    assert n >= 4 and out.splitlines() == ["0 0", f"{n + 1} {n}"]


def test_importing_every_module_registers_nothing_and_wire_fills_all_registries():
    out = _run(_REGISTRIES + """
import importlib, pkgutil, app
for info in pkgutil.walk_packages(app.__path__, "app."):
    if info.name not in ("app.main", "app.wiring", "app.__main__"):  # main calls wire() through create_app()
        importlib.import_module(info.name)
print(sizes())
from app.wiring import wire
wire()
print(sizes())
import app.main
print(sizes())
""")
    before, wired, after_main = out.splitlines()
    assert before == "[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]"
    assert wired == "[7, 6, 1, 1, 2, 2, 2, 2, 2, 5, 3, 1, 1, 1]"
    assert after_main == wired


def test_every_table_referring_to_a_person_is_exported_and_erased_or_an_official_record():
    from app.wiring import OFFICIAL_RECORDS, PERSONAL_DATA

    covered = {m.__table__.name for models, _export, _erase in PERSONAL_DATA for m in models}
    official = {m.__table__.name for m in OFFICIAL_RECORDS}
    referring = {t.name for t in metadata.sorted_tables
                 if t.name == "user_account" or any(fk.column.table.name == "user_account" for fk in t.foreign_keys)}
    assert referring - covered - official == set(), "add an exporter and an eraser in app/wiring.py"
    assert covered & official == set()
    assert {"comment", "comment_edit", "vote", "idea", "flag", "consent"} <= covered
    for _models, export, erase in PERSONAL_DATA:
        assert callable(export) and callable(erase)


def test_my_data_and_erasure_cover_comments_ideas_and_flags(client):
    world = World(client)
    resident = world.resident
    comment = world.comment()
    world.comment(user=resident, body="Mein eigener Beitrag.")
    idea = world.idea(user=resident)
    assert client.post("/api/v1/flags", json={"target": "comment", "target_id": comment["id"],
                                              "reason": "Mein Grund zum Melden"},
                       headers=world.auth(resident)).status_code == 201
    data = client.get("/api/v1/me/export", headers=world.auth(resident)).json()
    assert data["discussion"]["comments"][0]["body"] == "Mein eigener Beitrag."
    assert [i["id"] for i in data["ideas"]] == [idea["id"]]
    assert [f["reason"] for f in data["flags"]] == ["Mein Grund zum Melden"]

    login(client, resident)
    assert post_form(client, "/konto/loeschen", {"password": PASSWORD, "confirm": "ja", "erase": "1"}
                     ).status_code == 303
    assert client.get(f"/api/v1/ideas/{idea['id']}").json()["title"] != "Ein Treffpunkt für alle"
    assert "Mein eigener Beitrag." not in client.get(f"/abschnitte/{world.section_id}").text
    with db.new_session() as session:
        flags = session.exec(select(Flag).where(Flag.user_id == resident.id)).all()
    assert [f.reason for f in flags] == [""]  # the flag still counts; its written reason is gone
