"""Similar contributions land together, unrelated ones do not (app/responses/similar.py; issue 16)."""

from app.responses.similar import group_texts

TOPICS = {
    "spielplatz": [
        "Wir brauchen dringend mehr Spielplätze für Kinder im Stadtteil.",
        "Im Stadtteil fehlen Spielplätze, die Kinder haben kaum Platz zum Spielen.",
        "Mehr Spielplätze für die Kinder im Stadtteil wären wichtig!",
        "Die Kinder im Stadtteil brauchen einen weiteren Spielplatz.",
    ],
    "bus": [
        "Die Buslinie 42 fährt abends viel zu selten.",
        "Abends fährt der Bus der Linie 42 zu selten, bitte den Takt verdichten.",
        "Der Takt der Buslinie 42 am Abend ist zu selten.",
    ],
    "treffpunkt": [
        "Ein Treffpunkt für Seniorinnen und Senioren ohne Konsumzwang fehlt im Quartier.",
        "Im Quartier fehlt ein Treffpunkt ohne Konsumzwang für Senioren.",
    ],
    "barrierefrei": [
        "Die Gehwege sind für Rollstühle nicht barrierefrei, die Bordsteine sind zu hoch.",
        "Bordsteine zu hoch: mit dem Rollstuhl sind die Gehwege nicht barrierefrei.",
    ],
}
UNRELATED = [
    "Die Jugendarbeit braucht eine verlässliche Finanzierung über mehrere Jahre.",
    "Bitte die Öffnungszeiten der Stadtteilbibliothek am Samstag verlängern.",
    "Die Grünflächen am Neckarufer sollten öfter gemäht werden.",
    "Mehrsprachige Informationen würden Zugewanderten den Zugang erleichtern.",
    "Der Lärm der Baustelle in der Hauptstraße stört nachts.",
]


def test_near_duplicates_land_together_and_unrelated_ones_do_not():
    texts, topic_of = [], {}
    for topic, items in TOPICS.items():
        for text in items:
            topic_of[len(texts)] = topic
            texts.append(text)
    # interleave the unrelated ones so order does not help
    for i, text in enumerate(UNRELATED):
        texts.insert(2 * i + 1, text)
    topic_of = {texts.index(t): topic for topic, items in TOPICS.items() for t in items}
    groups = group_texts(texts)
    found = {frozenset(g.members) for g in groups}
    for topic, items in TOPICS.items():
        expected = frozenset(texts.index(t) for t in items)
        assert expected in found, (topic, [[texts[i] for i in g.members] for g in groups])
    unrelated = {texts.index(t) for t in UNRELATED}
    assert all(not (set(g.members) & unrelated) for g in groups)
    assert len(groups) == len(TOPICS)
    terms = {topic_of[g.members[0]]: [t.lower() for t in g.terms] for g in groups}
    assert any(t.startswith("spielpl") for t in terms["spielplatz"])
    assert any(t.startswith("bus") for t in terms["bus"])
    assert "konsumzwang" in terms["treffpunkt"]


def test_nothing_to_group():
    assert group_texts([]) == [] and group_texts(["Ein Text."]) == []
    assert group_texts(["und oder aber", "der die das"]) == []
    assert group_texts(["Spielplatz", "Straßenbahn"]) == []
