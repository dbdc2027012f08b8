"""Demo people, expert comments and resident ideas (fictional) for the Quartierswerkstatt."""

LEADS = [
    {
        "email": "miriam.kessler@stuttgart.example",
        "display_name": "Dr. Miriam Kessler",
        "organisation": "Landeshauptstadt Stuttgart, Gesundheitsamt",
    },
    {
        "email": "jonas.albrecht@stuttgart.example",
        "display_name": "Jonas Albrecht",
        "organisation": "Landeshauptstadt Stuttgart, Jugendamt",
    },
    {
        "email": "sevgi.arslan-weber@stuttgart.example",
        "display_name": "Sevgi Arslan-Weber",
        "organisation": "Landeshauptstadt Stuttgart, Sozialamt",
    },
]

MODERATOR = {
    "email": "katrin.lorenz@moderation.example",
    "display_name": "Katrin Lorenz",
    "organisation": "Moderation Beteiligungsprozess",
}

# Moderation vor Ort: records what was said in the Werkstätten, written in letters or said on the phone.
FACILITATOR = {
    "email": "ayse.demir@moderation.example",
    "display_name": "Ayşe Demir",
    "organisation": "Moderation vor Ort, Stadtteilwerkstätten",
}

ADMIN = {
    "email": "admin@stuttgart.example",
    "display_name": "Plattform-Administration",
    "organisation": "Landeshauptstadt Stuttgart, Plattformbetrieb",
}

EXPERTS = [
    {
        "email": "thomas.reichert@stuttgart.example",
        "display_name": "Thomas Reichert",
        "organisation": "Landeshauptstadt Stuttgart, Amt für Stadtplanung und Wohnen",
        "organisation_kind": "amt",
    },
    {
        "email": "ayse.demir@stuttgart.example",
        "display_name": "Ayşe Demir",
        "organisation": "Landeshauptstadt Stuttgart, Bezirksamt Bad Cannstatt",
        "organisation_kind": "amt",
    },
    {
        "email": "h.brandt@quartierswerk-neckartal.example",
        "display_name": "Dr. Helena Brandt",
        "organisation": "Diakonisches Quartierswerk Neckartal gGmbH",
        "organisation_kind": "traeger",
    },
    {
        "email": "m.benedetti@sozialdienste-filder.example",
        "display_name": "Marco Benedetti",
        "organisation": "Katholische Sozialdienste Filder gGmbH",
        "organisation_kind": "traeger",
    },
    {
        "email": "lena.hoffmann@jugendhilfeverbund-nord.example",
        "display_name": "Lena Hoffmann",
        "organisation": "Jugendhilfeverbund Stuttgart-Nord e.V.",
        "organisation_kind": "traeger",
    },
    {
        "email": "b.kaiser@neckarblick-eg.example",
        "display_name": "Bernd Kaiser",
        "organisation": "Wohnbaugenossenschaft Neckarblick eG",
        "organisation_kind": "wohnungsunternehmen",
    },
    {
        "email": "s.morozova@siedlungsbau-halbhoehe.example",
        "display_name": "Svetlana Morozova",
        "organisation": "Siedlungsbau Halbhöhe GmbH, Sozialmanagement",
        "organisation_kind": "wohnungsunternehmen",
    },
    {
        "email": "jana.wolff@stadtteilhaus-ostend.example",
        "display_name": "Jana Wolff",
        "organisation": "Stadtteilhaus Ostend e.V.",
        "organisation_kind": "verein",
    },
    {
        "email": "mehmet.yildiz@elternverein-feuerbach.example",
        "display_name": "Mehmet Yıldız",
        "organisation": "Deutsch-Türkischer Elternverein Feuerbach e.V.",
        "organisation_kind": "verein",
    },
    {
        "email": "g.hartmann@nachbarschaftskreis-filder.example",
        "display_name": "Gisela Hartmann",
        "organisation": "Nachbarschaftskreis Sonnenberg-Fasanenhof e.V.",
        "organisation_kind": "verein",
    },
    {
        "email": "tobias.lindner@hs-sozialraum.example",
        "display_name": "Prof. Dr. Tobias Lindner",
        "organisation": "Hochschule für Soziale Arbeit Neckar-Alb, Institut für Sozialraumforschung",
        "organisation_kind": "wissenschaft",
    },
    {
        "email": "n.haddad@praxisnetz-ost.example",
        "display_name": "Dr. Nadia Haddad",
        "organisation": "Praxisnetz Stuttgarter Osten",
        "organisation_kind": "sonstige",
    },
]

