"""Paragraph anchors across realistic revisions, and paragraph_fate(s) for the discussion domain."""

import pytest
from sqlmodel import select

from app import db
from app.documents import service
from tests.documents.factory import Docs

P1 = ("Die Landeshauptstadt Stuttgart ist mit über 600.000 Einwohner*innen die bevölkerungsreichste Stadt "
      "Baden-Württembergs. Menschen aus mehr als 180 Nationen leben hier zusammen.")
P2 = ("In den vergangenen Jahren haben Ämter, Träger der freien Wohlfahrtspflege und Vereine ihre Aktivitäten in "
      "den Quartieren deutlich ausgeweitet. Dieses Engagement ist wertvoll, es ist bislang jedoch wenig "
      "untereinander abgestimmt.")
P3 = ("Die Projektleitung liegt gemeinsam beim Gesundheitsamt, beim Jugendamt und beim Sozialamt. Weitere Ämter "
      "und Expert*innen aus der Stadtgesellschaft wirken in einem partizipativen Prozess mit.")
P4 = ("Der vorliegende Text ist ein Entwurf. Er wird in Beteiligungsrunden mit Fachleuten und Bürger*innen "
      "diskutiert und auf Grundlage der Beiträge überarbeitet.")
NEW = "Neu aufgenommen: Spielplätze, Grünflächen und Treffpunkte im Freien sind Orte der Begegnung für alle."


@pytest.fixture
def docs(client):
    return Docs(client)


