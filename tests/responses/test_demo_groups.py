"""The similar groups make sense on the demo data (issue 16): the demo is seeded as `make run` does
(`python -m app seed-demo`), and the lead's workbench shows the near-duplicates of the demo together with their
shared terms, keeping unrelated contributions apart (page and API)."""

import re
from html import unescape

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app import db
from app.accounts.models import User
from app.cli import cli
from app.demo import people
from app.demo.discussion import ROUND_TITLE
from app.demo.seed import DEMO_PASSWORD
from app.discussion.models import Comment
from app.ideas.models import Idea
from app.rounds.models import Round
from tests.helpers import api_token, login


@pytest.fixture
def demo(client):
    result = CliRunner().invoke(cli, ["seed-demo"])
    assert result.exit_code == 0, result.output
    with db.new_session() as s:
        ideas = {i.title: i.id for i in s.exec(select(Idea)).all()}
        comments = {c.body: c.id for c in s.exec(select(Comment)).all()}
        rounds = {r.title: r.id for r in s.exec(select(Round)).all()}
        lead = s.exec(select(User).where(User.email == people.LEADS[0]["email"])).one()
    login(client, lead, password=DEMO_PASSWORD)
    return {"ideas": ideas, "comments": comments, "rounds": rounds, "lead": lead}


def _groups_on_page(client, round_id: int) -> list[tuple[list[str], set[str]]]:
    """(shared terms, member keys) of every group the workbench page shows."""
    r = client.get(f"/runden/{round_id}/abwaegung/gruppen")
    assert r.status_code == 200, r.text
    groups = []
    for block in r.text.split('class="panel similar-group"')[1:]:
        heading = unescape(re.search(r'-titel">(.*?)</h2>', block).group(1))
        terms = heading.split(": ", 1)[1].split(", ")
        groups.append((terms, set(re.findall(r'name="items" value="((?:comment|idea):\d+)"', block))))
    return groups


def _group_of(groups, key: str):
    found = [g for g in groups if key in g[1]]
    return found[0] if found else None


def _comment_key(demo, fragment: str) -> str:
    ids = [cid for body, cid in demo["comments"].items() if fragment in body]
    assert len(ids) == 1, fragment
    return f"comment:{ids[0]}"


def test_the_demo_residents_asking_for_benches_and_shade_in_heslach_form_one_group(client, demo):
    groups = _groups_on_page(client, demo["rounds"]["Ideen für Ihr Quartier"])
    heslach = [f"idea:{demo['ideas'][t]}" for t in (
        "Schattenplätze und Trinkbrunnen in Heslach", "Mehr schattige Bänke in Heslach",
        "Bänke und Bäume für den Bihlplatz in Heslach", "Schattige Sitzplätze für Ältere in Heslach")]
    group = _group_of(groups, heslach[0])
    assert group is not None and group[1] == set(heslach), groups
    assert {"heslach", "bänke", "schattige"} <= {t.lower() for t in group[0]}
    youth = [f"idea:{demo['ideas'][t]}" for t in ("Jugendtreff am Wochenende in Rot",
                                                   "Treffpunkt für Jugendliche am Wochenende in Rot")]
    group = _group_of(groups, youth[0])
    assert group is not None and group[1] == set(youth)
    assert {"wochenende", "rot"} <= {t.lower() for t in group[0]}
    # unrelated ideas stay out of every group
    for title in ("Bürgerbus für Botnang", "Repair-Café in Feuerbach", "Hinterhöfe gemeinsam begrünen in Ostheim",
                  "Offenes Familienfrühstück in Dürrlewang", "Bewegungsparcours für alle Generationen am Nordbahnhof"):
        assert _group_of(groups, f"idea:{demo['ideas'][title]}") is None, title


def test_the_demo_experts_on_familienzentren_form_one_group_apart_from_the_staffing_point(client, demo):
    round_id = demo["rounds"][ROUND_TITLE]
    groups = _groups_on_page(client, round_id)
    family = {k for k in (f"comment:{cid}" for body, cid in demo["comments"].items()
                          if "Familienzentrum je Stadtbezirk" in body or "Familienzentrum pro Stadtbezirk" in body)}
    assert len(family) == 4
    group = _group_of(groups, next(iter(family)))
    assert group is not None and group[1] == family, groups
    assert {"familienzentrum", "kinder", "jahren"} <= {t.lower() for t in group[0]}
    staffing = {_comment_key(demo, "Vollzeitstelle als Mindestausstattung"),
                _comment_key(demo, "einzige Vollzeitstelle für das Quartiersmanagement")}
    group = _group_of(groups, next(iter(staffing)))
    assert group is not None and group[1] == staffing
    assert "einwohnerzahl" in {t.lower() for t in group[0]}
    for fragment in ("Trägerneutralität", "Jugendbudget", "Bezirksbeiräte", "Kooperationsvereinbarungen"):
        assert _group_of(groups, _comment_key(demo, fragment)) is None, fragment
    # the API gives the same groups
    api = client.get(f"/api/v1/rounds/{round_id}/similar-groups", headers=api_token(client, demo["lead"],
                                                                                    password=DEMO_PASSWORD))
    assert api.status_code == 200, api.text
    as_sets = [{f"{m['target']}:{m['target_id']}" for m in g["members"]} for g in api.json()]
    assert family in as_sets and staffing in as_sets