RESIDENTS = [
    {"email": "anna.heslach@mail.example", "display_name": "Anna"},
    {"email": "kemal.r@mail.example", "display_name": "Kemal"},
    {"email": "nachbarin.west@post.example", "display_name": "Nachbarin aus dem Westen"},
    {"email": "rosi.fasanenhof@mail.example", "display_name": "Oma Rosi"},
    {"email": "luca.s@post.example", "display_name": "Luca"},
    {"email": "fatma.hallschlag@mail.example", "display_name": "Fatma"},
    {"email": "neckarkiesel@post.example", "display_name": "Neckarkiesel"},
    {"email": "juergen.botnang@mail.example", "display_name": "Jürgen"},
]

EXPERT_COMMENTS = [
    {
        "section_title": "Quartiersmanagement und Netzwerke",
        "alignment": "objection",
        "body": (
            "Eine Vollzeitstelle als Mindestausstattung ist für Großwohnsiedlungen deutlich zu knapp. Wir "
            "regen an, die Ausstattung an Einwohnerzahl und Ergebnissen des Sozialmonitorings zu koppeln."
        ),
    },
    {
        "section_title": "Quartiersmanagement und Netzwerke",
        "alignment": "note",
        "body": (
            "Die geforderte Trägerneutralität ist richtig, sollte aber konkretisiert werden. Wie wird sie "
            "sichergestellt, wenn der Träger des Quartiersmanagements zugleich eigene Angebote im Quartier "
            "betreibt?"
        ),
    },
    {
        "section_title": "Zusammenarbeit mit der Wohnungswirtschaft",
        "alignment": "support",
        "body": (
            "Als Genossenschaft begrüßen wir Kooperationsvereinbarungen ausdrücklich. Wichtig wäre uns, dass "
            "darin auch die laufenden Kosten von Gemeinschaftsräumen geregelt werden und nicht nur deren "
            "Bereitstellung."
        ),
    },
    {
        "section_title": "Sozialmonitoring und Auswahl der Quartiere",
        "alignment": "objection",
        "body": (
            "Eine Auswahl allein auf Stadtteilebene übersieht kleinräumige Problemlagen, die im Durchschnitt "
            "eines Stadtteils nicht auffallen. Bitte prüfen Sie auch Auswertungen auf Ebene von Baublöcken "
            "oder Siedlungen."
        ),
    },
    {
        "section_title": "Sozialmonitoring und Auswahl der Quartiere",
        "alignment": "support",
        "body": (
            "Die stufenweise Auswahl von Modellquartieren unterschiedlicher Typen ist methodisch sinnvoll. "
            "Wir empfehlen, vergleichbare Stadtteile ohne Quartiersmanagement als Vergleichsgruppe "
            "mitzuerheben."
        ),
    },
    {
        "section_title": "Präventionsketten im Quartier",
        "alignment": "support",
        "body": (
            "Die Ausweitung der Präventionskette auf das Älterwerden halten wir für einen wichtigen Schritt. "
            "Gerade die Entlassung aus dem Krankenhaus ist in der Praxis eine große Lücke."
        ),
    },
    {
        "section_title": "Familienzentren und Frühe Hilfen",
        "alignment": "note",
        "body": (
            "Ein Familienzentrum je Stadtbezirk reicht in großen Bezirken wie Bad Cannstatt kaum aus. "
            "Sinnvoller wäre eine Orientierung an der Zahl der Kinder unter sechs Jahren und an der sozialen "
            "Lage."
        ),
    },
    {
        "section_title": "Räume und Mitsprache für Jugendliche",
        "alignment": "support",
        "body": (
            "Mit einem Jugendbudget haben wir im Stadtteil gute Erfahrungen gemacht: Die Jugendlichen gehen "
            "sehr verantwortungsvoll damit um. Entscheidend ist eine Begleitung, die unterstützt, ohne zu "
            "bevormunden."
        ),
    },
    {
        "section_title": "Formate und Orte der Beteiligung",
        "alignment": "note",
        "body": (
            "Dolmetschung sollte nicht nur bei Bedarf angeboten werden, denn viele Menschen melden diesen "
            "Bedarf gar nicht an. Für Quartiere mit vielen nicht deutschsprachigen Bewohner*innen wäre ein "
            "fester Standard besser."
        ),
    },
    {
        "section_title": "Finanzierung und Ressourcen",
        "alignment": "objection",
        "body": (
            "Die Mehrfachnutzung von Schulräumen scheitert in der Praxis oft an Schließdiensten, Reinigung "
            "und Haftungsfragen. Ohne eine verbindliche Regelung mit den zuständigen Ämtern bleibt der "
            "Vorschlag folgenlos."
        ),
    },
    {
        "section_title": "Indikatoren, Evaluation und Fortschreibung",
        "alignment": "note",
        "body": (
            "Für die Befragungen zur Zufriedenheit sollte vor Beginn der Maßnahmen eine Ausgangsmessung "
            "eingeplant werden. Sonst lassen sich Veränderungen später nicht belegen."
        ),
    },
    {
        "section_title": "Wohnen, Wohnumfeld und öffentlicher Raum",
        "alignment": "note",
        "body": (
            "Ergänzend zu Gemeinschaftsräumen sollte der Wohnungstausch innerhalb des Quartiers aufgegriffen "
            "werden, etwa wenn ältere Mieter*innen in eine kleinere, barrierefreie Wohnung umziehen möchten."
        ),
    },
    {
        "section_title": "Nachbarschaftliche Unterstützung und Pflege",
        "alignment": "objection",
        "body": (
            "Nachbarschaftshilfe darf nicht als Ersatz für fehlende professionelle Pflege verstanden werden. "
            "Der Text sollte deutlicher machen, dass Ehrenamt ergänzt und nicht ersetzt."
        ),
    },
    {
        "section_title": "Gesundheitsförderung in Lebenswelten",
        "alignment": "support",
        "body": (
            "Sprechstunden in Stadtteilzentren senken Hemmschwellen spürbar. Unser Praxisnetz wäre bereit, "
            "sich an einem Modellquartier zu beteiligen."
        ),
    },
    {
        "section_title": "Steuerung und Zuständigkeiten",
        "alignment": "note",
        "body": (
            "Die Rolle der Bezirksbeiräte sollte genauer beschrieben werden. Werden sie nur informiert, oder "
            "werden sie auch vor der Auswahl der Quartiere angehört?"
        ),
    },
    # Near-duplicates (the similar groups of the workbench have something to find, issue 16): three more
    # experts raise the same point about Familienzentren, one more the staffing of the Quartiersmanagement.
    {
        "section_title": "Familienzentren und Frühe Hilfen",
        "alignment": "objection",
        "body": (
            "Auch aus Sicht der Frühen Hilfen ist ein Familienzentrum je Stadtbezirk zu wenig. Die Zahl der "
            "Familienzentren sollte sich an der Zahl der Kinder unter sechs Jahren und an der sozialen Lage "
            "im Bezirk orientieren."
        ),
    },
    {
        "section_title": "Familienzentren und Frühe Hilfen",
        "alignment": "note",
        "body": (
            "Wir schließen uns an: Ein einziges Familienzentrum pro Stadtbezirk reicht in großen Bezirken "
            "nicht. Bitte verteilen Sie die Familienzentren nach der Zahl der Kinder unter sechs Jahren und "
            "nach der sozialen Lage der Quartiere."
        ),
    },
    {
        "section_title": "Familienzentren und Frühe Hilfen",
        "alignment": "objection",
        "body": (
            "In Bad Cannstatt und Zuffenhausen leben so viele Familien mit kleinen Kindern, dass ein "
            "Familienzentrum je Stadtbezirk in großen Bezirken nicht ausreicht. Die Zahl der Familienzentren "
            "sollte sich an der Zahl der Kinder unter sechs Jahren und an der sozialen Lage orientieren."
        ),
    },
    {
        "section_title": "Quartiersmanagement und Netzwerke",
        "alignment": "objection",
        "body": (
            "Eine einzige Vollzeitstelle für das Quartiersmanagement ist in Großwohnsiedlungen zu knapp "
            "bemessen. Die Ausstattung sollte sich an der Einwohnerzahl und am Sozialmonitoring orientieren."
        ),
    },
]