def body(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def anchors(client, section_id: int, number: int | None = None) -> list[str]:
    if number is None:
        version = client.get(f"/api/v1/sections/{section_id}").json()["current_version"]
    else:
        version = client.get(f"/api/v1/sections/{section_id}/versions/{number}").json()
    return [p["anchor"] for p in version["paragraphs"]]


def fate(section_id: int, number: int, anchor: str, to: int | None = None):
    with db.new_session() as s:
        return service.paragraph_fate(s, section_id=section_id, from_version_number=number, anchor=anchor,
                                      to_version_number=to)


@pytest.fixture
def start(client, docs):
    section_id = docs.setup(body=body(P1, P2, P3, P4))
    return section_id, anchors(client, section_id, 1)


def test_insert_in_the_middle_keeps_all_anchors(client, docs, start):
    section_id, (a, b, c, d) = start
    docs.revise(section_id, body(P1, P2, NEW, P3, P4))
    now = anchors(client, section_id)
    assert now[:2] == [a, b] and now[3:] == [c, d] and now[2] not in (a, b, c, d)
    assert all(fate(section_id, 1, x) == ("unchanged", x) for x in (a, b, c, d))


def test_split_first_part_keeps_the_anchor(client, docs, start):
    section_id, (a, b, c, d) = start
    first, second = P2.split(". ", 1)
    docs.revise(section_id, body(P1, first + ".", second, P3, P4))
    now = anchors(client, section_id)
    assert now[0] == a and now[1] == b and now[2] not in (a, b, c, d) and now[3:] == [c, d]
    assert fate(section_id, 1, b) == ("changed", b)


def test_merge_keeps_one_anchor_and_maps_the_other(client, docs, start):
    section_id, (a, b, c, d) = start
    docs.revise(section_id, body(P1, P2 + " " + P3, P4))
    now = anchors(client, section_id)
    assert now == [a, b, d]
    assert fate(section_id, 1, b) == ("changed", b)
    assert fate(section_id, 1, c) == ("changed", b)


def test_reorder_keeps_anchors(client, docs, start):
    section_id, (a, b, c, d) = start
    docs.revise(section_id, body(P3, P1, P4, P2))
    assert anchors(client, section_id) == [c, a, d, b]
    assert fate(section_id, 1, c) == ("unchanged", c)


def test_delete_marks_the_paragraph_removed(client, docs, start):
    section_id, (a, b, c, d) = start
    docs.revise(section_id, body(P1, P3, P4))
    assert anchors(client, section_id) == [a, c, d]
    assert fate(section_id, 1, b) == ("removed", None)


def test_light_edit_and_heavy_rewrite(client, docs, start):
    section_id, (a, b, c, d) = start
    light = P2.replace("deutlich ausgeweitet", "stark ausgebaut")
    rewrite = ("Drei Ämter – Gesundheit, Jugend und Soziales – teilen sich die Leitung; viele Partner aus "
               "der Stadtgesellschaft beraten sie dabei.")
    docs.revise(section_id, body(P1, light, rewrite, P4))
    assert anchors(client, section_id) == [a, b, c, d]
    assert fate(section_id, 1, a) == ("unchanged", a)
    assert fate(section_id, 1, b) == ("changed", b)
    assert fate(section_id, 1, c) == ("changed", c)


def test_fate_follows_the_chain_across_versions(client, docs, start):
    section_id, (a, b, c, d) = start
    docs.revise(section_id, body(P1, P2, NEW, P3, P4))                 # v2: insert
    docs.revise(section_id, body(P1, P2 + " " + P3, NEW, P4))          # v3: merge b+c, reorder
    docs.revise(section_id, body(P1, NEW, P4))                         # v4: delete the merged paragraph
    assert fate(section_id, 1, c, to=2) == ("unchanged", c)
    assert fate(section_id, 1, c, to=3) == ("changed", b)
    assert fate(section_id, 2, c) == ("removed", None)
    assert fate(section_id, 1, a) == ("unchanged", a)
    assert fate(section_id, 4, d) == ("unchanged", d)
    new_anchor = anchors(client, section_id, 2)[2]
    with db.new_session() as s:
        many = service.paragraph_fates(s, section_id=section_id,
                                       anchors=[(1, a), (1, b), (2, new_anchor), (3, d)])
    assert many == {(1, a): ("unchanged", a), (1, b): ("removed", None),
                    (2, new_anchor): ("unchanged", new_anchor), (3, d): ("unchanged", d)}


def test_simple_reads_for_other_domains(client, docs, start):
    section_id, _anchors = start
    docs.revise(section_id, body(P1, P2))
    with db.new_session() as s:
        assert service.get_section(s, section_id).title == "Anlass und Auftrag"
        assert service.current_version(s, section_id).number == 2
        assert service.get_version(s, section_id, 1).body == body(P1, P2, P3, P4)
        assert service.section_label(s, section_id) == "1.1"
        assert [(c.id, c.label, c.title) for c in service.list_sections(s, "rahmenkonzeption")] == [
            (section_id, "1.1", "Anlass und Auftrag")]


def test_version_published_hook_runs_inside_the_transaction(client, docs, start):
    section_id, _anchors = start
    calls = []

    def hook(session, version, addresses):
        calls.append((version.number, addresses, version.id is not None))

    service.VERSION_PUBLISHED.append(hook)
    try:
        docs.save(section_id, body(P1))
        docs.publish(section_id, addresses=[9, 2])
    finally:
        service.VERSION_PUBLISHED.remove(hook)
    assert calls == [(2, [2, 9], True)]

    def failing(session, version, addresses):
        raise RuntimeError("boom")

    service.VERSION_PUBLISHED.append(failing)
    try:
        docs.save(section_id, body(P2))
        with pytest.raises(RuntimeError), db.new_session(writer=True) as s:
            service.publish_version(s, actor=docs.lead, section_id=section_id, change_summary="Test",
                                    addresses=[])
    finally:
        service.VERSION_PUBLISHED.remove(failing)
    assert client.get(f"/api/v1/sections/{section_id}").json()["current_version"]["number"] == 2


def test_the_orm_refuses_to_change_or_delete_a_published_version(client, docs, start):
    from app.documents.models import ImmutableVersion, Paragraph, SectionVersion

    section_id, _anchors = start
    with db.new_session(writer=True) as s:
        version = service.get_version(s, section_id, 1)
        version_id = version.id
        version.body = "Umgeschrieben"
        s.add(version)
        with pytest.raises(ImmutableVersion):
            s.commit()
    with db.new_session(writer=True) as s:
        paragraph = s.exec(select(Paragraph).where(Paragraph.version_id == version_id)).first()
        s.delete(paragraph)
        with pytest.raises(ImmutableVersion):
            s.commit()
    with db.new_session() as s:
        assert s.get(SectionVersion, version_id).body == body(P1, P2, P3, P4)


def test_concurrent_saves_and_publishes_one_wins(client, docs, start):
    from concurrent.futures import ThreadPoolExecutor

    from app.documents.schemas import DraftIn
    from app.errors import Conflict

    section_id, _anchors = start
    with db.new_session() as s:
        revision = service.get_draft(s, section_id=section_id).revision

    def save(n: int) -> str:
        with db.new_session(writer=True) as s:
            try:
                service.save_draft(s, actor=docs.lead, section_id=section_id,
                                   data=DraftIn(title="Anlass und Auftrag", body=f"Fassung von Person {n}",
                                                revision=revision))
                return "saved"
            except Conflict:
                return "conflict"

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(save, range(4)))
    assert sorted(results) == ["conflict", "conflict", "conflict", "saved"]

    def publish(n: int) -> str:
        with db.new_session(writer=True) as s:
            try:
                service.publish_version(s, actor=docs.lead, section_id=section_id, change_summary=f"Person {n}",
                                        addresses=[])
                return "published"
            except Conflict:
                return "conflict"

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(publish, range(3)))
    assert sorted(results) == ["conflict", "conflict", "published"]
    assert [v["number"] for v in client.get(f"/api/v1/sections/{section_id}/versions").json()["items"]] == [2, 1]