IDEAS = [
    {
        "title": "Nachbarschaftstreff für das Europaviertel",
        "body": (
            "Im Europaviertel gibt es viele neue Wohnungen, aber kaum einen Ort, an dem man Nachbar*innen "
            "ohne Konsumzwang trifft. Ein kleiner Treffpunkt im Erdgeschoss eines Neubaus, etwa mit "
            "Tauschregal und Spieleabend, würde helfen, dass aus Hausbewohner*innen eine Nachbarschaft wird."
        ),
        "category": "begegnung",
        "quarter_number": 105,
    },
    {
        "title": "Bewegungsparcours für alle Generationen am Nordbahnhof",
        "body": (
            "Auf einer der Grünflächen im Nordbahnhofviertel könnten einfache Geräte für Kraft, "
            "Gleichgewicht und Dehnung aufgestellt werden. Jüngere und Ältere könnten dort gemeinsam "
            "trainieren. Schön wäre ein offener Termin pro Woche mit einer Übungsleiterin aus einem "
            "Sportverein."
        ),
        "category": "kultur_sport",
        "quarter_number": 126,
    },
    {
        "title": "Hinterhöfe gemeinsam begrünen in Ostheim",
        "body": (
            "Viele Höfe in Ostheim sind versiegelt und im Sommer sehr heiß. Ich schlage vor, dass "
            "Hausgemeinschaften Unterstützung bekommen, um Beete, Kübelpflanzen und Sitzecken anzulegen. Die "
            "Vermieter*innen sollten von Anfang an mit ins Boot geholt werden."
        ),
        "category": "wohnen",
        "quarter_number": 145,
    },
    {
        "title": "Schattenplätze und Trinkbrunnen in Heslach",
        "body": (
            "Im Sommer staut sich in Heslach die Hitze, und für ältere Menschen und Kinder wird schon der "
            "Weg zum Einkaufen anstrengend. Mehr Bäume, schattige Bänke und ein paar zusätzliche "
            "Trinkbrunnen entlang der Hauptwege würden viel bringen."
        ),
        "category": "gesundheit",
        "quarter_number": 165,
    },
    {
        "title": "Temporäre Spielstraße am Sonntag im Westen",
        "body": (
            "Rund um den Feuersee gibt es viele Familien, aber wenig Platz zum Spielen. Eine Seitenstraße "
            "könnte einmal im Monat sonntags für Autos gesperrt und zur Spielstraße werden. Eltern aus der "
            "Nachbarschaft würden die Aufsicht gerne mit übernehmen."
        ),
        "category": "kinder_jugend_familie",
        "quarter_number": 184,
    },
    {
        "title": "Hilfe bei Behördenbriefen im Hallschlag",
        "body": (
            "Viele Nachbar*innen im Hallschlag bekommen Briefe vom Amt, die sie nicht verstehen, und trauen "
            "sich nicht nachzufragen. Eine feste, mehrsprachige Sprechstunde im Stadtteil, zum Beispiel "
            "einmal pro Woche in einem Gemeinschaftsraum, würde vielen Familien helfen."
        ),
        "category": "sonstiges",
        "quarter_number": 214,
    },
    {
        "title": "Jugendtreff am Wochenende in Rot",
        "body": (
            "Am Freitagabend und am Wochenende haben die Jugendlichen in Rot kaum einen Ort, an dem sie sich "
            "aufhalten können. Ein offener Treff mit längeren Öffnungszeiten am Wochenende würde Ärger auf "
            "den Plätzen vermeiden. Die Jugendlichen sollten bei der Gestaltung mitreden dürfen."
        ),
        "category": "kinder_jugend_familie",
        "quarter_number": 881,
    },
    {
        "title": "Bürgerbus für Botnang",
        "body": (
            "Die Wege in Botnang sind steil, und von manchen Straßen ist die nächste Haltestelle weit "
            "entfernt. Ein ehrenamtlich gefahrener Kleinbus könnte ältere Menschen zum Einkaufen, zur "
            "Apotheke und zum Arzt bringen. In anderen Gemeinden funktioniert so etwas gut."
        ),
        "category": "mobilitaet_raum",
        "quarter_number": 294,
    },
    {
        "title": "Hausaufgabenhilfe in Giebel",
        "body": (
            "Viele Kinder in Giebel bekommen zu Hause keine Hilfe bei den Hausaufgaben, weil die Eltern "
            "arbeiten oder die Sprache nicht gut können. Ehrenamtliche Lernbegleiter*innen, zum Beispiel "
            "Studierende oder Rentner*innen, könnten nachmittags in einem Gemeinschaftsraum helfen."
        ),
        "category": "bildung",
        "quarter_number": 821,
    },
    {
        "title": "Repair-Café in Feuerbach",
        "body": (
            "Ein Repair-Café in Feuerbach-Mitte wäre gut für die Umwelt und für die Nachbarschaft. Wer etwas "
            "reparieren kann, hilft anderen, und beim Kaffee kommt man ins Gespräch. Ein Raum einmal im "
            "Monat am Samstag würde für den Anfang reichen."
        ),
        "category": "begegnung",
        "quarter_number": 344,
    },
    {
        "title": "Barrierefreier Zugang zur Haltestelle in Hedelfingen",
        "body": (
            "Mit Rollator oder Kinderwagen ist der Weg zur Haltestelle in Hedelfingen mühsam. Abgesenkte "
            "Bordsteine, ein Handlauf und eine bessere Beleuchtung auf dem Zugangsweg würden vielen Menschen "
            "den Alltag erleichtern."
        ),
        "category": "inklusion",
        "quarter_number": 361,
    },
    {
        "title": "Einkaufshilfe für Ältere im Fasanenhof",
        "body": (
            "Im Fasanenhof leben viele ältere Menschen allein, die ihre Einkäufe nicht mehr gut tragen "
            "können. Eine Einkaufshilfe, bei der Nachbar*innen einmal pro Woche gemeinsam mit ihnen "
            "einkaufen gehen, wäre praktisch und gegen Einsamkeit zugleich."
        ),
        "category": "aelterwerden",
        "quarter_number": 411,
    },
    {
        "title": "Mehrsprachiger Wegweiser zu Beratungsangeboten in Freiberg",
        "body": (
            "In Freiberg gibt es viele Angebote, aber wer neu ist oder wenig Deutsch spricht, findet sie "
            "kaum. Ein Faltblatt und eine Infotafel in mehreren Sprachen und in einfacher Sprache, die "
            "zeigen, wo man welche Hilfe bekommt, wären ein guter Anfang."
        ),
        "category": "inklusion",
        "quarter_number": 451,
    },
    {
        "title": "Sommerkino am Neckar in Münster",
        "body": (
            "An ein paar Sommerabenden könnte am Neckarufer in Münster ein Freiluftkino stattfinden. Die "
            "Filme könnten die Bewohner*innen selbst auswählen, und örtliche Vereine könnten Getränke "
            "verkaufen. So kommt der ganze Stadtteil zusammen."
        ),
        "category": "kultur_sport",
        "quarter_number": 501,
    },
    {
        "title": "Mitfahrbank für Uhlbach",
        "body": (
            "Von Uhlbach ist man ohne Auto schlecht unterwegs, besonders abends. An einer Mitfahrbank am "
            "Ortsrand könnten Menschen signalisieren, dass sie mitgenommen werden möchten. Das hat in "
            "ländlichen Gemeinden schon gut funktioniert."
        ),
        "category": "mobilitaet_raum",
        "quarter_number": 531,
    },
    {
        "title": "Willkommenstreff für Neuzugezogene im Asemwald",
        "body": (
            "In den Hochhäusern im Asemwald kennen sich viele Nachbar*innen nicht, obwohl sie seit Jahren "
            "Tür an Tür wohnen. Ein regelmäßiger Willkommenstreff für Neuzugezogene mit Infos über Angebote "
            "in der Umgebung könnte das ändern."
        ),
        "category": "begegnung",
        "quarter_number": 571,
    },
    {
        "title": "Lauftreff für Einsteiger*innen in Heumaden",
        "body": (
            "Ich wünsche mir einen kostenlosen Lauftreff für Menschen, die bisher keinen Sport machen. "
            "Treffpunkt könnte am Waldrand in Heumaden sein, einmal pro Woche am frühen Abend. Wichtig wäre, "
            "dass niemand zu schnell sein muss."
        ),
        "category": "gesundheit",
        "quarter_number": 611,
    },
    {
        "title": "Wohnungstauschbörse für Stammheim",
        "body": (
            "Manche ältere Menschen in Stammheim wohnen allein in großen Wohnungen, während junge Familien "
            "verzweifelt suchen. Eine Tauschbörse, bei der Vermieter*innen und eine Beratungsstelle helfen, "
            "könnte beiden Seiten nützen, ohne dass jemand den Stadtteil verlassen muss."
        ),
        "category": "wohnen",
        "quarter_number": 642,
    },
    {
        "title": "Deutschkurs mit Kinderbetreuung in Untertürkheim",
        "body": (
            "Viele Mütter in Untertürkheim möchten Deutsch lernen, haben aber niemanden, der währenddessen "
            "auf die Kinder aufpasst. Ein Kurs am Vormittag mit Kinderbetreuung im selben Haus würde das "
            "lösen. Danach könnte man gemeinsam Kaffee trinken."
        ),
        "category": "bildung",
        "quarter_number": 663,
    },
    {
        "title": "Offenes Familienfrühstück in Dürrlewang",
        "body": (
            "Ein offenes Familienfrühstück einmal im Monat am Samstag würde Familien aus Dürrlewang "
            "zusammenbringen. Jede Familie bringt etwas mit, und Fachkräfte aus Kita oder Familienberatung "
            "könnten ganz nebenbei ansprechbar sein."
        ),
        "category": "kinder_jugend_familie",
        "quarter_number": 741,
    },
    # Near-duplicates (the similar groups of the workbench have something to find, issue 16): more residents
    # ask for benches and shade in Heslach, one more for a youth meeting place at weekends in Rot.
    {
        "title": "Mehr schattige Bänke in Heslach",
        "body": (
            "Im Sommer ist der Weg zum Einkaufen in Heslach für ältere Menschen anstrengend, weil es kaum "
            "schattige Bänke gibt. Wir wünschen uns mehr Bänke unter Bäumen entlang der Hauptwege, damit man "
            "unterwegs ausruhen kann."
        ),
        "category": "gesundheit",
        "quarter_number": 165,
    },
    {
        "title": "Bänke und Bäume für den Bihlplatz in Heslach",
        "body": (
            "Der Bihlplatz in Heslach heizt sich im Sommer stark auf. Mehr Bäume und schattige Bänke würden "
            "den Platz für ältere Menschen und Kinder wieder nutzbar machen."
        ),
        "category": "gesundheit",
        "quarter_number": 165,
    },
    {
        "title": "Schattige Sitzplätze für Ältere in Heslach",
        "body": (
            "Für ältere Menschen in Heslach sind die Wege im Sommer lang und heiß. Wir wünschen uns schattige "
            "Bänke und Bäume an den Hauptwegen, damit man unterwegs im Schatten ausruhen kann."
        ),
        "category": "gesundheit",
        "quarter_number": 165,
    },
    {
        "title": "Treffpunkt für Jugendliche am Wochenende in Rot",
        "body": (
            "Die Jugendlichen in Rot wissen am Wochenende nicht, wohin. Ein offener Jugendtreff, der auch am "
            "Freitagabend und am Wochenende geöffnet hat, wäre ein Ort für sie; sie sollten ihn mitgestalten."
        ),
        "category": "kinder_jugend_familie",
        "quarter_number": 881,
    },
]
